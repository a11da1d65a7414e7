/// One token of a JSON text, as ``JSONTokenizer`` emits it.
///
/// `key`, `string` and `number` carry bytes: the tokenizer has appended them to the caller's
/// output buffer (strings unescaped to UTF-8, numbers as their exact source digits). The other
/// tokens carry none.
public enum JSONToken: UInt8, Sendable, Equatable, CustomStringConvertible {
    case objectStart
    case objectEnd
    case arrayStart
    case arrayEnd
    /// An object member name (its unescaped bytes are in the output buffer).
    case key
    /// A string value (its unescaped bytes are in the output buffer).
    case string
    /// A number value (its exact source text, e.g. `184127512345678` or `-1.5e3`, is in the output buffer).
    case number
    case `true`
    case `false`
    case null

    public var description: String {
        switch self {
        case .objectStart: "{"
        case .objectEnd: "}"
        case .arrayStart: "["
        case .arrayEnd: "]"
        case .key: "key"
        case .string: "string"
        case .number: "number"
        case .true: "true"
        case .false: "false"
        case .null: "null"
        }
    }
}

/// What one ``JSONTokenizer/next(_:isFinal:into:)`` call found.
public enum JSONTokenizerResult: Sendable, Equatable {
    /// A complete token.
    case token(JSONToken)
    /// The input given was consumed without completing a token: feed the next chunk.
    /// Running out of input is a state, not an error.
    case needMoreInput
    /// The input is final and held exactly one complete JSON value (plus whitespace).
    case end
    /// The text is not JSON (or breaks a limit); the tokenizer stays in this state until `reset()`.
    case error(JSONSyntaxError)
}

/// Why a JSON text was refused, and where: a kind and a position, never a value from the input.
///
/// `byteOffset` is 0-based in the bytes fed since the last `reset()`; `line` and `column` are
/// 1-based (`column` counts bytes from the line start, not characters).
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// A byte that cannot start or continue the expected construct (`[1,]`, `{1:2}`, `'x'`).
        case unexpectedByte = "unexpected_byte"
        /// A `}` closing an array or a `]` closing an object.
        case mismatchedBracket = "mismatched_bracket"
        /// A backslash followed by something other than `"\/bfnrtu`.
        case invalidEscape = "invalid_escape"
        /// `\u` not followed by four hexadecimal digits.
        case invalidUnicodeEscape = "invalid_unicode_escape"
        /// A raw byte below 0x20 (a tab, a newline) inside a string.
        case controlCharacterInString = "control_character_in_string"
        /// A number outside RFC 8259's grammar (`01`, `1.`, `-`, `1e`).
        case invalidNumber = "invalid_number"
        /// A misspelt `true`, `false` or `null`.
        case invalidLiteral = "invalid_literal"
        /// The input ended inside a value (see ``JSONSyntaxError/context``).
        case unexpectedEnd = "unexpected_end"
        /// More nested objects and arrays than the tokenizer's `maxDepth`.
        case nestingTooDeep = "nesting_too_deep"
        /// A string or number longer than the tokenizer's `maxValueBytes` (checked before buffering).
        case valueTooLarge = "value_too_large"
        /// Something other than whitespace after the complete top-level value.
        case trailingContent = "trailing_content"
        /// The input holds only whitespace.
        case noValue = "no_value"
    }

    /// The innermost construct that was open when the error occurred.
    public enum Context: String, Sendable, Equatable {
        case none, object, array, string, number, literal
    }

    public var kind: Kind
    public var context: Context
    public var byteOffset: Int
    public var line: Int
    public var column: Int

    public init(kind: Kind, context: Context, byteOffset: Int, line: Int, column: Int) {
        self.kind = kind; self.context = context; self.byteOffset = byteOffset
        self.line = line; self.column = column
    }

    /// What went wrong, with no position: "invalid escape", "JSON ends unexpectedly inside an object".
    public var summary: String {
        switch kind {
        case .unexpectedByte: "unexpected character"
        case .mismatchedBracket: "closing bracket does not match the open " + (context == .object ? "object" : "array")
        case .invalidEscape: "invalid escape"
        case .invalidUnicodeEscape: "invalid \\u escape"
        case .controlCharacterInString: "unescaped control character in a string"
        case .invalidNumber: "invalid number"
        case .invalidLiteral: "invalid literal"
        case .unexpectedEnd:
            switch context {
            case .none: "JSON ends unexpectedly"
            case .object: "JSON ends unexpectedly inside an object"
            case .array: "JSON ends unexpectedly inside an array"
            case .string: "JSON ends unexpectedly inside a string"
            case .number: "JSON ends unexpectedly inside a number"
            case .literal: "JSON ends unexpectedly inside a literal"
            }
        case .nestingTooDeep: "nesting too deep"
        case .valueTooLarge: "value too large"
        case .trailingContent: "content after the end of the JSON value"
        case .noValue: "no JSON value"
        }
    }

    /// `summary at line L, column C`.
    public var description: String { "\(summary) at line \(line), column \(column)" }
}
