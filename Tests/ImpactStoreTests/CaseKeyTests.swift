import Foundation
import Testing
@testable import ImpactStore
import ImpactCore

/// The case key: its file, and the derivations that tie the database to it. Expected values
/// were computed independently with Python's `hmac`/`hashlib` (RFC 5869 HKDF written out).
@Suite struct CaseKeyTests {
    /// Key bytes 00 01 02 … 1f.
    static let key = try! CaseKey(bytes: Array(0..<32))

    @Test func subjectHasherIsHKDFOfTheCaseKey() {
        let h = Self.key.subjectKeyHasher
        #expect(h.k0 == 0x6913_d8f2_fea3_3b64)
        // SubjectKeyHasher forces k1 odd.
        #expect(h.k1 == 0x39a3_e202_2ce5_a7e3)
    }

    @Test func storedDigestsAreHMACSHA256WithDomainLabels() {
        let d = Self.key.digester()
        let k = SubjectKey(rawValue: 0x0123_4567_89AB_CDEF)
        #expect(CaseKey.hex(Array(d.subject(k))) == "cf937a97e0af180ac6b6f65adebd40c77aa65cacb3bb0f373f3ebea3ac224b1e")
        #expect(CaseKey.hex(Array(d.professional(k))) == "7e76df3338a5a2c3eab41b8d44199b5d6ea250335552c6ddcde862f37fd2598e")
        // The prepared MAC state is copied, not consumed: the same key gives the same digest.
        #expect(d.subject(k) == d.subject(k))
        #expect(d.subject(k) != d.subject(SubjectKey(rawValue: 0x0123_4567_89AB_CDEE)))
        #expect(Self.key.check == "e11e0f661432aae8c0f23e5ecefe2c9307678b42bb7f78c2f9d11403e8592a9f")
    }

    @Test func anotherKeyGivesOtherDigests() throws {
        let other = try CaseKey(bytes: Array(1...32))
        let k = SubjectKey(rawValue: 42)
        #expect(other.digester().subject(k) != Self.key.digester().subject(k))
        #expect(other.subjectKeyHasher.k0 != Self.key.subjectKeyHasher.k0)
        #expect(CaseKey.generate().bytes != CaseKey.generate().bytes)
    }

    @Test(arguments: [
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", true),
        ("  000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F\r\n", true),
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00\n", false),  // 66 digits
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e\n", false),      // 62 digits
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g\n", false),    // not hex
        ("", false),
    ])
    func keyFileText(text: String, valid: Bool) throws {
        if valid {
            let k = try CaseKey(fileText: Array(text.utf8), path: "k")
            #expect(k.bytes == Self.key.bytes)
        } else {
            #expect(throws: CaseStoreError.self) { try CaseKey(fileText: Array(text.utf8), path: "k") }
        }
    }

    @Test func keyFileIsOwnerOnlyNeverOverwrittenAndRoundTrips() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("case.db.key").path
        #expect(try CaseKey.load(path: path) == nil)
        try Self.key.write(to: path)
        #expect(CaseFiles.permissions(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n")
        #expect(try CaseKey.load(path: path)?.bytes == Self.key.bytes)
        let again = try #require(throws: CaseStoreError.self) { try CaseKey.generate().write(to: path) }
        #expect(again.kind == .cannotWrite)
        #expect(try CaseKey.load(path: path)?.bytes == Self.key.bytes)
    }

    @Test func malformedKeyErrorDoesNotEchoTheFile() throws {
        let secret = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e"
        let e = try #require(throws: CaseStoreError.self) { try CaseKey(fileText: Array(secret.utf8), path: "k") }
        #expect(!e.description.contains(secret))
        #expect(e.kind == .wrongKey)
    }

    @Test func inputDigestIsSHA256OfTheFileBytes() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("abc.csv").path
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        let d = try InputDigest.of(path: path)
        #expect(d == InputDigest(size: 3, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        let missing = try #require(throws: InputDigest.Failure.self) { try InputDigest.of(path: path + ".missing") }
        #expect(missing.cannotOpen)
        let directory = try #require(throws: InputDigest.Failure.self) { try InputDigest.of(path: dir.path) }
        #expect(directory.cannotOpen)
    }
}
