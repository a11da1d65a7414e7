import ImpactDetect

/// The byte shape of one value, computed in one pass: the cheap prefilter that decides which
/// validators are worth running on it.
struct ValueShape {
    var length = 0
    var digits = 0
    var asciiLetters = 0
    /// Bytes ≥ 0x80 (non-ASCII letters in UTF-8, mostly accented).
    var highBytes = 0
    var spaces = 0
    var at = 0
    /// `.`, `-`, `/`, `+`, `,`, `(`, `)` and `'`.
    var separators = 0
    var other = 0
    var words = 0

    @inline(__always) init(_ v: UnsafeRawBufferPointer) {
        length = v.count
        var inWord = false
        for b in v {
            switch b {
            case 0x30...0x39: digits += 1; if !inWord { words += 1; inWord = true }
            case 0x41...0x5A, 0x61...0x7A: asciiLetters += 1; if !inWord { words += 1; inWord = true }
            case 0x80...0xFF: highBytes += 1; if !inWord { words += 1; inWord = true }
            case 0x20, 0x09, 0x0A, 0x0D: spaces += 1; inWord = false
            case 0x40: at += 1; inWord = false
            case 0x2E, 0x2D, 0x2F, 0x2B, 0x2C, 0x28, 0x29, 0x27: separators += 1; inWord = b == 0x27 || b == 0x2D ? inWord : false
            default: other += 1; inWord = false
            }
        }
    }

    var hasLetters: Bool { asciiLetters + highBytes > 0 }
    var isNumericLike: Bool { digits > 0 && asciiLetters == 0 && highBytes == 0 && at == 0 && other == 0 }
}

/// Runs the content checks of ``FieldEvidence`` on values, and builds the normalised forms
/// used for subject keys. Owns its scratch buffers: one per thread.
struct CellInspector {
    var scratch: [UInt8] = []
    var folded: [UInt8] = []
    let lexicon: TermLexicon

    init(lexicon: TermLexicon) {
        self.lexicon = lexicon
        scratch.reserveCapacity(64)
        folded.reserveCapacity(256)
    }

    /// Every cheap check (the classification sample): updates `e`.
    mutating func inspectAll(_ v: UnsafeRawBufferPointer, into e: inout FieldEvidence) {
        let s = ValueShape(v)
        e.values += 1
        if s.isNumericLike || (s.digits >= 10 && s.asciiLetters <= 2 && s.highBytes == 0 && s.at == 0) {
            if s.isNumericLike { e.numeric += 1 }
            if s.digits >= 12 && s.digits <= 15 {
                switch NIRValidator.check(v, normalized: &scratch) {
                case .valid(let kind): e.nirValid += 1; if kind == .temporary { e.nirTemporary += 1 }
                case .keyAbsent: e.nirKeyAbsent += 1
                case .invalidKey: e.nirInvalidKey += 1
                case .malformed: break
                }
            }
            if s.digits == 11 || s.digits == 12 {
                switch RPPSValidator.check(v, normalized: &scratch) {
                case .valid, .unchecked: e.rppsValid += 1
                case .invalidKey: e.rppsInvalidKey += 1
                case .malformed: break
                }
            }
            if s.digits >= 7 && s.digits <= 9 && s.length <= 11 {
                switch FINESSValidator.check(v, normalized: &scratch) {
                case .valid, .unchecked: e.finessValid += 1
                case .invalidKey: e.finessInvalidKey += 1
                case .malformed: break
                }
                if ADELIValidator.check(v, normalized: &scratch).isAccepted { e.adeliValid += 1 }
                if SIRENValidator.check(v, normalized: &scratch).isAccepted { e.sirenValid += 1 }
            }
            if s.digits == 14, SIRETValidator.check(v, normalized: &scratch).isAccepted { e.siretValid += 1 }
            if s.digits >= 8 && s.digits <= 15, PhoneValidator.check(v, normalized: &scratch).isAccepted { e.phone += 1 }
            if s.digits >= 6 && s.digits <= 14, let d = DateParser.parse(v) {
                e.date += 1
                e.minYear = min(e.minYear, d.year)
                e.maxYear = max(e.maxYear, d.year)
            }
            if s.digits == 5 && s.length == 5, PostalCodeValidator.check(v, normalized: &scratch).isAccepted { e.postalCode += 1 }
            if s.asciiLetters == 2 && s.digits >= 12 {
                switch IBANValidator.check(v, normalized: &scratch) {
                case .valid, .unchecked: e.ibanValid += 1
                case .invalidKey: e.ibanInvalidKey += 1
                case .malformed: break
                }
            }
            return
        }
        if s.at == 1 && s.spaces == 0 {
            if EmailValidator.check(v, normalized: &scratch).isAccepted { e.email += 1 }
            return
        }
        if s.asciiLetters == 2 && s.digits >= 12 {
            switch IBANValidator.check(v, normalized: &scratch) {
            case .valid, .unchecked: e.ibanValid += 1; return
            case .invalidKey: e.ibanInvalidKey += 1; return
            case .malformed: break
            }
        }
        if s.hasLetters {
            if s.digits == 0 && s.at == 0 && s.other == 0 && s.words <= 4 { e.nameShaped += 1 }
            if s.words >= 3 { e.multiWord += 1 }
            let shapes = ValueShapeLexicon.standard.shapes(of: v)
            if shapes.contains(.firstName) { e.firstNameShaped += 1 }
            if shapes.contains(.lastName) { e.lastNameShaped += 1 }
            if shapes.contains(.containsFirstName) { e.containsFirstName += 1 }
            if shapes.contains(.street) { e.streetShaped += 1 }
            if shapes.contains(.lab) { e.labShaped += 1 }
            if shapes.contains(.title) { e.titled += 1 }
            e.noteTerms(scan(v))
        }
    }

    /// Lexicon hits of one value (folds it first). Values without letters return no hit.
    @inline(__always) mutating func scan(_ v: UnsafeRawBufferPointer) -> LexiconHits {
        folded.removeAll(keepingCapacity: true)
        return lexicon.scan(text: v, scratch: &folded)
    }
}
