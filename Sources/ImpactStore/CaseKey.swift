import Crypto
import Foundation
import ImpactCore

/// The random 256-bit key of one case, kept in its own file (`CASE.db.key`, 64 hex digits,
/// mode 0600) beside the database or wherever the user keeps it apart.
///
/// Behaviour: everything that ties the case database to a person goes through this key.
/// - The in-memory subject hasher of every run of the case is derived from it (HKDF-SHA256,
///   RFC 5869: salt `impact.case-key.v1`, info `impact.subject-hasher.v1`, 16 bytes read as two
///   little-endian `UInt64`s `k0`, `k1`), so a person gets the same ``SubjectKey`` in every run.
/// - The database stores subject keys only as HMAC-SHA256 under this key (RFC 2104):
///   `HMAC(key, "impact.subject-key.v1" ‖ SubjectKey.rawValue as 8 bytes little-endian)`, and
///   health professionals as `HMAC(key, "impact.health-professional-key.v1" ‖ rawValue)`.
///
/// Contract (threat model): without the key, a stored digest cannot be tested against a
/// guessed NIR (a plain SHA-256 of a 13-digit NIR could be brute-forced in minutes: 10¹³
/// candidates, fewer with the NIR's structure); with the key, anyone holding the database can
/// test guesses, so the key must be kept apart from the database and its backups. The
/// database also stores ``check`` (an HMAC of a constant) to recognise a wrong key file.
public struct CaseKey: Sendable {
    /// The 32 key bytes.
    public let bytes: [UInt8]

    static let hasherSalt = Array("impact.case-key.v1".utf8)
    static let hasherInfo = Array("impact.subject-hasher.v1".utf8)
    static let subjectLabel = Array("impact.subject-key.v1".utf8)
    static let professionalLabel = Array("impact.health-professional-key.v1".utf8)
    static let checkLabel = Array("impact.key-check.v1".utf8)

    /// A key from 32 bytes.
    /// - Throws: ``CaseStoreError/Kind/wrongKey`` when `bytes` is not 32 bytes long.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == 32 else {
            throw CaseStoreError(.wrongKey, path: "", message: "a case key is 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A fresh key from the system's CSPRNG (swift-crypto `SymmetricKey(size: .bits256)`).
    public static func generate() -> CaseKey {
        let k = SymmetricKey(size: .bits256)
        return try! CaseKey(bytes: k.withUnsafeBytes { Array($0) })
    }

    /// The key file's text: 64 lowercase hex digits and a newline.
    public var fileText: String { Self.hex(bytes) + "\n" }

    /// Parses a key file's text (64 hex digits, surrounding white space ignored).
    /// - Throws: ``CaseStoreError/Kind/wrongKey`` (without echoing the content).
    public init(fileText: [UInt8], path: String) throws {
        var digits: [UInt8] = []
        for b in fileText where !(b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09) { digits.append(b) }
        guard digits.count == 64 else {
            throw CaseStoreError(.wrongKey, path: path, message: "not a case key file (expected 64 hex digits)")
        }
        var out = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 {
            guard let hi = Self.nibble(digits[2 * i]), let lo = Self.nibble(digits[2 * i + 1]) else {
                throw CaseStoreError(.wrongKey, path: path, message: "not a case key file (expected 64 hex digits)")
            }
            out[i] = hi << 4 | lo
        }
        try self.init(bytes: out)
    }

    /// Reads the key file at `path`; nil when it does not exist.
    public static func load(path: String) throws -> CaseKey? {
        guard let text = try CaseFiles.readSmall(path) else { return nil }
        return try CaseKey(fileText: text, path: path)
    }

    /// Writes the key to a new file at `path` (mode 0600, fails if the file exists).
    public func write(to path: String) throws {
        try CaseFiles.writeNewOwnerOnly(path, Array(fileText.utf8))
    }

    private var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }

    /// The in-memory subject hasher of the case's runs (HKDF-SHA256, see the type's doc).
    public var subjectKeyHasher: SubjectKeyHasher {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: symmetricKey, salt: Self.hasherSalt,
                                             info: Self.hasherInfo, outputByteCount: 16)
        let b = derived.withUnsafeBytes { Array($0) }
        return SubjectKeyHasher(k0: Self.littleEndian(b, 0), k1: Self.littleEndian(b, 8))
    }

    /// `HMAC(key, "impact.key-check.v1")` in hex: stored in the case to recognise its key.
    public var check: String {
        Self.hex(Array(HMAC<SHA256>.authenticationCode(for: Self.checkLabel, using: symmetricKey)))
    }

    /// A digester for the many HMACs of a run (prepared MAC states, not thread-safe).
    public func digester() -> SubjectDigester { SubjectDigester(key: symmetricKey) }

    static func littleEndian(_ b: [UInt8], _ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(b[at + i]) << (8 * UInt64(i)) }
        return v
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}

/// Computes the stored digests of subject and health-professional keys under a case key.
///
/// Behaviour: `HMAC-SHA256(caseKey, label ‖ key.rawValue as 8 bytes little-endian)`; the MAC
/// states are prepared once with the label absorbed and copied per key (swift-crypto's HMAC
/// is a value type), so a digest costs two SHA-256 block compressions.
public final class SubjectDigester {
    private let subject: HMAC<SHA256>
    private let professional: HMAC<SHA256>

    init(key: SymmetricKey) {
        var s = HMAC<SHA256>(key: key)
        s.update(data: CaseKey.subjectLabel)
        subject = s
        var p = HMAC<SHA256>(key: key)
        p.update(data: CaseKey.professionalLabel)
        professional = p
    }

    /// The stored digest (32 bytes) of a data subject's key.
    public func subject(_ key: SubjectKey) -> Data { Self.finish(subject, key) }

    /// The stored digest (32 bytes) of a health professional's key.
    public func professional(_ key: SubjectKey) -> Data { Self.finish(professional, key) }

    private static func finish(_ prepared: HMAC<SHA256>, _ key: SubjectKey) -> Data {
        var mac = prepared
        withUnsafeBytes(of: key.rawValue.littleEndian) { mac.update(data: $0) }
        return Data(mac.finalize())
    }
}
