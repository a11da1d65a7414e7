import ImpactDetect

/// The byte shape of one value, computed in one pass: the cheap prefilter that decides which
/// validators are worth running on it.
///
/// Behaviour: one table look-up per byte (``classes``) adds the byte to its class counter (eight
/// 8-bit lanes of one word, flushed every 255 bytes) and tells whether it is a word byte or a
/// joiner (`'`, `-`) for the word count. Same counts as a `switch` per byte
/// (`ValueShapeTests` compares the two on every byte and on random strings).
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
    /// Runs of digits, letters and high bytes; `'` and `-` join, every other byte separates.
    var words = 0

    /// Lane (byte index) of each class in a ``classes`` entry and in the running sums.
    static let digitLane = 0, letterLane = 1, highLane = 2, spaceLane = 3, atLane = 4, separatorLane = 5, otherLane = 6
    /// Bit 56 of an entry: a word byte; bit 57: a joiner (keeps the current word open).
    static let wordBit: UInt64 = 1 << 56, joinerBit: UInt64 = 1 << 57
    static let laneMask: UInt64 = 0x00FF_FFFF_FFFF_FFFF

    /// Byte → one in its class lane, plus the word bits.
    static let classes: [UInt64] = (0..<256).map { b -> UInt64 in
        let lane: Int, flags: UInt64
        switch b {
        case 0x30...0x39: lane = digitLane; flags = wordBit
        case 0x41...0x5A, 0x61...0x7A: lane = letterLane; flags = wordBit
        case 0x80...0xFF: lane = highLane; flags = wordBit
        case 0x20, 0x09, 0x0A, 0x0D: lane = spaceLane; flags = 0
        case 0x40: lane = atLane; flags = 0
        case 0x27, 0x2D: lane = separatorLane; flags = joinerBit
        case 0x2E, 0x2F, 0x2B, 0x2C, 0x28, 0x29: lane = separatorLane; flags = 0
        default: lane = otherLane; flags = 0
        }
        return 1 << (8 * UInt64(lane)) | flags
    }

    @inline(__always) init(_ v: UnsafeRawBufferPointer) {
        length = v.count
        guard let base = v.baseAddress, v.count > 0 else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        var inWord: UInt64 = 0
        var words = 0
        var i = 0
        Self.classes.withUnsafeBufferPointer { table in
            while i < length {
                let end = min(length, i + 255)
                var sums: UInt64 = 0
                while i < end {
                    let e = table[Int(p[i])]
                    sums &+= e & Self.laneMask
                    let w = (e >> 56) & 1
                    words &+= Int(truncatingIfNeeded: w & ~inWord)
                    inWord = w | ((e >> 57) & inWord)
                    i += 1
                }
                @inline(__always) func lane(_ k: Int) -> Int { Int(truncatingIfNeeded: (sums >> (8 * UInt64(k))) & 0xFF) }
                digits += lane(Self.digitLane)
                asciiLetters += lane(Self.letterLane)
                highBytes += lane(Self.highLane)
                spaces += lane(Self.spaceLane)
                at += lane(Self.atLane)
                separators += lane(Self.separatorLane)
                other += lane(Self.otherLane)
            }
        }
        self.words = words
    }

    var hasLetters: Bool { asciiLetters + highBytes > 0 }
    var isNumericLike: Bool { digits > 0 && asciiLetters == 0 && highBytes == 0 && at == 0 && other == 0 }
    /// The value has a byte that ``ValueBytes``-style compacting without dots and dashes refuses
    /// (a separator or another symbol): FINESS, ADELI, SIREN, SIRET and RPPS are then malformed.
    var hasNonCompactByte: Bool { separators > 0 || other > 0 || at > 0 }
}

/// Runs the content checks of ``FieldEvidence`` on values, and builds the normalised forms
/// used for subject keys. Owns its scratch buffers: one per thread.
struct CellInspector {
    var scratch: [UInt8] = []
    let lexicon: TermLexicon
    /// Verdicts of the values already inspected (the sample repeats lab names, units, statuses,
    /// given names…).
    var cache: VerdictCache

    init(lexicon: TermLexicon, cache: VerdictCache = VerdictCache()) {
        self.lexicon = lexicon
        self.cache = cache
        scratch.reserveCapacity(64)
    }

    /// Every cheap check (the classification sample): updates `e`. A value met before (same
    /// bytes) adds its kept verdict; the checks are a function of the bytes alone.
    mutating func inspectAll(_ v: UnsafeRawBufferPointer, into e: inout FieldEvidence) {
        guard v.count <= cache.maxLength else {
            verdict(of: v).apply(to: &e)
            return
        }
        let h = cache.hash(v)
        if let k = cache.find(v, hash: h) {
            cache.verdicts[k].apply(to: &e)
            return
        }
        let found = verdict(of: v)
        cache.add(v, hash: h, verdict: found)
        found.apply(to: &e)
    }

    /// Every cheap check on one value: what it adds to a field's evidence.
    mutating func verdict(of v: UnsafeRawBufferPointer) -> CellVerdict {
        let s = ValueShape(v)
        var r = CellVerdict()
        if s.isNumericLike || (s.digits >= 10 && s.asciiLetters <= 2 && s.highBytes == 0 && s.at == 0) {
            if s.isNumericLike { r.marks.insert(.numeric) }
            if s.digits >= 12 && s.digits <= 15 {
                switch NIRValidator.check(v, normalized: &scratch) {
                case .valid(let kind): r.marks.insert(.nirValid); if kind == .temporary { r.marks.insert(.nirTemporary) }
                case .keyAbsent: r.marks.insert(.nirKeyAbsent)
                case .invalidKey: r.marks.insert(.nirInvalidKey)
                case .malformed: break
                }
            }
            // RPPS, FINESS, ADELI, SIREN and SIRET accept digits, letters and white space only.
            let compactable = !s.hasNonCompactByte
            if compactable && (s.digits == 11 || s.digits == 12) {
                switch RPPSValidator.check(v, normalized: &scratch) {
                case .valid, .unchecked: r.marks.insert(.rppsValid)
                case .invalidKey: r.marks.insert(.rppsInvalidKey)
                case .malformed: break
                }
            }
            if compactable && s.digits >= 7 && s.digits <= 9 && s.length <= 11 {
                switch FINESSValidator.check(v, normalized: &scratch) {
                case .valid, .unchecked: r.marks.insert(.finessValid)
                case .invalidKey: r.marks.insert(.finessInvalidKey)
                case .malformed: break
                }
                if ADELIValidator.check(v, normalized: &scratch).isAccepted { r.marks.insert(.adeliValid) }
                if SIRENValidator.check(v, normalized: &scratch).isAccepted { r.marks.insert(.sirenValid) }
            }
            if compactable && s.digits == 14, SIRETValidator.check(v, normalized: &scratch).isAccepted { r.marks.insert(.siretValid) }
            if s.digits >= 8 && s.digits <= 15, Self.mayBePhone(v), PhoneValidator.check(v, normalized: &scratch).isAccepted { r.marks.insert(.phone) }
            if s.digits >= 6 && s.digits <= 14, Self.mayBeDate(s), let d = DateParser.parse(v) {
                r.marks.insert(.date)
                r.year = d.year
            }
            if s.digits == 5 && s.length == 5, PostalCodeValidator.check(v, normalized: &scratch).isAccepted { r.marks.insert(.postalCode) }
            if s.asciiLetters == 2 && s.digits >= 12 {
                switch IBANValidator.check(v, normalized: &scratch) {
                case .valid, .unchecked: r.marks.insert(.ibanValid)
                case .invalidKey: r.marks.insert(.ibanInvalidKey)
                case .malformed: break
                }
            }
            return r
        }
        if s.at == 1 && s.spaces == 0 {
            if EmailValidator.check(v, normalized: &scratch).isAccepted { r.marks.insert(.email) }
            return r
        }
        if s.asciiLetters == 2 && s.digits >= 12 {
            switch IBANValidator.check(v, normalized: &scratch) {
            case .valid, .unchecked: r.marks.insert(.ibanValid); return r
            case .invalidKey: r.marks.insert(.ibanInvalidKey); return r
            case .malformed: break
            }
        }
        if s.hasLetters {
            if s.digits == 0 && s.at == 0 && s.other == 0 && s.words <= 4 { r.marks.insert(.nameShaped) }
            if s.words >= 3 { r.marks.insert(.multiWord) }
            let (shapes, hits) = shapesAndTerms(v)
            if shapes.contains(.firstName) { r.marks.insert(.firstNameShaped) }
            if shapes.contains(.lastName) { r.marks.insert(.lastNameShaped) }
            if shapes.contains(.containsFirstName) { r.marks.insert(.containsFirstName) }
            if shapes.contains(.street) { r.marks.insert(.streetShaped) }
            if shapes.contains(.lab) { r.marks.insert(.labShaped) }
            if shapes.contains(.title) { r.marks.insert(.titled) }
            r.hits = hits
        }
        return r
    }

    /// Whether ``PhoneValidator`` may accept `v`: without a `+`, its first digit must be the `0`
    /// of a national number or of a `00` prefix. A necessary condition only (the prefilter test
    /// checks that a value it refuses is malformed).
    @inline(__always) static func mayBePhone(_ v: UnsafeRawBufferPointer) -> Bool {
        for b in v {
            if b == 0x2B { return true }
            if b &- 0x30 < 10 { return b == 0x30 }
        }
        return false
    }

    /// Whether ``DateParser`` may read a date in a value of shape `s`: every form but `yyyymmdd`
    /// (exactly 8 digits) has a `/`, `-` or `.` after its first number. A necessary condition only.
    @inline(__always) static func mayBeDate(_ s: ValueShape) -> Bool {
        s.separators > 0 || s.digits == 8
    }

    /// The value shapes and the lexicon hits of a value with letters, from one fold: the
    /// lexicon scans the case-kept fold, then the same bytes lower-cased
    /// (``TextFold/lowerCaseFolded(_:)``) give the shapes. The same as
    /// `ValueShapeLexicon.standard.shapes(of: v)` and `lexicon.scan(text: v, …)`, which fold
    /// the value once each.
    @inline(__always) func shapesAndTerms(_ v: UnsafeRawBufferPointer) -> (ValueShapes, LexiconHits) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TextFold.capacityNeeded(v.count)) { buffer in
            let n = TextFold.fold(v, into: buffer, preservingCase: true)
            let folded = UnsafeRawBufferPointer(start: buffer.baseAddress, count: n)
            let hits = TextFold.mayContainLetter(v) ? lexicon.scan(folded: folded) : LexiconHits()
            TextFold.lowerCaseFolded(UnsafeMutableBufferPointer(rebasing: buffer[0..<n]))
            return (ValueShapeLexicon.standard.shapes(folded: folded), hits)
        }
    }
}
