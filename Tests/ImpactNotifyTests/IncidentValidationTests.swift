import Foundation
import Testing
import Yams
@testable import ImpactNotify
import ImpactReporting

/// Finding F7: the incident file was decoded with unknown keys ignored and dates unchecked, so
/// drafts violated `schemas/cnil-notification.schema.json`. Now checked against
/// `schemas/incident.schema.json`, every problem at once, with its line.
@Suite struct IncidentValidationTests {
    static func problems(_ text: String) -> [IncidentFactsValidator.Problem] {
        do {
            _ = try IncidentFactsLoader.decode(Data(text.utf8))
            return []
        } catch IncidentFactsError.problems(let list) {
            return list
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    /// The tester's three files (`i1`, `i3`, `i2`), and near misses around the calendar.
    @Test(arguments: [
        ("dates:\n  awareness_at: yesterday\n", [(2, "dates.awareness_at")]),
        ("dates:\n  awareness_at: 2026-02-30T10:00:00\n", [(2, "dates.awareness_at")]),
        ("dates:\n  awarness_at: 2026-11-27T18:30:00\nmalicous: true\n", [(2, "dates.awarness_at"), (3, "malicous")]),
        ("dates:\n  start: 2023-02-29\n", [(2, "dates.start")]),
        ("dates:\n  start: 2024-04-05T24:00\n", [(2, "dates.start")]),
        ("dates:\n  start: 2024-13-01\n", [(2, "dates.start")]),
        ("dates:\n  start: 05/04/2024\n", [(2, "dates.start")]),
        ("communication:\n  date: 2024-04-05T10:61\n", [(2, "communication.date")]),
        ("controllers:\n  \"010008407\":\n    awareness_at: 2024-02-30\n    siret: \"1234\"\n", [(3, "controllers.010008407.awareness_at"), (4, "controllers.010008407.siret")]),
    ])
    func invalidFilesAreRejectedWithLineAndPath(text: String, expected: [(Int, String)]) {
        let found = Self.problems(text)
        #expect(found.map(\.line) == expected.map(\.0))
        #expect(found.map(\.path) == expected.map(\.1))
    }

    @Test(arguments: [
        "dates:\n  start: 2024-02-29\n",
        "dates:\n  awareness_at: 2024-03-30T10:00:00+01:00\n",
        "dates:\n  awareness_at: 2024-03-30 10:00\n  end: 2024-03-30T23:59:59.5Z\n",
        "controllers:\n  \"2A0001234\": {finess: 2A0001234, siren: 010008407}\n",
        "dates: ~\nnature: {confidentiality: ~}\n",
    ])
    func validFilesAreAccepted(text: String) {
        #expect(Self.problems(text).isEmpty)
    }

    @Test func everyProblemIsReportedWithItsLineAndNoValue() throws {
        let secret = "dpo-perso@example.org"
        let text = """
        reference: INC-1
        dates:
          awareness_at: yesterday
          ongoing: "\(secret)"
        nature:
          confidentiality: \(secret)
        media: [server, \(secret)]
        origine: other
        """
        do {
            _ = try IncidentFactsLoader.decode(Data(text.utf8))
            Issue.record("accepted")
        } catch let e as IncidentFactsError {
            guard case .problems(let list) = e else { Issue.record("\(e)"); return }
            #expect(list.map(\.line) == [3, 4, 6, 7, 8])
            #expect(list.map(\.path) == ["dates.awareness_at", "dates.ongoing", "nature.confidentiality", "media[1]", "origine"])
            #expect(list[4].message == "unknown key (did you mean origin?)")
            #expect(e.description.hasPrefix("incident file: 5 problems"))
            #expect(e.description.split(separator: "\n").count == 6)
            #expect(!e.description.contains(secret))
            #expect(!e.description.contains("yesterday"))
        }
    }

    /// JSON: the lines too; a number where the schema wants text is a problem, as a boolean
    /// written as text is.
    /// A key written twice was accepted and the last value won: `malicious: true` then
    /// `malicious: false` lowered the severity without a word (second tester, N8).
    @Test func aKeyWrittenTwiceIsAProblem() {
        let found = Self.problems("malicious: true\nmalicious: false\ndates:\n  start: 2024-01-02\n  start: 2024-01-03\n")
        #expect(found.map(\.line) == [2, 5])
        #expect(found.map(\.path) == ["malicious", "dates.start"])
        #expect(found.allSatisfy { $0.message.contains("written twice") })
        #expect(Self.problems("malicious: true\n").isEmpty)
    }

    @Test func jsonProblemsHaveLinesToo() {
        let text = "{\n \"reference\": 12,\n \"dates\": {\"ongoing\": \"no\"},\n \"malicous\": true\n}\n"
        let found = Self.problems(text)
        #expect(found.map(\.line) == [2, 3, 4])
        #expect(found.map(\.path) == ["reference", "dates.ongoing", "malicous"])
    }

    @Test func jsonObjectTreeWithoutLinesGivesTheSameProblems() throws {
        let object: [String: Any] = ["reference": 12, "malicious": true, "dates": ["ongoing": "no", "start": "2024-02-30"]]
        let found = IncidentFactsValidator.problems(IncidentFactsLoader.yamlNode(object), json: true)
        #expect(found.map(\.path) == ["dates.ongoing", "dates.start", "reference"])
        #expect(found.allSatisfy { $0.line == nil })
    }

    /// The Swift shape and `schemas/incident.schema.json` describe the same keys and kinds.
    @Test func shapeIsTheSchema() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Paths.schemas.appendingPathComponent("incident.schema.json"))) as? [String: Any])
        let defs = schema["$defs"] as? [String: Any] ?? [:]
        func shape(_ s: [String: Any], key: String) throws -> IncidentFactsValidator.Shape {
            if let ref = s["$ref"] as? String { return try shape(try #require(defs[String(ref.split(separator: "/").last!)] as? [String: Any]), key: key) }
            if let values = s["enum"] as? [Any] { return .choice(values.compactMap { $0 as? String }) }
            let types = (s["type"] as? [String]) ?? [(s["type"] as? String) ?? ""]
            if types.contains("boolean") { return .flag }
            if types.contains("array") { return .list(try shape(try #require(s["items"] as? [String: Any]), key: key)) }
            if types.contains("object") {
                if let props = s["properties"] as? [String: Any] {
                    #expect(s["additionalProperties"] as? Bool == false, "\(key): unknown keys must be refused")
                    var fields: [String: IncidentFactsValidator.Shape] = [:]
                    for (k, v) in props { fields[k] = try shape(try #require(v as? [String: Any]), key: k) }
                    return .object(fields)
                }
                return .keyed(try shape(try #require(s["additionalProperties"] as? [String: Any]), key: key))
            }
            if let pattern = s["pattern"] as? String {
                return pattern.hasPrefix("^\\d{4}-") ? .date : .identifier(key)
            }
            return .text
        }
        #expect(try shape(schema, key: "") == IncidentFactsValidator.shape)
    }

    /// The template `--incident-template` prints passes the validation (with and without a report).
    @Test func templatePassesTheValidation() throws {
        let report = try Fixtures.report("golden_report.json")
        for text in [IncidentTemplate.yaml(report: report), IncidentTemplate.yaml(report: nil)] {
            let node = try #require(try Yams.compose(yaml: text))
            #expect(IncidentFactsValidator.problems(node, json: false) == [])
        }
    }

    /// Every JSON document `Drafter` writes (both fixtures, both languages, with and without
    /// incident facts, as processor, complementary) validates against
    /// `schemas/cnil-notification.schema.json`; the incident fixture, as JSON, against
    /// `schemas/incident.schema.json`.
    @Test func everyDraftJSONIsSchemaValid() throws {
        var docs: [Data] = []
        for name in ["golden_report.json", "labs_fr_report.json"] {
            let report = try Fixtures.report(name)
            for lang in DocumentLanguage.allCases {
                for incident in [try Fixtures.incident(), nil] {
                    let d = try Drafter(report: report, incident: incident, options: DraftOptions(language: lang, asProcessor: true))
                    docs += try d.documents().filter { $0.path.hasSuffix(".json") }.map(\.contents)
                }
            }
        }
        let (earlier, now) = try DraftGoldenTests.earlierAndNow()
        let previous = NotificationBuilder(report: earlier, incident: nil, language: .fr).build(controller: earlier.controllers[0])
        docs += try Drafter(report: now, incident: try Fixtures.incident(), options: DraftOptions(formats: [.json]), previous: [previous])
            .documents().map(\.contents)
        #expect(docs.count > 20)
        let (status, out) = try SchemaCheck.validate(docs, schema: "cnil-notification.schema.json")
        #expect(status == 0, "\(out)")
    }
}
