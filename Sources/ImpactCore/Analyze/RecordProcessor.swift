#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImpactIngest
import ImpactDetect

/// The per-field state of an analysis, indexed by global field id (fields of several inputs
/// with the same name are one field).
struct FieldTable {
    var names: [String] = []
    var idOfName: [String: Int] = [:]
    var header: [HeaderMatch?] = []
    var sampleEvidence: [FieldEvidence] = []
    var fileEvidence: [FieldEvidence] = []
    var plans: [FieldPlan?] = []
    var kinds: [FieldKind] = []

    mutating func id(for name: String, headers: HeaderLexicon) -> Int {
        if let i = idOfName[name] { return i }
        let i = names.count
        names.append(name)
        idOfName[name] = i
        header.append(headers.match(name))
        sampleEvidence.append(FieldEvidence())
        fileEvidence.append(FieldEvidence())
        plans.append(nil)
        kinds.append(.undecided)
        return i
    }
}

/// What the hot loop does with a value: a compact code derived from the field's plan.
enum FieldKind: UInt8 {
    case undecided, ignore, categoriesOnly, scan
    case nir, birthDate, lastName, firstName, fullName, patientID, email, phone
    case controllerID, controllerName, prescriberID, prescriberName
}

/// Categories that make a record's subject identifiable (directly or indirectly): a record
/// with none of them is analysed but not counted as a data subject.
let identifyingCategories = CategorySet([.personName, .nationalID, .birthDate, .postalAddress, .phoneNumber,
                                         .emailAddress, .patientID, .financial, .onlineIdentifier])

/// The per-field state the hot loop reads and writes for every value: the field's kind and
/// categories (from its plan) and the counters that end up in its file evidence. Plain data in
/// raw memory, so a value costs no retain, no copy-on-write check and no dictionary access.
struct FieldSlot {
    var kind: FieldKind = .undecided
    var categories: UInt32 = 0
    var values = 0
    var nirValid = 0, nirTemporary = 0, nirKeyAbsent = 0, nirInvalidKey = 0
    var date = 0
    var rppsInvalidKey = 0
}

/// The start and end of a name token in the fold buffer.
struct TokenSpan {
    var start: Int32
    var end: Int32
}

/// Applies the field plans to records: per-record category bits, subject keys, controller,
/// health professionals. One instance per analysis, used by one thread at a time.
///
/// Speed: a record is read through a ``RecordView`` (raw pointers, no closure per value); the
/// per-field state is a ``FieldSlot`` in raw memory; normalised keys are built in fixed
/// scratch buffers owned by the processor; lexicon results of short repeated values (exam
/// labels, result words) come from a ``LexiconMemo``. Nothing is allocated per record once the
/// buffers have grown.
final class RecordProcessor {
    var fields = FieldTable()
    let headers: HeaderLexicon
    let classifier = ColumnClassifier()
    var inspector: CellInspector
    let hasher: SubjectKeyHasher
    let linker = SubjectLinker()
    let controllers = ControllerRegistry()
    var controllerColumn: String?
    var analysedRecords = 0
    var recordsWithoutIdentifier = 0

    private var slots = GrowableStorage<FieldSlot>(capacity: 64)
    /// Validators' output (their API writes into an array).
    private var scratch: [UInt8] = []
    /// The record's NIR (13 bytes) and birth date (`yyyymmdd`).
    private var nirBytes = GrowableStorage<UInt8>(capacity: 16)
    private var dobBytes = GrowableStorage<UInt8>(capacity: 16)
    /// Folded text (names, controller names, lexicon scans) and the sorted name tokens.
    private var foldBuffer = GrowableStorage<UInt8>(capacity: 4096)
    private var nameBuffer = GrowableStorage<UInt8>(capacity: 4096)
    private var tokens = GrowableStorage<TokenSpan>(capacity: 64)
    private var memo = LexiconMemo()

    init(lexicon: TermLexicon, headers: HeaderLexicon, hasher: SubjectKeyHasher, controllerColumn: String?) {
        self.inspector = CellInspector(lexicon: lexicon)
        self.headers = headers
        self.hasher = hasher
        self.controllerColumn = controllerColumn
        scratch.reserveCapacity(64)
    }

    deinit {
        slots.free(); nirBytes.free(); dobBytes.free(); foldBuffer.free(); nameBuffer.free(); tokens.free()
        memo.free()
    }

    /// The global id of the field named `name` (a new field gets its header match and an
    /// undecided plan).
    func fieldID(for name: String) -> Int {
        let g = fields.id(for: name, headers: headers)
        while slots.count < fields.names.count { slots.append(FieldSlot()) }
        return g
    }

    /// The evidence of field `g` over the analysed records.
    func fileEvidence(_ g: Int) -> FieldEvidence {
        var e = fields.fileEvidence[g]
        let s = slots[g]
        e.values += s.values
        e.nirValid += s.nirValid; e.nirTemporary += s.nirTemporary
        e.nirKeyAbsent += s.nirKeyAbsent; e.nirInvalidKey += s.nirInvalidKey
        e.date += s.date
        e.rppsInvalidKey += s.rppsInvalidKey
        return e
    }

    // MARK: classification

    /// Content evidence from a sample record (every cheap check).
    func observeSample(_ r: RecordView, map: UnsafeBufferPointer<Int>) {
        for i in 0..<r.count {
            let g = map[r.fieldID(i)]
            guard fields.plans[g] == nil else { continue }
            let t = trimmed(r.value(i))
            if t.count > 0 { inspector.inspectAll(t, into: &fields.sampleEvidence[g]) }
        }
    }

    /// Decides every field that has no plan yet.
    func decideUndecided() {
        var newlyDecided: [Int] = []
        for g in 0..<fields.names.count where fields.plans[g] == nil {
            var header = fields.header[g]
            if let cc = controllerColumn, fields.names[g] == cc {
                header = HeaderMatch(role: .controllerID, synonym: "--controller-column", strength: 1, context: nil)
            }
            let plan = classifier.plan(name: fields.names[g], header: header, evidence: fields.sampleEvidence[g])
            setPlan(plan, of: g)
            newlyDecided.append(g)
        }
        // Family names: a name-shaped column beside a column of given names.
        for g in newlyDecided where fields.plans[g]?.role == nil && fields.header[g] == nil {
            let beside = [g - 1, g + 1].contains { $0 >= 0 && $0 < fields.names.count && fields.plans[$0]?.role == .firstName }
            if let plan = classifier.familyNamePlan(fields.sampleEvidence[g], besideGivenNames: beside) {
                setPlan(plan, of: g)
            }
        }
    }

    private func setPlan(_ plan: FieldPlan, of g: Int) {
        let k = kind(of: plan, name: fields.names[g])
        fields.plans[g] = plan
        fields.kinds[g] = k
        slots.base[g].kind = k
        slots.base[g].categories = plan.categories.rawValue
    }

    private func kind(of plan: FieldPlan, name: String) -> FieldKind {
        // With --controller-column, only that column identifies the controller.
        if let cc = controllerColumn, name != cc, plan.role == .controllerID { return .ignore }
        guard let role = plan.role else { return plan.scansLexicon ? .scan : .ignore }
        switch role {
        case .nir: return .nir
        case .birthDate: return .birthDate
        case .lastName: return .lastName
        case .firstName: return .firstName
        case .fullName: return .fullName
        case .patientID: return .patientID
        case .email: return .email
        case .phone: return .phone
        case .controllerID: return .controllerID
        case .controllerName: return .controllerName
        case .prescriberID: return .prescriberID
        case .prescriberName: return .prescriberName
        default:
            if plan.scansLexicon { return .scan }
            return plan.categories.rawValue == 0 ? .ignore : .categoriesOnly
        }
    }

    // MARK: per record

    /// Analyses one record under the decided plans.
    func process(_ r: RecordView, map: UnsafeBufferPointer<Int>) {
        analysedRecords += 1
        var mask: UInt32 = 0
        var idAt = -1, nameAt = -1, lastAt = -1, firstAt = -1, fullAt = -1
        var pidAt = -1, emailAt = -1, phoneAt = -1, rppsAt = -1, prescriberNameAt = -1
        var haveNIR = false, haveDOB = false
        nirBytes.count = 0
        dobBytes.count = 0
        let slots = self.slots.base

        for i in 0..<r.count {
            let g = map[r.fieldID(i)]
            let slot = slots + g
            let v = trimmed(r.value(i))
            guard v.count > 0 else { continue }
            slot.pointee.values += 1
            switch slot.pointee.kind {
            case .undecided, .ignore:
                break
            case .categoriesOnly:
                mask |= slot.pointee.categories
            case .scan:
                mask |= slot.pointee.categories
                let hits = scan(v)
                if hits.categories.rawValue != 0 {
                    fields.fileEvidence[g].noteTerms(hits)
                    mask |= hits.categories.closed.rawValue
                }
            case .nir:
                if haveNIR { continue }
                switch NIRValidator.check(v, normalized: &scratch) {
                case .valid(let kind):
                    slot.pointee.nirValid += 1
                    if kind == .temporary { slot.pointee.nirTemporary += 1 }
                    mask |= DataCategory.nationalID.bit
                    keepNIR()
                    haveNIR = true
                case .keyAbsent:
                    slot.pointee.nirKeyAbsent += 1
                    keepNIR()
                    haveNIR = true
                case .invalidKey:
                    slot.pointee.nirInvalidKey += 1
                case .malformed:
                    break
                }
            case .birthDate:
                mask |= DataCategory.birthDate.bit
                if !haveDOB, let d = DateParser.parse(v) {
                    slot.pointee.date += 1
                    appendDate(d, to: &dobBytes)
                    haveDOB = true
                }
            case .lastName: mask |= DataCategory.personName.bit; if lastAt < 0 { lastAt = i }
            case .firstName: mask |= DataCategory.personName.bit; if firstAt < 0 { firstAt = i }
            case .fullName: mask |= DataCategory.personName.bit; if fullAt < 0 { fullAt = i }
            case .patientID: mask |= DataCategory.patientID.bit; if pidAt < 0 { pidAt = i }
            case .email: mask |= DataCategory.emailAddress.bit; if emailAt < 0 { emailAt = i }
            case .phone: mask |= DataCategory.phoneNumber.bit; if phoneAt < 0 { phoneAt = i }
            case .controllerID: if idAt < 0 { idAt = i }
            case .controllerName: if nameAt < 0 { nameAt = i }
            case .prescriberID:
                mask |= DataCategory.healthProfessional.bit
                if rppsAt < 0 { rppsAt = i }
            case .prescriberName:
                mask |= DataCategory.healthProfessional.bit
                if prescriberNameAt < 0 { prescriberNameAt = i }
            }
        }

        // Controller: by id when there is one, else by folded name.
        let ctrl: Int
        let name = nameAt >= 0 ? trimmed(r.value(nameAt)) : UnsafeRawBufferPointer(start: nil, count: 0)
        if idAt >= 0 {
            ctrl = controllers.index(id: trimmed(r.value(idAt)), name: name, foldedName: UnsafeRawBufferPointer(start: nil, count: 0))
        } else {
            let n = fold(name, into: &foldBuffer, at: 0)
            ctrl = controllers.index(id: UnsafeRawBufferPointer(start: nil, count: 0), name: name,
                                     foldedName: UnsafeRawBufferPointer(start: foldBuffer.base, count: n))
        }

        // Health professionals: by RPPS when it validates, else by folded name.
        if rppsAt >= 0 || prescriberNameAt >= 0 {
            var key: SubjectKey?
            if rppsAt >= 0 {
                let t = trimmed(r.value(rppsAt))
                if RPPSValidator.check(t, normalized: &scratch).isAccepted {
                    key = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nationalID), 0x52), scratch))
                } else if ADELIValidator.check(t, normalized: &scratch).isAccepted {
                    key = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nationalID), 0x41), scratch))
                } else {
                    slots[map[r.fieldID(rppsAt)]].rppsInvalidKey += 1
                }
            }
            if key == nil && prescriberNameAt >= 0 {
                if let tokens = sortedNameTokens(r.value(prescriberNameAt), nil) {
                    key = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nameAndBirthDate), 0x50), tokens))
                }
            }
            if let key { linker.addHealthProfessional(key, controller: ctrl) }
        }

        // Subject keys.
        guard mask & identifyingCategories.rawValue != 0 else {
            recordsWithoutIdentifier += 1
            return
        }
        linker.beginRecord()
        if haveNIR {
            var h = hasher.absorb(hasher.begin(.nationalID), nirBytes.bytes)
            h = hasher.absorb(h, dobBytes.bytes)
            linker.addKey(hasher.finish(h), kind: .nationalID)
        }
        if haveDOB {
            var tokens: UnsafeRawBufferPointer?
            if lastAt >= 0 || firstAt >= 0 {
                let last = lastAt >= 0 ? r.value(lastAt) : UnsafeRawBufferPointer(start: nil, count: 0)
                tokens = sortedNameTokens(last, firstAt >= 0 ? r.value(firstAt) : nil)
            } else if fullAt >= 0 {
                tokens = sortedNameTokens(r.value(fullAt), nil)
            }
            if let tokens {
                let h = hasher.absorb(hasher.absorb(hasher.begin(.nameAndBirthDate), tokens), dobBytes.bytes)
                linker.addKey(hasher.finish(h), kind: .nameAndBirthDate)
            }
        }
        if pidAt >= 0 {
            let t = trimmed(r.value(pidAt))
            nameBuffer.reserve(t.count)
            for k in 0..<t.count {
                let b = t[k]
                nameBuffer.base[k] = b &- 0x61 < 26 ? b - 0x20 : b
            }
            let h = hasher.absorb(hasher.absorb(hasher.begin(.patientID), UInt64(ctrl)),
                                  UnsafeRawBufferPointer(start: nameBuffer.base, count: t.count))
            linker.addKey(hasher.finish(h), kind: .patientID)
        }
        if !linker.recordHasKeys && emailAt >= 0 {
            if EmailValidator.check(trimmed(r.value(emailAt)), normalized: &scratch).isAccepted {
                linker.addKey(hasher.finish(hasher.absorb(hasher.begin(.email), scratch)), kind: .email)
            }
        }
        if !linker.recordHasKeys && phoneAt >= 0 {
            if PhoneValidator.check(trimmed(r.value(phoneAt)), normalized: &scratch).isAccepted {
                linker.addKey(hasher.finish(hasher.absorb(hasher.begin(.phone), scratch)), kind: .phone)
            }
        }
        linker.commitRecord(controller: ctrl, categories: CategorySet(rawValue: mask).closed.rawValue)
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
        if let hits = memo.lookup(v, hasher: hasher) { return hits }
        foldBuffer.reserve(TextFold.capacityNeeded(v.count))
        let hits = inspector.lexicon.scan(text: v, buffer: UnsafeMutableBufferPointer(start: foldBuffer.base, count: foldBuffer.capacity))
        memo.store(v, hits, hasher: hasher)
        return hits
    }

    /// Folds `v` into `buffer` at `offset` (growing it); returns the folded length.
    @inline(__always) private func fold(_ v: UnsafeRawBufferPointer, into buffer: inout GrowableStorage<UInt8>, at offset: Int) -> Int {
        let need = TextFold.capacityNeeded(v.count)
        buffer.count = offset
        buffer.reserve(offset + need)
        return TextFold.fold(v, into: UnsafeMutableBufferPointer(start: buffer.base + offset, count: need), preservingCase: false)
    }

    /// Folds the name parts into space-free tokens, sorts them (so "Roux Anne" and
    /// "Anne Roux" are one name) and returns them separated by 0x20 (valid until the next call),
    /// or nil when there is no token.
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
        tokens.count = 0
        var start = -1
        for i in 0..<length {
            if f[i] == 0x20 {
                if start >= 0 { tokens.append(TokenSpan(start: Int32(start), end: Int32(i))); start = -1 }
            } else if start < 0 { start = i }
        }
        if start >= 0 { tokens.append(TokenSpan(start: Int32(start), end: Int32(length))) }
        guard tokens.count > 0 else { return nil }
        sortTokens(f)
        nameBuffer.reserve(length)
        var o = 0
        for k in 0..<tokens.count {
            let t = tokens[k]
            if o > 0 { nameBuffer.base[o] = 0x20; o += 1 }
            let n = Int(t.end - t.start)
            (nameBuffer.base + o).update(from: f + Int(t.start), count: n)
            o += n
        }
        return UnsafeRawBufferPointer(start: nameBuffer.base, count: o)
    }

    /// Sorts `tokens` by their bytes in `f` (byte order, a prefix first).
    private func sortTokens(_ f: UnsafeMutablePointer<UInt8>) {
        @inline(__always) func precedes(_ x: TokenSpan, _ y: TokenSpan) -> Bool {
            let nx = Int(x.end - x.start), ny = Int(y.end - y.start)
            let c = memcmp(f + Int(x.start), f + Int(y.start), min(nx, ny))
            return c != 0 ? c < 0 : nx < ny
        }
        let n = tokens.count
        let t = tokens.base
        if n <= 16 {
            // Insertion sort: names have a handful of tokens.
            for i in 1..<max(n, 1) {
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

/// Lexicon hits of short values met before: a direct-mapped table keyed by the value's bytes
/// (compared in full, so a hit is exact). Exam labels, result words and stock comments repeat
/// across millions of records; their fold and scan then run once per distinct value (per slot).
///
/// Memory: ``slots`` × (``maxLength`` + 64) bytes (about 512 KiB), fixed.
struct LexiconMemo {
    static let slots = 4096
    static let maxLength = 64
    private let hashes: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<Int32>
    private let texts: UnsafeMutablePointer<UInt8>
    private let results: UnsafeMutablePointer<LexiconHits>

    init() {
        hashes = .allocate(capacity: Self.slots)
        hashes.initialize(repeating: 0, count: Self.slots)
        lengths = .allocate(capacity: Self.slots)
        lengths.initialize(repeating: -1, count: Self.slots)
        texts = .allocate(capacity: Self.slots * Self.maxLength)
        results = .allocate(capacity: Self.slots)
        results.initialize(repeating: LexiconHits(), count: Self.slots)
    }

    func free() {
        hashes.deallocate(); lengths.deallocate(); texts.deallocate()
        results.deinitialize(count: Self.slots)
        results.deallocate()
    }

    @inline(__always) private static func hash(_ v: UnsafeRawBufferPointer, _ hasher: SubjectKeyHasher) -> UInt64 {
        hasher.absorb(0x5EED, v)
    }

    /// The hits stored for exactly these bytes, or nil.
    @inline(__always) func lookup(_ v: UnsafeRawBufferPointer, hasher: SubjectKeyHasher) -> LexiconHits? {
        guard v.count <= Self.maxLength else { return nil }
        let h = Self.hash(v, hasher)
        let s = Int(truncatingIfNeeded: h >> 52) & (Self.slots - 1)
        guard hashes[s] == h, Int(lengths[s]) == v.count,
              v.count == 0 || memcmp(texts + s * Self.maxLength, v.baseAddress!, v.count) == 0 else { return nil }
        return results[s]
    }

    /// Stores the hits of `v` (replacing what its slot held).
    @inline(__always) func store(_ v: UnsafeRawBufferPointer, _ hits: LexiconHits, hasher: SubjectKeyHasher) {
        guard v.count <= Self.maxLength else { return }
        let h = Self.hash(v, hasher)
        let s = Int(truncatingIfNeeded: h >> 52) & (Self.slots - 1)
        hashes[s] = h
        lengths[s] = Int32(v.count)
        if v.count > 0 { (texts + s * Self.maxLength).update(from: v.baseAddress!.assumingMemoryBound(to: UInt8.self), count: v.count) }
        results[s] = hits
    }
}

extension GrowableStorage where Element == UInt8 {
    /// The stored bytes.
    @inline(__always) var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}

/// Appends `yyyymmdd` as ASCII digits.
@inline(__always) func appendDate(_ d: (year: Int, month: Int, day: Int), to out: inout GrowableStorage<UInt8>) {
    var y = d.year
    out.reserve(out.count + 8)
    let p = out.base + out.count
    for i in stride(from: 3, through: 0, by: -1) { p[i] = UInt8(truncatingIfNeeded: 0x30 + y % 10); y /= 10 }
    p[4] = UInt8(truncatingIfNeeded: 0x30 + d.month / 10); p[5] = UInt8(truncatingIfNeeded: 0x30 + d.month % 10)
    p[6] = UInt8(truncatingIfNeeded: 0x30 + d.day / 10); p[7] = UInt8(truncatingIfNeeded: 0x30 + d.day % 10)
    out.count += 8
}

/// The value without leading and trailing ASCII spaces, tabs, CR and LF.
@inline(__always) func trimmed(_ v: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var s = 0, e = v.count
    while s < e, v[s] == 0x20 || v[s] == 0x09 || v[s] == 0x0D || v[s] == 0x0A { s += 1 }
    while e > s, v[e - 1] == 0x20 || v[e - 1] == 0x09 || v[e - 1] == 0x0D || v[e - 1] == 0x0A { e -= 1 }
    return UnsafeRawBufferPointer(rebasing: v[s..<e])
}
