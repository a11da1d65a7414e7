import ImpactJSON

/// A token with the bytes it put in the output buffer.
struct TokenAndBytes: Equatable, CustomStringConvertible {
    var token: JSONToken
    var bytes: [UInt8]
    var description: String { "\(token)(\(String(decoding: bytes, as: UTF8.self)))" }
}

/// The whole token stream of `text` fed in chunks of `chunkSizes` (cycled; empty = one chunk),
/// and how it ended (`.end` or `.error`).
func tokenize(_ text: [UInt8], chunkSizes: [Int] = [], maxDepth: Int = 512,
              maxValueBytes: Int = 16 << 20) -> (tokens: [TokenAndBytes], outcome: JSONTokenizerResult) {
    var tokenizer = JSONTokenizer(maxDepth: maxDepth, maxValueBytes: maxValueBytes)
    var output: [UInt8] = []
    var tokens: [TokenAndBytes] = []
    var position = 0
    var chunkIndex = 0
    return text.withUnsafeBytes { all in
        while true {
            let size = chunkSizes.isEmpty ? all.count : chunkSizes[chunkIndex % chunkSizes.count]
            chunkIndex += 1
            let end = min(all.count, position + size)
            let isFinal = end == all.count
            var chunk = UnsafeRawBufferPointer(rebasing: all[position..<end])
            while true {
                let (result, consumed) = tokenizer.next(chunk, isFinal: isFinal, into: &output)
                chunk = UnsafeRawBufferPointer(rebasing: chunk[consumed...])
                switch result {
                case .token(let token):
                    tokens.append(TokenAndBytes(token: token, bytes: output))
                    output.removeAll(keepingCapacity: true)
                    continue
                case .needMoreInput:
                    precondition(chunk.isEmpty, "needMoreInput must consume the whole chunk")
                case .end, .error:
                    return (tokens, result)
                }
                break
            }
            position = end
        }
    }
}

func tokenize(_ text: String, chunkSizes: [Int] = []) -> (tokens: [TokenAndBytes], outcome: JSONTokenizerResult) {
    tokenize(Array(text.utf8), chunkSizes: chunkSizes)
}
