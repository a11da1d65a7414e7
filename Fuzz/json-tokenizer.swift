// Fuzz target: JSONTokenizer and JSONRecordReader (ImpactJSON).
//
// Properties, for any bytes and limits drawn from the input (depth 1…64 or 512, value size
// 1…64 bytes or 16 MiB):
// - no crash, no sanitizer report, no hang (a call either emits a token, consumes all its input
//   with needMoreInput, or ends);
// - the same tokens with the same bytes, and the same end or error (kind, context, byte offset,
//   line, column), whether the text comes whole, one byte at a time or in random chunks, with
//   the end of input given with the last chunk or as a separate empty call, and with member
//   names kept in the input (`keysStayInInput`, the record reader's fast path) or copied;
// - nesting never exceeds maxDepth and no string or number exceeds maxValueBytes;
// - the record reader, in JSON Lines, document and detected mode, with and without a reopen
//   (the two-pass search of a top-level object's largest array), gives the sink the same calls
//   (or fails with the same error) whatever the chunking of its source; records read =
//   consumed + rejected; fields are declared before use; kept records respect the limits.

@testable import ImpactJSON
import ImpactIngest

struct TokenRun: Equatable {
    var tokens: [JSONToken] = []
    var bytes: [[UInt8]] = []
    var end: JSONTokenizerResult?

    /// Token kinds, byte counts and the end (no input bytes).
    var summary: String {
        zip(tokens, bytes).map { "\($0.0)/\($0.1.count)" }.joined(separator: " ") + " → \(end.map { "\($0)" } ?? "nil")"
    }
}

func tokenize(_ input: UnsafeRawBufferPointer, chunks: [Int], separateFinal: Bool, keysInInput: Bool,
              maxDepth: Int, maxValueBytes: Int) -> TokenRun {
    var t = JSONTokenizer(maxDepth: maxDepth, maxValueBytes: maxValueBytes)
    t.keysStayInInput = keysInInput
    var run = TokenRun()
    var output: [UInt8] = []
    var start = 0
    var sizes = chunks
    if separateFinal || sizes.isEmpty { sizes.append(0) }
    var calls = 0
    for (index, size) in sizes.enumerated() {
        let isFinal = index == sizes.count - 1
        var chunk = UnsafeRawBufferPointer(rebasing: input[start..<(start + size)])
        while true {
            calls += 1
            fuzzCheck(calls <= 4 * input.count + 8, "the tokenizer does not progress")
            let (result, consumed) = t.next(chunk, isFinal: isFinal, into: &output)
            fuzzCheck(consumed <= chunk.count, "consumed more than the chunk")
            fuzzCheck(t.depth <= maxDepth, "depth \(t.depth) over maxDepth \(maxDepth)")
            let used = chunk
            chunk = UnsafeRawBufferPointer(rebasing: chunk[consumed...])
            switch result {
            case .token(let token):
                var bytes = output
                if token == .key, keysInInput, let range = t.keyRangeInInput {
                    fuzzCheck(output.isEmpty, "a key kept in the input also wrote output")
                    fuzzCheck(range.lowerBound >= 0 && range.upperBound <= consumed, "key range outside the input")
                    bytes = Array(UnsafeRawBufferPointer(rebasing: used[range]))
                }
                fuzzCheck(bytes.count <= maxValueBytes, "a token of \(bytes.count) bytes over maxValueBytes")
                run.tokens.append(token)
                run.bytes.append(bytes)
                output.removeAll(keepingCapacity: true)
                continue
            case .needMoreInput:
                fuzzCheck(chunk.isEmpty, "needMoreInput with input left")
                fuzzCheck(!isFinal, "needMoreInput on the final input")
            case .end, .error:
                run.end = result
                // The state is sticky: another call gives the same.
                let (again, _) = t.next(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true, into: &output)
                if case .error = result { fuzzCheck(again == result, "the error is not sticky") }
                return run
            }
            break
        }
        start += size
    }
    fuzzCheck(false, "the final input gave neither end nor error")
    return run
}

struct JSONReadOutcome: Equatable {
    var events: [FuzzRecordingSink.Event]
    var description: InputDescription?
    var error: IngestError?
}

func readJSON(_ data: [UInt8], mode: JSONMode?, limits: IngestLimits, chunks: [Int], reopen: Bool) -> JSONReadOutcome {
    let reader = JSONRecordReader(source: FuzzMemorySource(data, chunkSizes: chunks), path: "fuzz.json",
                                  mode: mode, limits: limits,
                                  reopen: reopen ? { FuzzMemorySource(data, chunkSizes: chunks.reversed()) } : nil)
    let sink = FuzzRecordingSink()
    var description: InputDescription?
    var failure: IngestError?
    do {
        description = try reader.run(into: sink)
    } catch let e as IngestError {
        failure = e
        fuzzCheck(e.recordsBeforeFailure == sink.consumed + sink.rejected, "recordsBeforeFailure does not add up")
    } catch {
        fuzzCheck(false, "the reader threw something other than IngestError")
    }
    if let d = description {
        fuzzCheck(d.records == sink.consumed + sink.rejected, "records != consumed + rejected")
        fuzzCheck(d.rejectedRecords == sink.rejected, "rejectedRecords != rejected")
    }
    fuzzCheck(sink.largestValue <= limits.maxFieldBytes, "a kept value over maxFieldBytes")
    fuzzCheck(sink.largestRecord <= limits.maxRecordBytes, "a kept record of \(sink.largestRecord) bytes over maxRecordBytes")
    fuzzCheck(sink.mostValues <= limits.maxFields, "a kept record of \(sink.mostValues) values over maxFields")
    return JSONReadOutcome(events: sink.events, description: description, error: failure)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONTokenizer(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: pointer, count: size)
    var random = FuzzRandom(seed: fuzzSeed(input))
    let maxDepth = random.int(0...3) == 0 ? 512 : random.int(1...64)
    let maxValueBytes = random.int(0...3) == 0 ? 16 << 20 : random.int(1...64)
    let reference = tokenize(input, chunks: size == 0 ? [] : [size], separateFinal: false, keysInInput: false,
                             maxDepth: maxDepth, maxValueBytes: maxValueBytes)
    for chunks in fuzzChunkings(count: size, random: &random) {
        let separate = random.int(0...1) == 0
        let keys = random.int(0...1) == 0
        let other = tokenize(input, chunks: chunks, separateFinal: separate, keysInInput: keys,
                             maxDepth: maxDepth, maxValueBytes: maxValueBytes)
        fuzzCheck(other == reference,
                  "whole: \(reference.summary); cut: \(other.summary); tokens differ under \(chunks.count) chunks (separate final: \(separate), keys in input: \(keys))")
    }

    // The record reader in each mode, with small limits some of the time.
    let data = Array(input)
    var limits = IngestLimits()
    if random.int(0...1) == 0 {
        limits.maxFieldBytes = random.int(1...64)
        limits.maxRecordBytes = random.int(1...256)
        limits.maxNestingDepth = random.int(1...16)
        limits.maxFields = random.int(1...12)
    }
    for mode in [nil, JSONMode.lines, JSONMode.document] {
        // With a reopen (a file: a top-level object's largest array of records is found first)
        // and without (standard input: the first array).
        for reopen in mode == .lines ? [false] : [false, true] {
            let whole = readJSON(data, mode: mode, limits: limits, chunks: [], reopen: reopen)
            let chunks = fuzzChunkings(count: size, random: &random, maxChunk: 32, byteLimit: 0).first ?? []
            let cut = readJSON(data, mode: mode, limits: limits, chunks: chunks, reopen: reopen)
            fuzzCheck(cut == whole, "the record reader (mode \(mode?.rawValue ?? "detected"), reopen \(reopen)) differs under \(chunks.count) source chunks")
        }
    }
    return 0
}
