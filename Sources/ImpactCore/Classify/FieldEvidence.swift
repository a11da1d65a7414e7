import ImpactDetect

/// Content evidence gathered for one field over the values seen: how many values pass each
/// identifier check, how many look like names, dates, free text, and which lexicon terms
/// they hold. Counts only: no value is kept.
///
/// During the classification sample every cheap check runs on every value (each behind a
/// byte-shape prefilter); once the field's plan is decided only the checks its role needs run.
public struct FieldEvidence: Sendable {
    /// Non-empty values seen.
    public var values = 0
    public var nirValid = 0, nirKeyAbsent = 0, nirInvalidKey = 0, nirTemporary = 0
    public var rppsValid = 0, rppsInvalidKey = 0
    public var adeliValid = 0
    public var finessValid = 0, finessInvalidKey = 0
    public var sirenValid = 0, siretValid = 0
    public var ibanValid = 0, ibanInvalidKey = 0
    public var email = 0, phone = 0, date = 0, postalCode = 0
    /// Values made of letters, spaces, hyphens and apostrophes only, 1–4 words.
    public var nameShaped = 0
    /// Values made of digits and `.,-+ /` only.
    public var numeric = 0
    /// Values with 3 words or more (free text).
    public var multiWord = 0
    /// Value shapes (``ValueShapeLexicon``): every word a given name; some word a given name;
    /// a street type; a lab word; a leading title (Dr, Pr).
    public var firstNameShaped = 0, containsFirstName = 0, lastNameShaped = 0, streetShaped = 0, labShaped = 0, titled = 0
    /// Birth-year range of the values that parse as dates.
    public var minYear = Int.max, maxYear = Int.min
    /// Values with at least one lexicon hit, per category index.
    public var lexiconCells = [Int](repeating: 0, count: DataCategoryCount)
    /// Values with at least one lexicon hit (any category).
    public var lexiconAny = 0
    /// Lexicon term id → cells containing it (bounded to 64 distinct terms).
    public var termCells: [Int32: Int] = [:]

    public init() {}

    mutating func noteTerms(_ hits: LexiconHits) {
        if hits.categories.rawValue == 0 { return }
        lexiconAny += 1
        var m = hits.categories.rawValue
        while m != 0 {
            lexiconCells[m.trailingZeroBitCount] += 1
            m &= m - 1
        }
        for t in hits.termIDs {
            if let i = termCells.index(forKey: t) { termCells.values[i] += 1 } else if termCells.count < 64 { termCells[t] = 1 }
        }
    }

    /// Merges another evidence (e.g. from another input or thread).
    public mutating func merge(_ o: FieldEvidence) {
        values += o.values
        nirValid += o.nirValid; nirKeyAbsent += o.nirKeyAbsent; nirInvalidKey += o.nirInvalidKey; nirTemporary += o.nirTemporary
        rppsValid += o.rppsValid; rppsInvalidKey += o.rppsInvalidKey; adeliValid += o.adeliValid
        finessValid += o.finessValid; finessInvalidKey += o.finessInvalidKey
        sirenValid += o.sirenValid; siretValid += o.siretValid
        ibanValid += o.ibanValid; ibanInvalidKey += o.ibanInvalidKey
        email += o.email; phone += o.phone; date += o.date; postalCode += o.postalCode
        nameShaped += o.nameShaped; numeric += o.numeric; multiWord += o.multiWord
        firstNameShaped += o.firstNameShaped; lastNameShaped += o.lastNameShaped; containsFirstName += o.containsFirstName
        streetShaped += o.streetShaped; labShaped += o.labShaped; titled += o.titled
        minYear = min(minYear, o.minYear); maxYear = max(maxYear, o.maxYear)
        for i in 0..<lexiconCells.count { lexiconCells[i] += o.lexiconCells[i] }
        lexiconAny += o.lexiconAny
        for (t, c) in o.termCells {
            if let x = termCells[t] { termCells[t] = x + c } else if termCells.count < 64 { termCells[t] = c }
        }
    }

    /// `part / values`, 0 when there are no values.
    public func ratio(_ part: Int) -> Double { values == 0 ? 0 : Double(part) / Double(values) }
}

/// Number of ``DataCategory`` cases (bits in a ``CategorySet``).
public let DataCategoryCount = DataCategory.allCases.count
