import ArgumentParser
import ImpactStore

/// The exit codes of `impact`, in one place (also printed by `impact --help`).
///
/// | code | meaning |
/// | --- | --- |
/// | 0 | analysed (every record read was analysed, or rejected without `--strict`) |
/// | 1 | internal error |
/// | 2 | `--strict` and some records were rejected (the report lists them) |
/// | 64 | usage error (unknown option, bad value) |
/// | 65 | corrupt or truncated input (truncated gzip, bad CRC, broken JSON document): the report, if written, is marked incomplete |
/// | 66 | an input cannot be opened (missing, a directory, permission denied) |
/// | 74 | the output cannot be written (a report file, or the case database: disk full, permissions) |
/// | 75 | the case is in use by another run (`--case`: its lock `CASE.db.lock` is held); try again later |
/// | 78 | the case cannot be used: its key file is missing or is not the case's key, the file is not an `impact` case, or it was written by a newer `impact` |
/// | 130 | interrupted (SIGINT, Ctrl-C): one line on standard error, no output file left half-written; with `--case`, the case is left as it was before the run |
/// | 143 | terminated (SIGTERM): the same |
///
/// `impact report` and `impact cases list` exit 66 when the case does not exist or has no
/// completed run yet.
public enum ImpactExit {
    public static let ok: Int32 = 0
    public static let internalError: Int32 = 1
    public static let rejectedRecords: Int32 = 2
    public static let usage: Int32 = 64
    public static let corruptInput: Int32 = 65
    public static let noInput: Int32 = 66
    public static let cannotWrite: Int32 = 74
    public static let caseLocked: Int32 = 75
    public static let caseUnusable: Int32 = 78
    public static let interrupted: Int32 = 130
    /// 128 + SIGTERM (15), the shell's convention.
    public static let terminated: Int32 = 143

    /// The exit code of a case error.
    static func code(for error: CaseStoreError) -> Int32 {
        switch error.kind {
        case .locked: return caseLocked
        case .notFound, .noCompletedRun: return noInput
        case .cannotWrite: return cannotWrite
        case .missingKey, .wrongKey, .notACase, .newerSchema: return caseUnusable
        case .database: return internalError
        case .usage: return usage
        }
    }

    static let helpText = """
    Exit codes: 0 analysed; 1 internal error; 2 records rejected (with --strict);
    64 usage error; 65 corrupt or truncated input (report marked incomplete);
    66 input cannot be opened; 74 output (or case database) cannot be written;
    75 case in use by another run; 78 case unusable (missing or wrong key, not
    a case, newer version); 130 interrupted (SIGINT); 143 terminated
    (SIGTERM).
    """
}
