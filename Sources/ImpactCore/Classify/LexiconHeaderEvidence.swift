import ImpactIngest
import ImpactDetect

/// The content evidence of the CSV header decision, from `ImpactDetect`'s lexicons and
/// validators: the ``CSVHeaderEvidence`` the analysis gives the CSV reader.
///
/// Value kinds (bits of ``valueKinds(of:)``): a known given name, a frequent family name, a
/// lab name, a street address, a titled name (``ValueShapeLexicon``), a term of a special
/// category (``TermLexicon``: `Glycémie`), a calendar date (``DateParser``), and the
/// identifiers of ``identifierKind(of:)``. A column name is a cell the ``HeaderLexicon``
/// gives a role. Identifiers: a NIR with a valid key, an e-mail, a phone number, an IBAN with
/// a valid check (``NIRValidator``, ``EmailValidator``, ``PhoneValidator``, ``IBANValidator``).
///
/// Contract: runs on the sniffing sample only (at most 50 rows); results carry kinds, no value.
struct LexiconHeaderEvidence: CSVHeaderEvidence {
    let headers: HeaderLexicon
    let terms: TermLexicon
    let shapes: ValueShapeLexicon

    init(headers: HeaderLexicon = .standard, terms: TermLexicon = .standard, shapes: ValueShapeLexicon = .standard) {
        self.headers = headers
        self.terms = terms
        self.shapes = shapes
    }

    static let identifierBit: UInt32 = 1 << 8
    static let termBit: UInt32 = 1 << 9
    static let dateBit: UInt32 = 1 << 10

    func valueKinds(of cell: UnsafeRawBufferPointer) -> UInt32 {
        if identifierKind(of: cell) != nil { return Self.identifierBit }
        var kinds = UInt32(shapes.shapes(of: cell).subtracting(.containsFirstName).rawValue)
        var scratch: [UInt8] = []
        if !terms.scan(text: cell, scratch: &scratch).isEmpty { kinds |= Self.termBit }
        if DateParser.check(cell, normalized: &scratch) == .valid { kinds |= Self.dateBit }
        return kinds
    }

    func isColumnName(_ cell: UnsafeRawBufferPointer) -> Bool {
        headers.match(String(decoding: cell, as: UTF8.self)) != nil
    }

    func identifierKind(of cell: UnsafeRawBufferPointer) -> String? {
        var scratch: [UInt8] = []
        if case .valid = NIRValidator.check(cell, normalized: &scratch) { return "national_id" }
        if EmailValidator.check(cell, normalized: &scratch).isAccepted { return "email" }
        if PhoneValidator.check(cell, normalized: &scratch).isAccepted { return "phone" }
        if IBANValidator.check(cell, normalized: &scratch) == .valid { return "iban" }
        return nil
    }
}
