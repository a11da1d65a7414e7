// Fuzz target: CSVTokenizer (ImpactIngest).
//
// Properties, for any bytes and any of the delimiters , ; TAB | (quote " or '):
// - no crash, no sanitizer report, no endless loop (every event but needInput consumes input;
//   needInput consumes all of it; the end of the stream is reached in at most two calls);
// - a call never writes more bytes than it consumes;
// - `next` and `nextRecord` (with room for 1…4 field ends, so `fieldEndsFull` is exercised)
//   give the same records, record lines, line count, NUL count and unterminated-quote flags
//   whether the input comes whole, one byte at a time or in random chunks.

import ImpactIngest

/// Everything the tokenizer reports about a stream.
struct Tokenized: Equatable {
    var records: [[[UInt8]]] = []
    var lines: [Int] = []
    var nulBytes: [Int] = []
    var unterminated: [Bool] = []
    var lineTerminators = 0
}

/// Tokenizes with `next(_:output:)`, feeding `chunks`.
func tokenizeFieldByField(_ input: UnsafeRawBufferPointer, chunks: [Int], delimiter: UInt8, quote: UInt8) -> Tokenized {
    var t = CSVTokenizer(delimiter: delimiter, quote: quote)
    var result = Tokenized()
    var field: [UInt8] = []
    var fields: [[UInt8]] = []
    var scratch = [UInt8](repeating: 0, count: max(1, chunks.max() ?? 1))
    func endRecord(_ t: inout CSVTokenizer) {
        fields.append(field)
        field.removeAll()
        result.records.append(fields)
        result.lines.append(t.recordLine)
        result.nulBytes.append(t.nulBytes)
        result.unterminated.append(t.unterminatedQuote)
        t.nulBytes = 0
        t.unterminatedQuote = false
        fields.removeAll()
    }
    var start = 0
    for size in chunks {
        var offset = 0
        while offset < size {
            let rest = UnsafeRawBufferPointer(rebasing: input[(start + offset)..<(start + size)])
            let (event, consumed, written) = scratch.withUnsafeMutableBytes { t.next(rest, output: $0.baseAddress!) }
            fuzzCheck(written <= consumed, "next wrote \(written) bytes for \(consumed) consumed")
            fuzzCheck(consumed <= rest.count, "next consumed more than its input")
            field.append(contentsOf: scratch[0..<written])
            offset += consumed
            switch event {
            case .needInput:
                fuzzCheck(offset == size, "needInput with input left")
            case .field:
                fuzzCheck(consumed > 0, "a field event consumed nothing")
                fields.append(field)
                field.removeAll()
            case .record:
                fuzzCheck(consumed > 0, "a record event consumed nothing")
                endRecord(&t)
            case .end:
                fuzzCheck(false, "end event on a non-empty input")
            }
        }
        start += size
    }
    var calls = 0
    while true {
        calls += 1
        fuzzCheck(calls <= 2, "the end of the stream takes more than two calls")
        let (event, consumed, written) = scratch.withUnsafeMutableBytes {
            t.next(UnsafeRawBufferPointer(start: nil, count: 0), output: $0.baseAddress!)
        }
        fuzzCheck(consumed == 0 && written == 0, "the end of the stream consumed or wrote bytes")
        if event == .end { break }
        fuzzCheck(event == .record, "the end of the stream gave \(event)")
        endRecord(&t)
    }
    fuzzCheck(!t.inRecord, "a record is still open after the end")
    result.lineTerminators = t.lineTerminators
    return result
}

/// Tokenizes with `nextRecord`, feeding `chunks`, with room for `room` field ends per call.
func tokenizeRecordByRecord(_ input: UnsafeRawBufferPointer, chunks: [Int], delimiter: UInt8, quote: UInt8,
                            room: Int) -> Tokenized {
    var t = CSVTokenizer(delimiter: delimiter, quote: quote)
    var result = Tokenized()
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var scratch = [UInt8](repeating: 0, count: max(1, chunks.max() ?? 1))
    let fieldEnds = UnsafeMutableBufferPointer<Int32>.allocate(capacity: room)
    defer { fieldEnds.deallocate() }
    func step(_ rest: UnsafeRawBufferPointer) -> (CSVTokenizer.RecordEvent, Int) {
        let s = scratch.withUnsafeMutableBytes {
            t.nextRecord(rest, output: $0.baseAddress!, outputOffset: bytes.count, fieldEnds: fieldEnds)
        }
        fuzzCheck(s.written <= s.consumed, "nextRecord wrote \(s.written) bytes for \(s.consumed) consumed")
        fuzzCheck(s.fields <= room, "nextRecord reported more field ends than room")
        let base = bytes.count
        bytes.append(contentsOf: scratch[0..<s.written])
        for k in 0..<s.fields {
            let end = Int(fieldEnds[k])
            // Value k starts one byte (the delimiter) after value k - 1 ends.
            fuzzCheck(end >= (ends.last.map { $0 + 1 } ?? 0) && end <= bytes.count && end >= 0,
                      "field end \(end) outside the record (\(base)..\(bytes.count))")
            ends.append(end)
        }
        if s.event == .record {
            var fields: [[UInt8]] = []
            var previous = 0
            for (k, e) in ends.enumerated() {
                fields.append(Array(bytes[previous..<e]))
                if k < ends.count - 1 { fuzzCheck(e < bytes.count && bytes[e] == delimiter, "no delimiter after value \(k)") }
                previous = e + 1
            }
            fuzzCheck(previous == bytes.count + 1, "bytes after the last field end of a record")
            result.records.append(fields)
            result.lines.append(t.recordLine)
            result.nulBytes.append(t.nulBytes)
            result.unterminated.append(t.unterminatedQuote)
            t.nulBytes = 0
            t.unterminatedQuote = false
            bytes.removeAll()
            ends.removeAll()
        }
        return (s.event, s.consumed)
    }
    var start = 0
    for size in chunks {
        var offset = 0
        while offset < size {
            let (event, consumed) = step(UnsafeRawBufferPointer(rebasing: input[(start + offset)..<(start + size)]))
            offset += consumed
            switch event {
            case .needInput: fuzzCheck(offset == size, "needInput with input left")
            case .record, .fieldEndsFull: fuzzCheck(consumed > 0, "\(event) consumed nothing")
            case .end: fuzzCheck(false, "end event on a non-empty input")
            }
        }
        start += size
    }
    var calls = 0
    while true {
        calls += 1
        fuzzCheck(calls <= 2, "the end of the stream takes more than two calls")
        let (event, _) = step(UnsafeRawBufferPointer(start: nil, count: 0))
        if event == .end { break }
        fuzzCheck(event == .record, "the end of the stream gave \(event)")
    }
    fuzzCheck(bytes.isEmpty && ends.isEmpty, "bytes left over after the end")
    result.lineTerminators = t.lineTerminators
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVTokenizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let seed = fuzzSeed(input)
    var random = FuzzRandom(seed: seed)
    let delimiter: UInt8 = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")][random.int(0...3)]
    let quote: UInt8 = random.int(0...7) == 0 ? UInt8(ascii: "'") : UInt8(ascii: "\"")
    let whole = size == 0 ? [] : [size]
    let reference = tokenizeFieldByField(input, chunks: whole, delimiter: delimiter, quote: quote)
    // Sanity of the reference: record lines never go back, and lie within the stream's lines.
    for (a, b) in zip(reference.lines, reference.lines.dropFirst()) { fuzzCheck(a < b, "record lines not increasing") }
    if let last = reference.lines.last { fuzzCheck(last <= reference.lineTerminators + 1, "record line past the last line") }
    fuzzCheck(tokenizeRecordByRecord(input, chunks: whole, delimiter: delimiter, quote: quote, room: 64) == reference,
              "nextRecord differs from next on the whole input")
    for chunks in fuzzChunkings(count: size, random: &random) {
        fuzzCheck(tokenizeFieldByField(input, chunks: chunks, delimiter: delimiter, quote: quote) == reference,
                  "next: records differ under a chunking of \(chunks.count) chunks")
        let room = random.int(1...4)
        fuzzCheck(tokenizeRecordByRecord(input, chunks: chunks, delimiter: delimiter, quote: quote, room: room) == reference,
                  "nextRecord (room \(room)): records differ under a chunking of \(chunks.count) chunks")
    }
    return 0
}
