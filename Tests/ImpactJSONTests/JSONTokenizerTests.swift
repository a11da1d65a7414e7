import Testing
@testable import ImpactJSON
import ImpactTestSupport


private func t(_ token: JSONToken, _ text: String = "") -> TokenAndBytes {
    TokenAndBytes(token: token, bytes: Array(text.utf8))
}

@Suite struct JSONTokenizerTests {
    /// Inputs whose token streams must not depend on how the bytes are split.
    static let chunkingInputs: [String] = [
        #"{"nom":"Abadie","nir":286053155501292,"ok":true,"no":false,"x":null}"#,
        #"["a\"b\\c\/d\b\f\n\r\t", "\u00e9t\u00C9", "\ud834\udd1e clef", "\ud800x", "\udc00"]"#,
        #"  [ -0 , 0.5 , -12.75e-3 , 1E+2 , 184127512345678901234567890 , 3 ]  "#,
        #"{"patient":{"adresse":{"ville":"Brest"}},"exams":[{"code":"0552"},{"code":"1126"}],"emails":["a@b.fr",""]}"#,
        "\n[\r\n\t{\"k\"\n:\n1}\n]\n",
        #""Grüße, 東京 😀 – café""#,
        "42",
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
        #"{"long":""# + String(repeating: "abcdefgh\\n", count: 200) + #""}"#,
    ]

    static func chunkings(for count: Int) -> [[Int]] {
        var generator = SeededGenerator(seed: 20_241_129)
        let random = (0..<64).map { _ in Int.random(in: 1...17, using: &generator) }
        return [[], [1], [2], [3], [7], [8], [9], random]
    }

    @Test(arguments: chunkingInputs)
    func sameTokensUnderEveryChunking(_ text: String) {
        let (reference, outcome) = tokenize(text)
        #expect(outcome == .end)
        #expect(!reference.isEmpty)
        for chunking in Self.chunkings(for: text.utf8.count) {
            let (tokens, chunkedOutcome) = tokenize(Array(text.utf8), chunkSizes: chunking)
            #expect(tokens == reference, "chunks \(chunking)")
            #expect(chunkedOutcome == .end)
        }
    }

    @Test func objectTokensAndValues() {
        let (tokens, outcome) = tokenize(#"{"nom":"Abadie","nir":286053155501292,"ok":true,"no":false,"x":null,"l":[]}"#)
        #expect(outcome == .end)
        #expect(tokens == [
            t(.objectStart), t(.key, "nom"), t(.string, "Abadie"), t(.key, "nir"), t(.number, "286053155501292"),
            t(.key, "ok"), t(.true), t(.key, "no"), t(.false), t(.key, "x"), t(.null),
            t(.key, "l"), t(.arrayStart), t(.arrayEnd), t(.objectEnd),
        ])
    }

    @Test(arguments: [
        (#""a\"b""#, "a\"b"),
        (#""\\\/""#, "\\/"),
        (#""\b\f\n\r\t""#, "\u{08}\u{0C}\n\r\t"),
        (#""\u00e9\u00C9""#, "éÉ"),
        (#""\u20AC""#, "€"),
        (#""\ud834\udd1e""#, "𝄞"),                  // surrogate pair → one 4-byte scalar
        (#""\uD83D\uDE00!""#, "😀!"),
        (#""\ud800""#, "\u{FFFD}"),                  // lone high surrogate at the end
        (#""\ud800x""#, "\u{FFFD}x"),                // lone high surrogate before text
        (#""\ud800\n""#, "\u{FFFD}\n"),              // lone high surrogate before another escape
        (#""\ud800\ud800\udc00""#, "\u{FFFD}𐀀"),     // high, then a proper pair
        (#""\udc00\ud800""#, "\u{FFFD}\u{FFFD}"),    // inverted pair
        (#""\u0000""#, "\u{0}"),
        (#""é東😀""#, "é東😀"),                       // raw UTF-8 copied as is
    ])
    func unescapesStrings(_ json: String, _ expected: String) {
        for chunking in [[], [1], [3]] {
            let (tokens, outcome) = tokenize(Array(json.utf8), chunkSizes: chunking)
            #expect(outcome == .end)
            #expect(tokens == [t(.string, expected)], "\(json) in chunks \(chunking)")
        }
    }

    @Test(arguments: [
        "0", "-0", "7", "184127512345678", "1841275123456780000000000000001234", "-12.75e-3", "1E+2", "0.000001", "1e400",
    ])
    func numbersKeepTheirExactText(_ number: String) {
        let (tokens, outcome) = tokenize("[\(number)]")
        #expect(outcome == .end)
        #expect(tokens == [t(.arrayStart), t(.number, number), t(.arrayEnd)])
        // A top-level number ends with the input.
        let (alone, aloneOutcome) = tokenize(Array(number.utf8), chunkSizes: [1])
        #expect(alone == [t(.number, number)])
        #expect(aloneOutcome == .end)
    }

    /// A NIR written as a JSON number keeps its 15 digits (a `Double` would keep them here, but
    /// not past 2^53; the longer key below would lose digits).
    @Test func nirAsNumberKeepsItsDigits() {
        let (tokens, _) = tokenize(#"{"nir":286053155501292,"big":99999999999999999999}"#)
        #expect(tokens[2] == t(.number, "286053155501292"))
        #expect(tokens[4] == t(.number, "99999999999999999999"))
    }

    @Test(arguments: [
        ("[1,]", JSONSyntaxError.Kind.unexpectedByte, 4),
        ("[01]", .invalidNumber, 3),
        ("[1.]", .invalidNumber, 4),
        ("[-]", .invalidNumber, 3),
        ("[1e]", .invalidNumber, 4),
        (#"["a\x"]"#, .invalidEscape, 5),
        (#"["\u12G4"]"#, .invalidUnicodeEscape, 7),
        ("[\"a\tb\"]", .controlCharacterInString, 4),
        ("[tru]", .invalidLiteral, 5),
        ("[nul1]", .invalidLiteral, 5),
        ("[1}", .mismatchedBracket, 3),
        ("{\"a\" 1}", .unexpectedByte, 6),
        ("{1:2}", .unexpectedByte, 2),
        ("[1] 2", .trailingContent, 5),
        ("[1,2", .unexpectedEnd, 5),
        (#"{"a":"b"#, .unexpectedEnd, 8),
        ("   ", .noValue, 4),
        ("\u{FEFF}{}", .unexpectedByte, 1),
    ])
    func refusesWithKindAndColumn(_ json: String, _ kind: JSONSyntaxError.Kind, _ column: Int) {
        for chunking in [[], [1]] {
            let (_, outcome) = tokenize(Array(json.utf8), chunkSizes: chunking)
            guard case .error(let error) = outcome else {
                Issue.record("\(json) accepted"); continue
            }
            #expect(error.kind == kind, "\(json)")
            #expect(error.column == column, "\(json)")
            #expect(error.line == 1)
        }
    }

    @Test func truncationNamesTheInnermostOpenConstruct() {
        func context(_ json: String) -> JSONSyntaxError.Context? {
            guard case .error(let e) = tokenize(json).outcome, e.kind == .unexpectedEnd else { return nil }
            return e.context
        }
        #expect(context(#"[{"a":1},{"b":"#) == .object)
        #expect(context(#"[{"a":1},"#) == .array)
        #expect(context(#"[{"a":"xy"#) == .string)
        #expect(context(#"[1,-"#) == .number)
        #expect(context(#"[tr"#) == .literal)
    }

    @Test func errorPositionCountsLines() {
        let (_, outcome) = tokenize("[\n  1,\n  2,\n  \"a\\qb\"\n]")
        guard case .error(let error) = outcome else { Issue.record("accepted"); return }
        #expect(error.kind == .invalidEscape)
        #expect(error.line == 4)
        #expect(error.column == 6)
        #expect(error.byteOffset == 17)
        #expect(error.description == "invalid escape at line 4, column 6")
    }

    @Test func nestingAtTheLimitIsAcceptedAndOneDeeperRefused() {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(tokenize(ok).outcome == .end)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        guard case .error(let error) = tokenize(deep).outcome else { Issue.record("accepted"); return }
        #expect(error.kind == .nestingTooDeep)
        #expect(error.byteOffset == 512)
    }

    /// 100,000 open brackets: refused at depth 513 with no recursion and no crash.
    @Test func hundredThousandDeepInputFailsFast() {
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let (tokens, outcome) = tokenize(deep, chunkSizes: [4096])
        #expect(tokens.count == 512)
        guard case .error(let error) = outcome else { Issue.record("accepted"); return }
        #expect(error.kind == .nestingTooDeep)
        #expect(error.column == 513)
    }

    @Test func valueLongerThanTheLimitIsRefusedBeforeBuffering() {
        let limit = 1000
        let atLimit = "[\"" + String(repeating: "x", count: limit) + "\"]"
        #expect(tokenize(Array(atLimit.utf8), maxValueBytes: limit).outcome == .end)
        var tokenizer = JSONTokenizer(maxValueBytes: limit)
        var output: [UInt8] = []
        let over = Array(("[\"" + String(repeating: "y", count: 5000)).utf8)
        var consumedTotal = 0
        var result: JSONTokenizerResult = .needMoreInput
        over.withUnsafeBytes { all in
            while consumedTotal < all.count {
                let (r, consumed) = tokenizer.next(UnsafeRawBufferPointer(rebasing: all[consumedTotal...]), into: &output)
                consumedTotal += consumed
                result = r
                if case .error = r { break }
            }
        }
        guard case .error(let error) = result else { Issue.record("accepted"); return }
        #expect(error.kind == .valueTooLarge)
        #expect(error.byteOffset == 2 + limit)
        #expect(output.count <= limit)
        // Numbers too.
        let number = "[" + String(repeating: "7", count: limit + 1) + "]"
        guard case .error(let numberError) = tokenize(Array(number.utf8), maxValueBytes: limit).outcome else {
            Issue.record("accepted"); return
        }
        #expect(numberError.kind == .valueTooLarge)
    }

    @Test func failedTokenizerKeepsFailingUntilReset() {
        var tokenizer = JSONTokenizer()
        var output: [UInt8] = []
        let bad = Array("[x".utf8)
        let first = bad.withUnsafeBytes { tokenizer.next($0, into: &output) }
        #expect(first.result == .token(.arrayStart))
        let second = bad.withUnsafeBytes { tokenizer.next(UnsafeRawBufferPointer(rebasing: $0[1...]), into: &output) }
        guard case .error(let error) = second.result else { Issue.record("accepted"); return }
        #expect(second.consumed == 0)
        let again = bad.withUnsafeBytes { tokenizer.next(UnsafeRawBufferPointer(rebasing: $0[1...]), into: &output) }
        #expect(again.result == .error(error))
        tokenizer.reset()
        let fresh = Array("{}".utf8).withUnsafeBytes { tokenizer.next($0, isFinal: true, into: &output) }
        #expect(fresh.result == .token(.objectStart))
        #expect(tokenizer.depth == 1)
    }

    @Test func needMoreInputIsAStateNotAnError() {
        var tokenizer = JSONTokenizer()
        var output: [UInt8] = []
        let part1 = Array(#"{"ni"#.utf8), part2 = Array(#"r":1841"#.utf8), part3 = Array("27}".utf8)
        #expect(part1.withUnsafeBytes { tokenizer.next($0, into: &output) }.result == .token(.objectStart))
        let rest1 = part1.withUnsafeBytes { tokenizer.next(UnsafeRawBufferPointer(rebasing: $0[1...]), into: &output) }
        #expect(rest1.result == .needMoreInput)
        #expect(rest1.consumed == 3)
        #expect(part2.withUnsafeBytes { tokenizer.next($0, into: &output) } == (.token(.key), 2))
        #expect(output == Array("nir".utf8))
        output.removeAll()
        let rest2 = part2.withUnsafeBytes { tokenizer.next(UnsafeRawBufferPointer(rebasing: $0[2...]), into: &output) }
        #expect(rest2.result == .needMoreInput)
        let number = part3.withUnsafeBytes { tokenizer.next($0, into: &output) }
        #expect(number.result == .token(.number))
        #expect(output == Array("184127".utf8))
        #expect(tokenizer.byteOffset == part1.count + part2.count + 2)
    }

    @Test func scanStringBodyFindsTheFirstSpecialByte() {
        // Every position of each special byte in a 24-byte run, with high bytes around it.
        for special: UInt8 in [0x22, 0x5C, 0x00, 0x1F, 0x0A] {
            for position in 0..<24 {
                var bytes = [UInt8](repeating: 0xC3, count: 24)
                for k in stride(from: 1, to: 24, by: 2) { bytes[k] = 0x61 }
                bytes[position] = special
                let found = bytes.withUnsafeBytes { JSONTokenizer.scanStringBody($0.baseAddress!, from: 0, count: 24) }
                #expect(found == position, "byte \(special) at \(position)")
            }
        }
        let plain = [UInt8](repeating: 0x20, count: 19) + [0x7F, 0x80, 0xFF]
        #expect(plain.withUnsafeBytes { JSONTokenizer.scanStringBody($0.baseAddress!, from: 0, count: plain.count) } == plain.count)
    }
}
