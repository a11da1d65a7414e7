/// The shape of a synthetic leak: which export layout the generator imitates.
public enum SynthShape: String, CaseIterable, Sendable, Codable {
    /// A French medical-lab export: one row per exam, French headers (nom, prenom, nir, …).
    case frenchLab = "french-lab"
    /// The same export with English headers, ISO dates, `female`/`male`, decimal points.
    case englishHeaders = "english"
    /// The French export with headers `c1`…`c22` and columns in a seeded order.
    case obfuscatedHeaders = "obfuscated"
    /// The French export without a header row.
    case noHeader = "no-header"
    /// JSON Lines: one sampling request per line, patient and lab nested, exams in an array.
    case jsonLinesNested = "jsonl-nested"
    /// One JSON array of exam objects, patient, lab and prescriber nested.
    case jsonArray = "json-array"
    /// A warehouse delivery export with no personal data that looks like it.
    case decoy

    /// True for the CSV shapes.
    public var isCSV: Bool {
        switch self {
        case .jsonLinesNested, .jsonArray: return false
        default: return true
        }
    }
}

/// Line terminator of the leak file.
public enum SynthLineEnding: String, CaseIterable, Sendable, Codable {
    case lf
    case crlf

    var bytes: [UInt8] { self == .lf ? [0x0A] : [0x0D, 0x0A] }
}

/// Everything that determines a synthetic leak: the same configuration gives the same bytes.
///
/// `records` counts the records of the file: CSV rows after the header, JSON Lines lines,
/// JSON array elements. `controllers` is the number of laboratories drawn; one that receives
/// no record is absent from the leak and from the truth. The dialect defaults depend on the
/// shape (``SynthConfig/init(seed:records:controllers:shape:delimiter:encoding:lineEnding:gzip:bom:)``).
public struct SynthConfig: Sendable, Equatable {
    public var seed: UInt64
    public var records: Int
    public var controllers: Int
    public var shape: SynthShape
    /// Field separator of the CSV shapes (ASCII byte: `;` `,` tab or `|`); ignored for JSON.
    public var delimiter: UInt8
    public var encoding: SynthEncoding
    public var lineEnding: SynthLineEnding
    /// Compress the file with gzip (`leak.csv.gz`, …).
    public var gzip: Bool
    /// Write a UTF-8 byte order mark first (CSV in UTF-8 only, as Excel does).
    public var bom: Bool

    /// A configuration with the shape's usual dialect for every option left nil:
    /// french-lab, obfuscated and decoy `;` Windows-1252 CRLF (an Excel export in France);
    /// english `,` UTF-8 LF; no-header `,` UTF-8 CRLF; JSON shapes UTF-8 LF.
    public init(seed: UInt64 = 1, records: Int = 10_000, controllers: Int = 8,
                shape: SynthShape = .frenchLab, delimiter: UInt8? = nil,
                encoding: SynthEncoding? = nil, lineEnding: SynthLineEnding? = nil,
                gzip: Bool = false, bom: Bool = false) {
        self.seed = seed
        self.records = records
        self.controllers = controllers
        self.shape = shape
        self.gzip = gzip
        self.bom = bom
        switch shape {
        case .frenchLab, .obfuscatedHeaders, .decoy:
            self.delimiter = delimiter ?? UInt8(ascii: ";")
            self.encoding = encoding ?? .windows1252
            self.lineEnding = lineEnding ?? .crlf
        case .englishHeaders:
            self.delimiter = delimiter ?? UInt8(ascii: ",")
            self.encoding = encoding ?? .utf8
            self.lineEnding = lineEnding ?? .lf
        case .noHeader:
            self.delimiter = delimiter ?? UInt8(ascii: ",")
            self.encoding = encoding ?? .utf8
            self.lineEnding = lineEnding ?? .crlf
        case .jsonLinesNested, .jsonArray:
            self.delimiter = delimiter ?? UInt8(ascii: ",")
            self.encoding = encoding ?? .utf8
            self.lineEnding = lineEnding ?? .lf
        }
    }

    /// The delimiter as the truth and `impact`'s report write it: `,` `;` `|`, and `\t` (two
    /// characters) for a tab.
    public var delimiterText: String {
        delimiter == UInt8(ascii: "\t") ? "\\t" : String(decoding: [delimiter], as: UTF8.self)
    }

    /// The delimiters a CSV shape may use.
    public static let allowedDelimiters: [UInt8] = [
        UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: "|"),
    ]

    /// The leak's file name in the output directory.
    public var leakFileName: String {
        let base: String
        switch shape {
        case .jsonLinesNested: base = "leak.jsonl"
        case .jsonArray: base = "leak.json"
        default: base = "leak.csv"
        }
        return gzip ? base + ".gz" : base
    }

    /// Throws ``SynthError`` when the configuration cannot be generated.
    public func validate() throws {
        guard records >= 1, records <= 100_000_000 else {
            throw SynthError.invalidConfiguration("records must be between 1 and 100,000,000")
        }
        guard controllers >= 1, controllers <= 999 else {
            throw SynthError.invalidConfiguration("controllers must be between 1 and 999")
        }
        if shape.isCSV {
            guard SynthConfig.allowedDelimiters.contains(delimiter) else {
                throw SynthError.invalidConfiguration("delimiter must be ';', ',', tab or '|'")
            }
        } else {
            guard encoding == .utf8 else {
                throw SynthError.invalidConfiguration("JSON is written in UTF-8 only (RFC 8259)")
            }
            guard !bom else {
                throw SynthError.invalidConfiguration("JSON is written without a byte order mark")
            }
        }
        if bom && encoding != .utf8 {
            throw SynthError.invalidConfiguration("a byte order mark needs UTF-8")
        }
    }
}

/// Why a synthetic leak could not be written. Messages carry no generated value.
public enum SynthError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case io(String)
    case compression(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let m): return "invalid configuration: \(m)"
        case .io(let m): return "I/O error: \(m)"
        case .compression(let m): return "gzip error: \(m)"
        }
    }
}
