import Foundation
import ImpactReporting
import Yams

/// Reads the incident facts (`--incident FILE`) from JSON or YAML.
///
/// Behaviour: JSON when the first non-blank byte is `{`, YAML otherwise. YAML is composed into
/// nodes and converted to the JSON data model (booleans and nulls by YAML's resolution; every
/// other scalar, numbers and timestamps included, as the string written, so that an unquoted
/// FINESS `010008407` keeps its leading zero), so that both forms decode through the same
/// snake_case `JSONDecoder`. Before decoding, ``IncidentFactsValidator`` checks the whole file
/// against `schemas/incident.schema.json` (unknown keys, types, enumerations, identifier
/// patterns, real calendar dates) and every problem is reported at once, with its line.
///
/// Contract: throws ``IncidentFactsError``, which says where (a key path or a line) and what
/// kind of problem, never the offending value.
public enum IncidentFactsLoader {
    public static func load(path: String) throws -> IncidentFacts {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw IncidentFactsError.unreadable(path: path) }
        return try decode(data)
    }

    public static func decode(_ data: Data) throws -> IncidentFacts {
        let first = data.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
        var json = data
        let isJSON = first == UInt8(ascii: "{")
        let node: Node?
        if isJSON {
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: data) } catch { throw IncidentFactsError.syntax(line: nil) }
            guard object is [String: Any] else { throw IncidentFactsError.notAMapping }
            // Read as YAML too, for the line numbers of the problems (JSON is YAML's flow style);
            // when the YAML parser disagrees, the same tree without lines.
            let text = String(data: data, encoding: .utf8)
            node = text.flatMap { try? Yams.compose(yaml: $0) } ?? yamlNode(object)
        } else {
            guard let text = String(data: data, encoding: .utf8) else { throw IncidentFactsError.notUTF8 }
            do { node = try Yams.compose(yaml: text) } catch let e as YamlError {
                throw IncidentFactsError.syntax(line: Self.line(of: e))
            }
            guard let node else { return IncidentFacts() }
            let object = jsonObject(node)
            guard object is [String: Any] else { throw IncidentFactsError.notAMapping }
            json = try JSONSerialization.data(withJSONObject: object)
        }
        if let node {
            let problems = IncidentFactsValidator.problems(node, json: isJSON)
            if !problems.isEmpty { throw IncidentFactsError.problems(problems) }
        }
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        do { return try dec.decode(IncidentFacts.self, from: json) } catch let e as DecodingError {
            throw IncidentFactsError.invalid(path: Self.path(of: e), kind: Self.kind(of: e))
        } catch {
            throw IncidentFactsError.syntax(line: nil)
        }
    }

    /// A JSONSerialization object as a YAML node without positions (strings quoted, numbers
    /// plain), for ``IncidentFactsValidator``.
    static func yamlNode(_ object: Any) -> Node {
        switch object {
        case let d as [String: Any]:
            return .mapping(Node.Mapping(d.sorted { $0.key < $1.key }.map { (Node($0.key), yamlNode($0.value)) }))
        case let a as [Any]:
            return .sequence(Node.Sequence(a.map(yamlNode)))
        case is NSNull:
            return .scalar(Node.Scalar("null", Tag(.null), .plain))
        case let n as NSNumber where String(cString: n.objCType) == "c": // a JSON boolean
            return .scalar(Node.Scalar(n.boolValue ? "true" : "false", Tag(.bool), .plain))
        case let n as NSNumber:
            return .scalar(Node.Scalar(n.stringValue, Tag(.int), .plain))
        case let s as String:
            return .scalar(Node.Scalar(s, Tag(.str), .doubleQuoted))
        default:
            return .scalar(Node.Scalar("", Tag(.str), .doubleQuoted))
        }
    }

    /// A YAML node as a JSONSerialization object.
    static func jsonObject(_ node: Node) -> Any {
        switch node {
        case .mapping(let m):
            var d: [String: Any] = [:]
            for (k, v) in m { d[k.string ?? ""] = jsonObject(v) }
            return d
        case .sequence(let s):
            return s.map(jsonObject)
        case .scalar(let s):
            switch node.tag.description {
            case "tag:yaml.org,2002:null": return NSNull()
            case "tag:yaml.org,2002:bool": return node.bool.map { $0 as Any } ?? s.string
            default: return s.string // numbers too: SIREN, FINESS, phones keep their leading zeros
            }
        }
    }

    static func line(of e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func path(of e: DecodingError) -> String {
        let ctx: DecodingError.Context
        switch e {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): ctx = c
        @unknown default: return ""
        }
        var keys = ctx.codingPath.map { k -> String in
            if let i = k.intValue { return "[\(i)]" }
            return snake(k.stringValue)
        }
        if case .keyNotFound(let k, _) = e { keys.append(snake(k.stringValue)) }
        return keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func kind(of e: DecodingError) -> String {
        switch e {
        case .typeMismatch(let t, _): return "expected \(t)"
        case .valueNotFound: return "missing value"
        case .keyNotFound: return "missing key"
        case .dataCorrupted: return "not one of the allowed values"
        @unknown default: return "invalid"
        }
    }

    static func snake(_ s: String) -> String {
        var out = ""
        for c in s { if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) } }
        return out
    }
}

/// Why the incident file cannot be used: kind and position only.
public enum IncidentFactsError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case notUTF8
    case syntax(line: Int?)
    case notAMapping
    case invalid(path: String, kind: String)
    /// Every problem found against the schema, in document order (``IncidentFactsValidator``).
    case problems([IncidentFactsValidator.Problem])

    public var description: String {
        switch self {
        case .unreadable(let p): return "incident file cannot be read: \(OutputSafety.plainText(p))"
        case .notUTF8: return "incident file is not UTF-8"
        case .syntax(let l): return "incident file is not valid YAML or JSON" + (l.map { " (line \($0 + 1))" } ?? "")
        case .notAMapping: return "incident file must be a mapping of keys to values"
        case .invalid(let p, let k): return "incident file: \(p.isEmpty ? "document" : p): \(k) (see schemas/incident.schema.json)"
        case .problems(let list):
            let head = "incident file: \(list.count) problem\(list.count == 1 ? "" : "s") (see schemas/incident.schema.json)"
            return ([head] + list.map { "  " + $0.description }).joined(separator: "\n")
        }
    }
}

/// JSON of the drafts: snake_case keys, sorted, pretty-printed, deterministic, like the report.
public enum DraftJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try enc.encode(value)
        data.append(0x0A)
        return data
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        return try dec.decode(type, from: data)
    }
}
