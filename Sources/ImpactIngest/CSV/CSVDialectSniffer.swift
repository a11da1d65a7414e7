/// Guesses a CSV input's delimiter and whether it has a header, from a prefix of its text.
///
/// Delimiter: each candidate (`;` TAB `,` `|`, never space) tokenizes the sample **with
/// quoting** (``CSVTokenizer``), so commas, tabs and line breaks inside quoted values do not
/// count. A candidate's score is the number of records having its most frequent field count,
/// counting only counts above 1. The highest score wins; ties go to the higher field count,
/// then to the order `;` TAB `,` `|` (French exports use `;` because `,` is the decimal mark:
/// case 001). When no candidate splits any record, the input is one column and `,` is taken.
/// The sample is cut at its last complete record unless it is the whole input.
///
/// Header: the first record is a header when its cells are non-empty, non-numeric and unique,
/// and, column by column, it is no more often like the data below than unlike it. A column
/// votes *unlike* when the header cell's shape (text / e-mail / numeric-or-date) differs from
/// the shape most data cells have (`Né le` over dates, `email` over addresses), and *like*
/// when both share a distinctive shape (an e-mail over e-mails). Text over text is neutral;
/// with no vote at all (every column is text) the first record is taken as a header, since
/// exports almost always have one.
///
/// Content evidence (``CSVHeaderEvidence``, when given) then overrules a header taken on shapes:
/// a column votes *value* when its first cell is an identifier (a valid NIR, an e-mail…) or
/// shares a value kind (a known given name, a frequent family name, an exam term, a date…)
/// with at least half of the column's non-empty cells below; it votes *name* when its first
/// cell is a known column name. More *value* than *name* votes, or no *name* vote while some
/// first-row cell looks like a value at all: the first record is data.
/// So `DUPONT;Jean;Lyon;Glycémie` over rows of names and exams is data, and its cells are
/// never printed as field names (tester finding F3). Pass `hasHeader` explicitly to decide.
public enum CSVDialectSniffer {
    /// Delimiter candidates, in tie-break order.
    public static let candidates: [UInt8] = [UInt8(ascii: ";"), 0x09, UInt8(ascii: ","), UInt8(ascii: "|")]
    /// Length of text the reader gives the sniffer.
    public static let sampleLength = 64 << 10
    /// Records looked at for the delimiter, and for the header.
    static let delimiterRecords = 1000
    static let headerRecords = 50

    /// The dialect of `sample`, the first bytes of the decoded (UTF-8) text; `isComplete` when it
    /// is the whole input. A given `delimiter` or `hasHeader` is kept as is.
    public static func sniff(_ sample: UnsafeRawBufferPointer, isComplete: Bool,
                             delimiter: UInt8? = nil, hasHeader: Bool? = nil,
                             evidence: (any CSVHeaderEvidence)? = nil) -> CSVDialect {
        let quote = UInt8(ascii: "\"")
        let chosen = delimiter ?? sniffDelimiter(sample, isComplete: isComplete)
        let header = hasHeader ?? sniffHeader(sample, isComplete: isComplete, delimiter: chosen, quote: quote,
                                              evidence: evidence)
        return CSVDialect(delimiter: chosen, quote: quote, hasHeader: header)
    }

    /// The delimiter among ``candidates`` that splits the most records into the same number (> 1)
    /// of fields.
    public static func sniffDelimiter(_ sample: UnsafeRawBufferPointer, isComplete: Bool) -> UInt8 {
        var best: (delimiter: UInt8, score: Int, fields: Int)? = nil
        for candidate in candidates {
            let counts = fieldCounts(sample, isComplete: isComplete, delimiter: candidate)
            var frequency: [Int: Int] = [:]
            for c in counts where c > 1 { frequency[c, default: 0] += 1 }
            guard let mode = frequency.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) })
            else { continue }
            if let b = best, mode.value < b.score || (mode.value == b.score && mode.key <= b.fields) { continue }
            best = (candidate, mode.value, mode.key)
        }
        return best?.delimiter ?? UInt8(ascii: ",")
    }

    /// Field counts of the first records of `sample`.
    static func fieldCounts(_ sample: UnsafeRawBufferPointer, isComplete: Bool, delimiter: UInt8) -> [Int] {
        var counts: [Int] = []
        forEachRecord(sample, isComplete: isComplete, delimiter: delimiter, quote: UInt8(ascii: "\""),
                      limit: delimiterRecords) { fields in counts.append(fields.count) }
        return counts
    }

    /// Calls `body` with the fields of each of the first `limit` records of `sample` (the last
    /// one only if it ends before the sample or the sample is the whole input; if no record
    /// ends within the sample, its text is taken as one record without its last field, which the
    /// end of the sample cut: a header longer than the sample must not be judged on a cut name).
    static func forEachRecord(_ sample: UnsafeRawBufferPointer, isComplete: Bool, delimiter: UInt8, quote: UInt8,
                              limit: Int, _ body: ([[UInt8]]) -> Void) {
        var tokenizer = CSVTokenizer(delimiter: delimiter, quote: quote)
        // A field is never longer than the input consumed for it, so one output area the size
        // of the sample holds any field, written from its start.
        var out = [UInt8](repeating: 0, count: sample.count + 1)
        var fieldLength = 0
        var fields: [[UInt8]] = []
        var offset = 0
        var seen = 0
        var atEnd = false
        var cut = false
        while seen < limit {
            if offset == sample.count, !atEnd {
                // The sample is used up: its last record counts only if the input ends here.
                if isComplete || seen == 0 { atEnd = true } else { return }
                cut = !isComplete
            }
            let input = atEnd ? UnsafeRawBufferPointer(start: nil, count: 0)
                              : UnsafeRawBufferPointer(rebasing: sample[offset...])
            let (event, consumed, written) = out.withUnsafeMutableBytes {
                tokenizer.next(input, output: $0.baseAddress! + fieldLength)
            }
            offset += consumed
            fieldLength += written
            switch event {
            case .field:
                fields.append(Array(out[0..<fieldLength]))
                fieldLength = 0
            case .record:
                if !cut || fields.isEmpty { fields.append(Array(out[0..<fieldLength])) }
                fieldLength = 0
                body(fields)
                fields.removeAll(keepingCapacity: true)
                seen += 1
            case .needInput:
                continue
            case .end:
                return
            }
        }
    }

    enum Shape { case empty, text, email, numeric }

    /// The shape of a cell: empty, numeric (digits with separators only: numbers, dates,
    /// phone numbers), e-mail (contains `@`) or text.
    static func shape(_ cell: [UInt8]) -> Shape {
        var digits = 0, others = 0, at = false, nonSpace = 0
        for b in cell {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1; nonSpace += 1
            case 0x20, 0x09: break
            case UInt8(ascii: "@"): at = true; others += 1; nonSpace += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "/"),
                 UInt8(ascii: ":"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "%"):
                nonSpace += 1
            default: others += 1; nonSpace += 1
            }
        }
        if nonSpace == 0 { return .empty }
        if at { return .email }
        if digits > 0, others == 0 { return .numeric }
        return .text
    }

    /// `cell` without surrounding spaces and tabs.
    static func trimmed(_ cell: [UInt8]) -> ArraySlice<UInt8> {
        var s = cell.startIndex, e = cell.endIndex
        while s < e, cell[s] == 0x20 || cell[s] == 0x09 { s += 1 }
        while e > s, cell[e - 1] == 0x20 || cell[e - 1] == 0x09 { e -= 1 }
        return cell[s..<e]
    }

    /// Whether the first record of `sample` is a header (see the type's documentation).
    public static func sniffHeader(_ sample: UnsafeRawBufferPointer, isComplete: Bool, delimiter: UInt8,
                                   quote: UInt8 = UInt8(ascii: "\""), evidence: (any CSVHeaderEvidence)? = nil) -> Bool {
        var rows: [[[UInt8]]] = []
        forEachRecord(sample, isComplete: isComplete, delimiter: delimiter, quote: quote,
                      limit: headerRecords) { rows.append($0.map { Array(trimmed($0)) }) }
        guard let first = rows.first else { return false }
        var names = Set<[UInt8]>()
        for cell in first {
            let s = shape(cell)
            if s == .empty || s == .numeric { return false }
            if !names.insert(cell).inserted { return false }
        }
        var unlike = 0, like = 0
        for column in first.indices {
            var tally: [Shape: Int] = [:]
            for row in rows.dropFirst() where column < row.count {
                let s = shape(row[column])
                if s != .empty { tally[s, default: 0] += 1 }
            }
            var dominant = Shape.empty, most = 0
            for s in [Shape.numeric, .email, .text] where tally[s, default: 0] > most {
                dominant = s
                most = tally[s, default: 0]
            }
            if most == 0 { continue }
            let own = shape(first[column])
            if own != dominant { unlike += 1 } else if dominant != .text { like += 1 }
        }
        guard unlike >= like else { return false }
        guard let evidence else { return true }
        return !firstRowIsValues(rows, evidence: evidence)
    }

    /// Whether the first of `rows` holds values of its columns rather than their names (see
    /// the type's documentation): more columns vote *value* than *name*.
    static func firstRowIsValues(_ rows: [[[UInt8]]], evidence: any CSVHeaderEvidence) -> Bool {
        guard let first = rows.first else { return false }
        var names = 0, values = 0, valueLike = 0
        for (column, cell) in first.enumerated() {
            cell.withUnsafeBytes { cell in
                if evidence.identifierKind(of: cell) != nil { values += 1; valueLike += 1; return }
                let kinds = evidence.valueKinds(of: cell)
                if evidence.isColumnName(cell) {
                    // A known column name that is also a value ("Bilan lipidique": `bilan` names
                    // columns, the whole is an exam) votes neither way.
                    if kinds != 0 { valueLike += 1 } else { names += 1 }
                    return
                }
                guard kinds != 0 else { return }
                valueLike += 1
                var filled = 0, shared = 0
                for row in rows.dropFirst() where column < row.count && !row[column].isEmpty {
                    filled += 1
                    if row[column].withUnsafeBytes({ evidence.valueKinds(of: $0) }) & kinds != 0 { shared += 1 }
                }
                if filled > 0, shared * 2 >= filled { values += 1 }
            }
        }
        // No cell is a known column name but some look like values (a name, an exam term…):
        // data. Taking a header for data costs one odd record; taking a patient for a header
        // prints their name as field names (tester findings F3, N6: `Xiong;Wen;Shenzhen;Bilan
        // lipidique`, a rare name over rows the lexicons do not know).
        return values > names || (names == 0 && valueLike > 0)
    }
}
