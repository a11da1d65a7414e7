import ImpactIngest
@testable import ImpactJSON

/// Runs a ``JSONRecordReader`` over `bytes` (chunked as given) into a fresh ``CollectingSink``.
func read(_ bytes: [UInt8], mode: JSONMode? = nil, limits: IngestLimits = .init(),
          chunkSizes: [Int] = []) throws -> (InputDescription, CollectingSink) {
    let sink = CollectingSink()
    let reader = JSONRecordReader(source: BytesSource(bytes, chunkSizes: chunkSizes), path: "test.json",
                                  mode: mode, limits: limits)
    let description = try reader.run(into: sink)
    return (description, sink)
}

func read(_ text: String, mode: JSONMode? = nil, limits: IngestLimits = .init(),
          chunkSizes: [Int] = []) throws -> (InputDescription, CollectingSink) {
    try read(Array(text.utf8), mode: mode, limits: limits, chunkSizes: chunkSizes)
}

/// The `IngestError` thrown by reading `text`, or nil.
func readError(_ text: String, mode: JSONMode? = nil, limits: IngestLimits = .init(),
               chunkSizes: [Int] = []) -> IngestError? {
    do {
        _ = try read(text, mode: mode, limits: limits, chunkSizes: chunkSizes)
        return nil
    } catch let error as IngestError {
        return error
    } catch {
        return nil
    }
}

/// Counts the calls of a `reopen` closure.
final class ReopenCounter {
    var count = 0
}

/// Runs a ``JSONRecordReader`` that can read `bytes` twice, as a file: `reopen` hands out a new
/// source over `reopened` (default: the same bytes), chunked the same way.
func readTwice(_ bytes: [UInt8], reopened: [UInt8]? = nil, mode: JSONMode? = nil, limits: IngestLimits = .init(),
               chunkSizes: [Int] = []) throws -> (InputDescription, CollectingSink, reopens: Int) {
    let sink = CollectingSink()
    let counter = ReopenCounter()
    let again = reopened ?? bytes
    let reader = JSONRecordReader(source: BytesSource(bytes, chunkSizes: chunkSizes), path: "test.json",
                                  mode: mode, limits: limits,
                                  reopen: { counter.count += 1; return BytesSource(again, chunkSizes: chunkSizes) })
    let description = try reader.run(into: sink)
    return (description, sink, counter.count)
}

func readTwice(_ text: String, mode: JSONMode? = nil, limits: IngestLimits = .init(),
               chunkSizes: [Int] = []) throws -> (InputDescription, CollectingSink, reopens: Int) {
    try readTwice(Array(text.utf8), mode: mode, limits: limits, chunkSizes: chunkSizes)
}

extension CollectingSink {
    /// The warnings received, in order.
    var warnings: [InputWarning] {
        events.compactMap { if case .warn(let w) = $0 { w } else { nil } }
    }
}
