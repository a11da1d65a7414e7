import ImpactReporting

/// The values the Mustache templates see, built from a notification and escaped for the output.
///
/// Behaviour: every string from the report or the incident file is escaped with
/// ``DocumentFormat/text(_:)``; numbers and dates are formatted here (French: `1 452`, `0,75`,
/// dates in words, Paris time). A ``Sourced`` value becomes `{display, missing, source}`:
/// `display` is the escaped value, or the emphasised "À COMPLÉTER" marker.
///
/// Contract: the view is a `[String: Any]` of strings, booleans, arrays and dictionaries only;
/// its keys are the template interface documented in `Resources/templates/README.md`.
struct DraftViews {
    let format: DocumentFormat
    let lang: DocumentLanguage

    func esc(_ s: String) -> String { format.text(s) }

    func number(_ n: Int) -> String {
        guard lang == .fr else {
            let f = String(n)
            return n >= 10_000 ? group(f, ",") : f
        }
        return n >= 10_000 ? group(String(n), "\u{202F}") : String(n) // French: narrow no-break space
    }

    func group(_ s: String, _ sep: String) -> String {
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out = sep + out }
            out = String(c) + out
        }
        return out
    }

    func decimal(_ v: Double) -> String { AssessmentRules.number(v, lang) }

    func date(_ iso: String?) -> String? {
        guard let iso else { return nil }
        guard let t = ParisTime.parse(iso) else { return esc(iso) }
        return ParisTime.isDateOnly(iso) ? ParisTime.readableDay(t, lang) : ParisTime.readable(t, lang)
    }

    func yesNo(_ b: Bool) -> String { lang == .fr ? (b ? "oui" : "non") : (b ? "yes" : "no") }

    /// `{display, missing, source}` of a value.
    func sourced<T>(_ s: Sourced<T>, _ show: (T) -> String) -> [String: Any] {
        let missing = s.value == nil
        let display: String
        if let v = s.value { display = s.label.map(esc) ?? show(v) }
        else if s.source.hasPrefix("conditional:") { display = lang == .fr ? "sans objet" : "not applicable" }
        else { display = format.toComplete(lang) }
        return ["display": display, "missing": missing && !s.source.hasPrefix("conditional:"), "source": esc(s.source)]
    }
    func str(_ s: Sourced<String>) -> [String: Any] { sourced(s) { esc($0) } }
    func dateField(_ s: Sourced<String>) -> [String: Any] { sourced(s) { date($0) ?? "" } }
    func bool(_ s: Sourced<Bool>) -> [String: Any] { sourced(s) { yesNo($0) } }
    func int(_ s: Sourced<Int>) -> [String: Any] { sourced(s) { number($0) } }
    func list(_ s: Sourced<[String]>) -> [String: Any] {
        var d = sourced(s) { $0.isEmpty ? (lang == .fr ? "aucun" : "none") : $0.map(esc).joined(separator: "; ") }
        d["items"] = (s.value ?? []).map { ["text": esc($0)] }
        return d
    }

    func contact(_ c: CNILNotification.Contact) -> [String: Any] {
        ["name": str(c.name), "function": str(c.function), "email": str(c.email), "phone": str(c.phone)]
    }

    /// The notification document's view.
    func notification(_ n: CNILNotification, chart: String) -> [String: Any] {
        var v: [String: Any] = [:]
        v["tool"] = esc(n.tool)
        v["controller_id"] = esc(n.controllerId)
        v["controller_name"] = n.organisation.name.value.map(esc) ?? format.toComplete(lang)
        v["counts_lower_bound"] = !n.countsAreFinal
        v["complementary"] = n.notificationType.kind.value == "complementary"
        v["type"] = str(n.notificationType.kind)
        if let r = n.notificationType.initialReference { v["initial_reference"] = str(r) }
        v["changes"] = (n.notificationType.changes ?? []).map { c -> [String: Any] in
            ["item": format.code(c.item), "previous": c.previous.map(esc) ?? "—", "current": c.current.map(esc) ?? "—",
             "added": c.kind == "added", "removed": c.kind == "removed"]
        }
        v["has_changes"] = !(n.notificationType.changes ?? []).isEmpty
        let o = n.organisation
        v["organisation"] = ["name": str(o.name), "siren": str(o.siren), "siret": str(o.siret), "finess": str(o.finess), "naf": str(o.naf),
                             "address": str(o.address), "postcode": str(o.postcode), "city": str(o.city), "country": str(o.country)]
        v["contact"] = contact(n.contact)
        v["dpo"] = contact(n.dpo)
        let t = n.timeline
        v["timeline"] = ["start": dateField(t.start), "end": dateField(t.end), "ongoing": bool(t.ongoing),
                         "discovered_at": dateField(t.discoveredAt), "discovery_circumstances": str(t.discoveryCircumstances),
                         "awareness_at": dateField(t.awarenessAt), "deadline": dateField(t.deadline),
                         "delay_reasons": str(t.delayReasons), "established": bool(t.established)]
        v["nature"] = ["confidentiality": bool(n.nature.confidentiality), "integrity": bool(n.nature.integrity),
                       "availability": bool(n.nature.availability)]
        v["origin"] = str(n.origin)
        v["origin_detail"] = str(n.originDetail)
        v["cause"] = str(n.cause)
        v["media"] = list(n.media)
        v["data_categories"] = n.dataCategories.map { e -> [String: Any] in
            ["category": esc(e.category), "label": esc(e.label), "cnil_label": esc(e.cnilLabel), "gdpr": e.gdpr.map(esc) ?? "",
             "special": e.gdpr != nil, "fields": e.fields.map(format.code).joined(separator: ", "), "subjects": int(e.subjects)]
        }
        v["records"] = int(n.records)
        v["persons"] = ["total": int(n.persons.total), "band": esc(n.persons.band),
                        "in_other_member_states": bool(n.persons.inOtherMemberStates),
                        "categories": n.persons.categories.map { ["label": esc($0.label), "present": bool($0.present), "count": int($0.count)] }]
        v["consequences"] = n.consequences.map { ["label": esc($0.label), "source": esc($0.source)] }
        let s = n.severity
        func factor(_ f: CNILNotification.Factor) -> [String: Any] {
            ["value": decimal(f.value), "basis": esc(f.basis), "reasons": f.reasons.map { ["text": esc($0)] }]
        }
        v["severity"] = ["source": esc(s.source), "method": esc(s.method), "dpc": factor(s.dpc), "ei": factor(s.ei), "cb": factor(s.cb),
                         "se": decimal(s.se), "band": esc(s.bandLabel), "cnil_scale": esc(s.cnilScaleLabel), "risk": esc(s.riskLabel),
                         "high_risk": s.risk == "high_risk", "no_risk": s.risk == "no_risk",
                         "risk_reasons": s.riskReasons.map { ["text": esc($0)] },
                         "assumptions": s.assumptions.map { ["text": esc($0)] }, "has_assumptions": !s.assumptions.isEmpty,
                         "notify_authority": yesNo(s.notifyAuthority), "communicate_to_subjects": yesNo(s.communicateToSubjects),
                         "obligations": s.obligations.map { ["text": esc($0)] }]
        let m = n.measures
        v["measures"] = ["before": list(m.before), "containment": list(m.containment), "mitigation": list(m.mitigation),
                         "prevention": list(m.prevention)]
        let i = n.informationOfPersons
        var info: [String: Any] = ["required": bool(i.required), "status": str(i.status), "date": dateField(i.date),
                                   "channels": list(i.channels), "exemption": str(i.exemption)]
        if let j = i.exemptionJustification { info["exemption_justification"] = str(j) }
        v["information_of_persons"] = info
        let cb = n.crossBorder
        v["cross_border"] = ["other_states_affected": bool(cb.otherStatesAffected), "states": list(cb.states),
                             "other_authorities_notified": list(cb.otherAuthoritiesNotified), "lead_authority": str(cb.leadAuthority)]
        let p = n.processor
        v["processor"] = ["involved": bool(p.involved), "name": str(p.name), "siren": str(p.siren), "contract_reference": str(p.contractReference)]
        v["other_notifications"] = list(n.otherNotifications)
        v["to_complete"] = n.toComplete.map { ["path": format.code($0)] }
        v["to_complete_count"] = String(n.toComplete.count)
        v["has_to_complete"] = !n.toComplete.isEmpty
        v["chart"] = chart
        v["deadline_known"] = n.timeline.deadline.value != nil
        return v
    }

    /// Flags for the plain-language advice of the letter and the notice.
    func adviceFlags(_ n: CNILNotification) -> [String: Any] {
        let cats = Set(n.dataCategories.map(\.category))
        return ["has_nir": cats.contains("national_id"),
                "has_health": !cats.isDisjoint(with: ["health", "pregnancy", "drug_treatment", "genetic", "examination_date"]),
                "has_genetic": cats.contains("genetic"),
                "has_contact": !cats.isDisjoint(with: ["postal_address", "phone_number", "email_address"]),
                "has_financial": cats.contains("financial"),
                "has_credentials": cats.contains("online_identifier")]
    }
}
