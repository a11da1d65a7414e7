import Foundation
import Testing
import ImpactNotify
import ImpactReporting

/// The incident file in YAML and JSON, its errors (position and kind, never the value) and
/// the template `impact draft --incident-template` prints.
@Suite struct IncidentFactsTests {
    @Test func yamlFixtureReadsEveryFact() throws {
        let f = try Fixtures.incident()
        #expect(f.reference == "INC-2024-007")
        #expect(f.controllers?["920794955"]?.siret == "92079495500012")
        #expect(f.controllers?["920794955"]?.dpo?.email == "dpo@labo-sud.example")
        #expect(f.controllers?["540465739"]?.awarenessAt == "2024-10-26T09:30")
        #expect(f.dates?.awarenessAt == "2024-03-30T10:00")
        #expect(f.dates?.ongoing == false)
        #expect(f.nature == .init(confidentiality: .unknownRecipients, integrity: IncidentFacts.IntegrityLoss.none, availability: IncidentFacts.AvailabilityLoss.none))
        #expect(f.origin == .hackingMalwarePhishing)
        #expect(f.media == [.server])
        #expect(f.persons?.minors == true && f.persons?.vulnerable == nil)
        #expect(f.measures?.containment?.count == 2)
        #expect(f.communication?.status == .planned)
        #expect(f.awarenessAt(controller: "540465739") == "2024-10-26T09:30")
        #expect(f.awarenessAt(controller: "920794955") == "2024-03-30T10:00")
    }

    @Test func jsonAndYamlGiveTheSameFacts() throws {
        let yaml = """
        controllers:
          "010008407": {name: "Labo", finess: 010008407}
        dates: {awareness_at: 2024-03-30T10:00:00+01:00}
        nature: {confidentiality: known_recipients}
        malicious: no
        """
        let json = """
        {"controllers": {"010008407": {"name": "Labo", "finess": "010008407"}},
         "dates": {"awareness_at": "2024-03-30T10:00:00+01:00"}, "nature": {"confidentiality": "known_recipients"}, "malicious": false}
        """
        let a = try IncidentFactsLoader.decode(Data(yaml.utf8))
        let b = try IncidentFactsLoader.decode(Data(json.utf8))
        #expect(a == b)
        // An unquoted FINESS keeps its leading zero; a YAML timestamp stays the text written.
        #expect(a.controllers?["010008407"]?.finess == "010008407")
        #expect(a.dates?.awarenessAt == "2024-03-30T10:00:00+01:00")
        #expect(a.malicious == false)
    }

    @Test func errorsSayWhereAndWhatNeverTheValue() throws {
        let secret = "dpo-perso@example.org"
        do {
            _ = try IncidentFactsLoader.decode(Data("nature:\n  confidentiality: \(secret)\n".utf8))
            Issue.record("accepted a value outside the list")
        } catch let e as IncidentFactsError {
            #expect(e.description.contains("nature.confidentiality"))
            #expect(!e.description.contains(secret))
        }
        do {
            _ = try IncidentFactsLoader.decode(Data("dates: [\(secret)\n".utf8))
            Issue.record("accepted broken YAML")
        } catch let e as IncidentFactsError {
            guard case .syntax(let line) = e else { Issue.record("\(e)"); return }
            #expect(line != nil)
            #expect(!e.description.contains(secret))
        }
        #expect(throws: IncidentFactsError.notAMapping) { try IncidentFactsLoader.decode(Data("- a\n- b\n".utf8)) }
        #expect(throws: IncidentFactsError.unreadable(path: "/nonexistent/incident.yaml")) {
            try IncidentFactsLoader.load(path: "/nonexistent/incident.yaml")
        }
    }

    @Test func templateReadsBackWithOnlyTheControllersNames() throws {
        let report = try Fixtures.report("golden_report.json")
        let facts = try IncidentFactsLoader.decode(Data(IncidentTemplate.yaml(report: report).utf8))
        #expect(facts.controllers?.keys.sorted() == report.controllers.map(\.id).sorted())
        #expect(facts.controllers?["920794955"]?.name == "Laboratoire Hôpital Privé Sud")
        #expect(facts.controllers?["920794955"]?.siren == nil)
        #expect(facts.dates?.awarenessAt == nil && facts.nature?.confidentiality == nil && facts.processor == nil)
        // Without a report: a placeholder controller, still valid YAML.
        #expect(try IncidentFactsLoader.decode(Data(IncidentTemplate.yaml(report: nil).utf8)).controllers?.count == 1)
    }

    @Test func templateQuotesHostileControllerNames() throws {
        var (report, _) = syntheticReport(categories: ["health"])
        report.controllers[0].name = "Labo \"X\": {a: b}\n# injected: true"
        let facts = try IncidentFactsLoader.decode(Data(IncidentTemplate.yaml(report: report).utf8))
        #expect(facts.controllers?["010008407"]?.name == "Labo \"X\": {a: b}?# injected: true")
    }
}
