import GRDB
import ImpactDetect

/// The schema of a case database, created and upgraded with GRDB's `DatabaseMigrator`
/// (applied migrations are listed in `grdb_migrations`).
///
/// Behaviour: the database holds counts, the analysis' metadata, and the identities needed
/// to count distinct people across runs — as HMAC-SHA256 digests under the case key
/// (``CaseKey``), never an identifier, a name or a cell value of the leak. It is readable
/// with `sqlite3 CASE.db` (JSON columns with SQLite's `json_*` functions).
///
/// Tables (migration `v1`; `v2-field-masked-examples` adds `field.masked_examples`):
///
/// | table | one row per | columns |
/// | --- | --- | --- |
/// | `meta` | setting | `key`, `value`: `format` = `impact-case`, `key_check` (hex HMAC of a constant under the case key, to recognise the key file), `created_at` |
/// | `category` | data category | `bit` (bit index in `presence.categories`), `name` (report id, e.g. `health`) |
/// | `run` | completed run | `id`, `started_at`, `finished_at` (ISO 8601 UTC), `tool`, `status` (`complete`, `incomplete`: an input was not read to its end, `nothing_new`: every input was already in the case), `inputs_analysed`, `inputs_skipped`, `records`, `analysed_records`, `rejected_records`, `records_without_identifier` (this run's), `identity_basis`, `controller_fields`, `warnings`, `rejections` (this run's, JSON), `subjects` (distinct subjects of the case after the run), `report` (the combined report JSON of the case after the run, as printed) |
/// | `input` | analysed file | `id`, `run`, `position`, `path` (as given), `size`, `sha256` (of the stored bytes; unique), `format`, `compression`, `encoding`, `bom`, `delimiter`, `header`, `record_path`, `records`, `analysed_records`, `rejected_records`, `bytes`, `complete`, `error` (kind and position), `analysed_at` |
/// | `skipped_input` | file given to a run but already in the case | `run`, `position`, `path`, `size`, `sha256`, `same_as` (the `input.id` it matched, or null when it repeated a file of the same run) |
/// | `field` | field of a run | `run`, `position`, `name` (header or JSON path), `role`, `categories` (JSON), `confidence`, `evidence` (JSON), `invalid_values`, `non_empty_values`, `masked_examples` (JSON array of up to 3 masked values, ``ValueMask``; NULL unless the run was given `--keep-masked-examples`) |
/// | `controller` | controller (GDPR Art. 4(7)) | `id` (its index in every run), `external_id` (FINESS, controller-column value or `unknown`), `name`, `records`, `lookup_kind` (1 id, 2 folded name, 3 unknown), `lookup_key` (the id or folded lab name: not personal data), `first_run` |
/// | `subject` | distinct data subject | `id`, `first_run` |
/// | `subject_key` | identifier key of a subject | `digest` (32-byte HMAC-SHA256 of the in-memory key), `subject` (a `subject.id`) |
/// | `presence` | (subject, controller) | `subject`, `controller`, `categories` (bit set over `category.bit`) |
/// | `health_professional` | (prescriber, controller) | `digest` (32-byte HMAC-SHA256), `controller` |
///
/// `subject_key.subject` is not declared as a foreign key, and has no index: the table is the
/// largest of the case and is written in digest order, so a per-row parent check and a second
/// B-tree would double the cost of a run's inserts (merges rewrite it in one pass instead);
/// each run's transaction keeps it consistent (checked by the tests).
///
/// Contract: the category bits are those of ``DataCategory/index``; a later version that
/// renumbers them must add a migration rewriting `presence.categories` (new categories are
/// appended to `category` at open). A run's writes happen in one transaction.
public enum CaseSchema {
    /// The value of `meta.format`.
    public static let format = "impact-case"

    /// The migrations of the case database, in order.
    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                  key TEXT PRIMARY KEY NOT NULL,
                  value TEXT NOT NULL
                );
                CREATE TABLE category (
                  bit INTEGER PRIMARY KEY NOT NULL,
                  name TEXT NOT NULL UNIQUE
                );
                CREATE TABLE run (
                  id INTEGER PRIMARY KEY,
                  started_at TEXT NOT NULL,
                  finished_at TEXT NOT NULL,
                  tool TEXT NOT NULL,
                  status TEXT NOT NULL,
                  inputs_analysed INTEGER NOT NULL,
                  inputs_skipped INTEGER NOT NULL,
                  records INTEGER NOT NULL,
                  analysed_records INTEGER NOT NULL,
                  rejected_records INTEGER NOT NULL,
                  records_without_identifier INTEGER NOT NULL,
                  identity_basis TEXT NOT NULL,
                  controller_fields TEXT NOT NULL,
                  warnings TEXT NOT NULL,
                  rejections TEXT NOT NULL,
                  subjects INTEGER NOT NULL,
                  report TEXT NOT NULL
                );
                CREATE TABLE input (
                  id INTEGER PRIMARY KEY,
                  run INTEGER NOT NULL REFERENCES run(id),
                  position INTEGER NOT NULL,
                  path TEXT NOT NULL,
                  size INTEGER NOT NULL,
                  sha256 TEXT NOT NULL UNIQUE,
                  format TEXT NOT NULL,
                  compression TEXT,
                  encoding TEXT NOT NULL,
                  bom INTEGER NOT NULL,
                  delimiter TEXT,
                  header INTEGER NOT NULL,
                  record_path TEXT,
                  records INTEGER NOT NULL,
                  analysed_records INTEGER NOT NULL,
                  rejected_records INTEGER NOT NULL,
                  bytes INTEGER NOT NULL,
                  complete INTEGER NOT NULL,
                  error TEXT,
                  analysed_at TEXT NOT NULL
                );
                CREATE TABLE skipped_input (
                  run INTEGER NOT NULL REFERENCES run(id),
                  position INTEGER NOT NULL,
                  path TEXT NOT NULL,
                  size INTEGER NOT NULL,
                  sha256 TEXT NOT NULL,
                  same_as INTEGER REFERENCES input(id),
                  PRIMARY KEY (run, position)
                );
                CREATE TABLE field (
                  run INTEGER NOT NULL REFERENCES run(id),
                  position INTEGER NOT NULL,
                  name TEXT NOT NULL,
                  role TEXT,
                  categories TEXT NOT NULL,
                  confidence REAL NOT NULL,
                  evidence TEXT NOT NULL,
                  invalid_values INTEGER NOT NULL,
                  non_empty_values INTEGER NOT NULL,
                  PRIMARY KEY (run, position)
                );
                CREATE TABLE controller (
                  id INTEGER PRIMARY KEY NOT NULL,
                  external_id TEXT NOT NULL,
                  name TEXT,
                  records INTEGER NOT NULL,
                  lookup_kind INTEGER NOT NULL,
                  lookup_key BLOB NOT NULL,
                  first_run INTEGER NOT NULL REFERENCES run(id)
                );
                CREATE TABLE subject (
                  id INTEGER PRIMARY KEY,
                  first_run INTEGER NOT NULL REFERENCES run(id)
                );
                CREATE TABLE subject_key (
                  digest BLOB PRIMARY KEY NOT NULL,
                  subject INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE presence (
                  subject INTEGER NOT NULL REFERENCES subject(id),
                  controller INTEGER NOT NULL REFERENCES controller(id),
                  categories INTEGER NOT NULL,
                  PRIMARY KEY (subject, controller)
                ) WITHOUT ROWID;
                CREATE TABLE health_professional (
                  digest BLOB NOT NULL,
                  controller INTEGER NOT NULL REFERENCES controller(id),
                  PRIMARY KEY (digest, controller)
                ) WITHOUT ROWID;
                """)
        }
        // Masked examples of a field (`--keep-masked-examples`): shapes such as
        // `9 99 99 99 999 999 99`, never a value; NULL for runs without the flag.
        m.registerMigration("v2-field-masked-examples") { db in
            try db.execute(sql: "ALTER TABLE field ADD COLUMN masked_examples TEXT")
        }
        return m
    }

    /// Tables every version of the case database has (to tell a case from another SQLite file).
    static let coreTables: Set<String> = ["meta", "run", "input", "subject", "subject_key", "presence"]

    /// Makes `category` hold the current ``DataCategory`` bits: appends missing ones.
    /// - Throws: ``CaseStoreError/Kind/newerSchema`` when a stored bit names another category
    ///   (the bits were renumbered without a migration, or by a newer `impact`).
    static func syncCategories(_ db: Database, path: String) throws {
        var stored: [Int: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT bit, name FROM category") {
            stored[row[0]] = row[1]
        }
        for c in DataCategory.allCases {
            if let name = stored[c.index] {
                guard name == c.rawValue else {
                    throw CaseStoreError(.newerSchema, path: path,
                                         message: "category bit \(c.index) is '\(name)' in the case but '\(c.rawValue)' in this impact: the case needs a migration")
                }
            } else {
                try db.execute(sql: "INSERT INTO category(bit, name) VALUES (?, ?)", arguments: [c.index, c.rawValue])
            }
        }
        if stored.count > DataCategory.allCases.count {
            throw CaseStoreError(.newerSchema, path: path, message: "the case knows categories this impact does not: use a newer impact")
        }
    }
}
