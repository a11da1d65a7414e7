import ImpactDetect

/// Decides each field's role from two kinds of evidence: the header (``HeaderLexicon``) and
/// the content of the classification sample (``FieldEvidence``).
///
/// Rules (thresholds from regulatory.md §6.14: `score = 0.6·header + 0.4·valid_ratio`;
/// value-only detection needs a high valid ratio):
/// - A header role is kept when the content does not contradict it: identifiers with a check
///   (NIR, RPPS, e-mail, phone, dates, names) need at least ``headerMinRatio`` of the values to
///   pass; otherwise the header is overruled (a 15-digit product code column under `nir` is
///   not `national_id`) and the content decides.
/// - Without a usable header, content alone decides, and needs ``contentMinRatio`` of at least
///   ``contentMinValues`` values.
/// - Free text, exam labels and text fields without a role are scanned per cell with the term
///   lexicon: a cell naming a pregnancy makes that record's subject count for `pregnancy`.
public struct ColumnClassifier: Sendable {
    public var headerMinRatio = 0.5
    public var contentMinRatio = 0.9
    public var contentMinValues = 5
    public var nameMinRatio = 0.7

    public init() {}

    /// The plan for one field.
    /// - Parameters:
    ///   - name: the header or JSON path (untrusted text from the leak).
    ///   - evidence: content evidence of the sample (may be empty).
    ///   - header: the header match, if any.
    public func plan(name: String, header: HeaderMatch?, evidence e: FieldEvidence) -> FieldPlan {
        var notes: [String] = []
        if let h = header {
            notes.append("header \"\(name)\" matches \"\(h.synonym)\" → \(h.role.rawValue) (strength \(fmt(h.strength)))")
            if let (ok, ratio, why) = contentCheck(for: h.role, e) {
                notes.append(why)
                if ok {
                    return make(h.role, confidence: min(1, 0.6 * h.strength + 0.4 * ratio), notes, fromContent: true)
                }
                notes.append("content contradicts the header: header overruled")
            } else {
                return make(h.role, confidence: 0.6 * h.strength + (e.values == 0 ? 0 : 0.3), notes, fromContent: false)
            }
        }
        if let (role, ratio, why) = contentRole(e) {
            notes.append(why)
            return make(role, confidence: min(0.95, 0.9 * ratio), notes, fromContent: true)
        }
        if e.values > 0 && e.numeric < e.values {
            notes.append("no role from header or content; values scanned with the term lexicon")
            return FieldPlan(role: nil, categories: [], scansLexicon: true, confidence: 0, evidence: notes, decidedFromContent: false)
        }
        if header == nil && e.values > 0 { notes.append("no role from header or content") }
        return FieldPlan(role: nil, categories: [], scansLexicon: e.values == 0, confidence: 0, evidence: notes, decidedFromContent: false)
    }

    private func make(_ role: FieldRole, confidence: Double, _ notes: [String], fromContent: Bool) -> FieldPlan {
        let scans: Bool
        switch role {
        case .freeText, .examLabel, .examResult, .healthAttribute, .medication, .geneticData: scans = true
        default: scans = false
        }
        return FieldPlan(role: role, categories: role.categories, scansLexicon: scans,
                         confidence: (confidence * 100).rounded() / 100, evidence: notes, decidedFromContent: fromContent)
    }

    /// A family-name column whose names are mostly not in the frequent-name list: a name-shaped
    /// column without given names, with a few frequent family names, next to a column of given
    /// names (exports keep `nom` and `prénom` side by side). Returns the plan, or nil.
    public func familyNamePlan(_ e: FieldEvidence, besideGivenNames: Bool) -> FieldPlan? {
        guard besideGivenNames, e.values >= contentMinValues else { return nil }
        let r = e.ratio(e.nameShaped)
        guard r >= 0.9, e.ratio(e.firstNameShaped + e.containsFirstName) < 0.3, e.ratio(e.lastNameShaped) >= 0.05,
              e.ratio(e.streetShaped + e.labShaped + e.titled + e.lexiconAny) < 0.1 else { return nil }
        return FieldPlan(role: .lastName, categories: FieldRole.lastName.categories, scansLexicon: false,
                         confidence: (min(0.9, 0.8 * r) * 100).rounded() / 100,
                         evidence: ["content only: \(e.nameShaped)/\(e.values) values look like names (\(pct(r))), beside a column of given names: family names"],
                         decidedFromContent: true)
    }

    /// Whether the content supports a header role: (supported, ratio, explanation), or nil
    /// when the role has no content check or the sample has too few values.
    func contentCheck(for role: FieldRole, _ e: FieldEvidence) -> (Bool, Double, String)? {
        guard e.values >= 3 else { return nil }
        func check(_ n: Int, _ what: String, min: Double? = nil) -> (Bool, Double, String) {
            let r = e.ratio(n)
            return (r >= (min ?? headerMinRatio), r, "content: \(n)/\(e.values) values \(what) (\(pct(r)))")
        }
        switch role {
        case .nir:
            let r = check(e.nirValid + e.nirKeyAbsent, "pass the NIR check (mod-97 key; \(e.nirKeyAbsent) without key, \(e.nirInvalidKey) with a wrong key)")
            return r
        case .email: return check(e.email, "are e-mail addresses")
        case .phone: return check(e.phone, "are phone numbers")
        case .birthDate:
            var r = check(e.date, "are dates")
            if r.0 && e.maxYear != Int.min { r.2 += ", years \(e.minYear)–\(e.maxYear)" }
            return r
        case .examinationDate, .genericDate: return check(e.date, "are dates")
        case .lastName, .firstName, .fullName:
            return check(e.nameShaped, "look like names (letters, hyphens, apostrophes; 1–4 words)", min: nameMinRatio)
        case .prescriberID: return check(e.rppsValid + e.adeliValid, "pass the RPPS or ADELI check (Luhn)")
        case .postalCode: return check(e.postalCode, "are French postal codes")
        case .iban: return check(e.ibanValid, "pass the IBAN check (ISO 13616 mod 97)")
        default: return nil
        }
    }

    /// A role from content alone: (role, ratio, explanation), or nil.
    func contentRole(_ e: FieldEvidence) -> (FieldRole, Double, String)? {
        guard e.values >= contentMinValues else { return nil }
        let candidates: [(FieldRole, Int, String)] = [
            (.nir, e.nirValid + e.nirKeyAbsent, "pass the NIR check (mod-97 key)"),
            (.email, e.email, "are e-mail addresses"),
            (.prescriberID, e.rppsValid, "pass the RPPS check (11 digits, Luhn)"),
            (.iban, e.ibanValid, "pass the IBAN check"),
            (.phone, e.phone, "are phone numbers"),
            (.controllerID, e.finessValid, "pass the FINESS check (9 digits, Luhn)"),
            (.birthDate, e.date, "are dates"),
            (.postalCode, e.postalCode, "are French postal codes"),
        ]
        for (role, n, what) in candidates {
            let r = e.ratio(n)
            guard r >= contentMinRatio else { continue }
            var role = role
            var note = "content only: \(n)/\(e.values) values \(what) (\(pct(r)))"
            if role == .birthDate {
                // Dates spread over decades and in the past read as birth dates; a narrow
                // recent span reads as event dates (examination, order, delivery).
                if e.maxYear - e.minYear >= 15 && e.minYear >= 1900 {
                    note += ", years \(e.minYear)–\(e.maxYear): birth dates"
                } else {
                    role = .genericDate
                    note += ", years \(e.minYear)–\(e.maxYear): event dates, not birth dates"
                }
            }
            return (role, r, note)
        }
        // Text shapes, for columns whose header says nothing (`col7`, no header row).
        let shapeCandidates: [(FieldRole, Int, Double, String)] = [
            (.prescriberName, e.titled, 0.8, "start with a title (Dr, Pr): a health professional's name"),
            (.controllerName, e.labShaped, 0.8, "hold lab or establishment words (Laboratoire, LBM, Bio…): the controller's name"),
            (.streetAddress, e.streetShaped, 0.6, "hold a street type (rue, avenue, boulevard…): postal addresses"),
            (.firstName, e.firstNameShaped > e.lastNameShaped ? e.firstNameShaped : 0, 0.6, "are known given names"),
            (.fullName, e.firstNameShaped + e.containsFirstName, 0.6, "are names with a known given name"),
        ]
        // Family names: frequent family names in a name-shaped column with no given names and no
        // other shape (the word list covers the most frequent names only: a low threshold).
        if e.ratio(e.lastNameShaped) >= 0.25, e.ratio(e.nameShaped) >= 0.9, e.lastNameShaped > e.firstNameShaped,
           e.ratio(e.streetShaped + e.labShaped + e.titled) < 0.1 {
            return (.lastName, e.ratio(e.nameShaped), "content only: \(e.nameShaped)/\(e.values) values look like names, \(e.lastNameShaped) of them frequent family names (\(pct(e.ratio(e.lastNameShaped)))): family names")
        }
        for (role, n, min, what) in shapeCandidates where e.ratio(n) >= min {
            if role == .fullName && e.ratio(e.nameShaped) < nameMinRatio { continue }
            return (role, e.ratio(n), "content only: \(n)/\(e.values) values \(what) (\(pct(e.ratio(n))))")
        }
        let lex = e.ratio(e.lexiconAny)
        if lex >= 0.6 && e.ratio(e.nameShaped + e.multiWord) > 0 {
            return (.examLabel, lex, "content only: \(e.lexiconAny)/\(e.values) values name lab tests or conditions (\(pct(lex))): exam labels")
        }
        if e.multiWord > 0 && lex >= 0.05 {
            return (.freeText, lex, "content only: \(e.lexiconAny)/\(e.values) values hold health-vocabulary terms (\(pct(lex))): free text")
        }
        return nil
    }
}

/// `0.975` → `97.5%`.
func pct(_ r: Double) -> String {
    let n = Int((r * 1000).rounded())
    return "\(n / 10).\(n % 10)%"
}

/// `0.8` → `0.80`.
func fmt(_ d: Double) -> String {
    let n = Int((d * 100).rounded())
    return "\(n / 100).\(n % 100 < 10 ? "0" : "")\(n % 100)"
}
