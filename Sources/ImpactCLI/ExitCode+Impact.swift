import ArgumentParser

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
/// | 74 | the output cannot be written |
/// | 130 | interrupted (SIGINT) |
public enum ImpactExit {
    public static let ok: Int32 = 0
    public static let internalError: Int32 = 1
    public static let rejectedRecords: Int32 = 2
    public static let usage: Int32 = 64
    public static let corruptInput: Int32 = 65
    public static let noInput: Int32 = 66
    public static let cannotWrite: Int32 = 74
    public static let interrupted: Int32 = 130

    static let helpText = """
    Exit codes: 0 analysed; 1 internal error; 2 records rejected (with --strict); 64 usage error;
    65 corrupt or truncated input (report marked incomplete); 66 input cannot be opened;
    74 output cannot be written; 130 interrupted.
    """
}
