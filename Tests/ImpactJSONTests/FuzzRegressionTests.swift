import Testing
import ImpactJSON

/// Inputs found by `scripts/fuzz.sh json-tokenizer` (Fuzz/json-tokenizer.swift), each named
/// after what broke.
@Suite struct JSONFuzzRegressionTests {
    /// A number longer than `maxValueBytes` with a grammar error after the limit failed as
    /// `invalid number` when the text came whole, but as `value too large` when a chunk ended
    /// inside the number (the size was checked only when a run of bytes was appended): a JSON
    /// Lines rejection's reason and column depended on where the read buffer ended.
    /// Fuzz input: `[0e+-1]` with maxValueBytes 2.
    @Test(arguments: ["[0e+-1]", "[123456x]", "[-12.5e+7q]", "[1000000]"])
    func numberOverTheSizeLimitFailsTheSameWayUnderEveryChunking(text: String) {
        let bytes = Array(text.utf8)
        let whole = tokenize(bytes, maxValueBytes: 2)
        // The third byte of the number (byte offset 3, column 4) is the first over the limit.
        #expect(whole.outcome == .error(JSONSyntaxError(kind: .valueTooLarge, context: .number, byteOffset: 3, line: 1, column: 4)))
        for chunks in [[1], [2], [3], [4, 1], [5]] {
            let cut = tokenize(bytes, chunkSizes: chunks, maxValueBytes: 2)
            #expect(cut.outcome == whole.outcome, "chunks \(chunks)")
            #expect(cut.tokens == whole.tokens, "chunks \(chunks)")
        }
    }

    /// The grammar error comes first when it is within the limit.
    @Test func invalidNumberWithinTheSizeLimitIsStillInvalid() {
        for chunks in [[Int](), [1], [3]] {
            let r = tokenize(Array("[0e+-1]".utf8), chunkSizes: chunks, maxValueBytes: 8)
            #expect(r.outcome == .error(JSONSyntaxError(kind: .invalidNumber, context: .number, byteOffset: 4, line: 1, column: 5)))
        }
    }
}
