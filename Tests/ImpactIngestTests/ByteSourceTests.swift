import Foundation
import Testing
@testable import ImpactIngest

@Test func fileByteSourceReadsInChunksAndCountsBytes() throws {
    let path = sharedPath("cases/001-semicolon-decimal-comma/input.csv")
    let source = try FileByteSource(path: path)
    #expect(source.size == 273)
    let data = try readAll(source, readSize: 10)
    #expect(data == (try sharedBytes("cases/001-semicolon-decimal-comma/input.csv")))
    #expect(source.storedBytesRead == 273)
}

@Test func fileByteSourceMissingFile() throws {
    let error = try #require(throws: IngestError.self) { try FileByteSource(path: "/nonexistent/impact/x.csv") }
    #expect(error.kind == .notFound)
    #expect(error.description == "/nonexistent/impact/x.csv: no such file")
}

@Test func fileByteSourceDirectory() throws {
    let error = try #require(throws: IngestError.self) { try FileByteSource(path: sharedPath("cases")) }
    #expect(error.kind == .isDirectory)
    #expect(error.message == "is a directory, not a file")
}

@Test func fileByteSourceOtherOpenFailureIsIO() throws {
    let long = "/tmp/" + String(repeating: "n", count: 5000)
    let error = try #require(throws: IngestError.self) { try FileByteSource(path: long) }
    #expect(error.kind == .io)
    #expect(error.message.hasPrefix("cannot open: "))
}

@Test(.enabled(if: geteuid() != 0, "root reads files whatever their mode"))
func fileByteSourcePermissionDenied() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("locked.csv")
    try Data("a,b\n".utf8).write(to: file)
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file.path)
    let error = try #require(throws: IngestError.self) { try FileByteSource(path: file.path) }
    #expect(error.kind == .io)
    #expect(error.message == "cannot open: permission denied")
}

@Test func standardInputIsDash() throws {
    let source = try FileByteSource(path: "-")
    #expect(source.path == "-")
    #expect(source.size == 0)
}

@Test func peekDoesNotConsume() throws {
    let peekable = PeekableSource(MemoryByteSource(bytes("abcdefgh"), chunkSizes: [3]))
    #expect(try peekable.peek(upTo: 2) == bytes("ab"))
    #expect(try peekable.peek(upTo: 5) == bytes("abcde"))
    var buffer = [UInt8](repeating: 0, count: 4)
    let n = try buffer.withUnsafeMutableBytes { try peekable.read(into: $0) }
    #expect(Array(buffer[0..<n]) == bytes("abcd"))
    #expect(try peekable.peek(upTo: 2) == bytes("ef"))
    #expect(try readAll(peekable) == bytes("efgh"))
    #expect(try peekable.peek(upTo: 10) == [])
}

@Test func peekBeyondTheEndReturnsWhatThereIs() throws {
    let peekable = PeekableSource(MemoryByteSource(bytes("ab")))
    #expect(try peekable.peek(upTo: 100) == bytes("ab"))
    #expect(try readAll(peekable) == bytes("ab"))
}

/// Returns `data`, then throws a truncation error.
final class FailingByteSource: ByteSource {
    let data: [UInt8]
    var done = false
    init(_ data: [UInt8]) { self.data = data }
    var storedBytesRead: Int { data.count }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if done { throw IngestError(.truncatedGzip, path: "", byteOffset: data.count, message: "gzip stream ends unexpectedly (truncated)") }
        done = true
        precondition(buffer.count >= data.count)
        data.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: data.count) }
        return data.count
    }
}

@Test func peekDefersTheSourceErrorUntilTheBytesBeforeItAreRead() throws {
    let peekable = PeekableSource(FailingByteSource(bytes("abc")))
    #expect(try peekable.peek(upTo: 100) == bytes("abc"))
    var buffer = [UInt8](repeating: 0, count: 100)
    #expect(try buffer.withUnsafeMutableBytes { try peekable.read(into: $0) } == 3)
    let error = try #require(throws: IngestError.self) { try buffer.withUnsafeMutableBytes { try peekable.read(into: $0) } }
    #expect(error.kind == .truncatedGzip)
    #expect(throws: IngestError.self) { try buffer.withUnsafeMutableBytes { try peekable.read(into: $0) } }
}
