import Foundation
import ImpactReporting

/// Fills a controller's CNIL notification from the analysis report, its assessment and the
/// incident facts, recording where each value came from and which are left for a person.
///
/// Behaviour: counts and categories come only from the report (`controllers[id=…]`), the
/// severity only from ``SeverityAssessor`` (the one stored in the report when present, else
/// computed with the incident facts), everything else only from the incident file. A fact the
/// file does not give is `null` with the source `À COMPLÉTER` / `TO BE COMPLETED` and its key
/// path is listed in `to_complete`; facts that only apply in some cases (delay reasons, end
/// date of an ongoing breach) carry a `conditional: …` source and are not listed.
///
/// Contract: pure; never invents a fact; `previous` (a notification made earlier for the same
/// controller) makes a complementary notification (GDPR Art. 33(4)) listing what changed.
public struct NotificationBuilder {
    public let report: ImpactReport
    public let incident: IncidentFacts?
    public let language: DocumentLanguage

    public init(report: ImpactReport, incident: IncidentFacts?, language: DocumentLanguage) {
        self.report = report; self.incident = incident; self.language = language
    }

    /// The assessment used for `controller`: recomputed with the incident facts when there are
    /// any (the report's was made without them), else the report's, else computed.
    public func assessment(for controller: ImpactReport.Controller) -> ControllerAssessment {
        if incident == nil, let a = controller.assessment { return a }
        return SeverityAssessor.assess(controller: controller, report: report, incident: incident)
    }

    public func build(controller c: ImpactReport.Controller, previous: CNILNotification? = nil) -> CNILNotification {
        var missing: [String] = []
        let lang = language
        let todo = Sourced<String>.toComplete(lang)
        let cid = c.id
        let ident = incident?.controllers?[cid]
        let here = "analysis: controllers[id=\(cid)]"

        func str(_ path: String, _ v: String?, _ src: String) -> Sourced<String> {
            if let v, !v.isEmpty { return Sourced(v, source: src) }
            missing.append(path); return Sourced(nil, source: todo)
        }
        func bool(_ path: String, _ v: Bool?, _ src: String) -> Sourced<Bool> {
            if let v { return Sourced(v, source: src) }
            missing.append(path); return Sourced(nil, source: todo)
        }
        func list(_ path: String, _ v: [String]?, _ src: String) -> Sourced<[String]> {
            if let v, !v.isEmpty { return Sourced(v, source: src) }
            missing.append(path); return Sourced(nil, source: todo)
        }
        let inc = "incident file"
        let ctl = "incident file: controllers.\(cid)"

        // 1. Type.
        var type: CNILNotification.NotificationType
        if let previous {
            let ref = ident?.cnilNotificationNumber ?? previous.notificationType.initialReference?.value
            let refSource = ident?.cnilNotificationNumber != nil ? "\(ctl).cnil_notification_number" : "previous notification: notification_type.initial_reference"
            type = .init(kind: Sourced("complementary", source: "command line: --complement-of",
                                       label: lang == .fr ? "Notification complémentaire" : "Complementary notification"),
                         initialReference: str("notification_type.initial_reference", ref, refSource), changes: [])
        } else {
            type = .init(kind: Sourced("initial", source: "default: first notification",
                                       label: lang == .fr ? "Notification initiale" : "Initial notification"),
                         initialReference: nil, changes: nil)
        }

        // 2–3. Organisation, contact, DPO.
        // A name equal to the data's is the one `--incident-template` pre-filled: its source
        // is the analysis (finding F13), not the incident file.
        let orgName: Sourced<String>
        if let n = ident?.name, n != c.name { orgName = Sourced(n, source: "\(ctl).name") }
        else if let n = c.name { orgName = Sourced(n, source: "\(here).name" + (ident?.name != nil ? " (kept in the incident file)" : "")) }
        else { missing.append("organisation.name"); orgName = Sourced(nil, source: todo) }
        let organisation = CNILNotification.Organisation(
            name: orgName,
            siren: str("organisation.siren", ident?.siren, "\(ctl).siren"),
            siret: str("organisation.siret", ident?.siret, "\(ctl).siret"),
            finess: ident?.finess.map { Sourced($0, source: "\(ctl).finess") }
                ?? (isFINESSShaped(cid) ? Sourced(cid, source: "\(here).id") : str("organisation.finess", nil, "")),
            naf: str("organisation.naf", ident?.naf, "\(ctl).naf"),
            address: str("organisation.address", ident?.address, "\(ctl).address"),
            postcode: str("organisation.postcode", ident?.postcode, "\(ctl).postcode"),
            city: str("organisation.city", ident?.city, "\(ctl).city"),
            country: str("organisation.country", ident?.country, "\(ctl).country"))
        func contact(_ key: String, _ p: IncidentFacts.Contact?) -> CNILNotification.Contact {
            .init(name: str("\(key).name", p?.name, "\(ctl).\(key).name"),
                  function: str("\(key).function", p?.function, "\(ctl).\(key).function"),
                  email: str("\(key).email", p?.email, "\(ctl).\(key).email"),
                  phone: str("\(key).phone", p?.phone, "\(ctl).\(key).phone"))
        }
        let contactBlock = contact("contact", ident?.contact)
        let dpoBlock = contact("dpo", ident?.dpo)

        // 4. Timeline.
        let a = assessment(for: c)
        let d = incident?.dates
        func date(_ path: String, _ v: String?, _ src: String) -> Sourced<String> {
            guard let v, !v.isEmpty else { missing.append(path); return Sourced(nil, source: todo) }
            if ParisTime.isDateOnly(v) { return Sourced(v.trimmingCharacters(in: .whitespaces), source: src) }
            if let t = ParisTime.parse(v) { return Sourced(ParisTime.iso(t), source: src) }
            return Sourced(v, source: src) // kept as written; the schema flags it
        }
        let ongoing = d?.ongoing
        let awarenessSource = ident?.awarenessAt != nil ? "\(ctl).awareness_at" : "\(inc): dates.awareness_at"
        let timeline = CNILNotification.Timeline(
            start: date("timeline.start", d?.start, "\(inc): dates.start"),
            end: ongoing == true ? Sourced(nil, source: "conditional: breach ongoing") : date("timeline.end", d?.end, "\(inc): dates.end"),
            ongoing: bool("timeline.ongoing", ongoing, "\(inc): dates.ongoing"),
            discoveredAt: date("timeline.discovered_at", d?.discoveredAt, "\(inc): dates.discovered_at"),
            discoveryCircumstances: str("timeline.discovery_circumstances", incident?.discoveryCircumstances, "\(inc): discovery_circumstances"),
            awarenessAt: a.obligations.awarenessAt.map { Sourced($0, source: awarenessSource) }
                ?? date("timeline.awareness_at", incident?.awarenessAt(controller: cid), awarenessSource),
            deadline: a.obligations.deadline.map { Sourced($0, source: "assessment: awareness_at + 72 h (GDPR Art. 33(1)), Europe/Paris") }
                ?? { missing.append("timeline.deadline"); return Sourced(nil, source: todo) }(),
            delayReasons: incident?.delayReasons.map { Sourced($0, source: "\(inc): delay_reasons") }
                ?? Sourced(nil, source: "conditional: required when notified after the deadline"),
            established: bool("timeline.established", incident?.established, "\(inc): established"))

        // 5. Nature.
        let n = incident?.nature
        let nature = CNILNotification.Nature(
            confidentiality: n?.confidentiality.map { Sourced($0 != .none, source: "\(inc): nature.confidentiality") }
                ?? bool("nature.confidentiality", nil, ""),
            integrity: n?.integrity.map { Sourced($0 != .none, source: "\(inc): nature.integrity") } ?? bool("nature.integrity", nil, ""),
            availability: n?.availability.map { Sourced($0 != .none, source: "\(inc): nature.availability") } ?? bool("nature.availability", nil, ""))

        // 6–8. Origin, cause, media.
        let origin: Sourced<String> = incident?.origin.map {
            Sourced($0.rawValue, source: "\(inc): origin", label: CNILVocabulary.origins[$0]?.text(lang))
        } ?? str("origin", nil, "")
        let originDetail: Sourced<String> = incident?.origin == .other
            ? str("origin_detail", incident?.originDetail, "\(inc): origin_detail")
            : Sourced(incident?.originDetail, source: incident?.originDetail == nil ? "conditional: origin other" : "\(inc): origin_detail")
        let cause: Sourced<String> = incident?.cause.map {
            Sourced($0.rawValue, source: "\(inc): cause", label: CNILVocabulary.causes[$0]?.text(lang))
        } ?? str("cause", nil, "")
        let media: Sourced<[String]> = incident?.media.flatMap { $0.isEmpty ? nil : $0 }.map {
            Sourced($0.map(\.rawValue), source: "\(inc): media", label: $0.compactMap { CNILVocabulary.media[$0]?.text(lang) }.joined(separator: ", "))
        } ?? list("media", nil, "")

        // 9. Data categories, from the report.
        let cats = AssessmentRules.sortedCategories(
            c.subjectsByCategory.filter { $0.value > 0 && CNILVocabulary.dataCategories[$0.key] != nil }.keys)
        let dataCategories = cats.map { cat -> CNILNotification.DataCategoryEntry in
            let m = CNILVocabulary.dataCategories[cat]!
            return .init(category: cat, label: CategoryLabels.label(cat, lang), cnilLabel: m.cnil.text(lang), gdpr: m.gdpr,
                         fields: report.fields.filter { $0.categories.contains(cat) }.map(\.name),
                         subjects: Sourced(c.subjectsByCategory[cat]!, source: "\(here).subjects_by_category.\(cat)"))
        }

        // 10. Persons.
        let p = incident?.persons
        var personCats: [CNILNotification.PersonCategory] = [
            .init(category: "patients", label: CNILVocabulary.persons["patients"]!.text(lang),
                  present: Sourced(c.subjects > 0, source: "\(here).subjects"), count: Sourced(c.subjects, source: "\(here).subjects")),
        ]
        if c.healthProfessionals > 0 {
            personCats.append(.init(category: "health_professionals", label: CNILVocabulary.persons["health_professionals"]!.text(lang),
                                    present: Sourced(true, source: "\(here).health_professionals"),
                                    count: Sourced(c.healthProfessionals, source: "\(here).health_professionals")))
        }
        for (key, flag) in [("minors", p?.minors), ("vulnerable", p?.vulnerable)] {
            let present = bool("persons.categories[\(key)].present", flag, "\(inc): persons.\(key)")
            let count: Sourced<Int> = flag == true ? { missing.append("persons.categories[\(key)].count"); return Sourced(nil, source: todo) }()
                : Sourced(flag == false ? 0 : nil, source: flag == false ? "\(inc): persons.\(key)" : "conditional: when present")
            personCats.append(.init(category: key, label: CNILVocabulary.persons[key]!.text(lang), present: present, count: count))
        }
        let persons = CNILNotification.Persons(
            total: Sourced(c.subjects, source: "\(here).subjects"), band: CNILVocabulary.personsBand(c.subjects),
            categories: personCats,
            inOtherMemberStates: bool("persons.in_other_member_states", p?.inOtherMemberStates ?? incident?.crossBorder?.otherStatesAffected,
                                      "\(inc): persons.in_other_member_states"))

        // 11. Consequences, from the categories present.
        let present = Set(cats)
        let consequences = CNILVocabulary.harms.compactMap { h -> CNILNotification.Consequence? in
            let because = h.when == ["*"] ? ["*"] : h.when.filter { present.contains($0) }
            guard !because.isEmpty else { return nil }
            return .init(id: h.id, label: h.label.text(lang), because: because,
                         source: because == ["*"] ? "analysis: loss of confidentiality" : "\(here).subjects_by_category")
        }

        // 12. Severity.
        let severity = CNILNotification.Severity(
            source: "assessment: AssessmentRules \(a.rulesVersion)", method: a.method,
            dpc: .init(value: a.dpc.value, basis: a.dpc.basis, reasons: a.dpc.reasons.map { $0.text(lang) }),
            ei: .init(value: a.ei.value, basis: a.ei.basis, reasons: a.ei.reasons.map { $0.text(lang) }),
            cb: .init(value: a.cb.value, basis: a.cb.components.map { "\($0.element)=\($0.level)" }.joined(separator: ","),
                      reasons: a.cb.components.map { $0.reason.text(lang) }),
            se: a.se, band: a.band.rawValue, bandLabel: CNILVocabulary.bands[a.band]!.text(lang),
            cnilScale: a.cnilScale.rawValue, cnilScaleLabel: CNILVocabulary.cnilScale[a.cnilScale]!.text(lang),
            risk: a.risk.rawValue, riskLabel: CNILVocabulary.risk[a.risk]!.text(lang),
            riskReasons: a.riskReasons.map { $0.text(lang) }, assumptions: a.assumptions.map { $0.text(lang) },
            notifyAuthority: a.obligations.notifyAuthority, communicateToSubjects: a.obligations.communicateToSubjects,
            obligations: a.obligations.reasons.map { $0.text(lang) })

        // 13. Measures.
        let m = incident?.measures
        let measures = CNILNotification.Measures(
            before: list("measures.before", m?.before, "\(inc): measures.before"),
            containment: list("measures.containment", m?.containment, "\(inc): measures.containment"),
            mitigation: list("measures.mitigation", m?.mitigation, "\(inc): measures.mitigation"),
            prevention: list("measures.prevention", m?.prevention, "\(inc): measures.prevention"))

        // 14. Information of persons.
        let com = incident?.communication
        let exemption: Sourced<String> = com?.exemption.map {
            Sourced($0.rawValue, source: "\(inc): communication.exemption", label: CNILVocabulary.exemptions[$0]?.text(lang))
        } ?? Sourced(nil, source: "conditional: only when an Art. 34(3) exemption is claimed")
        let info = CNILNotification.InformationOfPersons(
            required: Sourced(a.obligations.communicateToSubjects, source: "assessment: obligations.communicate_to_subjects"),
            status: com?.status.map { Sourced($0.rawValue, source: "\(inc): communication.status", label: CNILVocabulary.communication[$0]?.text(lang)) }
                ?? str("information_of_persons.status", nil, ""),
            date: com?.status == .notPlanned ? Sourced(nil, source: "conditional: not planned")
                : date("information_of_persons.date", com?.date, "\(inc): communication.date"),
            channels: com?.status == .notPlanned ? Sourced(nil, source: "conditional: not planned")
                : list("information_of_persons.channels", com?.channels, "\(inc): communication.channels"),
            exemption: exemption,
            exemptionJustification: com?.exemption != nil
                ? str("information_of_persons.exemption_justification", com?.exemptionJustification, "\(inc): communication.exemption_justification")
                : nil)

        // 15. Cross-border.
        let cb = incident?.crossBorder
        let crossBorder = CNILNotification.CrossBorder(
            otherStatesAffected: bool("cross_border.other_states_affected", cb?.otherStatesAffected, "\(inc): cross_border.other_states_affected"),
            states: cb?.otherStatesAffected == false ? Sourced([], source: "\(inc): cross_border.other_states_affected")
                : list("cross_border.states", cb?.states, "\(inc): cross_border.states"),
            otherAuthoritiesNotified: Sourced(cb?.otherAuthoritiesNotified ?? (cb?.otherStatesAffected == false ? [] : nil),
                                              source: cb?.otherAuthoritiesNotified != nil || cb?.otherStatesAffected == false
                                                ? "\(inc): cross_border.other_authorities_notified" : "conditional: other states affected"),
            leadAuthority: cb?.leadAuthority.map { Sourced($0, source: "\(inc): cross_border.lead_authority") }
                ?? Sourced(cb?.otherStatesAffected == false ? "CNIL" : nil,
                           source: cb?.otherStatesAffected == false ? "default: no other state affected" : "conditional: other states affected"))

        // 16. Processor.
        let pr = incident?.processor
        let processor = CNILNotification.Processor(
            involved: pr != nil ? Sourced(true, source: "\(inc): processor") : bool("processor.involved", nil, ""),
            name: pr == nil ? Sourced(nil, source: "conditional: processor involved") : str("processor.name", pr?.name, "\(inc): processor.name"),
            siren: pr == nil ? Sourced(nil, source: "conditional: processor involved") : str("processor.siren", pr?.siren, "\(inc): processor.siren"),
            contractReference: pr == nil ? Sourced(nil, source: "conditional: processor involved")
                : str("processor.contract_reference", pr?.contractReference, "\(inc): processor.contract_reference"))
        let others = list("other_notifications", incident?.otherNotifications, "\(inc): other_notifications")

        var n0 = CNILNotification(
            tool: report.tool, language: lang, controllerId: cid, countsAreFinal: !report.countsAreLowerBound,
            notificationType: type, organisation: organisation, contact: contactBlock, dpo: dpoBlock, timeline: timeline,
            nature: nature, origin: origin, originDetail: originDetail, cause: cause, media: media, dataCategories: dataCategories,
            records: Sourced(c.records, source: "\(here).records"), persons: persons, consequences: consequences, severity: severity,
            measures: measures, informationOfPersons: info, crossBorder: crossBorder, processor: processor,
            otherNotifications: others, toComplete: missing)
        if let previous { n0.notificationType.changes = Self.changes(from: previous, to: n0) }
        return n0
    }

    /// What changed between two notifications of the same controller: counts, categories, severity.
    public static func changes(from old: CNILNotification, to new: CNILNotification) -> [CNILNotification.Change] {
        var out: [CNILNotification.Change] = []
        func cmp(_ item: String, _ a: Int?, _ b: Int?) {
            if a != b { out.append(.init(item: item, kind: "changed", previous: a.map(String.init), current: b.map(String.init))) }
        }
        cmp("persons.total", old.persons.total.value, new.persons.total.value)
        cmp("records", old.records.value, new.records.value)
        let oldCats = Dictionary(old.dataCategories.map { ($0.category, $0) }, uniquingKeysWith: { a, _ in a })
        let newCats = Dictionary(new.dataCategories.map { ($0.category, $0) }, uniquingKeysWith: { a, _ in a })
        for e in new.dataCategories {
            if let o = oldCats[e.category] { cmp("data_categories[\(e.category)].subjects", o.subjects.value, e.subjects.value) }
            else { out.append(.init(item: "data_categories[\(e.category)]", kind: "added", previous: nil, current: e.subjects.value.map(String.init))) }
        }
        for e in old.dataCategories where newCats[e.category] == nil {
            out.append(.init(item: "data_categories[\(e.category)]", kind: "removed", previous: e.subjects.value.map(String.init), current: nil))
        }
        let oldHP = old.persons.categories.first { $0.category == "health_professionals" }?.count.value
        let newHP = new.persons.categories.first { $0.category == "health_professionals" }?.count.value
        cmp("persons.categories[health_professionals].count", oldHP, newHP)
        if old.severity.se != new.severity.se {
            out.append(.init(item: "severity.se", kind: "changed", previous: AssessmentRules.number(old.severity.se, .en),
                             current: AssessmentRules.number(new.severity.se, .en)))
        }
        if old.severity.risk != new.severity.risk {
            out.append(.init(item: "severity.risk", kind: "changed", previous: old.severity.risk, current: new.severity.risk))
        }
        return out
    }

    /// Nine digits: the shape of a FINESS number (the analyzer's controller id when present).
    func isFINESSShaped(_ s: String) -> Bool {
        s.utf8.count == 9 && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) }
    }
}

