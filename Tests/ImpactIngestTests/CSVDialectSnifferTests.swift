import Testing
@testable import ImpactIngest

private func sniffedDelimiter(_ text: String, complete: Bool = true) -> String {
    let d = bytes(text).withUnsafeBytes { CSVDialectSniffer.sniffDelimiter($0, isComplete: complete) }
    return d == 0x09 ? "TAB" : String(UnicodeScalar(d))
}

private func sniffedHeader(_ text: String, delimiter: Character = ",") -> Bool {
    bytes(text).withUnsafeBytes { CSVDialectSniffer.sniffHeader($0, isComplete: true, delimiter: delimiter.asciiValue!) }
}

@Test(arguments: [
    // cases/001: ';' although cells hold decimal commas and comma lists.
    ("id;nom;montant;note\n1;A;12,50;a, b\n2;B;7,00;x, y, z\n3;C;0,99;\n", ";"),
    // cases/002: TAB although values contain as many spaces per line; never space.
    ("Nom complet\tAdresse\tVille\nAnne Marie\t4 rue Haute\tParis\nPaul Henri\t9 rue Basse\tLyon\n", "TAB"),
    // commas inside quotes do not count for ','; semicolons inside quotes do not count for ';'.
    ("a,b,c\n\"x;y;z\",2,3\n\"p;q\",5,6\n", ","),
    ("a;b\n\"1,5\";\"2,25\"\n\"3,0\";\"4,1\"\n", ";"),
    ("a|b|c\n1|2|3\n", "|"),
    // one column (cases/003 b.csv): no candidate splits, ',' by default.
    ("commentaire\n\"Patient suivi\npour asthme\"\n", ","),
    // a ragged row does not unseat the delimiter that is constant elsewhere.
    ("nom,prenom,email\nA,B,c@x\nD,E,f@x,06,x\nG,H\nI,J,k@x\n", ","),
    // tie on records: the higher field count wins (3 fields by ';' beats 2 by ',').
    ("a;b,c;d\ne;f,g;h\n", ";"),
    ("a,b;c,d,e\nf,g;h,i,j\n", ","),
    // full tie: the order ; TAB , |
    ("a;b|c\nd;e|f\n", ";"),
    ("a,b|c\nd,e|f\n", ","),
] as [(String, String)])
func delimiterSniffing(_ text: String, _ expected: String) {
    #expect(sniffedDelimiter(text) == expected)
}

@Test func delimiterSniffingIgnoresARecordCutByTheEndOfAnIncompleteSample() {
    // ';' and ',' split one complete record each (tie: ';'); the cut "e,f" would tip it to ','.
    let text = "a;b\nc,d\ne,f"
    #expect(sniffedDelimiter(text, complete: false) == ";")
    #expect(sniffedDelimiter(text, complete: true) == ",")
}

@Test(arguments: [
    ("id;nom;email\n1;Durand;d@exemple.fr\n", ";", true),
    ("Nom,Né le\nDurand,03/02/1981\n", ",", true),
    ("nom,prenom\nDurand,Léa\nMartin,Paul\n", ",", true),           // all text: a header by default
    ("commentaire\nPatient suivi\n", ",", true),
    ("only,one,row\n", ",", true),
    ("1;Durand;d@exemple.fr\n2;Martin;m@exemple.fr\n", ";", false),   // numeric first cell
    ("Durand,d@exemple.fr\nMartin,m@exemple.fr\n", ",", false),        // e-mail over e-mails
    ("Durand,03/02/1981\nMartin,21/11/1975\n", ",", false),            // a date is numeric
    ("nom,nom\nDurand,Martin\n", ",", false),                          // names not unique
    ("nom,,email\nDurand,Léa,d@exemple.fr\n", ",", false),             // an empty name
] as [(String, Character, Bool)])
func headerSniffing(_ text: String, _ delimiter: Character, _ expected: Bool) {
    #expect(sniffedHeader(text, delimiter: delimiter) == expected)
}

@Test func givenOptionsAreKept() {
    let dialect = bytes("1;2\n3;4\n").withUnsafeBytes {
        CSVDialectSniffer.sniff($0, isComplete: true, delimiter: UInt8(ascii: "|"), hasHeader: true)
    }
    #expect(dialect == CSVDialect(delimiter: UInt8(ascii: "|"), hasHeader: true))
}

@Test(arguments: [
    ("001-semicolon-decimal-comma/input.csv", ";"),
    ("002-tab-delimited-spaces-in-values/input.csv", "TAB"),
    ("003-quoted-newline/a.csv", ","),
    ("003-quoted-newline/b.csv", ","),
    ("005-bom-quoted-first-header/input.csv", ";"),
    ("006-ragged-rows/input.csv", ","),
] as [(String, String)])
func delimiterOfCaseFiles(_ file: String, _ expected: String) throws {
    var text = try sharedBytes("cases/\(file)")
    if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
    #expect(sniffedDelimiter(String(decoding: text, as: UTF8.self)) == expected)
}
