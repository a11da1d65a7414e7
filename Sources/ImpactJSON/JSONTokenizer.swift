/// A forward-only, resumable JSON tokenizer: a state machine on bytes the caller owns, with no IO.
///
/// Shaped like rust-csv's `csv-core` reader: the caller feeds chunks of any size to
/// ``next(_:isFinal:into:)``, which returns one ``JSONTokenizerResult`` and how many input bytes it
/// consumed. The caller then calls again with the unconsumed rest (or the next chunk). Running
/// out of input inside a token is the state ``JSONTokenizerResult/needMoreInput``, not an error: the
/// partial token is kept in the tokenizer and in the output buffer, and the next chunk resumes it.
/// Pass `isFinal: true` with the last chunk (possibly empty) to close a trailing number and to
/// learn whether the text was complete (``JSONTokenizerResult/end``).
///
/// Behaviour:
/// - Grammar: strict RFC 8259, exactly one top-level value surrounded by optional whitespace
///   (space, tab, CR, LF). Every `n_` file of JSONTestSuite is refused, every `y_` file accepted.
///   No comments, no trailing commas, no single quotes, no `NaN`, no leading `+` or `0`.
/// - Strings (member names and values) are unescaped into `output`: `\"` `\\` `\/` `\b` `\f`
///   `\n` `\r` `\t` and `\uXXXX`, where a surrogate pair becomes one 4-byte UTF-8 scalar and a
///   lone surrogate (high without a following low, or a low alone) becomes U+FFFD (`EF BF BD`).
///   `\u0000` becomes a NUL byte. Raw bytes ≥ 0x80 are copied as they are: the input is expected
///   to be UTF-8 already (the decoding byte source upstream guarantees it), so no UTF-8
///   validation is done here. A leading byte-order mark is not JSON and is refused.
/// - Numbers are appended to `output` as their exact source bytes (never through `Double`):
///   `184127512345678` keeps its 15 digits, `1E+2` stays `1E+2`.
/// - `true`, `false`, `null` and the brackets append nothing.
/// - Nesting is tracked on an explicit stack, never by recursion: opening container number
///   `maxDepth + 1` is an error (``JSONSyntaxError/Kind/nestingTooDeep``), so a 100,000-deep
///   input fails fast without touching the call stack.
/// - A string or number whose output would exceed `maxValueBytes` is refused
///   (``JSONSyntaxError/Kind/valueTooLarge``) before the excess is buffered.
/// - After an error the tokenizer keeps returning that error until ``reset()``.
///
/// Contract: `output` must be the same buffer from the first byte of a `key`/`string`/`number`
/// token to the call that returns it; the token's bytes are then the ones appended since the
/// previous token. Positions (`byteOffset`, `line`, `column`) count the bytes fed since `reset()`.
/// Errors carry a kind and a position, never input bytes.
public struct JSONTokenizer: Sendable {
    /// Deepest nesting of objects and arrays accepted.
    public let maxDepth: Int
    /// Longest string or number accepted, in output bytes.
    public let maxValueBytes: Int

    private enum Phase: UInt8 {
        case value                        // a value is required: top level, after ':' or after ',' in an array
        case valueOrArrayEnd              // after '['
        case keyOrObjectEnd               // after '{'
        case key                          // after ',' in an object
        case colon                        // after a member name
        case afterValue                   // ',' or a closing bracket
        case done                         // the top-level value is complete; only whitespace may follow
        case string                       // inside a string body
        case escape                       // after '\'
        case unicode                      // inside the 4 hex digits of '\u'
        case afterHighSurrogate           // a '\uD8xx' was read; a '\uDCxx' may follow
        case afterHighSurrogateBackslash  // ... and its '\' was read
        case number
        case literal                      // inside true / false / null
        case failed
    }

    private enum NumberPhase: UInt8 {
        case start, minus, zero, integer, dot, fraction, exponentMark, exponentSign, exponent
    }

    private var phase: Phase = .value
    /// Open containers, innermost last: `true` for an array, `false` for an object.
    private var containers: [Bool] = []
    private var stringIsKey = false
    /// Output bytes of the current string or number (for `maxValueBytes`).
    private var tokenBytes = 0
    private var numberPhase: NumberPhase = .start
    private var literal: UInt8 = 0          // 0 true, 1 false, 2 null
    private var literalMatched = 0
    private var hexCount = 0
    private var hexValue: UInt32 = 0
    private var pendingHighSurrogate: UInt32 = 0
    private var failure: JSONSyntaxError?

    /// When set, a member name found whole in one input chunk with no escape is not copied to
    /// the output: ``keyRangeInInput`` then gives its place in the input of the call that
    /// returned the `key` token. Used by the record reader to match names without copying them.
    var keysStayInInput = false
    /// The input range of the last `key` token when it stayed in the input; nil when it was
    /// written to the output.
    private(set) var keyRangeInInput: Range<Int>?

    /// Bytes consumed since `reset()`.
    public private(set) var byteOffset = 0
    /// 1-based line of the next byte to consume (lines end with LF).
    public private(set) var line = 1
    private var lineStart = 0

    /// - Parameters:
    ///   - maxDepth: deepest nesting accepted (``IngestLimits/maxNestingDepth``, default 512).
    ///   - maxValueBytes: longest string or number, in output bytes (``IngestLimits/maxFieldBytes``).
    public init(maxDepth: Int = 512, maxValueBytes: Int = 16 << 20) {
        self.maxDepth = maxDepth
        self.maxValueBytes = maxValueBytes
        containers.reserveCapacity(min(maxDepth, 64))
    }

    /// Number of objects and arrays open after the last token (0 between top-level values).
    public var depth: Int { containers.count }

    /// 1-based byte column of the next byte to consume.
    public var column: Int { byteOffset - lineStart + 1 }

    /// Forgets everything (state, position, open containers) to read a new JSON text; keeps capacity.
    public mutating func reset() {
        phase = .value
        containers.removeAll(keepingCapacity: true)
        stringIsKey = false
        tokenBytes = 0
        pendingHighSurrogate = 0
        failure = nil
        byteOffset = 0
        line = 1
        lineStart = 0
    }

    /// Reads from `input` until one token is complete, the input is exhausted, or an error occurs.
    ///
    /// - Parameters:
    ///   - input: the next bytes of the text (may be empty).
    ///   - isFinal: `true` if no byte follows `input`; the end of input then closes a trailing
    ///     number, and returns ``JSONTokenizerResult/end`` once the top-level value is complete,
    ///     or an ``JSONSyntaxError/Kind/unexpectedEnd`` / ``JSONSyntaxError/Kind/noValue`` error.
    ///   - output: receives the bytes of `key`, `string` and `number` tokens (appended).
    /// - Returns: the result and the number of bytes of `input` consumed (all of them for
    ///   `needMoreInput`; those before the offending byte for an error).
    public mutating func next(_ input: UnsafeRawBufferPointer, isFinal: Bool = false,
                              into output: inout [UInt8]) -> (result: JSONTokenizerResult, consumed: Int) {
        let n = input.count
        guard n > 0, let base = input.baseAddress else {
            return endOfInput(0, isFinal: isFinal, &output)
        }
        var i = 0
        while true {
            switch phase {
            case .value, .valueOrArrayEnd, .keyOrObjectEnd, .key, .colon, .afterValue, .done:
                while i < n {
                    let b = base.load(fromByteOffset: i, as: UInt8.self)
                    if b == 0x20 || b == 0x09 || b == 0x0D {
                        i &+= 1
                    } else if b == 0x0A {
                        i &+= 1
                        line &+= 1
                        lineStart = byteOffset &+ i
                    } else {
                        break
                    }
                }
                if i == n { return endOfInput(i, isFinal: isFinal, &output) }
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                switch phase {
                case .value:
                    if let r = startValue(b, &i) { return r }
                case .valueOrArrayEnd:
                    if b == UInt8(ascii: "]") { return close(array: true, at: i) }
                    if let r = startValue(b, &i) { return r }
                case .keyOrObjectEnd, .key:
                    if b == UInt8(ascii: "\"") {
                        i &+= 1
                        phase = .string
                        stringIsKey = true
                        tokenBytes = 0
                    } else if b == UInt8(ascii: "}") && phase == .keyOrObjectEnd {
                        return close(array: false, at: i)
                    } else {
                        return fail(.unexpectedByte, at: i)
                    }
                case .colon:
                    guard b == UInt8(ascii: ":") else { return fail(.unexpectedByte, at: i) }
                    i &+= 1
                    phase = .value
                case .afterValue:
                    switch b {
                    case UInt8(ascii: ","):
                        i &+= 1
                        phase = containers[containers.count &- 1] ? .value : .key
                    case UInt8(ascii: "]"):
                        return close(array: true, at: i)
                    case UInt8(ascii: "}"):
                        return close(array: false, at: i)
                    default:
                        return fail(.unexpectedByte, at: i)
                    }
                default: // .done
                    return fail(.trailingContent, at: i)
                }

            case .string:
                let start = i
                i = Self.scanStringBody(base, from: i, count: n)
                if stringIsKey && keysStayInInput && tokenBytes == 0 && i < n
                    && base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "\"") {
                    guard i &- start <= maxValueBytes else {
                        return fail(.valueTooLarge, at: start &+ maxValueBytes)
                    }
                    keyRangeInInput = start..<i
                    phase = .colon
                    return emit(.token(.key), i &+ 1)
                }
                if i > start, !appendRun(base, from: start, to: i, &output) {
                    return fail(.valueTooLarge, at: start &+ (maxValueBytes &- tokenBytes))
                }
                if i == n { return endOfInput(i, isFinal: isFinal, &output) }
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                if b == UInt8(ascii: "\"") {
                    i &+= 1
                    if stringIsKey {
                        phase = .colon
                        keyRangeInInput = nil
                        return emit(.token(.key), i)
                    }
                    phase = containers.isEmpty ? .done : .afterValue
                    return emit(.token(.string), i)
                }
                if b == UInt8(ascii: "\\") {
                    i &+= 1
                    phase = .escape
                } else {
                    return fail(.controlCharacterInString, at: i)
                }

            case .escape:
                if i == n { return endOfInput(i, isFinal: isFinal, &output) }
                let decoded: UInt8
                switch base.load(fromByteOffset: i, as: UInt8.self) {
                case UInt8(ascii: "\""): decoded = 0x22
                case UInt8(ascii: "\\"): decoded = 0x5C
                case UInt8(ascii: "/"): decoded = 0x2F
                case UInt8(ascii: "b"): decoded = 0x08
                case UInt8(ascii: "f"): decoded = 0x0C
                case UInt8(ascii: "n"): decoded = 0x0A
                case UInt8(ascii: "r"): decoded = 0x0D
                case UInt8(ascii: "t"): decoded = 0x09
                case UInt8(ascii: "u"):
                    i &+= 1
                    phase = .unicode
                    hexCount = 0
                    hexValue = 0
                    continue
                default:
                    return fail(.invalidEscape, at: i)
                }
                guard appendByte(decoded, &output) else { return fail(.valueTooLarge, at: i) }
                i &+= 1
                phase = .string

            case .unicode:
                while hexCount < 4 {
                    if i == n { return endOfInput(i, isFinal: isFinal, &output) }
                    let digit = Self.hexDigitValue(base.load(fromByteOffset: i, as: UInt8.self))
                    guard digit < 16 else { return fail(.invalidUnicodeEscape, at: i) }
                    hexValue = hexValue << 4 | digit
                    hexCount &+= 1
                    i &+= 1
                }
                let unit = hexValue
                phase = .string
                if pendingHighSurrogate != 0 {
                    let high = pendingHighSurrogate
                    pendingHighSurrogate = 0
                    if unit >= 0xDC00 && unit <= 0xDFFF {
                        let scalar = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                        guard appendScalar(scalar, &output) else { return fail(.valueTooLarge, at: i) }
                        continue
                    }
                    guard appendScalar(0xFFFD, &output) else { return fail(.valueTooLarge, at: i) }
                }
                if unit >= 0xD800 && unit <= 0xDBFF {
                    pendingHighSurrogate = unit
                    phase = .afterHighSurrogate
                } else {
                    let scalar: UInt32 = (unit >= 0xDC00 && unit <= 0xDFFF) ? 0xFFFD : unit
                    guard appendScalar(scalar, &output) else { return fail(.valueTooLarge, at: i) }
                }

            case .afterHighSurrogate:
                if i == n { return endOfInput(i, isFinal: isFinal, &output) }
                if base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "\\") {
                    i &+= 1
                    phase = .afterHighSurrogateBackslash
                } else {
                    // Lone high surrogate: U+FFFD, then the byte is read as string content.
                    pendingHighSurrogate = 0
                    phase = .string
                    guard appendScalar(0xFFFD, &output) else { return fail(.valueTooLarge, at: i) }
                }

            case .afterHighSurrogateBackslash:
                if i == n { return endOfInput(i, isFinal: isFinal, &output) }
                if base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "u") {
                    i &+= 1
                    phase = .unicode
                    hexCount = 0
                    hexValue = 0
                } else {
                    // Lone high surrogate followed by another escape: U+FFFD, then that escape.
                    pendingHighSurrogate = 0
                    phase = .escape
                    guard appendScalar(0xFFFD, &output) else { return fail(.valueTooLarge, at: i) }
                }

            case .number:
                let start = i
                var complete = false
                scan: while i < n {
                    let b = base.load(fromByteOffset: i, as: UInt8.self)
                    let isDigit = b &- UInt8(ascii: "0") < 10
                    switch numberPhase {
                    case .start:
                        if b == UInt8(ascii: "-") { numberPhase = .minus }
                        else if b == UInt8(ascii: "0") { numberPhase = .zero }
                        else { numberPhase = .integer } // startValue admitted only '-' and digits
                    case .minus:
                        if b == UInt8(ascii: "0") { numberPhase = .zero }
                        else if isDigit { numberPhase = .integer }
                        else { return fail(.invalidNumber, at: i) }
                    case .zero:
                        if b == UInt8(ascii: ".") { numberPhase = .dot }
                        else if b | 0x20 == UInt8(ascii: "e") { numberPhase = .exponentMark }
                        else if isDigit { return fail(.invalidNumber, at: i) }
                        else { complete = true; break scan }
                    case .integer:
                        if isDigit { break }
                        if b == UInt8(ascii: ".") { numberPhase = .dot }
                        else if b | 0x20 == UInt8(ascii: "e") { numberPhase = .exponentMark }
                        else { complete = true; break scan }
                    case .dot:
                        if isDigit { numberPhase = .fraction }
                        else { return fail(.invalidNumber, at: i) }
                    case .fraction:
                        if isDigit { break }
                        if b | 0x20 == UInt8(ascii: "e") { numberPhase = .exponentMark }
                        else { complete = true; break scan }
                    case .exponentMark:
                        if b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { numberPhase = .exponentSign }
                        else if isDigit { numberPhase = .exponent }
                        else { return fail(.invalidNumber, at: i) }
                    case .exponentSign:
                        if isDigit { numberPhase = .exponent }
                        else { return fail(.invalidNumber, at: i) }
                    case .exponent:
                        if isDigit { break }
                        complete = true
                        break scan
                    }
                    // The byte is part of the number: past the size limit, that is the error,
                    // whatever follows (as when the run is appended at the end of a chunk).
                    if i &- start &+ tokenBytes >= maxValueBytes { return fail(.valueTooLarge, at: i) }
                    i &+= 1
                }
                if i > start, !appendRun(base, from: start, to: i, &output) {
                    return fail(.valueTooLarge, at: start &+ (maxValueBytes &- tokenBytes))
                }
                if complete {
                    phase = containers.isEmpty ? .done : .afterValue
                    return emit(.token(.number), i)
                }
                return endOfInput(i, isFinal: isFinal, &output)

            case .literal:
                let length = literal == 1 ? 5 : 4
                while literalMatched < length {
                    if i == n { return endOfInput(i, isFinal: isFinal, &output) }
                    guard base.load(fromByteOffset: i, as: UInt8.self) == Self.literalByte(literal, literalMatched) else {
                        return fail(.invalidLiteral, at: i)
                    }
                    literalMatched &+= 1
                    i &+= 1
                }
                phase = containers.isEmpty ? .done : .afterValue
                return emit(.token(literal == 0 ? .true : literal == 1 ? .false : .null), i)

            case .failed:
                return (.error(failure!), 0)
            }
        }
    }

    // MARK: - Steps

    /// Starts the value whose first byte is `b` at `i`: returns a result for brackets and errors,
    /// nil when a string, number or literal has been entered (the loop continues in its phase).
    @inline(__always)
    private mutating func startValue(_ b: UInt8, _ i: inout Int) -> (result: JSONTokenizerResult, consumed: Int)? {
        switch b {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard containers.count < maxDepth else { return fail(.nestingTooDeep, at: i) }
            let isArray = b == UInt8(ascii: "[")
            containers.append(isArray)
            phase = isArray ? .valueOrArrayEnd : .keyOrObjectEnd
            i &+= 1
            return emit(.token(isArray ? .arrayStart : .objectStart), i)
        case UInt8(ascii: "\""):
            i &+= 1
            phase = .string
            stringIsKey = false
            tokenBytes = 0
            return nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            phase = .number
            numberPhase = .start
            tokenBytes = 0
            return nil
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            phase = .literal
            literal = b == UInt8(ascii: "t") ? 0 : b == UInt8(ascii: "f") ? 1 : 2
            literalMatched = 0
            return nil
        default:
            return fail(.unexpectedByte, at: i)
        }
    }

    private mutating func close(array: Bool, at i: Int) -> (result: JSONTokenizerResult, consumed: Int) {
        guard let top = containers.last else { return fail(.unexpectedByte, at: i) }
        guard top == array else { return fail(.mismatchedBracket, at: i) }
        containers.removeLast()
        phase = containers.isEmpty ? .done : .afterValue
        return emit(.token(array ? .arrayEnd : .objectEnd), i &+ 1)
    }

    /// All of the input was consumed (`i` bytes): wait for more, or settle the end of the text.
    private mutating func endOfInput(_ i: Int, isFinal: Bool,
                                     _ output: inout [UInt8]) -> (result: JSONTokenizerResult, consumed: Int) {
        guard isFinal else { return emit(.needMoreInput, i) }
        switch phase {
        case .done:
            return emit(.end, i)
        case .value where containers.isEmpty:
            return fail(.noValue, at: i)
        case .number:
            switch numberPhase {
            case .zero, .integer, .fraction, .exponent:
                phase = containers.isEmpty ? .done : .afterValue
                return emit(.token(.number), i)
            default:
                return fail(.unexpectedEnd, at: i)
            }
        case .failed:
            return (.error(failure!), 0)
        default:
            return fail(.unexpectedEnd, at: i)
        }
    }

    @inline(__always)
    private mutating func emit(_ result: JSONTokenizerResult, _ consumed: Int) -> (result: JSONTokenizerResult, consumed: Int) {
        byteOffset &+= consumed
        return (result, consumed)
    }

    /// Enters the failed state with an error at input index `i` of the current call.
    private mutating func fail(_ kind: JSONSyntaxError.Kind, at i: Int) -> (result: JSONTokenizerResult, consumed: Int) {
        let context: JSONSyntaxError.Context
        switch phase {
        case .string, .escape, .unicode, .afterHighSurrogate, .afterHighSurrogateBackslash: context = .string
        case .number: context = .number
        case .literal: context = .literal
        default: context = containers.last.map { $0 ? .array : .object } ?? .none
        }
        let offset = byteOffset &+ i
        let error = JSONSyntaxError(kind: kind, context: context, byteOffset: offset,
                                    line: line, column: offset - lineStart + 1)
        failure = error
        phase = .failed
        byteOffset = offset
        return (.error(error), i)
    }

    // MARK: - Output

    @inline(__always)
    private mutating func appendRun(_ base: UnsafeRawPointer, from: Int, to: Int, _ output: inout [UInt8]) -> Bool {
        let count = to &- from
        guard tokenBytes &+ count <= maxValueBytes else { return false }
        tokenBytes &+= count
        output.append(contentsOf: UnsafeBufferPointer(
            start: (base + from).assumingMemoryBound(to: UInt8.self), count: count))
        return true
    }

    @inline(__always)
    private mutating func appendByte(_ b: UInt8, _ output: inout [UInt8]) -> Bool {
        guard tokenBytes < maxValueBytes else { return false }
        tokenBytes &+= 1
        output.append(b)
        return true
    }

    /// Appends the UTF-8 encoding of `scalar` (≤ 0x10FFFF, not a surrogate).
    private mutating func appendScalar(_ scalar: UInt32, _ output: inout [UInt8]) -> Bool {
        if scalar < 0x80 { return appendByte(UInt8(scalar), &output) }
        let count = scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
        guard tokenBytes &+ count <= maxValueBytes else { return false }
        tokenBytes &+= count
        switch count {
        case 2:
            output.append(UInt8(0xC0 | scalar >> 6))
        case 3:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
            output.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
        }
        output.append(UInt8(0x80 | scalar & 0x3F))
        return true
    }

    // MARK: - Byte classes

    /// Index of the first `"`, `\` or control byte (< 0x20) at or after `from`, or `count`.
    /// Eight bytes at a time (SWAR): a byte equal to `c` is a zero byte of `w ^ c·0x01…01`, found
    /// with `(x - 0x01…01) & ~x & 0x80…80`; a byte below 0x20 with `(w - 0x20…20) & ~w & 0x80…80`.
    /// Borrows only run upwards, so the lowest flagged byte is always a true match.
    @inline(__always)
    static func scanStringBody(_ base: UnsafeRawPointer, from: Int, count n: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = from
        while i &+ 8 <= n {
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let quote = w ^ 0x2222_2222_2222_2222
            let backslash = w ^ 0x5C5C_5C5C_5C5C_5C5C
            let found = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash
                         | (w &- 0x2020_2020_2020_2020) & ~w) & highs
            if found != 0 { return i &+ (found.trailingZeroBitCount &>> 3) }
            i &+= 8
        }
        while i < n {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == 0x22 || b == 0x5C || b < 0x20 { return i }
            i &+= 1
        }
        return n
    }

    /// 0–15 for a hexadecimal digit, 16 or more otherwise.
    @inline(__always)
    static func hexDigitValue(_ b: UInt8) -> UInt32 {
        if b &- UInt8(ascii: "0") < 10 { return UInt32(b &- UInt8(ascii: "0")) }
        let lower = b | 0x20
        if lower &- UInt8(ascii: "a") < 6 { return UInt32(lower &- UInt8(ascii: "a")) &+ 10 }
        return 16
    }

    /// Byte `k` of `true` (0), `false` (1) or `null` (2).
    @inline(__always)
    static func literalByte(_ literal: UInt8, _ k: Int) -> UInt8 {
        // ASCII of each word, first byte lowest.
        let packed: UInt64 = literal == 0 ? 0x6575_7274 : literal == 1 ? 0x65_736C_6166 : 0x6C6C_756E
        return UInt8(truncatingIfNeeded: packed &>> UInt64(k &* 8))
    }
}
