/// What value lexicons say about the cells of a CSV input's first row: the content evidence of
/// the header decision, which the reader does not own (the lexicons live in `ImpactDetect`;
/// `ImpactCore` supplies them).
///
/// Used by ``CSVDialectSniffer`` (a first row whose cells are values of their columns and not
/// column names is data, not a header) and by ``CSVRecordReader`` (a header cell that is an
/// identifier is never used as a field name). Called on at most the first 50 records of the
/// sniffing sample and on the header's cells, never on every record.
///
/// Contract: cells are UTF-8, trimmed of spaces; results carry no value, only kinds.
public protocol CSVHeaderEvidence: Sendable {
    /// The kinds of value `cell` is, as a bit set chosen by the implementation (given name,
    /// family name, exam term, date, e-mail…); 0 when it is none. Two cells of one column share
    /// a kind when their sets intersect.
    func valueKinds(of cell: UnsafeRawBufferPointer) -> UInt32
    /// Whether `cell` is a known column name (a header synonym).
    func isColumnName(_ cell: UnsafeRawBufferPointer) -> Bool
    /// The kind of identifier `cell` is (`national_id`, `email`, `phone`, `iban`), or nil.
    func identifierKind(of cell: UnsafeRawBufferPointer) -> String?
}
