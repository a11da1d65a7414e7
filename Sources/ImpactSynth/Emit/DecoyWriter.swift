/// Writes the decoy shape: a warehouse delivery export with no personal data, and its truth
/// (zero subjects, no controller).
///
/// The traps: `nom` names products; `code_produit` holds 15-digit codes shaped like NIRs
/// (sex digit, year, month 01–12, department, commune, order) whose key is always wrong;
/// `date_livraison` holds dates in 2019–2021 like sampling dates.
struct DecoyWriter {
    let config: SynthConfig
    var random: SynthRandom
    var records = 0
    var codes = Set<Int>()

    static let columns = ["code_produit", "nom", "categorie", "fournisseur", "date_livraison",
                          "entrepot", "quantite", "prix_unitaire", "lot", "commentaire"]
    static let variantsPerProduct = 40

    init(config: SynthConfig, random root: SynthRandom) {
        self.config = config
        random = root.stream(4)
    }

    mutating func write(to file: LeakFile) throws {
        let e = TextEncoder(config.encoding)
        let newline = config.lineEnding.bytes
        func encode(_ list: [String]) throws -> [[UInt8]] {
            try list.map {
                try e.encode($0.replacingOccurrences(of: "\n", with: String(decoding: newline, as: UTF8.self)))
            }
        }
        let products = try encode(DecoyCatalogue.products.map(\.name))
        let productFamily = DecoyCatalogue.products.map(\.family)
        let families = try encode(DecoyCatalogue.families)
        let suppliers = try encode(DecoyCatalogue.suppliers)
        let warehouses = try encode(DecoyCatalogue.warehouses)
        let remarks = try encode(DecoyCatalogue.remarks)
        let productCodes = (0..<(products.count * DecoyWriter.variantsPerProduct)).map {
            DecoyWriter.productCode(seed: config.seed, item: $0)
        }
        let delimiter = config.delimiter
        var out = OutputBuffer()
        var s: [UInt8] = []
        if config.bom { out.append([0xEF, 0xBB, 0xBF]) }
        for (i, c) in DecoyWriter.columns.enumerated() {
            if i > 0 { out.append(delimiter) }
            out.append(Array(c.utf8))
        }
        out.append(newline)
        let firstDay = Population.firstDay
        let span = Population.lastDay - firstDay + 1
        for _ in 0..<config.records {
            let product = random.below(products.count)
            let item = product * DecoyWriter.variantsPerProduct + random.below(DecoyWriter.variantsPerProduct)
            codes.insert(item)
            func field(_ value: [UInt8], first: Bool = false, _ out: inout OutputBuffer) {
                if !first { out.append(delimiter) }
                CSVQuoting.appendField(value, delimiter: delimiter, to: &out)
            }
            field(productCodes[item], first: true, &out)
            field(products[product], &out)
            field(families[productFamily[product]], &out)
            field(suppliers[random.below(suppliers.count)], &out)
            let d = CivilDate(days: firstDay + random.below(span))
            s.removeAll(keepingCapacity: true)
            Digits.append(d.day, width: 2, to: &s); s.append(UInt8(ascii: "/"))
            Digits.append(d.month, width: 2, to: &s); s.append(UInt8(ascii: "/"))
            Digits.append(d.year, width: 4, to: &s)
            field(s, &out)
            field(warehouses[random.below(warehouses.count)], &out)
            s.removeAll(keepingCapacity: true)
            Digits.append(random.int(in: 1...500), to: &s)
            field(s, &out)
            s.removeAll(keepingCapacity: true)
            Digits.appendDecimal(random.int(in: 50...99_999), decimals: 2, separator: UInt8(ascii: ","), to: &s)
            field(s, &out)
            s.removeAll(keepingCapacity: true)
            s.append(UInt8(ascii: "L"))
            Digits.append(d.year % 100, width: 2, to: &s)
            Digits.append(d.month, width: 2, to: &s)
            s.append(UInt8(ascii: "-"))
            Digits.append(random.int(in: 1...999), width: 3, to: &s)
            field(s, &out)
            field(random.chance(perMille: 200) ? remarks[random.below(remarks.count)] : [], &out)
            out.append(newline)
            records += 1
            try out.flushIfFull(file)
        }
        try out.flush(file)
    }

    /// A NIR-shaped 15-digit code whose last two digits are never the mod-97 key of the first
    /// 13 (the valid key shifted by 1–9 within 01–97). Depends on the seed and item only.
    static func productCode(seed: UInt64, item: Int) -> [UInt8] {
        var r = SynthRandom(seed: seed).stream(0x5EED_0000 &+ UInt64(item))
        var body: [UInt8] = []
        Digits.append(1 + r.below(2), to: &body)
        Digits.append(r.below(100), width: 2, to: &body)
        Digits.append(r.int(in: 1...12), width: 2, to: &body)
        var department = 20
        while department == 20 { department = r.int(in: 1...95) }
        Digits.append(department, width: 2, to: &body)
        Digits.append(r.int(in: 1...999), width: 3, to: &body)
        Digits.append(r.int(in: 1...999), width: 3, to: &body)
        let key = CheckDigits.nirKey(body: body)!
        Digits.append(LabValueWriter.wrongKey(key, shift: 1 + r.below(9)), width: 2, to: &body)
        return body
    }

    func truth(fileName: String) -> SynthTruth {
        let zero = Dictionary(uniqueKeysWithValues: LabExportWriter.tracked.map { ($0, 0) })
        return SynthTruth(
            file: fileName,
            format: SynthTruth.Format(type: "csv", encoding: config.encoding.rawValue,
                                      bom: config.bom,
                                      delimiter: config.delimiterText,
                                      header: true,
                                      lineTerminator: config.lineEnding == .lf ? "\n" : "\r\n",
                                      compression: config.gzip ? "gzip" : nil, quoting: "minimal"),
            records: records,
            fields: DecoyWriter.columns.enumerated().map {
                SynthTruth.Field(name: $1, index: $0, categories: ["none"], acceptableAlso: [])
            },
            controllers: [],
            totals: SynthTruth.Totals(subjects: 0, subjectsAtTwoOrMoreControllers: 0,
                                      subjectsByCategory: zero),
            invalidIdentifiersSeeded: [SynthTruth.InvalidIdentifiers(
                field: "code_produit", kind: "nir_shaped_wrong_key", values: codes.count,
                records: records)],
            seeded: nil,
            generator: SyntheticLeak.generatorInfo(config),
            semantics: SynthTruth.decoySemantics)
    }
}
