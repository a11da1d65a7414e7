import Testing
import ImpactTestSupport
@testable import ImpactIngest

/// A record as the tokenizer reports it: start line and field values.
struct TokenizedRecord: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String]
    init(_ line: Int, _ fields: [String]) {
        self.line = line
        self.fields = fields
    }
    var description: String { "\(line): \(fields.map(\.debugDescription))" }
}

struct Tokenized: Equatable {
    var records: [TokenizedRecord]
    var nulBytes: Int
    var unterminatedQuote: Bool
    var lineTerminators: Int
}

/// Feeds `data` to a tokenizer in consecutive chunks of `sizes`, then the end of input.
func tokenize(_ data: [UInt8], chunks sizes: [Int], delimiter: UInt8 = UInt8(ascii: ","),
              quote: UInt8 = UInt8(ascii: "\"")) -> Tokenized {
    var tokenizer = CSVTokenizer(delimiter: delimiter, quote: quote)
    var field: [UInt8] = []
    var fields: [String] = []
    var records: [TokenizedRecord] = []
    var position = 0, chunkEnd = 0, nextChunk = 0
    var nul = 0, unterminated = false
    while true {
        if position == chunkEnd, nextChunk < sizes.count {
            chunkEnd += sizes[nextChunk]
            nextChunk += 1
        }
        // Output with room for exactly the input: the tokenizer never writes more than it reads.
        let room = chunkEnd - position
        var out = [UInt8](repeating: 0, count: room + 1)
        let (event, consumed, written) = data.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { tokenizer.next(UnsafeRawBufferPointer(rebasing: input[position..<chunkEnd]), output: $0.baseAddress!) }
        }
        #expect(written <= consumed)
        field += out[0..<written]
        position += consumed
        switch event {
        case .needInput:
            #expect(position == chunkEnd, "needInput must consume the whole input")
            continue
        case .field:
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll()
        case .record:
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll()
            records.append(TokenizedRecord(tokenizer.recordLine, fields))
            fields.removeAll()
            nul += tokenizer.nulBytes
            tokenizer.nulBytes = 0
            unterminated = unterminated || tokenizer.unterminatedQuote
            tokenizer.unterminatedQuote = false
        case .end:
            return Tokenized(records: records, nulBytes: nul, unterminatedQuote: unterminated,
                             lineTerminators: tokenizer.lineTerminators)
        }
    }
}

/// Like ``tokenize(_:chunks:delimiter:quote:)`` through `nextRecord`, with room for only
/// `endsRoom` field ends per call (the values written with a delimiter between them).
func tokenizeByRecord(_ data: [UInt8], chunks sizes: [Int], endsRoom: Int) -> Tokenized {
    var tokenizer = CSVTokenizer()
    var output: [UInt8] = []      // the current record's values, a delimiter between them
    var ends: [Int] = []
    var records: [TokenizedRecord] = []
    var position = 0, chunkEnd = 0, nextChunk = 0
    var nul = 0, unterminated = false
    var endsBuffer = [Int32](repeating: -1, count: endsRoom)
    while true {
        if position == chunkEnd, nextChunk < sizes.count {
            chunkEnd += sizes[nextChunk]
            nextChunk += 1
        }
        var out = [UInt8](repeating: 0, count: chunkEnd - position + 1)
        let step = data.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { o in
                endsBuffer.withUnsafeMutableBufferPointer { e in
                    tokenizer.nextRecord(UnsafeRawBufferPointer(rebasing: input[position..<chunkEnd]),
                                         output: o.baseAddress!, outputOffset: output.count, fieldEnds: e)
                }
            }
        }
        #expect(step.written <= step.consumed)
        output += out[0..<step.written]
        ends += endsBuffer[0..<step.fields].map { Int($0) }
        position += step.consumed
        switch step.event {
        case .needInput, .fieldEndsFull:
            continue
        case .record:
            // Value k starts one byte (the delimiter) after value k - 1 ends.
            var start = 0
            var fields: [String] = []
            for end in ends {
                fields.append(String(decoding: output[start..<end], as: UTF8.self))
                if end < output.count { #expect(output[end] == UInt8(ascii: ","), "a delimiter follows each value but the last") }
                start = end + 1
            }
            records.append(TokenizedRecord(tokenizer.recordLine, fields))
            output.removeAll()
            ends.removeAll()
            nul += tokenizer.nulBytes
            tokenizer.nulBytes = 0
            unterminated = unterminated || tokenizer.unterminatedQuote
            tokenizer.unterminatedQuote = false
        case .end:
            return Tokenized(records: records, nulBytes: nul, unterminatedQuote: unterminated,
                             lineTerminators: tokenizer.lineTerminators)
        }
    }
}

struct TokenizerCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    var records: [TokenizedRecord]
    var nulBytes = 0
    var unterminated = false
    var lineTerminators: Int
    var testDescription: String { name }
}

let tokenizerCases: [TokenizerCase] = [
    .init(name: "LF", input: "a,b,c\n1,2,3\n", records: [.init(1, ["a", "b", "c"]), .init(2, ["1", "2", "3"])], lineTerminators: 2),
    .init(name: "CRLF", input: "a,b\r\n1,2\r\n", records: [.init(1, ["a", "b"]), .init(2, ["1", "2"])], lineTerminators: 2),
    .init(name: "bare CR", input: "a,b\r1,2\r", records: [.init(1, ["a", "b"]), .init(2, ["1", "2"])], lineTerminators: 2),
    .init(name: "quoted delimiter and LF", input: "\"x,y\",\"l1\nl2\"\nz,w\n",
          records: [.init(1, ["x,y", "l1\nl2"]), .init(3, ["z", "w"])], lineTerminators: 3),
    .init(name: "CRLF inside quotes", input: "\"a\r\nb\",c\r\nd,e\r\n",
          records: [.init(1, ["a\r\nb", "c"]), .init(3, ["d", "e"])], lineTerminators: 3),
    .init(name: "doubled quotes", input: "\"he said \"\"hi\"\"\",2\n", records: [.init(1, ["he said \"hi\"", "2"])], lineTerminators: 1),
    .init(name: "quote pair at the end of a quoted field", input: "\"a\"\"\"", records: [.init(1, ["a\""])], lineTerminators: 0),
    .init(name: "empty quoted fields", input: "\"\",\"\"\n", records: [.init(1, ["", ""])], lineTerminators: 1),
    .init(name: "quote inside an unquoted field is data", input: "ab\"cd,e\n", records: [.init(1, ["ab\"cd", "e"])], lineTerminators: 1),
    .init(name: "text after a closing quote is appended", input: "\"ab\"cd,e\n", records: [.init(1, ["abcd", "e"])], lineTerminators: 1),
    .init(name: "blank lines give no record", input: "\n\r\na,b\n\n\nc,d",
          records: [.init(3, ["a", "b"]), .init(6, ["c", "d"])], lineTerminators: 5),
    .init(name: "trailing empty field without final EOL", input: "1,x\n3,", records: [.init(1, ["1", "x"]), .init(2, ["3", ""])], lineTerminators: 1),
    .init(name: "only delimiters", input: ",,\n", records: [.init(1, ["", "", ""])], lineTerminators: 1),
    .init(name: "single column", input: "x\ny\n", records: [.init(1, ["x"]), .init(2, ["y"])], lineTerminators: 2),
    .init(name: "NUL bytes dropped", input: "a\u{0}b,c\n\"q\u{0}\",\u{0}\n", records: [.init(1, ["ab", "c"]), .init(2, ["q", ""])],
          nulBytes: 3, lineTerminators: 2),
    .init(name: "unterminated quote at end", input: "a,\"open\nmore", records: [.init(1, ["a", "open\nmore"])],
          unterminated: true, lineTerminators: 1),
    .init(name: "quoted field closed before CR", input: "\"a\"\r\"b\"\r\n", records: [.init(1, ["a"]), .init(2, ["b"])], lineTerminators: 2),
    .init(name: "long runs skipped by words", input: "abcdefghijklmnopqrstuvwxyz0123456789,\"ABCDEFGHIJKLMNOPQRSTUVWXYZ,;|\t\"\n",
          records: [.init(1, ["abcdefghijklmnopqrstuvwxyz0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ,;|\t"])], lineTerminators: 1),
    .init(name: "non-ASCII bytes are ordinary", input: "ÀÉÎÕÜàéîõü€,ŒœŸ 😀\n", records: [.init(1, ["ÀÉÎÕÜàéîõü€", "ŒœŸ 😀"])], lineTerminators: 1),
    // The unquoted-field loop of nextRecord, around its 16-byte moves and its hand-overs to the
    // general machine (quote at a field start, NUL, CR, blank lines).
    .init(name: "fields of 15, 16 and 17 bytes", input: "aaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb,ccccccccccccccccc\nd\n",
          records: [.init(1, ["aaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "ccccccccccccccccc"]), .init(2, ["d"])], lineTerminators: 2),
    .init(name: "quoted field after long unquoted ones", input: "0123456789abcdefghij,x,\"q,\"\"r\",tail-of-the-record-here\r\nz\r\n",
          records: [.init(1, ["0123456789abcdefghij", "x", "q,\"r", "tail-of-the-record-here"]), .init(2, ["z"])], lineTerminators: 2),
    .init(name: "NUL after a long run", input: "abcdefghijklmnopqrst\u{0}uvw,y\rnext,record,with,several,fields\n",
          records: [.init(1, ["abcdefghijklmnopqrstuvw", "y"]), .init(2, ["next", "record", "with", "several", "fields"])],
          nulBytes: 1, lineTerminators: 2),
    .init(name: "blank lines between long records", input: "abcdefghijklmnopqrstuvwxyz,1\n\n\r\nabcdefghijklmnopqrstuvwxyz,2",
          records: [.init(1, ["abcdefghijklmnopqrstuvwxyz", "1"]), .init(4, ["abcdefghijklmnopqrstuvwxyz", "2"])], lineTerminators: 3),
    .init(name: "empty input", input: "", records: [], lineTerminators: 0),
    .init(name: "only blank lines", input: "\r\n\n\r", records: [], lineTerminators: 3),
]

@Test(arguments: tokenizerCases)
func tokenizerGivesTheSameRecordsUnderEveryChunking(_ c: TokenizerCase) {
    let data = bytes(c.input)
    for chunking in chunkings(data.count) {
        let result = tokenize(data, chunks: chunking.sizes)
        #expect(result.records == c.records, "\(chunking.name)")
        #expect(result.nulBytes == c.nulBytes, "\(chunking.name)")
        #expect(result.unterminatedQuote == c.unterminated, "\(chunking.name)")
        #expect(result.lineTerminators == c.lineTerminators, "\(chunking.name)")
    }
}

@Test(arguments: tokenizerCases)
func recordAtATimeGivesTheSameRecordsUnderEveryChunking(_ c: TokenizerCase) {
    let data = bytes(c.input)
    for chunking in chunkings(data.count) {
        for room in [1, 2, 64] {
            let result = tokenizeByRecord(data, chunks: chunking.sizes, endsRoom: room)
            #expect(result.records == c.records, "\(chunking.name), room \(room)")
            #expect(result.nulBytes == c.nulBytes, "\(chunking.name), room \(room)")
            #expect(result.unterminatedQuote == c.unterminated, "\(chunking.name), room \(room)")
            #expect(result.lineTerminators == c.lineTerminators, "\(chunking.name), room \(room)")
        }
    }
}

@Test func tokenizerUsesTheConfiguredDelimiterAndQuote() {
    let data = bytes("a;'x;y';'it''s'\tz\n")
    for chunking in chunkings(data.count) {
        let result = tokenize(data, chunks: chunking.sizes, delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "'"))
        #expect(result.records == [.init(1, ["a", "x;y", "it's\tz"])], "\(chunking.name)")
    }
    let tabbed = tokenize(bytes("a b\t\"c\td\"\n"), chunks: [10], delimiter: 0x09)
    #expect(tabbed.records == [.init(1, ["a b", "c\td"])])
}

@Test func tokenizerReportsBytesConsumedAndWritten() {
    var tokenizer = CSVTokenizer()
    let data = bytes("\"a\"\"b\",cd\n")
    var out = [UInt8](repeating: 0, count: data.count)
    let first = data.withUnsafeBytes { input in out.withUnsafeMutableBytes { tokenizer.next(input, output: $0.baseAddress!) } }
    #expect(first.event == .field && first.consumed == 7 && first.written == 3)
    #expect(out[0..<3] == bytes("a\"b")[...])
    let second = data.withUnsafeBytes { input in
        out.withUnsafeMutableBytes { tokenizer.next(UnsafeRawBufferPointer(rebasing: input[7...]), output: $0.baseAddress!) }
    }
    #expect(second.event == .record && second.consumed == 3 && second.written == 2)
    #expect(out[0..<2] == bytes("cd")[...])
}

@Test func tokenizerEndsWithEndAfterTheLastRecord() {
    var tokenizer = CSVTokenizer()
    var out = [UInt8](repeating: 0, count: 8)
    let empty = UnsafeRawBufferPointer(start: nil, count: 0)
    out.withUnsafeMutableBytes { out in
        #expect(tokenizer.next(empty, output: out.baseAddress!).event == .end)
        let step = bytes("a").withUnsafeBytes { tokenizer.next($0, output: out.baseAddress!) }
        #expect(step.event == .needInput && step.consumed == 1 && step.written == 1 && tokenizer.inRecord)
        #expect(tokenizer.next(empty, output: out.baseAddress! + 1).event == .record)
        #expect(tokenizer.next(empty, output: out.baseAddress! + 1).event == .end)
    }
    #expect(out[0] == UInt8(ascii: "a"))
}

/// Random CSV text for the 64-byte block loop of `nextRecord`: values of 0 to 100 bytes (many
/// shorter than 16, some over 32 and 64), records of 1 to 150 fields, quoted values (with
/// delimiters, doubled quotes and line ends inside), quotes inside unquoted values, TABs,
/// NULs, non-ASCII letters, LF, CRLF and bare CR line ends, blank lines.
func randomBlockCSV(seed: UInt64, records: Int) -> [UInt8] {
    var rng = SeededGenerator(seed: seed)
    let plain = Array("abcdefghijklmnopqrstuvwxyz0123456789 -./@".utf8)
    var out: [UInt8] = []
    for _ in 0..<records {
        let fields = Int.random(in: 0..<10, using: &rng) == 0 ? Int.random(in: 60...150, using: &rng) : Int.random(in: 1...25, using: &rng)
        for f in 0..<fields {
            if f > 0 { out.append(UInt8(ascii: ",")) }
            let long = Int.random(in: 0..<6, using: &rng) == 0
            let length = long ? Int.random(in: 17...100, using: &rng) : Int.random(in: 0...16, using: &rng)
            let quoted = Int.random(in: 0..<12, using: &rng) == 0
            if quoted { out.append(UInt8(ascii: "\"")) }
            for _ in 0..<length {
                switch Int.random(in: 0..<200, using: &rng) {
                case 0: out.append(0x09)
                case 1: out.append(0)
                case 2: out += Array("é".utf8)
                case 3: out += quoted ? [UInt8(ascii: "\""), UInt8(ascii: "\"")] : [UInt8(ascii: "\"")]
                case 4 where quoted: out.append(UInt8(ascii: ","))
                case 5 where quoted: out.append(0x0A)
                case 6 where quoted: out += [0x0D, 0x0A]
                default: out.append(plain.randomElement(using: &rng)!)
                }
            }
            if quoted { out.append(UInt8(ascii: "\"")) }
        }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: out += [0x0D, 0x0A]
        case 1: out.append(0x0D)
        case 2: out += [0x0A, 0x0A]
        default: out.append(0x0A)
        }
    }
    return out
}

@Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
func recordAtATimeAgreesWithTheFieldMachineOnLongRandomRecords(seed: UInt64) {
    let data = randomBlockCSV(seed: seed, records: 60)
    let expected = tokenize(data, chunks: [data.count])
    #expect(expected.records.count >= 50)
    var chunkings: [(name: String, sizes: [Int])] = [("whole", [data.count])]
    for chunk in [63, 64, 65, 200, 1000] {
        chunkings.append(("chunks of \(chunk)", Array(repeating: chunk, count: data.count / chunk) + [data.count % chunk]))
    }
    for chunking in chunkings {
        for room in [1, 2, 63, 64, 65, 1000] {
            let result = tokenizeByRecord(data, chunks: chunking.sizes, endsRoom: room)
            #expect(result == expected, "\(chunking.name), room \(room)")
        }
    }
}

/// Fuzzer finding (heap overflow, fixed): a line of 64 empty fields filled the room for field
/// ends exactly at the end of a 64-byte block, and the next block wrote an end past it. Lines
/// of 63 to 300 delimiters, whole and in chunks, with room for 63 to 1,000 ends.
@Test func longRunsOfEmptyFieldsNeverWritePastTheRoom() {
    for commas in [63, 64, 65, 127, 128, 129, 200, 300] {
        let data = Array(String(repeating: ",", count: commas).utf8) + [0x0A] + Array("a,b\n".utf8)
        let expected = Tokenized(records: [TokenizedRecord(1, Array(repeating: "", count: commas + 1)), TokenizedRecord(2, ["a", "b"])],
                                 nulBytes: 0, unterminatedQuote: false, lineTerminators: 2)
        for room in [63, 64, 65, 66, 128, 129, 1000] {
            for sizes in [[data.count], Array(repeating: 70, count: data.count / 70) + [data.count % 70]] {
                #expect(tokenizeByRecord(data, chunks: sizes, endsRoom: room) == expected, "\(commas) commas, room \(room)")
            }
        }
    }
}
