import Foundation

/// `--memory-limit`: the memory budget of the distinct-subject tables, beyond which they spill
/// to a temporary database (counts stay exact).
///
/// Sizes: plain bytes (`1073741824`) or a number with a binary suffix `K`, `M`, `G`, `T`
/// (powers of 1024), optionally followed by `B` or `iB`, any case (`512M`, `2G`, `64MiB`).
/// At least ``minimum`` (4 KiB: below that every few records would spill).
enum MemoryLimit {
    static let minimum = 4 << 10

    /// The bytes `text` names, or nil when it is not a size of the forms above (or overflows).
    static func parse(_ text: String) -> Int? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var unit = 1
        let lower = digits.lowercased()
        for suffix in ["ib", "b"] where lower.hasSuffix(suffix) && lower.count > suffix.count {
            digits = digits.dropLast(suffix.count)
            break
        }
        switch digits.last.map({ Character($0.lowercased()) }) {
        case "k": unit = 1 << 10
        case "m": unit = 1 << 20
        case "g": unit = 1 << 30
        case "t": unit = 1 << 40
        default:
            // "iB" or "B" without a multiplier: "iB" alone is not a size.
            if lower.hasSuffix("ib") { return nil }
        }
        if unit > 1 { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 &- 0x30 < 10 }), let n = Int(digits) else { return nil }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: unit)
        return overflow ? nil : bytes
    }

    /// The default budget: half of the memory available to the process (physical memory, or
    /// the cgroup's `memory.max` when lower: containers), at least 1 GiB. Half leaves room for
    /// what does not spill (4 bytes per subject, the reader's buffers, the page cache of the
    /// inputs), and 1 GiB keeps small machines from spilling leaks of a few million people.
    static var defaultBytes: Int {
        var available = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
           let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 {
            available = min(available, limit)
        }
        return max(available / 2, 1 << 30)
    }

    /// `bytes` for people: `512 MiB`, `1.5 GiB`, `4 KiB`, `100 B`.
    static func describe(_ bytes: Int) -> String {
        let units = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, name) in units where bytes >= size {
            let tenths = (bytes * 10 + size / 2) / size
            return tenths % 10 == 0 ? "\(tenths / 10) \(name)" : "\(tenths / 10).\(tenths % 10) \(name)"
        }
        return "\(bytes) B"
    }
}
