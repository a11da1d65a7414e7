import Testing
@testable import ImpactDetect

@Suite struct EmailValidatorTests {
    @Test(arguments: [
        ("amandine.lefort@exemple.fr", "amandine.lefort@exemple.fr"),
        ("Alice.Dupuis@Exemple.fr", "alice.dupuis@exemple.fr"),
        ("  MARC.ETIENNE@EXEMPLE.FR ", "marc.etienne@exemple.fr"),
        ("o'brien+tag@mail.example.co.uk", "o'brien+tag@mail.example.co.uk"),
        ("user_1@sub-domain.example.org", "user_1@sub-domain.example.org"),
        ("élodie@exemple.fr", "élodie@exemple.fr"),
        ("x@xn--bcher-kva.example", "x@xn--bcher-kva.example"),
        ("a@b.co", "a@b.co"),
    ])
    func valid(value: String, normalized: String) {
        #expect(EmailValidator.normalize(value) == (.valid, normalized))
    }

    /// ../shared/cases/020: 5 addresses, 3 distinct after case-folding.
    @Test func case020EmailsFoldToThreeAddresses() {
        let values = ["Alice.Dupuis@Exemple.fr", "marc.etienne@exemple.fr", "julie.fabre@exemple.fr",
                      "alice.dupuis@exemple.fr", "MARC.ETIENNE@EXEMPLE.FR"]
        let normalized = values.map { EmailValidator.normalize($0) }
        #expect(normalized.allSatisfy { $0.outcome == .valid })
        #expect(Set(normalized.map(\.normalized)).count == 3)
    }

    @Test(arguments: [
        "amandine.lefort", "@exemple.fr", "a@", "a@@b.fr", "a@b", "a@b.c", "a..b@exemple.fr",
        ".a@exemple.fr", "a.@exemple.fr", "a@-b.fr", "a@b-.fr", "a@b..fr", "a b@exemple.fr",
        "a@exemple.f2", "<a@b.fr>", "a@b.fr,c@d.fr", "mailto:a@b.fr extra", "",
    ])
    func malformed(value: String) {
        #expect(EmailValidator.check(value) == .malformed, "\(value)")
    }
}
