import Foundation
import ImpactReporting
import Yams

/// Checks an incident file against `schemas/incident.schema.json` before it is decoded, and
/// reports every problem at once, each with its line.
///
/// Behaviour: walks the document (YAML, or JSON read as YAML for the line numbers) against
/// ``shape``, the schema written as a Swift value (a test keeps the two identical). Reported:
/// an unknown key (with the closest known key when one is a likely typo), a value of the wrong
/// type, a value outside an enumeration, an identifier that does not match its pattern (SIREN
/// 9 digits, SIRET 14, FINESS), a date that does not match the documented format or is no real
/// calendar date and time (`2026-02-30`, `25:00`, `yesterday`; ``ParisTime/parse(_:)``). YAML
/// scalars other than booleans and nulls are text (an unquoted FINESS keeps its leading zero);
/// in JSON a number where text is expected is a type error, as the decoder would find.
///
/// Contract: returns the problems in document order (line, then path); never a value from the
/// file, only key paths, kinds and lines (keys are the user's, printed neutralised).
public enum IncidentFactsValidator {
    /// One problem of the incident file.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line in the file, when known.
        public var line: Int?
        /// Key path, `dates.awareness_at`, `controllers.010008407.siren`, `media[1]`.
        public var path: String
        public var message: String

        public init(line: Int?, path: String, message: String) {
            self.line = line; self.path = path; self.message = message
        }

        public var description: String {
            (line.map { "line \($0): " } ?? "") + OutputSafety.plainText(path.isEmpty ? "document" : path) + ": " + message
        }
    }

    /// What a value may be (every value may also be null, except list items).
    public indirect enum Shape: Sendable, Equatable {
        case text
        /// Text matching an identifier pattern: `siren`, `siret`, `finess`.
        case identifier(String)
        /// An ISO 8601 date or date and time, without offset read as Europe/Paris.
        case date
        case flag
        case choice([String])
        case list(Shape)
        case object([String: Shape])
        /// Any keys (controller ids), each value of the given shape.
        case keyed(Shape)
    }

    static let contact: Shape = .object(["name": .text, "function": .text, "email": .text, "phone": .text, "address": .text])

    /// `schemas/incident.schema.json` as a Swift value.
    public static let shape: Shape = .object([
        "reference": .text,
        "controllers": .keyed(.object([
            "name": .text, "siren": .identifier("siren"), "siret": .identifier("siret"), "finess": .identifier("finess"),
            "naf": .text, "address": .text, "postcode": .text, "city": .text, "country": .text,
            "contact": contact, "dpo": contact, "cnil_notification_number": .text, "awareness_at": .date,
        ])),
        "processor": .object([
            "name": .text, "siren": .text, "address": .text, "contact": contact, "dpo": contact, "contract_reference": .text,
        ]),
        "dates": .object([
            "start": .date, "end": .date, "ongoing": .flag, "discovered_at": .date, "awareness_at": .date,
            "processor_aware_at": .date,
        ]),
        "established": .flag,
        "discovery_circumstances": .text,
        "delay_reasons": .text,
        "nature": .object([
            "confidentiality": .choice(IncidentFacts.ConfidentialityLoss.allCases.map(\.rawValue)),
            "integrity": .choice(IncidentFacts.IntegrityLoss.allCases.map(\.rawValue)),
            "availability": .choice(IncidentFacts.AvailabilityLoss.allCases.map(\.rawValue)),
        ]),
        "malicious": .flag,
        "origin": .choice(IncidentFacts.Origin.allCases.map(\.rawValue)),
        "origin_detail": .text,
        "cause": .choice(IncidentFacts.Cause.allCases.map(\.rawValue)),
        "media": .list(.choice(IncidentFacts.Medium.allCases.map(\.rawValue))),
        "media_detail": .text,
        "data_unintelligible": .flag,
        "persons": .object(["minors": .flag, "vulnerable": .flag, "in_other_member_states": .flag]),
        "measures": .object(["before": .list(.text), "containment": .list(.text), "mitigation": .list(.text), "prevention": .list(.text)]),
        "communication": .object([
            "status": .choice(IncidentFacts.CommunicationStatus.allCases.map(\.rawValue)),
            "date": .date, "channels": .list(.text),
            "exemption": .choice(IncidentFacts.Art34Exemption.allCases.map(\.rawValue)),
            "exemption_justification": .text,
        ]),
        "cross_border": .object([
            "other_states_affected": .flag, "states": .list(.text), "other_authorities_notified": .list(.text),
            "lead_authority": .text,
        ]),
        "other_notifications": .list(.text),
    ])

    /// The problems of a composed document. `json`: the file is JSON (plain scalars other than
    /// `true`, `false`, `null` are numbers there).
    public static func problems(_ node: Node, json: Bool) -> [Problem] {
        var out: [Problem] = []
        check(node, against: shape, path: "", json: json, nullable: true, into: &out)
        return out
    }

    /// Line of `node` (1-based), when the parser gave one.
    static func line(_ node: Node) -> Int? { node.mark?.line }

    static func check(_ node: Node, against shape: Shape, path: String, json: Bool, nullable: Bool, into out: inout [Problem]) {
        func problem(_ message: String) { out.append(Problem(line: line(node), path: path, message: message)) }
        let tag = node.tag.description
        if case .scalar(let s) = node, tag == "tag:yaml.org,2002:null", s.style == .plain || s.style == .any {
            if !nullable { problem("null is not allowed here") }
            return
        }
        switch shape {
        case .text, .identifier, .date, .choice:
            guard case .scalar(let s) = node else { problem("expected \(expected(shape)), found \(kind(node))"); return }
            let plain = s.style == .plain || s.style == .any
            if plain && tag == "tag:yaml.org,2002:bool" { problem("expected \(expected(shape)), found a boolean"); return }
            if json && plain { problem("expected \(expected(shape)), found a number"); return }
            let text = s.string
            switch shape {
            case .identifier(let kind):
                if !matchesIdentifier(text, kind) { problem("not a \(kind.uppercased()) (\(identifierRule(kind)))") }
            case .date:
                if !isCalendarDate(text) {
                    problem("not a real date in the documented format (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], optional Z or ±HH:MM; without an offset, Paris time)")
                }
            case .choice(let allowed):
                if !allowed.contains(text) { problem("not one of " + allowed.joined(separator: ", ")) }
            default: break
            }
        case .flag:
            guard case .scalar(let s) = node, tag == "tag:yaml.org,2002:bool", s.style == .plain || s.style == .any else {
                problem("expected true or false, found \(kind(node))"); return
            }
        case .list(let item):
            guard case .sequence(let seq) = node else { problem("expected a list, found \(kind(node))"); return }
            for (i, child) in seq.enumerated() {
                check(child, against: item, path: path + "[\(i)]", json: json, nullable: false, into: &out)
            }
        case .object(let fields):
            guard case .mapping(let map) = node else { problem("expected a mapping, found \(kind(node))"); return }
            duplicateKeys(map, path: path, into: &out)
            for (k, v) in map {
                let key = k.string ?? ""
                let childPath = path.isEmpty ? key : path + "." + key
                guard let childShape = fields[key] else {
                    var message = "unknown key"
                    if let near = closest(key, among: fields.keys) { message += " (did you mean \(near)?)" }
                    out.append(Problem(line: line(k), path: childPath, message: message))
                    continue
                }
                check(v, against: childShape, path: childPath, json: json, nullable: true, into: &out)
            }
        case .keyed(let valueShape):
            guard case .mapping(let map) = node else { problem("expected a mapping, found \(kind(node))"); return }
            duplicateKeys(map, path: path, into: &out)
            for (k, v) in map {
                check(v, against: valueShape, path: path + "." + (k.string ?? ""), json: json, nullable: true, into: &out)
            }
        }
    }

    /// A key written twice in one mapping: YAML keeps the last silently, so `malicious: true`
    /// then `malicious: false` lowered the severity without a word (second tester, N8).
    static func duplicateKeys(_ map: Node.Mapping, path: String, into out: inout [Problem]) {
        var seen = Set<String>()
        for (k, _) in map {
            let key = k.string ?? ""
            if !seen.insert(key).inserted {
                out.append(Problem(line: line(k), path: path.isEmpty ? key : path + "." + key,
                                   message: "key written twice in the same mapping (only one value can hold)"))
            }
        }
    }

    static func expected(_ shape: Shape) -> String {
        switch shape {
        case .text, .identifier: return "text"
        case .date: return "a date"
        case .choice: return "one of the listed values"
        case .flag: return "true or false"
        case .list: return "a list"
        case .object, .keyed: return "a mapping"
        }
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return node.tag.description == "tag:yaml.org,2002:bool" ? "a boolean" : "text"
        }
    }

    /// True for a real calendar date (and time) in the format of the schema's `pattern`.
    public static func isCalendarDate(_ text: String) -> Bool {
        guard text == text.trimmingCharacters(in: .whitespaces) else { return false }
        return ParisTime.parse(text) != nil
    }

    static func matchesIdentifier(_ text: String, _ kind: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ r: Range<Int>) -> Bool { b[r].allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        switch kind {
        case "siren": return b.count == 9 && digits(0..<9)
        case "siret": return b.count == 14 && digits(0..<14)
        case "finess":
            guard b.count == 9, digits(2..<9) else { return false }
            return digits(0..<2) || (b[0] == 0x32 && (b[1] == 0x41 || b[1] == 0x42)) // 2A, 2B (Corsica)
        default: return true
        }
    }

    static func identifierRule(_ kind: String) -> String {
        switch kind {
        case "siren": return "9 digits"
        case "siret": return "14 digits"
        default: return "9 characters: 2 digits or 2A/2B, then 7 digits"
        }
    }

    /// The known key within edit distance 2 of `key` (a typo), if exactly one is closest.
    static func closest(_ key: String, among keys: Dictionary<String, Shape>.Keys) -> String? {
        let a = Array(key.utf8)
        var best: (String, Int)? = nil
        var tie = false
        for k in keys {
            let d = editDistance(a, Array(k.utf8))
            if d > 2 { continue }
            if let b = best, d > b.1 { continue }
            tie = best?.1 == d
            best = (k, d)
        }
        return tie ? nil : best?.0
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
