import Foundation
import GRDB
import Testing
@testable import ImpactStore
import ImpactCore

/// The case database never becomes a second breach (issue 4 §2–3): a byte scan of the
/// database and its WAL/journal for every identifier and name of the leak finds none, and
/// every case file is owner-only.
@Suite struct CasePrivacyTests {
    /// One CSV line split into fields (RFC 4180 quotes; the sample's records are one line each).
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        var it = line.makeIterator()
        while let c = it.next() {
            if quoted {
                if c == "\"" { quoted = false } else { cur.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                out.append(cur); cur = ""
            } else {
                cur.append(c)
            }
        }
        out.append(cur)
        return out
    }

    /// Lowercase without accents (the shape of the normalised values the analysis hashes).
    static func folded(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
    }

    /// The leak's identifying values: `long` ones (≥ 6 bytes: NIR, IPP, phones, e-mails,
    /// birth dates, full names, streets, prescribers, RPPS, free-text notes) in the file's
    /// spelling and in their normalised forms; and every `name` (last, first, prescriber's
    /// name, city) whatever its length.
    static func leakValues(_ path: String) throws -> (long: Set<String>, names: Set<String>) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n")
        let header = fields(lines.removeFirst())
        func col(_ n: String) -> Int { header.firstIndex(of: n)! }
        var long = Set<String>(), names = Set<String>()
        for line in lines {
            let f = fields(line)
            let last = f[col("last_name")], first = f[col("first_name")], dob = f[col("date_of_birth")]
            let nir = f[col("social_security_number")].replacingOccurrences(of: " ", with: "")
            let phone = f[col("phone_number")]
            var candidates = [f[col("social_security_number")], nir, String(nir.prefix(13)), f[col("patient_id")],
                              f[col("patient_id")].uppercased(), phone, f[col("email")], f[col("email")].lowercased(),
                              dob, dob.replacingOccurrences(of: "-", with: ""), f[col("street")],
                              f[col("ordering_physician")], f[col("physician_rpps")], f[col("notes")],
                              "\(last) \(first)", "\(first) \(last)", folded("\(last) \(first)"), folded("\(first) \(last)")]
            if phone.hasPrefix("0") && phone.count == 10 { candidates.append("+33" + phone.dropFirst()) }
            for c in candidates where c.utf8.count >= 6 { long.insert(c) }
            for n in [last, first, f[col("city")]] where !n.isEmpty { names.insert(n) }
            let prescriber = f[col("ordering_physician")]
            if prescriber.hasPrefix("Dr ") { names.insert(String(prescriber.dropFirst(3))) }
        }
        return (long, names)
    }

    /// The needles that occur in `bytes` (a 4-byte prefix index, one pass). With `wholeWord`,
    /// only occurrences not inside a longer word (no ASCII letter or non-ASCII byte beside them).
    static func occurrences(of needles: Set<String>, in bytes: [UInt8], wholeWord: Bool = false) -> [String] {
        func isWordByte(_ b: UInt8) -> Bool { b >= 0x80 || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) }
        var byPrefix: [UInt32: [[UInt8]]] = [:]
        for n in needles {
            let b = Array(n.utf8)
            guard b.count >= 4 else { continue }
            let p = UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
            byPrefix[p, default: []].append(b)
        }
        var found: [String] = []
        guard bytes.count >= 4 else { return found }
        for i in 0...(bytes.count - 4) {
            let p = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            guard let cands = byPrefix[p] else { continue }
            for c in cands where i + c.count <= bytes.count && bytes[i..<(i + c.count)].elementsEqual(c) {
                if wholeWord && ((i > 0 && isWordByte(bytes[i - 1])) || (i + c.count < bytes.count && isWordByte(bytes[i + c.count]))) {
                    continue
                }
                found.append(String(decoding: c, as: UTF8.self))
            }
        }
        return found
    }

    /// Every text the database holds, through SQL (what `sqlite3 CASE.db` shows): TEXT values
    /// of every table and the controllers' lookup keys.
    static func storedTexts(_ path: String) throws -> [String] {
        let q = try DatabaseQueue(path: path, configuration: CaseStore.configuration(readonly: true))
        defer { try? q.close() }
        return try q.read { db in
            var texts: [String] = []
            for t in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(t)\"") {
                    for (column, value) in row {
                        switch value.storage {
                        case .string(let s): texts.append(s)
                        case .blob(let d) where column == "lookup_key": texts.append(String(decoding: d, as: UTF8.self))
                        default: break
                        }
                    }
                }
            }
            return texts
        }
    }

    /// The non-null `field.masked_examples` of the case, one JSON array per field and run.
    static func storedMaskedExamples(_ path: String) throws -> [String] {
        let q = try DatabaseQueue(path: path, configuration: CaseStore.configuration(readonly: true))
        defer { try? q.close() }
        return try q.read { try String.fetchAll($0, sql: "SELECT masked_examples FROM field WHERE masked_examples IS NOT NULL") }
    }

    /// The words of `text` (runs of letters), folded.
    static func words(_ text: String) -> [String] {
        folded(text).split(whereSeparator: { !$0.isLetter }).map(String.init)
    }

    /// Every run of 1 to 4 consecutive words of every text, joined by a space: a name occurs
    /// in a text as whole words when its own words are one of these.
    static func wordRuns(_ texts: [String]) -> Set<String> {
        var runs = Set<String>()
        for t in texts {
            let w = words(t)
            for i in w.indices {
                var run = ""
                for j in i..<min(i + 4, w.count) {
                    run += (j == i ? "" : " ") + w[j]
                    runs.insert(run)
                }
            }
        }
        return runs
    }

    /// With `keepMaskedExamples` (`--keep-masked-examples`) the fields table and the stored
    /// reports hold masked examples too: still no identifier or name.
    @Test(arguments: [false, true])
    func noIdentifierOrNameOfTheLeakIsStoredAnywhereInTheCaseFiles(keepMaskedExamples: Bool) throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let (long, names) = try Self.leakValues(TestPaths.labsEN.path)
        #expect(long.count > 8000)
        #expect(names.count > 700)
        // Names long enough not to occur by chance in 2 MB of digests (≥ 6 bytes: < 10⁻⁵),
        // as written and folded; shorter ones are checked as text below.
        let longNames = Set(names.flatMap { [$0, Self.folded($0)] }.filter { $0.utf8.count >= 6 })
        #expect(longNames.count > 400)
        let files = CaseFiles(database: leak.path("case.db"))
        let store = try CaseStore.open(files)
        var options = AnalysisOptions()
        options.keepMaskedExamples = keepMaskedExamples
        _ = try store.run(paths: [leak.halfA], options: options)
        _ = try store.run(paths: [leak.halfB], options: options)

        // While the connection is open the last run's pages are in the WAL: scan it too.
        let wal = try Data(contentsOf: URL(fileURLWithPath: files.database + "-wal"))
        #expect(wal.count > 100_000, "the WAL should hold the runs' pages")
        var scanned = 0
        for path in [files.database, files.key, files.lock] + files.sqliteCompanions where FileManager.default.fileExists(atPath: path) {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            scanned += bytes.count
            let leaked = Set(Self.occurrences(of: long, in: bytes))
            #expect(leaked.isEmpty, "\(path): \(leaked.count) values of the leak, e.g. one of \(leaked.first?.utf8.count ?? 0) bytes")
            let leakedNames = Set(Self.occurrences(of: longNames, in: bytes, wholeWord: true))
            #expect(leakedNames.isEmpty, "\(path): \(leakedNames.count) names of the leak")
        }
        #expect(scanned > 500_000)
        try store.close()
        let afterClose = try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.database)))
        #expect(Self.occurrences(of: long, in: afterClose).isEmpty)

        // Names of any length, as whole words, in every text the database holds.
        let texts = try Self.storedTexts(files.database)
        #expect(texts.joined().utf8.count > 100_000, "the stored reports are texts too")
        // The examples are there when asked for (so the scans above looked at them), else absent.
        let examples = try Self.storedMaskedExamples(files.database)
        #expect(examples.count == (keepMaskedExamples ? 2 * 22 : 0))
        #expect(!keepMaskedExamples || examples.contains(#"["999999999999999","999999X99999999"]"#))
        let runs = Self.wordRuns(texts)
        let leakedNames = names.filter { runs.contains(Self.words($0).joined(separator: " ")) }
        #expect(leakedNames.isEmpty, "\(leakedNames.count) names of the leak stored as text")
    }

    /// The scan finds what it looks for (a scan that cannot fail is no test).
    @Test func theScanFindsAPlantedIdentifier() throws {
        let (long, names) = try Self.leakValues(TestPaths.labsEN.path)
        let nir = try #require(long.first { $0.count == 15 && $0.allSatisfy(\.isNumber) })
        let planted = Array("xx\u{0}\(nir)\u{1}yy".utf8)
        #expect(Self.occurrences(of: long, in: planted).contains(nir))
        #expect(Self.occurrences(of: ["Normand"], in: Array("\"Bio'Médic Normandie\"".utf8), wholeWord: true).isEmpty)
        #expect(Self.occurrences(of: ["Normand"], in: Array("\u{2}Normand\u{0}".utf8), wholeWord: true) == ["Normand"])
        let name = try #require(names.first { $0.count >= 4 })
        #expect(Self.wordRuns(["{\"name\":\"\(name)\"}"]).contains(Self.words(name).joined(separator: " ")))
        #expect(!Self.wordRuns(["x\(name)x"]).contains(Self.words(name).joined(separator: " ")))
        #expect(Self.wordRuns(["Dr Jean-Pierre DE LA FONTAINE, lab"]).contains("de la fontaine"))
    }

    @Test func everyCaseFileIsOwnerOnly() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let files = CaseFiles(database: leak.path("case.db"))
        let store = try CaseStore.open(files)
        _ = try store.run(paths: [leak.halfA])
        for path in [files.database, files.key, files.lock, files.database + "-wal", files.database + "-shm"] {
            #expect(CaseFiles.permissions(path) == 0o600, "\(path)")
        }
        #expect(store.notes.isEmpty)
        try store.close()
        #expect(CaseFiles.permissions(files.database) == 0o600)
        // A key someone made world-readable is reported (without its content).
        chmod(files.key, 0o644)
        let reopened = try CaseStore.open(files)
        #expect(reopened.notes.count == 1)
        #expect(reopened.notes.first?.contains("chmod 600") == true)
        try reopened.close()
    }
}
