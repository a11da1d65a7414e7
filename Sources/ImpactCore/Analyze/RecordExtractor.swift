#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImpactIngest
import ImpactDetect

/// What the hot loop does with the values of one field: its ``FieldKind`` and the categories
/// its plan gives every non-empty value.
struct FieldCode {
    var kind: FieldKind = .undecided
    var categories: UInt32 = 0
}

/// What the extraction's first pass does with a value of one *input* field (an index of the
/// reader's field ids): the ``FieldCode`` of its global field, resolved once per set of plans
/// (``routes(codes:map:)``) so that the per-value loop reads one entry instead of the map and
/// the code, and keeps few values live.
struct FieldRoute {
    /// The global field (its ``FieldCounters``).
    var global: Int32 = 0
    /// Categories every non-empty value adds: the plan's for a plain or free-text field, the
    /// role's for a name, patient-id, contact or prescriber field, none for the others (a NIR's
    /// come from its validation).
    var categories: UInt32 = 0
    var kind: FieldKind = .ignore
    var pass: Pass = .none

    enum Pass: UInt8 {
        /// Counted and its categories added, nothing more.
        case none
        /// Listed for the second pass (validators, lexicon): NIR, birth date, free text.
        case check
        /// Its record's first value of this kind is noted (names, ids, contacts, controller).
        case role
    }

    /// A route to pass when there is no field (no record then has a value to route).
    nonisolated(unsafe) static let none: UnsafePointer<FieldRoute> = {
        let p = UnsafeMutablePointer<FieldRoute>.allocate(capacity: 1)
        p.initialize(to: FieldRoute())
        return UnsafePointer(p)
    }()

    /// The route of every input field id: `map[id]` is its global field (negative for an id
    /// not declared, which no record holds), `codes` the global fields' codes.
    static func routes(codes: UnsafeBufferPointer<FieldCode>, map: UnsafeBufferPointer<Int>) -> [FieldRoute] {
        map.map { g in
            guard g >= 0, g < codes.count else { return FieldRoute() }
            let code = codes[g]
            var route = FieldRoute(global: Int32(truncatingIfNeeded: g), categories: 0, kind: code.kind, pass: .role)
            switch code.kind {
            case .undecided, .ignore: route.pass = .none
            case .categoriesOnly: route.pass = .none; route.categories = code.categories
            case .scan: route.pass = .check; route.categories = code.categories
            case .nir: route.pass = .check
            case .birthDate: route.pass = .check; route.categories = DataCategory.birthDate.bit
            case .lastName, .firstName, .fullName: route.categories = DataCategory.personName.bit
            case .patientID: route.categories = DataCategory.patientID.bit
            case .email: route.categories = DataCategory.emailAddress.bit
            case .phone: route.categories = DataCategory.phoneNumber.bit
            case .controllerID, .controllerName: break
            case .prescriberID, .prescriberName: route.categories = DataCategory.healthProfessional.bit
            }
            return route
        }
    }
}

/// Per-field counts gathered while records are analysed; added to the field's file evidence.
struct FieldCounters {
    var values = 0
    var nirValid = 0, nirTemporary = 0, nirKeyAbsent = 0, nirInvalidKey = 0
    var date = 0
    var rppsInvalidKey = 0

    mutating func add(_ o: FieldCounters) {
        values += o.values
        nirValid += o.nirValid; nirTemporary += o.nirTemporary
        nirKeyAbsent += o.nirKeyAbsent; nirInvalidKey += o.nirInvalidKey
        date += o.date
        rppsInvalidKey += o.rppsInvalidKey
    }
}

/// Lexicon terms found in one cell of a field, kept in record order for the field's evidence
/// (the evidence lists the first terms met, so the order matters).
struct TermHit {
    var field: Int32
    var hits: LexiconHits
}

/// Everything about one record that depends on the record alone (and the field plans): its
/// category bits, its identifier keys, its health professional and where its controller and
/// patient id are. What is left to do with it (controller index, patient-id key, linking)
/// needs the analysis' shared state: see ``RecordProcessor/link(_:_:)``.
struct ExtractedRecord {
    /// Category bits of the record (before ``CategorySet/closed``).
    var mask: UInt32 = 0
    /// Value indices of the controller id, controller name and patient id (-1: none).
    var idAt: Int32 = -1
    var nameAt: Int32 = -1
    var pidAt: Int32 = -1
    /// Keys (raw values; 0: none): NIR (+ birth date), name + birth date, and the e-mail or
    /// phone fallback used when the record has no other key.
    var nirKey: UInt64 = 0
    var nameKey: UInt64 = 0
    /// A full-name field's order-free key, besides its ordered one (``nameKey``) when capitals
    /// told the family name apart (0: none).
    var fullNameKey: UInt64 = 0
    var fallbackKey: UInt64 = 0
    var fallbackKind: UInt8 = SubjectKeyKind.email.rawValue
    /// The record's health professional (raw key; 0: none).
    var professional: UInt64 = 0
}

/// The per-record work that depends only on the record and the field plans: trimming and
/// dispatching values by field kind, validating identifiers (NIR, RPPS/ADELI, dates, e-mail,
/// phone), folding and sorting names, hashing keys, scanning free text with the lexicon.
///
/// One extractor per thread (it owns its scratch buffers and its ``LexiconMemo``); its output
/// is the same whichever thread runs it, which lets an ``AnalysisPipeline`` extract batches on
/// the reading thread when the analysing thread is behind.
///
/// Speed: a record is read through a ``RecordView`` (raw pointers, no closure per value);
/// normalised keys are built in fixed scratch buffers; lexicon results of short repeated values
/// (exam labels, result words) come from the memo. Nothing is allocated per record once the
/// buffers have grown.
final class RecordExtractor {
    let lexicon: TermLexicon
    let hasher: SubjectKeyHasher
    /// Validators' output (their API writes into an array).
    private var scratch: [UInt8] = []
    /// The record's NIR (13 bytes) and birth date (`yyyymmdd`).
    private var nirBytes = GrowableStorage<UInt8>(capacity: 16)
    private var dobBytes = GrowableStorage<UInt8>(capacity: 16)
    /// Folded text (names, lexicon scans) and the sorted name tokens.
    private var foldBuffer = GrowableStorage<UInt8>(capacity: 4096)
    private var nameBuffer = GrowableStorage<UInt8>(capacity: 4096)
    private var tokens = GrowableStorage<TokenSpan>(capacity: 64)
    private var spareTokens = GrowableStorage<TokenSpan>(capacity: 64)
    /// The values of a record that need a validator or the lexicon (``extract``'s second pass).
    private var cellsToCheck = GrowableStorage<Int32>(capacity: 64)
    /// Lexicon hits of short values (4 Ki slots of 128 bytes, 512 KiB).
    private var lexiconMemo = ByteMemo<LexiconHits>(slots: 4096, maxLength: 64, empty: LexiconHits())
    /// Keys of prescriber numbers not in the compact RPPS form (spaced, IdNat_PS, ADELI; 0:
    /// neither validates). Tens of thousands of prescribers in a large leak: 32 Ki slots of 64
    /// bytes, 2 MiB.
    private var professionalMemo = ByteMemo<UInt64>(slots: 1 << 15, maxLength: 24, empty: 0)

    /// The previous record's inputs and results of the per-person computations, reused when
    /// a record repeats them (``RepeatedInputs``): the NIR cell's validation, the birth date's
    /// parsing, the subject keys (by the path the names took) and the prescriber's key.
    private var lastNIRCell = RepeatedInputs()
    private var lastNIROutcome = NIROutcome.malformed
    private var lastKeptNIR = GrowableStorage<UInt8>(capacity: 16)
    private var lastDateCell = RepeatedInputs()
    private var lastDate: (year: Int, month: Int, day: Int)? = nil
    private var lastSeparateNameKeys = RepeatedInputs()
    private var lastSeparateNameResult: (nir: UInt64, name: UInt64, fullName: UInt64) = (0, 0, 0)
    private var lastFullNameKeys = RepeatedInputs()
    private var lastFullNameResult: (nir: UInt64, name: UInt64, fullName: UInt64) = (0, 0, 0)
    private var lastPrescriber = RepeatedInputs()
    private var lastPrescriberKey: UInt64 = 0

    /// Per ``FieldKind``: the record's first value of that kind (-1: none), for ``extract``.
    private let roleAt = UnsafeMutablePointer<Int32>.allocate(capacity: RecordExtractor.roleSlots)
    private static let roleSlots = 16

    init(lexicon: TermLexicon, hasher: SubjectKeyHasher) {
        self.lexicon = lexicon
        self.hasher = hasher
        scratch.reserveCapacity(64)
        precondition(DataCategoryCount < 31, "RecordExtractor.nirKept needs a free bit")
        precondition(Int(FieldKind.prescriberName.rawValue) < Self.roleSlots, "RecordExtractor.roleAt needs a slot per FieldKind")
    }

    deinit {
        nirBytes.free(); dobBytes.free(); foldBuffer.free(); nameBuffer.free(); tokens.free(); spareTokens.free()
        cellsToCheck.free()
        lastKeptNIR.free()
        roleAt.deallocate()
        latin1Letters.deallocate()
        lexiconMemo.free()
        professionalMemo.free()
    }

    /// Extracts one record.
    /// - Parameters:
    ///   - routes: the route of each input field id (``FieldRoute/routes(codes:map:)``).
    ///   - counters: per global field, updated.
    ///   - terms: receives the lexicon hits of the record's cells, in order.
    func extract(_ r: RecordView, routes: UnsafePointer<FieldRoute>,
                 counters: UnsafeMutablePointer<FieldCounters>, terms: inout [TermHit]) -> ExtractedRecord {
        var e = ExtractedRecord()
        var mask: UInt32 = 0
        var haveNIR = false, haveDOB = false
        nirBytes.count = 0
        dobBytes.count = 0
        cellsToCheck.reserve(r.count)
        let toCheck = cellsToCheck.base
        var checks = 0
        let at = roleAt
        at.update(repeating: -1, count: Self.roleSlots)

        // First pass, without a call and with few values live: counts, categories and the
        // first value of each role (noted in `roleAt`, in memory, not in registers); the values
        // that need a validator or the lexicon are listed, in order, for the second pass. The
        // two groups touch disjoint state, so the split keeps the results and the order of the
        // lexicon hits. Extraction's own instructions per record of the benchmark (cachegrind):
        // 1,487 with one loop; 1,242 with the split and the roles in locals; 1,066 with routes (`RecordView` read through locals, 244,000 records, one thread).
        // Without bytes, every value is empty.
        if let b = r.bytes {
            let starts = r.starts, ends = r.ends, ids = r.fieldIDs
            for i in 0..<r.count {
                let s = Int(starts[i]), end = Int(ends[i])
                if s == end { continue }
                if b.load(fromByteOffset: s, as: UInt8.self) <= 0x20 || b.load(fromByteOffset: end &- 1, as: UInt8.self) <= 0x20 {
                    if trimmed(r.value(i)).count == 0 { continue }
                }
                let route = routes[Int(ids[i])]
                counters[Int(route.global)].values &+= 1
                mask |= route.categories
                switch route.pass {
                case .none:
                    break
                case .check:
                    toCheck[checks] = Int32(truncatingIfNeeded: i)
                    checks &+= 1
                case .role:
                    let k = Int(route.kind.rawValue)
                    if at[k] < 0 { at[k] = Int32(truncatingIfNeeded: i) }
                }
            }
        }
        // Second pass: the listed values, in record order.
        for k in 0..<checks {
            let i = Int(toCheck[k])
            let route = routes[r.fieldID(i)]
            let g = Int(route.global)
            let v = trimmed(r.value(i))
            switch route.kind {
            case .scan:
                mask |= scanCell(v, field: g, terms: &terms)
            case .nir:
                if haveNIR { continue }
                let bits = nirCell(v, counters: counters + g)
                if bits != 0 { mask |= bits & ~Self.nirKept; haveNIR = true }
            default:   // .birthDate
                if !haveDOB, let d = birthDate(v) {
                    counters[g].date += 1
                    appendDate(d, to: &dobBytes)
                    haveDOB = true
                }
            }
        }
        @inline(__always) func first(_ kind: FieldKind) -> Int { Int(at[Int(kind.rawValue)]) }
        let lastAt = first(.lastName), firstAt = first(.firstName), fullAt = first(.fullName)
        let emailAt = first(.email), phoneAt = first(.phone)
        let rppsAt = first(.prescriberID), prescriberNameAt = first(.prescriberName)
        e.pidAt = at[Int(FieldKind.patientID.rawValue)]
        e.idAt = at[Int(FieldKind.controllerID.rawValue)]
        e.nameAt = at[Int(FieldKind.controllerName.rawValue)]
        e.mask = mask

        // Health professional: by RPPS when it validates, else by folded name.
        if rppsAt >= 0 {
            let t = trimmed(r.value(rppsAt))
            e.professional = professionalKey(t)
            if e.professional == 0 { counters[Int(routes[r.fieldID(rppsAt)].global)].rppsInvalidKey += 1 }
        }
        if e.professional == 0 && prescriberNameAt >= 0 {
            if let tokens = sortedNameTokens(r.value(prescriberNameAt), nil) {
                e.professional = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nameAndBirthDate), 0x50), tokens)).rawValue
            }
        }

        // Subject keys (the patient id's needs the controller index: the linker hashes it).
        guard mask & identifyingCategories.rawValue != 0 else { return e }
        // The keys are a function of the kept NIR, the birth date and the name values (by the
        // path the names take): a record repeating the previous one's reuses its keys.
        // `nirBytes` and `dobBytes` are empty unless `haveNIR` and `haveDOB`.
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        let separateNames = lastAt >= 0 || firstAt >= 0
        if separateNames || fullAt < 0 {
            let family = lastAt >= 0 ? r.value(lastAt) : none, given = firstAt >= 0 ? r.value(firstAt) : none
            if lastSeparateNameKeys.matches(nirBytes.bytes, dobBytes.bytes, family, given) {
                (e.nirKey, e.nameKey, e.fullNameKey) = lastSeparateNameResult
            } else {
                subjectKeys(&e, haveNIR: haveNIR, haveDOB: haveDOB, family: family, given: given, fullName: nil)
                lastSeparateNameKeys.store(nirBytes.bytes, dobBytes.bytes, family, given)
                lastSeparateNameResult = (e.nirKey, e.nameKey, e.fullNameKey)
            }
        } else {
            let full = r.value(fullAt)
            if lastFullNameKeys.matches(nirBytes.bytes, dobBytes.bytes, full) {
                (e.nirKey, e.nameKey, e.fullNameKey) = lastFullNameResult
            } else {
                subjectKeys(&e, haveNIR: haveNIR, haveDOB: haveDOB, family: none, given: none, fullName: full)
                lastFullNameKeys.store(nirBytes.bytes, dobBytes.bytes, full)
                lastFullNameResult = (e.nirKey, e.nameKey, e.fullNameKey)
            }
        }
        if e.nirKey == 0 && e.nameKey == 0 && e.pidAt < 0 {
            if emailAt >= 0, EmailValidator.check(trimmed(r.value(emailAt)), normalized: &scratch).isAccepted {
                e.fallbackKey = hasher.finish(hasher.absorb(hasher.begin(.email), scratch)).rawValue
                e.fallbackKind = SubjectKeyKind.email.rawValue
            } else if phoneAt >= 0, PhoneValidator.check(trimmed(r.value(phoneAt)), normalized: &scratch).isAccepted {
                e.fallbackKey = hasher.finish(hasher.absorb(hasher.begin(.phone), scratch)).rawValue
                e.fallbackKind = SubjectKeyKind.phone.rawValue
            }
        }
        return e
    }

    /// The subject keys of a record from its kept NIR and birth date (``nirBytes``,
    /// ``dobBytes``) and its names: separate family and given names, or one full-name value.
    private func subjectKeys(_ e: inout ExtractedRecord, haveNIR: Bool, haveDOB: Bool, family: UnsafeRawBufferPointer,
                             given: UnsafeRawBufferPointer, fullName: UnsafeRawBufferPointer?) {
        if haveNIR {
            var h = hasher.absorb(hasher.begin(.nationalID), nirBytes.bytes)
            h = hasher.absorb(h, dobBytes.bytes)
            e.nirKey = hasher.finish(h).rawValue
        }
        if haveDOB {
            var tokens: UnsafeRawBufferPointer?
            if let fullName {
                tokens = personNameKeyBytes(fullName: fullName)
                // The order-free key too when capitals gave an ordered one, so "Jean DUPONT",
                // "Jean Dupont" and "jean dupont" are one person (second tester, N5). The ordered
                // bytes are hashed first: the order-free ones reuse the name buffer.
                if let ordered = tokens, fullNameWasOrdered {
                    e.nameKey = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nameAndBirthDate), ordered), dobBytes.bytes)).rawValue
                    tokens = nil
                    if let free = orderFreeFullNameBytes() {
                        e.fullNameKey = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nameAndBirthDate), free), dobBytes.bytes)).rawValue
                    }
                }
            } else {
                tokens = personNameKeyBytes(family: family, given: given)
            }
            if let tokens {
                e.nameKey = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nameAndBirthDate), tokens), dobBytes.bytes)).rawValue
            }
        }
    }

    /// A birth-date cell's date: the previous one's when the cell repeats it.
    @inline(__always) private func birthDate(_ v: UnsafeRawBufferPointer) -> (year: Int, month: Int, day: Int)? {
        if lastDateCell.matches(v) { return lastDate }
        let d = DateParser.parse(v)
        lastDate = d
        lastDateCell.store(v)
        return d
    }

    /// A free-text cell: its lexicon hits noted in `terms`; returns the categories they add.
    /// Out of line, like ``nirCell(_:counters:)``: the record loop keeps fewer values live.
    @inline(never) private func scanCell(_ v: UnsafeRawBufferPointer, field g: Int, terms: inout [TermHit]) -> UInt32 {
        let hits = scan(v)
        guard hits.categories.rawValue != 0 else { return 0 }
        terms.append(TermHit(field: Int32(truncatingIfNeeded: g), hits: hits))
        return hits.categories.closed.rawValue
    }

    /// Marks, in ``nirCell(_:counters:)``'s result, that the NIR was kept: a bit no category
    /// uses (``DataCategory`` has fewer than 31 cases; checked in `init`).
    private static let nirKept: UInt32 = 1 << 31

    /// A NIR cell: validates it, counts the outcome and keeps the NIR when it is one (valid, or
    /// without its key). Returns 0 when it is not kept, else ``nirKept`` with the national-id
    /// bit when the key is valid.
    @inline(never) private func nirCell(_ v: UnsafeRawBufferPointer, counters c: UnsafeMutablePointer<FieldCounters>) -> UInt32 {
        let outcome: NIROutcome
        if lastNIRCell.matches(v) {
            // The previous record's NIR cell: its outcome and the NIR it kept.
            outcome = lastNIROutcome
            if outcome.isAccepted {
                nirBytes.count = 0
                nirBytes.append(contentsOf: lastKeptNIR.base, count: lastKeptNIR.count)
            }
        } else {
            // The compact 15-character form (most exports) is checked in place; anything else
            // is normalised into `scratch` by the general check.
            let compact = NIRValidator.checkCompact(v)
            outcome = compact ?? NIRValidator.check(v, normalized: &scratch)
            switch outcome {
            case .valid: if compact != nil { keepNIR(v) } else { keepNIR() }
            case .keyAbsent: keepNIR()
            case .invalidKey, .malformed: break
            }
            lastNIROutcome = outcome
            lastKeptNIR.count = 0
            if outcome.isAccepted { lastKeptNIR.append(contentsOf: nirBytes.base, count: nirBytes.count) }
            lastNIRCell.store(v)
        }
        switch outcome {
        case .valid(let kind):
            c.pointee.nirValid += 1
            if kind == .temporary { c.pointee.nirTemporary += 1 }
            return Self.nirKept | DataCategory.nationalID.bit
        case .keyAbsent:
            c.pointee.nirKeyAbsent += 1
            return Self.nirKept
        case .invalidKey:
            c.pointee.nirInvalidKey += 1
            return 0
        case .malformed:
            return 0
        }
    }

    /// The key of a prescriber's RPPS (or ADELI) number, 0 when it is neither.
    @inline(__always) private func professionalKey(_ t: UnsafeRawBufferPointer) -> UInt64 {
        if lastPrescriber.matches(t) { return lastPrescriberKey }
        let key = newProfessionalKey(t)
        lastPrescriber.store(t)
        lastPrescriberKey = key
        return key
    }

    /// ``professionalKey(_:)`` for a number the previous record did not carry.
    @inline(__always) private func newProfessionalKey(_ t: UnsafeRawBufferPointer) -> UInt64 {
        // The compact RPPS (11 digits, most exports) is checked in place: cheaper than a memo
        // look-up, which misses the caches with tens of thousands of prescribers (perf).
        if let outcome = RPPSValidator.checkCompact(t) {
            return outcome.isAccepted ? hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nationalID), 0x52), t)).rawValue : 0
        }
        let (known, probe) = professionalMemo.lookup(t, hasher: hasher)
        if let known { return known }
        var key: UInt64 = 0
        if RPPSValidator.check(t, normalized: &scratch).isAccepted {
            key = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nationalID), 0x52), scratch)).rawValue
        } else if ADELIValidator.check(t, normalized: &scratch).isAccepted {
            key = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nationalID), 0x41), scratch)).rawValue
        }
        professionalMemo.store(t, key, at: probe)
        return key
    }

    /// Keeps the first 13 bytes of a NIR already in normal form.
    @inline(__always) private func keepNIR(_ v: UnsafeRawBufferPointer) {
        nirBytes.count = 0
        nirBytes.append(contentsOf: v.baseAddress!.assumingMemoryBound(to: UInt8.self), count: min(13, v.count))
    }

    /// Keeps the first 13 characters of the NIR the validator normalised into `scratch`.
    @inline(__always) private func keepNIR() {
        nirBytes.count = 0
        let n = min(13, scratch.count)
        scratch.withUnsafeBufferPointer { nirBytes.append(contentsOf: $0.baseAddress!, count: n) }
    }

    /// Lexicon hits of one value: from the memo for short values met before, else folded into
    /// the fold buffer and scanned.
    @inline(__always) private func scan(_ v: UnsafeRawBufferPointer) -> LexiconHits {
        if !TextFold.mayContainLetter(v) { return LexiconHits() }
        let (known, probe) = lexiconMemo.lookup(v, hasher: hasher)
        if let known { return known }
        foldBuffer.reserve(TextFold.capacityNeeded(v.count))
        let hits = lexicon.scan(text: v, buffer: UnsafeMutableBufferPointer(start: foldBuffer.base, count: foldBuffer.capacity))
        lexiconMemo.store(v, hits, at: probe)
        return hits
    }

    /// The bytes of a data subject's name for the name + birth date key, from separate family
    /// and given-name fields: the folded family name with its separators removed, 0x1F, the
    /// folded given names with their separators removed (valid until the next call); nil when
    /// either part is empty.
    ///
    /// - The order of the two parts matters: "Michel BERNARD" and "Bernard MICHEL" born the same
    ///   day are two people (many French family names are also given names: Bernard, Michel,
    ///   Laurent, Thomas…; an order-free key merged such pairs, 12 of 498,910 subjects in a
    ///   2,000,000-record synthetic leak).
    /// - Separators inside a part do not: "N'GUYEN" and "NGUYEN", "Le Gall" and "LEGALL",
    ///   "Jean-Pierre" and "JEAN PIERRE" are one spelling (exports of different lab systems).
    /// - Both parts are required: a given name + birth date alone ("Marie", 1980-01-01) is far
    ///   too common to identify anyone, and a family name + birth date alone merges twins.
    private func personNameKeyBytes(family: UnsafeRawBufferPointer, given: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        if let plain = plainNameKeyBytes(family: family, given: given) { return plain }
        return foldedNameKeyBytes(family: family, given: given)
    }

    /// ``personNameKeyBytes(family:given:)`` by the general path (folding and splitting), for
    /// every value: what the shortcut must equal (tests).
    func foldedNameKeyBytes(family: UnsafeRawBufferPointer, given: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var length = fold(family, into: &foldBuffer, at: 0)
        let familyEnd = length
        foldBuffer.count = length
        foldBuffer.reserve(length + 1 + TextFold.capacityNeeded(given.count))
        foldBuffer.base[length] = 0x20
        length += 1
        length += fold(given, into: &foldBuffer, at: length)
        tokenize(foldBuffer.base, length)
        var familyCount = 0
        while familyCount < tokens.count && Int(tokens[familyCount].start) < familyEnd { familyCount += 1 }
        return orderedNameBytes(familyCount: familyCount)
    }

    /// ``personNameKeyBytes(family:given:)`` when both parts are single words of letters that
    /// fold to one ASCII letter each: ASCII letters (`DUPONT`, `Jean`) and the accented letters
    /// of Latin-1 (`é`, `Ç`, two bytes `C3 xx`, ``latin1Letters``). Folding lower-cases them and
    /// drops the accents, each part is one token, so the key bytes are the two folded parts with
    /// 0x1F between; written straight into ``nameBuffer``. nil for anything else (hyphens,
    /// blanks, ligatures, other scripts, an empty part), which the general path folds and splits
    /// (``foldedNameKeyBytes(family:given:)``).
    @inline(__always) func plainNameKeyBytes(family: UnsafeRawBufferPointer, given: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let f = family.count, g = given.count
        guard f > 0, g > 0 else { return nil }
        nameBuffer.reserve(f + 1 + g)
        let out = nameBuffer.base
        guard let familyEnd = plainLetters(family, into: out) else { return nil }
        out[familyEnd] = 0x1F
        guard let givenEnd = plainLetters(given, into: out + familyEnd + 1) else { return nil }
        return UnsafeRawBufferPointer(start: out, count: familyEnd + 1 + givenEnd)
    }

    /// Writes the folded letters of `v` to `out` (at most `v.count` bytes) and returns how many;
    /// nil at the first byte that is not an ASCII letter or a Latin-1 letter folding to one.
    @inline(__always) private func plainLetters(_ v: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        var k = 0, o = 0
        let n = v.count
        while k < n {
            let b = v[k]
            if b < 0x80 {
                let l = b | 0x20
                guard l &- 0x61 < 26 else { return nil }
                out[o] = l
                k &+= 1
            } else {
                guard b == 0xC3, k + 1 < n, v[k + 1] & 0xC0 == 0x80 else { return nil }
                let l = latin1Letters[Int(v[k + 1] & 0x3F)]
                guard l != 0 else { return nil }
                out[o] = l
                k &+= 2
            }
            o &+= 1
        }
        return o
    }

    /// For U+00C0…U+00FF (UTF-8 `C3 80`…`C3 BF`, by the second byte's low six bits): the one
    /// lower-case ASCII letter ``TextFold`` folds the character to, or 0 when it folds to
    /// anything else (`Æ` → `ae`, `ß` → `ss`, `×` → a separator). Built from ``TextFold`` itself,
    /// so the shortcut cannot disagree with the general path.
    private let latin1Letters: UnsafeMutablePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        var folded = [UInt8](repeating: 0, count: TextFold.capacityNeeded(2))
        for low in 0..<64 {
            let character: [UInt8] = [0xC3, 0x80 | UInt8(low)]
            let n = character.withUnsafeBytes { c in
                folded.withUnsafeMutableBufferPointer { TextFold.fold(c, into: $0, preservingCase: false) }
            }
            table[low] = n == 1 && folded[0] &- 0x61 < 26 ? folded[0] : 0
        }
        return table
    }()

    /// The name key bytes of a single full-name field. The family name is told apart by the
    /// French and administrative convention of writing it in capitals ("Jean-Pierre DUPONT",
    /// "DUPONT Jean-Pierre"): when some tokens of two letters or more are all capitals and others
    /// are not, the capital ones are the family name and the key equals the one of separate
    /// fields (``personNameKeyBytes(family:given:)``). Otherwise the order is unknown and the key
    /// is order-free: all tokens sorted, without the 0x1F separator, so it never equals an
    /// ordered key; a single word gives no key.
    private func personNameKeyBytes(fullName v: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        fullNameWasOrdered = false
        let need = TextFold.capacityNeeded(v.count)
        foldBuffer.count = 0
        foldBuffer.reserve(need)
        let f = foldBuffer.base
        let length = TextFold.fold(v, into: UnsafeMutableBufferPointer(start: f, count: need), preservingCase: true)
        tokenize(f, length)
        if containsApostrophe(v) { joinElidedLetters(f) }
        let n = tokens.count
        guard n > 0 else { return nil }
        // Stable partition into `spareTokens`: capital tokens first, then the others.
        spareTokens.count = 0
        spareTokens.reserve(n)
        var capitals = 0, others = 0
        for pass in 0..<2 {
            for k in 0..<n {
                let t = tokens[k]
                var upper = 0, lower = 0
                for i in Int(t.start)..<Int(t.end) {
                    let b = f[i]
                    if b &- 0x41 < 26 { upper += 1 } else if b &- 0x61 < 26 { lower += 1 }
                }
                let capital = upper >= 2 && lower == 0
                if pass == 0 {
                    if capital { capitals += 1; spareTokens.append(t) } else if upper + lower > 0 { others += 1 }
                } else if !capital {
                    spareTokens.append(t)
                }
            }
        }
        for i in 0..<length where f[i] &- 0x41 < 26 { f[i] |= 0x20 }
        if capitals > 0 && others > 0 {
            for k in 0..<n { tokens[k] = spareTokens[k] }
            fullNameWasOrdered = true
            return orderedNameBytes(familyCount: capitals)
        }
        // Without capitals, at least two words (a single word is not a name and a birth date).
        guard n >= 2 else { return nil }
        sortTokens(f, 0, n)
        return joinedTokens(f, familyCount: nil)
    }

    /// The order-free key bytes of the full name last given to ``personNameKeyBytes(fullName:)``
    /// (its folded, lower-cased tokens are still in ``tokens``): sorted, separated by 0x20.
    private func orderFreeFullNameBytes() -> UnsafeRawBufferPointer? {
        guard tokens.count >= 2 else { return nil }
        let f = foldBuffer.base
        sortTokens(f, 0, tokens.count)
        return joinedTokens(f, familyCount: nil)
    }

    /// Whether the last ``personNameKeyBytes(fullName:)`` gave an ordered key (capitals told
    /// the family name apart).
    private var fullNameWasOrdered = false

    /// Whether `v` holds an apostrophe (`'` or U+2019 `’`): only then can a one-letter word be an
    /// elided article rather than an initial ("Jean P. DUPONT").
    private func containsApostrophe(_ v: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < v.count {
            if v[i] == 0x27 { return true }
            if v[i] == 0xE2, i + 2 < v.count, v[i + 1] == 0x80, v[i + 2] == 0x99 { return true }
            i += 1
        }
        return false
    }

    /// Joins a one-letter token to the next one in place (`N'GUYEN`, `D'ALMEIDA` fold to
    /// `N GUYEN`, `D ALMEIDA`): the elided article is part of the name (second tester, N4).
    /// Called only for values holding an apostrophe.
    private func joinElidedLetters(_ f: UnsafeMutablePointer<UInt8>) {
        var k = 0
        while k + 1 < tokens.count {
            let t = tokens[k], next = tokens[k + 1]
            if t.end - t.start == 1 && f[Int(t.start)] &- 0x30 >= 10 {
                let n = Int(next.end - next.start)
                (f + Int(t.end)).update(from: f + Int(next.start), count: n)
                tokens[k] = TokenSpan(start: t.start, end: t.end + Int32(n))
                for j in (k + 1)..<(tokens.count - 1) { tokens[j] = tokens[j + 1] }
                tokens.count -= 1
            }
            k += 1
        }
    }

    /// Splits the folded text `f[0..<length]` into its space-separated tokens (``tokens``).
    private func tokenize(_ f: UnsafeMutablePointer<UInt8>, _ length: Int) {
        tokens.count = 0
        var start = -1
        for i in 0..<length {
            if f[i] == 0x20 {
                if start >= 0 { tokens.append(TokenSpan(start: Int32(start), end: Int32(i))); start = -1 }
            } else if start < 0 { start = i }
        }
        if start >= 0 { tokens.append(TokenSpan(start: Int32(start), end: Int32(length))) }
    }

    /// Joins the family tokens `0..<familyCount`, 0x1F, and the given-name tokens after them,
    /// each part's tokens concatenated in their order; nil when either part has no token.
    private func orderedNameBytes(familyCount: Int) -> UnsafeRawBufferPointer? {
        guard familyCount > 0 && familyCount < tokens.count else { return nil }
        return joinedTokens(foldBuffer.base, familyCount: familyCount)
    }

    /// Writes the tokens into ``nameBuffer``: with `familyCount`, the two parts' tokens each
    /// concatenated and 0x1F between the parts; without, separated by 0x20. Returns the bytes
    /// (valid until the next call).
    private func joinedTokens(_ f: UnsafeMutablePointer<UInt8>, familyCount: Int?) -> UnsafeRawBufferPointer {
        var total = 1
        for k in 0..<tokens.count { total += Int(tokens[k].end - tokens[k].start) + 1 }
        nameBuffer.reserve(total)
        var o = 0
        for k in 0..<tokens.count {
            let t = tokens[k]
            if k == familyCount {
                nameBuffer.base[o] = 0x1F; o += 1
            } else if k > 0 && familyCount == nil {
                nameBuffer.base[o] = 0x20; o += 1
            }
            let n = Int(t.end - t.start)
            (nameBuffer.base + o).update(from: f + Int(t.start), count: n)
            o += n
        }
        return UnsafeRawBufferPointer(start: nameBuffer.base, count: o)
    }

    /// Folds the name parts into space-free tokens, sorts them (so "Roux Anne" and
    /// "Anne Roux" are one name) and returns them separated by 0x20 (valid until the next call),
    /// or nil when there is no token. Used for health professionals' names, whose field order
    /// varies ("Dr Anne ROUX", "ROUX Anne").
    private func sortedNameTokens(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer?) -> UnsafeRawBufferPointer? {
        var length = fold(a, into: &foldBuffer, at: 0)
        if let b {
            foldBuffer.count = length
            foldBuffer.reserve(length + 1 + TextFold.capacityNeeded(b.count))
            foldBuffer.base[length] = 0x20
            length += 1
            length += fold(b, into: &foldBuffer, at: length)
        }
        let f = foldBuffer.base
        tokenize(f, length)
        guard tokens.count > 0 else { return nil }
        sortTokens(f, 0, tokens.count)
        return joinedTokens(f, familyCount: nil)
    }

    /// Sorts `tokens[lo..<hi]` by their bytes in `f` (byte order, a prefix first).
    private func sortTokens(_ f: UnsafeMutablePointer<UInt8>, _ lo: Int, _ hi: Int) {
        @inline(__always) func precedes(_ x: TokenSpan, _ y: TokenSpan) -> Bool {
            let nx = Int(x.end - x.start), ny = Int(y.end - y.start)
            let c = memcmp(f + Int(x.start), f + Int(y.start), min(nx, ny))
            return c != 0 ? c < 0 : nx < ny
        }
        let n = hi - lo
        guard n > 1 else { return }
        let t = tokens.base + lo
        if n <= 16 {
            // Insertion sort: names have a handful of tokens.
            for i in 1..<n {
                let x = t[i]
                var j = i - 1
                while j >= 0 && precedes(x, t[j]) { t[j + 1] = t[j]; j -= 1 }
                t[j + 1] = x
            }
        } else {
            var all = UnsafeMutableBufferPointer(start: t, count: n)
            all.sort(by: precedes)
        }
    }
}

/// The start and end of a name token in the fold buffer.
struct TokenSpan {
    var start: Int32
    var end: Int32
}

/// Folds `v` into `buffer` at `offset` (growing it); returns the folded length.
@inline(__always) func fold(_ v: UnsafeRawBufferPointer, into buffer: inout GrowableStorage<UInt8>, at offset: Int) -> Int {
    let need = TextFold.capacityNeeded(v.count)
    buffer.count = offset
    buffer.reserve(offset + need)
    return TextFold.fold(v, into: UnsafeMutableBufferPointer(start: buffer.base + offset, count: need), preservingCase: false)
}

/// Results of a pure function of short values met before: a direct-mapped table keyed by the
/// value's bytes (compared in full, so a hit is exact; a slot holds the last value hashed to
/// it). Exam labels, result words and stock comments (lexicon hits), prescribers' numbers
/// (their keys) repeat across millions of records; the work then runs once per distinct value
/// (per slot).
///
/// Layout: one slot per entry holding, side by side, the value's hash, its length, the result
/// and the value's bytes, so that a look-up touches one or two cache lines (separate arrays
/// of hashes, lengths, texts and results cost up to four misses per look-up: ~2 % of an
/// analysis, perf). Memory: `slots` × the slot size (a multiple of 64 bytes covering
/// 12 + the result's size + `maxLength` bytes), fixed.
struct ByteMemo<Value> {
    let slots: Int
    let maxLength: Int
    /// Bytes per slot; the hash is at 0, the length at 8, the result at `resultOffset`, the
    /// text after it.
    private let slotBytes: Int
    private let resultOffset: Int
    private let textOffset: Int
    private let storage: UnsafeMutableRawPointer

    init(slots: Int, maxLength: Int, empty: Value) {
        precondition(slots > 0 && slots & (slots - 1) == 0, "a power of two")
        self.slots = slots
        self.maxLength = maxLength
        let align = max(MemoryLayout<Value>.alignment, 8)
        resultOffset = (12 + align - 1) / align * align
        textOffset = resultOffset + MemoryLayout<Value>.size
        slotBytes = (textOffset + maxLength + 63) / 64 * 64
        storage = .allocate(byteCount: slots * slotBytes, alignment: 64)
        for i in 0..<slots {
            let slot = storage + i * slotBytes
            slot.storeBytes(of: 0, as: UInt64.self)
            slot.storeBytes(of: -1, toByteOffset: 8, as: Int32.self)
            (slot + resultOffset).bindMemory(to: Value.self, capacity: 1).initialize(to: empty)
        }
    }

    func free() {
        for i in 0..<slots { (storage + i * slotBytes + resultOffset).assumingMemoryBound(to: Value.self).deinitialize(count: 1) }
        storage.deallocate()
    }

    /// Where a value's look-up went: its hash and slot, for ``store(_:_:at:)`` after a miss.
    struct Probe {
        let hash: UInt64
        let slot: UnsafeMutableRawPointer?
    }

    /// The result stored for exactly these bytes, or nil with the probe to store it at (a
    /// value longer than `maxLength` is never stored).
    @inline(__always) func lookup(_ v: UnsafeRawBufferPointer, hasher: SubjectKeyHasher) -> (Value?, Probe) {
        guard v.count <= maxLength else { return (nil, Probe(hash: 0, slot: nil)) }
        let h = hasher.absorb(0x5EED, v)
        let slot = storage + (Int(truncatingIfNeeded: h >> 40) & (slots - 1)) * slotBytes
        guard slot.load(as: UInt64.self) == h, Int(slot.load(fromByteOffset: 8, as: Int32.self)) == v.count,
              v.count == 0 || memcmp(slot + textOffset, v.baseAddress!, v.count) == 0 else {
            return (nil, Probe(hash: h, slot: slot))
        }
        return ((slot + resultOffset).assumingMemoryBound(to: Value.self).pointee, Probe(hash: h, slot: slot))
    }

    /// Stores the result of the value looked up with `probe` (replacing what its slot held).
    @inline(__always) func store(_ v: UnsafeRawBufferPointer, _ result: Value, at probe: Probe) {
        guard let slot = probe.slot else { return }
        slot.storeBytes(of: probe.hash, as: UInt64.self)
        slot.storeBytes(of: Int32(v.count), toByteOffset: 8, as: Int32.self)
        if v.count > 0 { (slot + textOffset).copyMemory(from: v.baseAddress!, byteCount: v.count) }
        (slot + resultOffset).assumingMemoryBound(to: Value.self).pointee = result
    }
}

extension GrowableStorage where Element == UInt8 {
    /// The stored bytes.
    @inline(__always) var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}

/// Appends `yyyymmdd` as ASCII digits.
@inline(__always) func appendDate(_ d: (year: Int, month: Int, day: Int), to out: inout GrowableStorage<UInt8>) {
    out.reserve(out.count + 8)
    let p = out.base + out.count
    // Two decimal digits of 0…99: the tens are v * 103 >> 10 (exact on 0…99), as the
    // hundreds of 0…9999 are v * 5243 >> 19; no division.
    @inline(__always) func twoDigits(_ v: Int, at i: Int) {
        let tens = (v &* 103) &>> 10
        p[i] = UInt8(truncatingIfNeeded: 0x30 &+ tens)
        p[i + 1] = UInt8(truncatingIfNeeded: 0x30 &+ v &- tens &* 10)
    }
    if d.year >= 0 && d.year <= 9999 && d.month >= 0 && d.month <= 99 && d.day >= 0 && d.day <= 99 {
        let century = (d.year &* 5243) &>> 19
        twoDigits(century, at: 0)
        twoDigits(d.year &- century &* 100, at: 2)
        twoDigits(d.month, at: 4)
        twoDigits(d.day, at: 6)
    } else {
        var y = d.year
        for i in stride(from: 3, through: 0, by: -1) { p[i] = UInt8(truncatingIfNeeded: 0x30 + y % 10); y /= 10 }
        p[4] = UInt8(truncatingIfNeeded: 0x30 + d.month / 10); p[5] = UInt8(truncatingIfNeeded: 0x30 + d.month % 10)
        p[6] = UInt8(truncatingIfNeeded: 0x30 + d.day / 10); p[7] = UInt8(truncatingIfNeeded: 0x30 + d.day % 10)
    }
    out.count += 8
}

/// The value without leading and trailing ASCII spaces, tabs, CR and LF.
@inline(__always) func trimmed(_ v: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    // Most values neither start nor end with a byte at or below the space: two compares.
    if v.count == 0 || (v[0] > 0x20 && v[v.count - 1] > 0x20) { return v }
    var s = 0, e = v.count
    while s < e, v[s] == 0x20 || v[s] == 0x09 || v[s] == 0x0D || v[s] == 0x0A { s += 1 }
    while e > s, v[e - 1] == 0x20 || v[e - 1] == 0x09 || v[e - 1] == 0x0D || v[e - 1] == 0x0A { e -= 1 }
    return UnsafeRawBufferPointer(rebasing: v[s..<e])
}
