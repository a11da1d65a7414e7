import Foundation
import GRDB
import ImpactCore
import ImpactIngest

/// A case: the SQLite database of one breach investigation, to which each run of `impact`
/// adds the files it analysed, so that counts cover every file of the leak and a person in
/// two files (or two runs) counts once.
///
/// Behaviour of ``open(_:)`` and ``run(paths:options:now:)``:
/// 1. take the case's exclusive lock (``CaseLock``: a concurrent run fails with
///    ``CaseStoreError/Kind/locked``); create the database and the key file (both 0600) when
///    the case is new; apply the migrations (``CaseSchema``); check the key file is the case's;
/// 2. hash every input (``InputDigest``, SHA-256) and skip those already in the case (same
///    digest, whatever the path) or repeated in this run;
/// 3. analyse the others with the subject hasher derived from the case key, after loading the
///    stored controllers, subjects (with their presence per controller) and health
///    professionals into the analyzer (`LeakAnalyzer.analyze(paths:prepare:)`); keys new to
///    the run are matched to stored subjects by HMAC digest (``StoredSubjectDirectory``);
/// 4. write everything — run, inputs, fields, controllers, new and merged subjects, their
///    digests and presences, health professionals, and the combined report (``CaseReport``)
///    — in ONE transaction, so that a run interrupted at any point (SIGINT, SIGKILL, crash,
///    full disk) leaves the case exactly as it was.
///
/// Contract: nothing of the leak but counts, field names, controller ids and names, paths and
/// HMAC-SHA256 digests under the case key reaches the database (see ``CaseSchema``); with
/// `AnalysisOptions.keepMaskedExamples`, also up to 3 masked values per field (``ValueMask``). One
/// `CaseStore` is used from one thread; it holds the lock until ``close()`` or deinit.
///
/// Example:
/// ```swift
/// let store = try CaseStore.open(CaseFiles(database: "breach.db"))
/// let outcome = try store.run(paths: ["export-1.csv", "export-2.jsonl.gz"])
/// print(TextReport.render(outcome.report))
/// try store.close()
/// ```
public final class CaseStore {
    public let files: CaseFiles
    /// True when this open created the case (database and key).
    public let created: Bool
    /// Notes for the user about the case files (e.g. a key readable by others), no data.
    public private(set) var notes: [String] = []
    private let key: CaseKey
    private var lock: CaseLock?
    private var queue: DatabaseQueue?

    private init(files: CaseFiles, created: Bool, key: CaseKey, lock: CaseLock, queue: DatabaseQueue) {
        self.files = files
        self.created = created
        self.key = key
        self.lock = lock
        self.queue = queue
    }

    /// The configuration of every connection to a case database.
    static func configuration(readonly: Bool) -> Configuration {
        var c = Configuration()
        c.readonly = readonly
        c.journalMode = .wal
        c.foreignKeysEnabled = true
        c.busyMode = .timeout(30)
        c.label = "impact.case"
        c.prepareDatabase { db in
            // Sorts and temporary indices stay in memory, not in a temporary file.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        return c
    }

    /// Opens (or creates) the case for a run: takes the lock, creates the files when the
    /// database does not exist, migrates, and checks the key.
    /// - Throws: ``CaseStoreError`` — `locked`, `missingKey` (database without key file),
    ///   `wrongKey`, `notACase`, `newerSchema`, `cannotWrite`, `database`.
    public static func open(_ files: CaseFiles) throws -> CaseStore {
        let lock = try CaseLock(path: files.lock)
        let existed = CaseFiles.exists(files.database)
        let key: CaseKey
        if let k = try CaseKey.load(path: files.key) {
            key = k
        } else if existed {
            throw CaseStoreError(.missingKey, path: files.key,
                                 message: "the case key file is missing: without it the case's subjects cannot be matched (pass --case-key FILE if it is kept elsewhere)")
        } else {
            key = CaseKey.generate()
            try key.write(to: files.key)
        }
        if !existed { try CaseFiles.createOwnerOnly(files.database) }
        let queue: DatabaseQueue = try mapErrors(files.database) {
            let q = try DatabaseQueue(path: files.database, configuration: configuration(readonly: false))
            // One run = one commit: make it durable on power loss too. A larger page cache
            // (64 MiB at most, used only as the case grows) keeps the run's updates of
            // stored subjects off the disk until the commit.
            try q.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -65536") }
            return q
        }
        let store = CaseStore(files: files, created: !existed, key: key, lock: lock, queue: queue)
        try mapErrors(files.database) {
            try checkIsCase(queue, path: files.database)
            try CaseSchema.migrator.migrate(queue)
            try queue.write { db in
                let stored = try Row.fetchAll(db, sql: "SELECT key, value FROM meta")
                var meta: [String: String] = [:]
                for r in stored { meta[r[0]] = r[1] }
                if meta.isEmpty {
                    try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('format', ?), ('key_check', ?), ('created_at', ?)",
                                   arguments: [CaseSchema.format, key.check, CaseStore.timestamp(Date())])
                } else {
                    guard meta["format"] == CaseSchema.format else {
                        throw CaseStoreError(.notACase, path: files.database, message: "not an impact case database")
                    }
                    guard meta["key_check"] == key.check else {
                        throw CaseStoreError(.wrongKey, path: files.key, message: "this key file is not the key of the case")
                    }
                }
                try CaseSchema.syncCategories(db, path: files.database)
            }
        }
        for (path, what) in [(files.database, "case database"), (files.key, "case key")] {
            if let mode = CaseFiles.permissions(path), mode & 0o077 != 0 {
                store.notes.append("\(path): the \(what) is accessible to other users (mode \(String(mode, radix: 8))): chmod 600 it")
            }
        }
        return store
    }

    /// Refuses SQLite files that are not cases, and cases of a newer `impact`.
    static func checkIsCase(_ queue: DatabaseQueue, path: String) throws {
        try queue.read { db in
            let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            if !tables.isEmpty && !(tables.contains("grdb_migrations") && CaseSchema.coreTables.isSubset(of: tables)) {
                throw CaseStoreError(.notACase, path: path, message: "not an impact case database (other tables)")
            }
            if try CaseSchema.migrator.hasBeenSuperseded(db) {
                throw CaseStoreError(.newerSchema, path: path, message: "the case was written by a newer impact: use that version")
            }
        }
    }

    /// Closes the database (SQLite checkpoints and removes its `-wal`) and releases the lock.
    public func close() throws {
        if let q = queue {
            queue = nil
            try mapErrors(files.database) { try q.close() }
        }
        lock?.release()
        lock = nil
    }

    deinit {
        try? queue?.close()
        lock?.release()
    }

    // MARK: run

    /// Analyses `paths` into the case (see the type's doc) and returns the case's combined
    /// report, exactly as stored in the run's row.
    /// - Parameters:
    ///   - options: analysis options; their `hasher` is replaced by the case's.
    ///   - now: the clock of `started_at`, `finished_at` and `analysed_at`.
    /// - Throws: ``CaseStoreError`` when the case cannot be read or written (nothing is
    ///   written then). Inputs that cannot be opened are listed in
    ///   ``CaseRunOutcome/unreadable`` and inputs that fail mid-stream in
    ///   ``CaseRunOutcome/failures``: neither throws.
    public func run(paths: [String], options: AnalysisOptions = AnalysisOptions(),
                    now: () -> Date = Date.init) throws -> CaseRunOutcome {
        guard let queue else { throw CaseStoreError(.database, path: files.database, message: "the case is closed") }
        let startedAt = now()
        return try mapErrors(files.database) {
            try queue.writeWithoutTransaction { db in
                try self.run(db, paths: paths, options: options, startedAt: startedAt, now: now)
            }
        }
    }

    private func run(_ db: Database, paths: [String], options: AnalysisOptions, startedAt: Date,
                     now: () -> Date) throws -> CaseRunOutcome {
        let prior = try Self.loadContributions(db)
        let runID = (try Int.fetchOne(db, sql: "SELECT max(id) FROM run") ?? 0) + 1

        // 1. Which inputs are new to the case.
        var toAnalyse: [(path: String, digest: InputDigest)] = []
        var skipped: [SkippedInput] = []
        var unreadable: [InputDigest.Failure] = []
        for path in paths {
            let d: InputDigest
            do { d = try InputDigest.of(path: path) } catch let f as InputDigest.Failure { unreadable.append(f); continue }
            if let row = try Row.fetchOne(db, sql: "SELECT id, run, path FROM input WHERE sha256 = ?", arguments: [d.sha256]) {
                skipped.append(SkippedInput(path: path, digest: d, sameAsInput: row[0], sameAsRun: row[1], sameAsPath: row[2]))
            } else if let twin = toAnalyse.first(where: { $0.digest.sha256 == d.sha256 }) {
                skipped.append(SkippedInput(path: path, digest: d, sameAsInput: nil, sameAsRun: runID, sameAsPath: twin.path))
            } else {
                toAnalyse.append((path, d))
            }
        }

        // 2. Analyse them with the case's identities loaded.
        var options = options
        options.hasher = key.subjectKeyHasher
        let digester = key.digester()
        let directory = try StoredSubjectDirectory(db: db, digester: digester)
        var loadError: Error?
        var loaded = LoadedState()
        let outcome = LeakAnalyzer(options: options).analyze(paths: toAnalyse.map(\.path)) { linker, registry in
            do { loaded = try Self.load(db, into: linker, registry: registry, directory: directory) } catch { loadError = error }
        }
        if let loadError { throw loadError }
        if let column = outcome.missingControllerColumn {
            throw CaseStoreError(.usage, path: files.database,
                                 message: "--controller-column: no input has a field named '\(column)'; nothing recorded")
        }
        if let failure = outcome.spillFailure {
            throw CaseStoreError(.cannotWrite, path: files.database, message: failure)
        }

        // 3. The case's report after this run.
        let finishedAt = now()
        let contribution = RunContribution(run: runID, report: outcome.report)
        let tally = outcome.linker.tally(controllers: outcome.controllers.count)
        if let failure = outcome.spillFailure {
            throw CaseStoreError(.cannotWrite, path: files.database, message: failure)
        }
        let report = CaseReport.build(tool: outcome.report.tool, runs: prior + [contribution], tally: tally,
                                      controllers: outcome.controllers.entries)
        let json = try ReportJSON.encode(report)
        let status: RunStatus = toAnalyse.isEmpty ? .nothingNew : (outcome.report.inputs.allSatisfy(\.complete) ? .complete : .incomplete)

        // 4. Everything in one transaction.
        var stats = RunStatistics(storedSubjectsBefore: loaded.subjects, keysLookedUp: directory.lookups, keysMatched: directory.hits)
        try db.inTransaction(.immediate) {
            let runReport = outcome.report
            try db.execute(sql: """
                INSERT INTO run(id, started_at, finished_at, tool, status, inputs_analysed, inputs_skipped, records,
                                analysed_records, rejected_records, records_without_identifier, identity_basis,
                                controller_fields, warnings, rejections, subjects, report)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    runID, Self.timestamp(startedAt), Self.timestamp(finishedAt), runReport.tool, status.rawValue,
                    toAnalyse.count, skipped.count, runReport.records, runReport.analysedRecords, runReport.rejectedRecords,
                    runReport.recordsWithoutIdentifier, try Self.jsonText(runReport.identityBasis),
                    try Self.jsonText(runReport.controllerFields), try Self.jsonText(runReport.warnings),
                    try Self.jsonText(runReport.rejections), report.subjects, String(decoding: json, as: UTF8.self)])
            try Self.writeControllers(db, outcome.controllers.entries, run: runID)
            stats.merge(try Self.writeSubjects(db, try outcome.linker.exportState(), run: runID, digester: digester,
                                               alreadyStored: directory.matchedKeys))
            stats.healthProfessionalsStored = try Self.writeHealthProfessionals(db, outcome.linker.healthProfessionalKeys ?? [], digester: digester)
            let analysedAt = Self.timestamp(finishedAt)
            for (i, input) in runReport.inputs.enumerated() {
                let d = toAnalyse[i].digest
                try db.execute(sql: """
                    INSERT INTO input(run, position, path, size, sha256, format, compression, encoding, bom, delimiter, header,
                                      record_path, records, analysed_records, rejected_records, bytes, complete, error, analysed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        runID, i, input.path, d.size, d.sha256, input.format, input.compression, input.encoding, input.bom,
                        input.delimiter, input.header, input.recordPath, input.records, input.analysedRecords,
                        input.rejectedRecords, input.bytes, input.complete, input.error, analysedAt])
            }
            for (i, s) in skipped.enumerated() {
                try db.execute(sql: "INSERT INTO skipped_input(run, position, path, size, sha256, same_as) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [runID, i, s.path, s.digest.size, s.digest.sha256, s.sameAsInput])
            }
            for (i, f) in runReport.fields.enumerated() {
                try db.execute(sql: """
                    INSERT INTO field(run, position, name, role, categories, confidence, evidence, invalid_values, non_empty_values,
                                      masked_examples)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [runID, i, f.name, f.role, try Self.jsonText(f.categories), f.confidence,
                                     try Self.jsonText(f.evidence), f.invalidValues, f.values,
                                     try f.maskedExamples.map { try Self.jsonText($0) }])
            }
            return .commit
        }
        stats.subjectsAfter = report.subjects
        return CaseRunOutcome(run: runID, status: status, report: report, reportJSON: json, runReport: outcome.report,
                              analysed: toAnalyse.map(\.path), skipped: skipped, unreadable: unreadable,
                              failures: outcome.failures, statistics: stats, spill: outcome.spill)
    }

    // MARK: loading

    struct LoadedState {
        var controllers = 0
        var subjects = 0
    }

    /// Feeds the stored controllers (in index order, so that indices, which enter the
    /// patient-id keys, are those of earlier runs), subjects and health professionals to the
    /// analyzer. Streams rows: memory is the linker's, not a copy of the tables.
    static func load(_ db: Database, into linker: SubjectLinker, registry: ControllerRegistry,
                     directory: StoredSubjectDirectory) throws -> LoadedState {
        var state = LoadedState()
        linker.directory = directory
        linker.recordHealthProfessionals()
        let controllers = try Row.fetchCursor(db, sql: "SELECT id, external_id, name, records, lookup_kind, lookup_key FROM controller ORDER BY id")
        while let r = try controllers.next() {
            let id: Int = r[0]
            let key: Data = r[5]
            let index = registry.preload(id: r[1], name: r[2], records: r[3], lookupKind: r[4], lookupKey: Array(key))
            guard index == id else {
                throw CaseStoreError(.notACase, path: db.description, message: "controller \(id) cannot keep its index (duplicate lookup key): the case is inconsistent")
            }
            state.controllers += 1
        }
        let presences = try Row.fetchCursor(db, sql: "SELECT subject, controller, categories FROM presence ORDER BY subject")
        var current = -1
        var list: [(controller: Int, categories: UInt32)] = []
        while let r = try presences.next() {
            let s: Int = r[0]
            if s != current {
                if current >= 0 { linker.importStoredSubject(id: current, presences: list); state.subjects += 1 }
                current = s
                list.removeAll(keepingCapacity: true)
            }
            let bits: Int64 = r[2]
            list.append((r[1], UInt32(truncatingIfNeeded: bits)))
        }
        if current >= 0 { linker.importStoredSubject(id: current, presences: list); state.subjects += 1 }
        var perController = [Int](repeating: 0, count: state.controllers)
        for r in try Row.fetchAll(db, sql: "SELECT controller, count(*) FROM health_professional GROUP BY controller") {
            let c: Int = r[0]
            if c < perController.count { perController[c] = r[1] }
        }
        let total = try Int.fetchOne(db, sql: "SELECT count(DISTINCT digest) FROM health_professional") ?? 0
        linker.importStoredHealthProfessionals(perController: perController, total: total)
        return state
    }

    /// The contributions of the completed runs, in order.
    static func loadContributions(_ db: Database) throws -> [RunContribution] {
        var runs: [RunContribution] = []
        var index: [Int: Int] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT id, records_without_identifier, identity_basis, controller_fields, warnings, rejections FROM run ORDER BY id
            """) {
            let id: Int = r[0]
            index[id] = runs.count
            runs.append(RunContribution(
                run: id, inputs: [], fields: [],
                warnings: try jsonValue(r[4]), rejections: try jsonValue(r[5]),
                recordsWithoutIdentifier: r[1], identityBasis: try jsonValue(r[2]), controllerFields: try jsonValue(r[3])))
        }
        for r in try Row.fetchAll(db, sql: """
            SELECT run, path, format, compression, encoding, bom, delimiter, header, record_path, records,
                   analysed_records, rejected_records, bytes, complete, error
            FROM input ORDER BY run, position
            """) {
            guard let i = index[r[0]] else { continue }
            runs[i].inputs.append(ImpactReport.Input(
                path: r[1], format: r[2], compression: r[3], encoding: r[4], bom: r[5], delimiter: r[6], header: r[7],
                recordPath: r[8], records: r[9], analysedRecords: r[10], rejectedRecords: r[11], bytes: r[12],
                complete: r[13], error: r[14]))
        }
        for r in try Row.fetchAll(db, sql: """
            SELECT run, name, role, categories, confidence, evidence, invalid_values, non_empty_values, masked_examples
            FROM field ORDER BY run, position
            """) {
            guard let i = index[r[0]] else { continue }
            let examples: String? = r[8]
            runs[i].fields.append(ImpactReport.Field(
                name: r[1], role: r[2], categories: try jsonValue(r[3]), confidence: r[4], evidence: try jsonValue(r[5]),
                invalidValues: r[6], values: r[7], maskedExamples: try examples.map { try jsonValue($0) }))
        }
        return runs
    }

    // MARK: writing

    static func writeControllers(_ db: Database, _ entries: [ControllerRegistry.Entry], run: Int) throws {
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO controller(id, external_id, name, records, lookup_kind, lookup_key, first_run) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, records = excluded.records
            """)
        for (i, e) in entries.enumerated() {
            try upsert.execute(arguments: [i, e.id, e.name, e.records, e.lookupKind, Data(e.lookupKey), run])
        }
    }

    /// Stores the identity state after the run: a new subject per component without a
    /// stored subject; stored subjects that this run linked together merged into the oldest;
    /// the presences of every component this run touched; the digest of every key not
    /// already stored (`alreadyStored`: raw values the directory matched), inserted in digest
    /// order (per chunk of ``keyChunk`` keys: the keys are streamed, from memory and from the
    /// subject spill) so that the B-tree grows by appends and neighbouring pages.
    static func writeSubjects(_ db: Database, _ state: SubjectState, run: Int, digester: SubjectDigester,
                              alreadyStored: Set<UInt64>, keyChunk: Int = 1 << 20) throws -> RunStatistics {
        var stats = RunStatistics()
        let n = state.components
        var storedOf = [[Int]](repeating: [], count: n)
        for (s, c) in state.storedSubjectComponent { storedOf[c].append(s) }
        var hasKeys = [Bool](repeating: false, count: n)
        try state.forEachKey { _, c in hasKeys[c] = true }
        var subjectOf = [Int](repeating: -1, count: n)
        var touched = [Bool](repeating: true, count: n)
        var merged: [(other: Int, survivor: Int)] = []
        var nextID = (try Int.fetchOne(db, sql: "SELECT max(id) FROM subject") ?? 0) + 1
        let newSubject = try BulkStatement(db, sql: "INSERT INTO subject(id, first_run) VALUES (?, ?)")
        for c in 0..<n {
            let stored = storedOf[c].sorted()
            guard let survivor = stored.first else {
                let id = nextID
                try newSubject.run { BulkStatement.bind($0, 1, id); BulkStatement.bind($0, 2, run) }
                subjectOf[c] = id
                nextID += 1
                stats.subjectsAdded += 1
                continue
            }
            subjectOf[c] = survivor
            touched[c] = hasKeys[c] || stored.count > 1
            for other in stored.dropFirst() { merged.append((other, survivor)) }
        }
        if !merged.isEmpty {
            // One pass over the keys for all the merges of the run.
            try db.execute(sql: "CREATE TEMP TABLE merged (other INTEGER PRIMARY KEY, survivor INTEGER NOT NULL)")
            let insertMerge = try BulkStatement(db, sql: "INSERT INTO temp.merged(other, survivor) VALUES (?, ?)")
            for m in merged { try insertMerge.run { BulkStatement.bind($0, 1, m.other); BulkStatement.bind($0, 2, m.survivor) } }
            try db.execute(sql: """
                UPDATE subject_key SET subject = (SELECT survivor FROM temp.merged WHERE other = subject_key.subject)
                WHERE subject IN (SELECT other FROM temp.merged);
                DELETE FROM presence WHERE subject IN (SELECT other FROM temp.merged);
                DELETE FROM subject WHERE id IN (SELECT other FROM temp.merged);
                DROP TABLE temp.merged;
                """)
            stats.subjectsMerged = merged.count
        }
        let clear = try BulkStatement(db, sql: "DELETE FROM presence WHERE subject = ?")
        let insertPresence = try BulkStatement(db, sql: "INSERT INTO presence(subject, controller, categories) VALUES (?, ?, ?)")
        var last = -1
        try state.forEachPresence { component, controller, categories in
            guard touched[component] else { return }
            let subject = subjectOf[component]
            if component != last {
                last = component
                if !storedOf[component].isEmpty { try clear.run { BulkStatement.bind($0, 1, subject) } }
            }
            try insertPresence.run {
                BulkStatement.bind($0, 1, subject)
                BulkStatement.bind($0, 2, controller)
                BulkStatement.bind($0, 3, Int(categories))
            }
        }
        var newKeys: [(prefix: StoredSubjectDirectory.Prefix, digest: Data, subject: Int)] = []
        let insertKey = try BulkStatement(db, sql: "INSERT OR IGNORE INTO subject_key(digest, subject) VALUES (?, ?)")
        func flush() throws {
            newKeys.sort { ($0.prefix.high, $0.prefix.low) < ($1.prefix.high, $1.prefix.low) }
            for k in newKeys {
                stats.keysStored += try insertKey.run { BulkStatement.bind($0, 1, k.digest); BulkStatement.bind($0, 2, k.subject) }
            }
            newKeys.removeAll(keepingCapacity: true)
        }
        try state.forEachKey { k, c in
            guard !alreadyStored.contains(k.rawValue) else { return }
            let d = digester.subject(k)
            newKeys.append((StoredSubjectDirectory.prefix(d), d, subjectOf[c]))
            if newKeys.count >= keyChunk { try flush() }
        }
        try flush()
        return stats
    }

    static func writeHealthProfessionals(_ db: Database, _ seen: [(SubjectKey, Int)], digester: SubjectDigester) throws -> Int {
        struct Pair: Hashable { let key: UInt64; let controller: Int }
        var done = Set<Pair>()
        var stored = 0
        let insert = try BulkStatement(db, sql: "INSERT OR IGNORE INTO health_professional(digest, controller) VALUES (?, ?)")
        for (k, c) in seen where done.insert(Pair(key: k.rawValue, controller: c)).inserted {
            let d = digester.professional(k)
            stored += try insert.run { BulkStatement.bind($0, 1, d); BulkStatement.bind($0, 2, c) }
        }
        return stored
    }

    // MARK: helpers

    static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }

    static func jsonText<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }

    static func jsonValue<T: Decodable>(_ text: String) throws -> T {
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        return try dec.decode(T.self, from: Data(text.utf8))
    }
}

/// Runs `body`, turning SQLite errors into ``CaseStoreError`` (result code and SQLite's
/// message only: statement arguments are never shown).
func mapErrors<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as CaseStoreError {
        throw e
    } catch let e as DatabaseError {
        let what = "SQLite error \(e.resultCode.rawValue): \(e.message ?? "unknown")"
        switch e.resultCode.primaryResultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: throw CaseStoreError(.notACase, path: path, message: "not an impact case database (\(what))")
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
            throw CaseStoreError(.cannotWrite, path: path, message: what)
        case .SQLITE_BUSY, .SQLITE_LOCKED: throw CaseStoreError(.locked, path: path, message: "the case is busy (\(what))")
        default: throw CaseStoreError(.database, path: path, message: what)
        }
    } catch let e as DecodingError {
        throw CaseStoreError(.notACase, path: path, message: "unreadable JSON column in the case (\(String(describing: type(of: e))))")
    }
}

/// How a run ended.
public enum RunStatus: String, Sendable, Codable {
    /// Every new input was read to its end.
    case complete
    /// An input could not be read to its end: its records before the failure are counted.
    case incomplete
    /// Every input was already in the case: nothing was counted again.
    case nothingNew = "nothing_new"
}

/// An input a run did not analyse because the case already has it.
public struct SkippedInput: Sendable, Equatable {
    public var path: String
    public var digest: InputDigest
    /// The `input.id` with the same SHA-256, or nil when it repeats a file of the same run.
    public var sameAsInput: Int?
    /// The run that analysed it, and the path it had then.
    public var sameAsRun: Int
    public var sameAsPath: String
}

/// Figures of a run's identity bookkeeping (for tests and `--verbose` style output).
public struct RunStatistics: Sendable, Equatable {
    /// Stored subjects loaded before the run.
    public var storedSubjectsBefore = 0
    /// Keys new to the run looked up among the stored digests, and those found.
    public var keysLookedUp = 0
    public var keysMatched = 0
    public var subjectsAdded = 0
    /// Stored subjects merged into another because this run linked them.
    public var subjectsMerged = 0
    public var keysStored = 0
    public var healthProfessionalsStored = 0
    public var subjectsAfter = 0

    mutating func merge(_ o: RunStatistics) {
        subjectsAdded += o.subjectsAdded
        subjectsMerged += o.subjectsMerged
        keysStored += o.keysStored
    }
}

/// The result of a run into a case.
public struct CaseRunOutcome {
    /// The run's id in the case (1, 2, …).
    public var run: Int
    public var status: RunStatus
    /// The combined report of the case after the run (what `impact report` prints).
    public var report: ImpactReport
    /// Its JSON, byte for byte as stored in `run.report`.
    public var reportJSON: Data
    /// This run's own analysis report (its inputs, fields and records only are this run's;
    /// its subject counts already include the case's earlier runs).
    public var runReport: ImpactReport
    /// Inputs analysed, skipped as already in the case, and not hashable (cannot be opened).
    public var analysed: [String]
    public var skipped: [SkippedInput]
    public var unreadable: [InputDigest.Failure]
    /// Inputs that failed while being analysed (truncated gzip, broken JSON, I/O error).
    public var failures: [IngestError]
    public var statistics: RunStatistics
    /// What the subject tables moved out of memory during the run (`--memory-limit`).
    public var spill: SubjectSpillStatistics
}
