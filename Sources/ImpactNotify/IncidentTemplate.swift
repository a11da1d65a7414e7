import ImpactReporting

/// The commented YAML template of the incident facts (`impact draft --incident-template`).
///
/// Behaviour: one entry under `controllers:` per controller of the report (its id as the key,
/// its name from the data pre-filled), every other fact empty (`~`) with a comment saying what
/// it is and which values are allowed. A fact left empty stays "À COMPLÉTER" in the drafts.
///
/// Contract: the output is valid YAML that ``IncidentFactsLoader`` reads back as facts with
/// only the controllers' names set; text from the report is written as double-quoted YAML
/// strings with control characters neutralised.
public enum IncidentTemplate {
    public static func yaml(report: ImpactReport?) -> String {
        func q(_ s: String) -> String {
            var out = "\""
            for ch in OutputSafety.plainText(s) {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default: out.append(ch)
                }
            }
            return out + "\""
        }
        func values<E: RawRepresentable & CaseIterable>(_ e: E.Type) -> String where E.RawValue == String {
            E.allCases.map(\.rawValue).joined(separator: " | ")
        }
        var y = """
        # Incident facts for `impact draft --incident FILE` (schemas/incident.schema.json).
        # Fill what you know; leave `~` for what you do not: it stays "À COMPLÉTER" in the drafts
        # and is listed for a person to supply. Nothing here is ever invented by impact.
        # Dates: ISO 8601, e.g. 2024-03-30T10:00:00+01:00; without an offset, Paris local time.

        reference: ~                 # your internal reference for this incident (breach register, Art. 33(5))

        # One entry per controller (each lab), keyed by the controller id found in the data.
        controllers:

        """
        let controllers = report?.controllers ?? []
        if controllers.isEmpty {
            y += """
              "CONTROLLER-ID":           # replace by the id of `impact`'s report (controllers[].id)
                name: ~

            """
        }
        for c in controllers {
            y += "  \(q(c.id)):\n"
            y += "    name: \(c.name.map(q) ?? "~")   # as found in the data: check the legal name\n"
            y += """
                siren: ~
                siret: ~
                finess: ~
                naf: ~                     # NAF code or sector, e.g. 86.90B
                address: ~
                postcode: ~
                city: ~
                country: ~
                contact: {name: ~, function: ~, email: ~, phone: ~}   # person handling the case
                dpo: {name: ~, function: ~, email: ~, phone: ~}       # data protection officer, Art. 33(3)(b)
                awareness_at: ~            # if this lab became aware at another time (e.g. when the processor told it)
                cnil_notification_number: ~  # number of the initial notification, for a complementary one

            """
        }
        y += """

        processor: ~                 # or: {name: ~, siren: ~, address: ~, contract_reference: ~, contact: {name: ~, email: ~, phone: ~}, dpo: {email: ~}}

        dates:
          start: ~                   # start of the breach
          end: ~
          ongoing: ~                 # true | false
          discovered_at: ~
          awareness_at: ~            # reasonably certain that personal data was compromised: the 72 h start here
          processor_aware_at: ~

        established: ~               # true (established) | false (suspected)
        discovery_circumstances: ~   # by whom, where, when, how
        delay_reasons: ~             # only if notified more than 72 h after awareness

        nature:
          confidentiality: ~         # \(values(IncidentFacts.ConfidentialityLoss.self))
          integrity: ~               # \(values(IncidentFacts.IntegrityLoss.self))
          availability: ~            # \(values(IncidentFacts.AvailabilityLoss.self))
        malicious: ~                 # true | false (intentional act: theft, hacking, sale)

        origin: ~                    # \(values(IncidentFacts.Origin.self))
        origin_detail: ~
        cause: ~                     # \(values(IncidentFacts.Cause.self))
        media: ~                     # list of: \(values(IncidentFacts.Medium.self))
        data_unintelligible: ~       # true if encrypted with a key that was not compromised

        persons:
          minors: ~                  # true | false
          vulnerable: ~              # true | false
          in_other_member_states: ~  # true | false

        measures:
          before: ~                  # list: measures in place before the breach
          containment: ~             # list: immediate containment
          mitigation: ~              # list: measures for the persons
          prevention: ~              # list: to prevent recurrence

        communication:
          status: ~                  # \(values(IncidentFacts.CommunicationStatus.self))
          date: ~
          channels: ~                # list: mail, email, sms, phone, website, press
          exemption: ~               # \(values(IncidentFacts.Art34Exemption.self)) (Art. 34(3) a, b, c)
          exemption_justification: ~

        cross_border:
          other_states_affected: ~   # true | false
          states: ~
          other_authorities_notified: ~
          lead_authority: ~

        other_notifications: ~       # list, e.g. "ANSSI 2024-03-31", "plainte déposée", "ARS / CERT Santé"

        """
        return y
    }
}
