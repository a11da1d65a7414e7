import Foundation
import ImpactIngest

/// A minimal file ``ByteSource`` for tests that read a generated file (the project's own file
/// source lives in ImpactIngest).
final class FileSource: ByteSource {
    private let handle: FileHandle
    private(set) var storedBytesRead = 0

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw IngestError(.notFound, path: path, message: "cannot open")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let data = try handle.read(upToCount: buffer.count) ?? Data()
        data.copyBytes(to: buffer)
        storedBytesRead += data.count
        return data.count
    }
}
