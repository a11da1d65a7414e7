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
