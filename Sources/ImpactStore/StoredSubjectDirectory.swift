import Foundation
import GRDB
import ImpactCore

/// Answers the ``SubjectLinker``'s questions about earlier runs of a case, by keyed digest only.
///
/// Behaviour: loads the stored digests once (`subject_key` in digest order, and
/// `health_professional`), keeping the first 128 bits of each digest and its subject id in
/// sorted arrays (24 bytes per stored key, no per-entry allocation). For a key new to this
/// run it computes the digest (``SubjectDigester``) and binary-searches it. The keys it finds
/// are remembered (``matchedKeys``) so that the run does not store them again.
///
/// Contract: two digests are taken as equal when their first 128 bits are: HMAC-SHA256 is a
/// pseudo-random function, so a false match needs a 2⁻¹²⁸ coincidence (below 10⁻²⁶ for a
/// million stored keys and a million new ones) — far below the 64-bit in-memory
/// ``SubjectKey``'s own collision odds. Used on one thread, during the run that created it.
final class StoredSubjectDirectory: SubjectDirectory {
    private let digester: SubjectDigester
    private var high: [UInt64] = []
    private var low: [UInt64] = []
    private var subjects: [Int] = []
    private var professionals = Set<Prefix>()
    private var professionalsAt = Set<ProfessionalAt>()
    /// Raw values of this run's keys that were found among the stored digests.
    private(set) var matchedKeys = Set<UInt64>()
    /// Keys of this run looked up (the case had stored keys), and those found.
    private(set) var lookups = 0
    var hits: Int { matchedKeys.count }

    struct Prefix: Hashable { let high: UInt64; let low: UInt64 }
    struct ProfessionalAt: Hashable { let prefix: Prefix; let controller: Int }

    init(db: Database, digester: SubjectDigester) throws {
        self.digester = digester
        let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM subject_key") ?? 0
        high.reserveCapacity(n)
        low.reserveCapacity(n)
        subjects.reserveCapacity(n)
        let rows = try Row.fetchCursor(db, sql: "SELECT digest, subject FROM subject_key ORDER BY digest")
        while let r = try rows.next() {
            let p = Self.prefix(r[0] as Data)
            high.append(p.high)
            low.append(p.low)
            subjects.append(r[1])
        }
        let hp = try Row.fetchCursor(db, sql: "SELECT digest, controller FROM health_professional")
        while let r = try hp.next() {
            let p = Self.prefix(r[0] as Data)
            professionals.insert(p)
            professionalsAt.insert(ProfessionalAt(prefix: p, controller: r[1]))
        }
    }

    /// The first 128 bits of a digest as two big-endian words (so that they sort as the
    /// digest's bytes do, i.e. as SQLite orders the BLOBs).
    static func prefix(_ d: Data) -> Prefix {
        var h: UInt64 = 0, l: UInt64 = 0
        d.withUnsafeBytes { b in
            for i in 0..<min(8, b.count) { h = h << 8 | UInt64(b[i]) }
            for i in 8..<min(16, b.count) { l = l << 8 | UInt64(b[i]) }
        }
        return Prefix(high: h, low: l)
    }

    func storedSubject(for key: SubjectKey) -> Int? {
        guard !high.isEmpty else { return nil }
        lookups += 1
        let p = Self.prefix(digester.subject(key))
        var lo = 0, hi = high.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if high[mid] < p.high || (high[mid] == p.high && low[mid] < p.low) { lo = mid + 1 } else { hi = mid }
        }
        guard lo < high.count, high[lo] == p.high, low[lo] == p.low else { return nil }
        matchedKeys.insert(key.rawValue)
        return subjects[lo]
    }

    func isStoredHealthProfessional(_ key: SubjectKey, controller: Int?) -> Bool {
        guard !professionals.isEmpty else { return false }
        let p = Self.prefix(digester.professional(key))
        if let controller { return professionalsAt.contains(ProfessionalAt(prefix: p, controller: controller)) }
        return professionals.contains(p)
    }
}
