// Fuzz target: encoding detection, DecodingByteSource, CSVDialectSniffer and the whole
// CSVRecordReader (ImpactIngest).
//
// Properties, for any bytes:
// - no crash, no sanitizer report, no hang;
// - the decoder yields valid UTF-8, the same bytes (and the same count and first offset of
//   U+FFFD replacements) whatever the sizes of the underlying reads and of the caller's buffers,
//   in the sniffed encoding and in a forced one;
// - the sniffed delimiter is one of the candidates (`;` TAB `,` `|`);
// - the reader (small limits drawn from the input) gives the sink the same calls whatever the
//   chunking of the source and the size of its rolling buffer (1 byte, a few bytes, 256 KiB),
//   or fails with the same error; every record read is consumed or rejected exactly once
//   (`records == consumed + rejected`), fields are declared before use, and no kept value,
//   record or field count is over the limits.

import ImpactIngest

struct Decoded: Equatable {
    var bytes: [UInt8]
    var error: IngestError.Kind?
    var invalid: Int
    var firstInvalid: Int?
    var encoding: TextEncoding
    var bom: Bool
}

func decode(_ data: [UInt8], forced: TextEncoding?, sourceChunks: [Int], bufferSizes: [Int]) -> Decoded {
    let peekable = PeekableSource(FuzzMemorySource(data, chunkSizes: sourceChunks))
    let decoder: DecodingByteSource
    do {
        decoder = try DecodingByteSource(peekable, forced: forced)
    } catch {
        fuzzCheck(false, "a memory source made the decoder's init throw")
        fatalError()
    }
    let (bytes, error) = fuzzReadAll(decoder, bufferSizes: bufferSizes)
    fuzzCheck(error == nil, "decoding a memory source threw \(error!.kind)")
    fuzzCheck(decoder.decodedBytes == bytes.count, "decodedBytes \(decoder.decodedBytes) != \(bytes.count) returned")
    if let first = decoder.firstInvalidOffset {
        fuzzCheck(first + 3 <= bytes.count && bytes[first] == 0xEF && bytes[first + 1] == 0xBF && bytes[first + 2] == 0xBD,
                  "firstInvalidOffset does not point at a U+FFFD")
    }
    return Decoded(bytes: bytes, error: error?.kind, invalid: decoder.invalidSequences,
                   firstInvalid: decoder.firstInvalidOffset, encoding: decoder.encoding, bom: decoder.hadBOM)
}

struct ReadOutcome: Equatable {
    var events: [FuzzRecordingSink.Event]
    var description: InputDescription?
    var error: IngestError?
    var dialect: CSVDialect?
}

func readCSV(_ data: [UInt8], options: CSVOptions, sourceChunks: [Int]) -> ReadOutcome {
    let input = OpenedInput(source: PeekableSource(FuzzMemorySource(data, chunkSizes: sourceChunks)),
                            compression: nil, storedBytes: data.count)
    let sink = FuzzRecordingSink()
    let reader: CSVRecordReader
    do {
        reader = try CSVRecordReader(input: input, path: "fuzz.csv", options: options)
    } catch let e as IngestError {
        fuzzCheck(e.path == "fuzz.csv", "an error without the input's path")
        return ReadOutcome(events: [], description: nil, error: e, dialect: nil)
    } catch {
        fuzzCheck(false, "the reader threw something other than IngestError")
        fatalError()
    }
    fuzzCheck(CSVDialectSniffer.candidates.contains(reader.dialect.delimiter), "sniffed delimiter not a candidate")
    var description: InputDescription?
    var failure: IngestError?
    do {
        description = try reader.run(into: sink)
    } catch let e as IngestError {
        failure = e
        fuzzCheck(e.recordsBeforeFailure == sink.consumed + sink.rejected,
                  "recordsBeforeFailure \(e.recordsBeforeFailure) != \(sink.consumed) consumed + \(sink.rejected) rejected")
    } catch {
        fuzzCheck(false, "the reader threw something other than IngestError")
    }
    if let d = description {
        fuzzCheck(d.records == sink.consumed + sink.rejected,
                  "records \(d.records) != \(sink.consumed) consumed + \(sink.rejected) rejected")
        fuzzCheck(d.rejectedRecords == sink.rejected, "rejectedRecords \(d.rejectedRecords) != \(sink.rejected)")
    }
    let limits = options.limits
    fuzzCheck(sink.largestValue <= limits.maxFieldBytes, "a kept value of \(sink.largestValue) bytes > maxFieldBytes")
    fuzzCheck(sink.largestRecord <= limits.maxRecordBytes, "a kept record of \(sink.largestRecord) bytes > maxRecordBytes")
    fuzzCheck(sink.mostValues <= limits.maxFields, "a kept record of \(sink.mostValues) values > maxFields")
    return ReadOutcome(events: sink.events, description: description, error: failure, dialect: reader.dialect)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVSniffer(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: pointer, count: size)
    let data = Array(raw)
    var random = FuzzRandom(seed: fuzzSeed(raw))

    // Detection on its own, complete and incomplete.
    _ = EncodingDetection.detect(data, isComplete: true)
    _ = EncodingDetection.detect(data, isComplete: false)

    // The decoder, sniffed and forced, under two chunkings of reads and buffers.
    let forced = TextEncoding.allCases[random.int(0...3)]
    for encoding in [nil, forced] as [TextEncoding?] {
        let whole = decode(data, forced: encoding, sourceChunks: [], bufferSizes: [64 << 10])
        fuzzCheck(String(validating: whole.bytes, as: UTF8.self) != nil, "decoder output is not valid UTF-8")
        let chunks = fuzzChunkings(count: size, random: &random, maxChunk: 32, byteLimit: 0)
        let buffers = (0..<7).map { _ in random.int(1...9) }
        let cut = decode(data, forced: encoding, sourceChunks: chunks.first ?? [], bufferSizes: buffers)
        fuzzCheck(cut == whole, "decoder output differs under another chunking (\(encoding?.rawValue ?? "sniffed"))")
        // The sniffer on the decoded text, complete and cut.
        let dialect = whole.bytes.withUnsafeBytes { CSVDialectSniffer.sniff($0, isComplete: true) }
        fuzzCheck(CSVDialectSniffer.candidates.contains(dialect.delimiter), "sniffed delimiter not a candidate")
        _ = whole.bytes.withUnsafeBytes { CSVDialectSniffer.sniff($0, isComplete: false) }
    }

    // The whole reader with small limits, under several buffer sizes and source chunkings.
    var options = CSVOptions()
    options.limits.maxFieldBytes = random.int(1...64)
    options.limits.maxRecordBytes = random.int(1...256)
    options.limits.maxFields = random.int(1...12)
    if random.int(0...3) == 0 { options.encoding = forced }
    if random.int(0...3) == 0 { options.hasHeader = random.int(0...1) == 0 }
    if random.int(0...3) == 0 { options.delimiter = CSVDialectSniffer.candidates[random.int(0...3)] }
    options.bufferSize = 256 << 10
    let reference = readCSV(data, options: options, sourceChunks: [])
    for bufferSize in [1, random.int(2...17)] {
        options.bufferSize = bufferSize
        let chunks = fuzzChunkings(count: size, random: &random, maxChunk: 32, byteLimit: 0).first ?? []
        let other = readCSV(data, options: options, sourceChunks: chunks)
        fuzzCheck(other == reference, "the reader differs with buffer \(bufferSize) and \(chunks.count) source chunks")
    }
    // Default limits too (the path every real run takes).
    _ = readCSV(data, options: CSVOptions(), sourceChunks: [])
    return 0
}
