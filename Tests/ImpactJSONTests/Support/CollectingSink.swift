import ImpactIngest

/// A ``RecordSink`` that keeps everything it receives, in order, for assertions.
final class CollectingSink: RecordSink {
    enum Event: Equatable {
        case declare(Int, String)
        case record(line: Int)
        case reject(RecordRejection)
        case warn(InputWarning)
    }

    private(set) var events: [Event] = []
    private(set) var fieldNames: [Int: String] = [:]
    private(set) var records: [RecordBuffer] = []
    private(set) var rejections: [RecordRejection] = []

    func declareField(_ id: Int, name: String) {
        events.append(.declare(id, name))
        fieldNames[id] = name
    }

    func consume(_ record: RecordBuffer) throws {
        // Every value's field must have been declared before the record arrives.
        for i in 0..<record.count where fieldNames[record.fieldID(at: i)] == nil {
            throw UndeclaredField(id: record.fieldID(at: i))
        }
        events.append(.record(line: record.line))
        records.append(record.copy())
    }

    func reject(_ rejection: RecordRejection) {
        events.append(.reject(rejection))
        rejections.append(rejection)
    }

    func warn(_ warning: InputWarning) { events.append(.warn(warning)) }

    /// The declared field names in id order.
    var declaredNames: [String] { fieldNames.keys.sorted().map { fieldNames[$0]! } }

    /// Record `r`'s values as (path, text) pairs, in order.
    func values(of r: Int) -> [(String, String)] {
        let record = records[r]
        return (0..<record.count).map { (fieldNames[record.fieldID(at: $0)]!, record.string(at: $0)) }
    }

    /// Record `r`'s values of one path, in order.
    func values(of r: Int, path: String) -> [String] {
        values(of: r).filter { $0.0 == path }.map(\.1)
    }

    struct UndeclaredField: Error { let id: Int }
}
