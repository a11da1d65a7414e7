/// Character encodings the generator writes, and the conversions of its fixed vocabulary.
///
/// All text of a leak comes from the lexicons, which are encoded once at start-up
/// (``TextEncoder/encode(_:)``); the row loop only copies bytes.
public enum SynthEncoding: String, CaseIterable, Sendable, Codable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
}

/// An unmappable character in the generator's own vocabulary (a programming error, caught by
/// tests): carries the Unicode scalar value, never user data.
public struct UnencodableCharacter: Error, Equatable, CustomStringConvertible {
    public var scalar: UInt32
    public var encoding: SynthEncoding
    public var description: String {
        "U+\(String(scalar, radix: 16, uppercase: true)) has no \(encoding.rawValue) byte"
    }
}

/// Encodes lexicon strings to the bytes of the leak's encoding.
///
/// Windows-1252: ASCII and U+00A0–U+00FF map to themselves; the 27 characters of 0x80–0x9F
/// (€ ’ œ Œ …) to their code page bytes (source: the Unicode consortium's CP1252.TXT mapping).
public struct TextEncoder: Sendable {
    public let encoding: SynthEncoding

    public init(_ encoding: SynthEncoding) { self.encoding = encoding }

    /// The bytes of `text`; throws ``UnencodableCharacter`` for a character outside the encoding.
    public func encode(_ text: String) throws -> [UInt8] {
        switch encoding {
        case .utf8:
            return Array(text.utf8)
        case .windows1252:
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            for scalar in text.unicodeScalars {
                guard let b = TextEncoder.windows1252Byte(scalar.value) else {
                    throw UnencodableCharacter(scalar: scalar.value, encoding: encoding)
                }
                out.append(b)
            }
            return out
        }
    }

    /// The Windows-1252 byte of a Unicode scalar, or nil.
    public static func windows1252Byte(_ v: UInt32) -> UInt8? {
        if v < 0x80 || (0xA0...0xFF).contains(v) { return UInt8(v) }
        switch v {
        case 0x20AC: return 0x80
        case 0x201A: return 0x82
        case 0x0192: return 0x83
        case 0x201E: return 0x84
        case 0x2026: return 0x85
        case 0x2020: return 0x86
        case 0x2021: return 0x87
        case 0x02C6: return 0x88
        case 0x2030: return 0x89
        case 0x0160: return 0x8A
        case 0x2039: return 0x8B
        case 0x0152: return 0x8C
        case 0x017D: return 0x8E
        case 0x2018: return 0x91
        case 0x2019: return 0x92
        case 0x201C: return 0x93
        case 0x201D: return 0x94
        case 0x2022: return 0x95
        case 0x2013: return 0x96
        case 0x2014: return 0x97
        case 0x02DC: return 0x98
        case 0x2122: return 0x99
        case 0x0161: return 0x9A
        case 0x203A: return 0x9B
        case 0x0153: return 0x9C
        case 0x017E: return 0x9E
        case 0x0178: return 0x9F
        default: return nil
        }
    }
}

/// Folding of the lexicon's names to the lower-case ASCII of an e-mail local part
/// ("Lefèvre" → "lefevre", "Œillet" → "oeillet"); spaces and apostrophes are dropped, hyphens
/// kept. Start-up only (never per row).
public enum ASCIIFold {
    public static func emailPart(_ text: String) -> String {
        var out = ""
        for ch in text.lowercased().unicodeScalars {
            switch ch {
            case "a"..."z", "0"..."9", "-": out.unicodeScalars.append(ch)
            case "à", "â", "ä", "á", "ã", "å": out += "a"
            case "ç": out += "c"
            case "é", "è", "ê", "ë": out += "e"
            case "î", "ï", "í", "ì": out += "i"
            case "ô", "ö", "ó", "ò", "õ": out += "o"
            case "ù", "û", "ü", "ú": out += "u"
            case "ÿ", "ý": out += "y"
            case "ñ": out += "n"
            case "œ": out += "oe"
            case "æ": out += "ae"
            default: break
            }
        }
        return out
    }

    /// The key under which two spellings of a name are the same person's name: upper-case
    /// ASCII letters only ("Le Goff" and "LE GOFF" and "Legoff" fold alike).
    public static func nameKey(_ text: String) -> String {
        emailPart(text).uppercased().filter { $0.isLetter }
    }
}
