import Foundation
import Testing
import ImpactNotify
import ImpactReporting

/// The notification data on the realistic fixture: schema-valid, counts equal to the report's,
/// every value with its source, the missing ones listed; complementary notifications.
@Suite struct NotificationTests {
    /// Every controller of the labs_fr_cp1252-shaped report, both languages, with and without
    /// incident facts: all valid against `schemas/cnil-notification.schema.json`.
    @Test func everyNotificationIsSchemaValid() throws {
        let report = try Fixtures.report("labs_fr_report.json")
        var docs: [Data] = []
        for lang in DocumentLanguage.allCases {
            for incident in [try Fixtures.incident(), nil] {
                let b = NotificationBuilder(report: report, incident: incident, language: lang)
                for c in report.controllers { docs.append(try DraftJSON.encode(b.build(controller: c))) }
            }
        }
        let (earlier, now) = try DraftGoldenTests.earlierAndNow()
        let previous = NotificationBuilder(report: earlier, incident: nil, language: .fr).build(controller: earlier.controllers[0])
        docs.append(try DraftJSON.encode(NotificationBuilder(report: now, incident: try Fixtures.incident(), language: .fr)
            .build(controller: now.controllers[0], previous: previous)))
        #expect(docs.count == 4 * report.controllers.count + 1)
        let (status, out) = try SchemaCheck.validate(docs, schema: "cnil-notification.schema.json")
        #expect(status == 0, "\(out)")
    }

    @Test func countsEqualTheReport() throws {
        let report = try Fixtures.report("labs_fr_report.json")
        let b = NotificationBuilder(report: report, incident: try Fixtures.incident(), language: .fr)
        #expect(report.controllers.count == 9)
        for c in report.controllers {
            let n = b.build(controller: c)
            #expect(n.controllerId == c.id)
            #expect(n.persons.total.value == c.subjects)
            #expect(n.persons.total.source == "analysis: controllers[id=\(c.id)].subjects")
            #expect(n.records.value == c.records)
            #expect(n.persons.categories.first { $0.category == "health_professionals" }?.count.value == c.healthProfessionals)
            let shown = Dictionary(uniqueKeysWithValues: n.dataCategories.map { ($0.category, $0.subjects.value ?? -1) })
            let expected = c.subjectsByCategory.filter { $0.value > 0 && $0.key != "controller" }
            #expect(shown == expected, "\(c.id)")
            #expect(n.severity.se == SeverityAssessor.assess(controller: c, report: report, incident: try Fixtures.incident()).se)
        }
        // The truth's numbers, for the largest and the smallest lab.
        let sud = b.build(controller: report.controllers[0])
        #expect(sud.persons.total.value == 539 && sud.dataCategories.first { $0.category == "genetic" }?.subjects.value == 20)
        let corse = b.build(controller: report.controllers[8])
        #expect(corse.persons.total.value == 1 && corse.persons.band == "0–5")
        #expect(!corse.dataCategories.contains { $0.category == "pregnancy" }) // 0 subjects: not listed
    }

    @Test func missingFactsAreListedNeverInvented() throws {
        let report = try Fixtures.report("golden_report.json")
        let n = NotificationBuilder(report: report, incident: nil, language: .fr).build(controller: report.controllers[2])
        #expect(n.organisation.siren.value == nil && n.organisation.siren.source == "À COMPLÉTER")
        #expect(n.organisation.name.value == "Laboratoire Corse Biologie")
        #expect(n.organisation.name.source == "analysis: controllers[id=200957868].name")
        #expect(n.organisation.finess.value == "200957868") // the analyzer's id has the FINESS shape
        #expect(n.timeline.deadline.value == nil)
        for path in ["organisation.siren", "dpo.email", "timeline.awareness_at", "timeline.deadline", "nature.confidentiality",
                     "origin", "cause", "media", "measures.containment", "information_of_persons.status", "processor.involved"] {
            #expect(n.toComplete.contains(path), "\(path)")
        }
        #expect(Set(n.toComplete).count == n.toComplete.count)
        // The severity still follows the documented defaults, and says so.
        #expect(n.severity.assumptions.count == 4)
        let en = NotificationBuilder(report: report, incident: nil, language: .en).build(controller: report.controllers[2])
        #expect(en.organisation.siren.source == "TO BE COMPLETED")
        #expect(en.toComplete == n.toComplete)

        let full = NotificationBuilder(report: report, incident: try Fixtures.incident(), language: .fr).build(controller: report.controllers[0])
        #expect(full.toComplete == ["dpo.function", "persons.categories[minors].count", "persons.categories[vulnerable].present"])
        #expect(full.timeline.deadline.value == "2024-04-02T11:00:00+02:00")
        #expect(full.timeline.awarenessAt.source == "incident file: dates.awareness_at")
        // Lab 540465739 became aware later (told by the processor), in the autumn change week.
        let lorraine = NotificationBuilder(report: report, incident: try Fixtures.incident(), language: .fr).build(controller: report.controllers[1])
        #expect(lorraine.timeline.deadline.value == "2024-10-29T08:30:00+01:00")
        #expect(lorraine.timeline.awarenessAt.source == "incident file: controllers.540465739.awareness_at")
    }

    @Test func complementaryStatesWhatChanged() throws {
        let (earlier, now) = try DraftGoldenTests.earlierAndNow()
        var facts = try Fixtures.incident()
        facts.controllers?["920794955"]?.cnilNotificationNumber = "2024-000123"
        let previous = NotificationBuilder(report: earlier, incident: facts, language: .fr).build(controller: earlier.controllers[0])
        #expect(previous.notificationType.kind.value == "initial")
        let n = NotificationBuilder(report: now, incident: facts, language: .fr).build(controller: now.controllers[0], previous: previous)
        #expect(n.notificationType.kind.value == "complementary")
        #expect(n.notificationType.initialReference?.value == "2024-000123")
        let changes = try #require(n.notificationType.changes)
        #expect(changes.contains(CNILNotification.Change(item: "persons.total", kind: "changed", previous: "500", current: "539")))
        #expect(changes.contains(CNILNotification.Change(item: "records", kind: "changed", previous: "1900", current: "2116")))
        #expect(changes.contains(CNILNotification.Change(item: "data_categories[genetic]", kind: "added", previous: nil, current: "20")))
        #expect(changes.contains(CNILNotification.Change(item: "data_categories[national_id].subjects", kind: "changed", previous: "470", current: "506")))
        #expect(!changes.contains { $0.item.hasPrefix("data_categories[health]") })
        // Nothing changed: a complementary notification with an empty list.
        let same = NotificationBuilder(report: now, incident: facts, language: .fr).build(controller: now.controllers[0], previous: n)
        #expect(same.notificationType.changes == [])
    }

    @Test func assessedReportAndIncidentFixtureAreSchemaValid() throws {
        var report = try Fixtures.report("labs_fr_report.json")
        for i in report.controllers.indices {
            report.controllers[i].assessment = SeverityAssessor.assess(controller: report.controllers[i], report: report, incident: nil)
        }
        let (s1, o1) = try SchemaCheck.validate([try ReportJSON.encode(report)], schema: "impact-report.schema.json")
        #expect(s1 == 0, "\(o1)")
        // The YAML fixture, as JSON, against the incident schema (dates as written).
        let json = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: try DraftJSON.encode(try Fixtures.incident())))
        let (s2, o2) = try SchemaCheck.validate([json], schema: "incident.schema.json")
        #expect(s2 == 0, "\(o2)")
    }
}
