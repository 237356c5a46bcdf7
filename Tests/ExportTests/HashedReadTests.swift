import Export
import Foundation
import Testing

/// A file's SHA-256 taken as it is read (``JSONChunkedInput/readToEnd()``), so `combine` and `verify` read each
/// file once: the same hash and size as ``FileSink/sha256(ofFile:)``, in any chunk size, wherever the scan stopped.
@Suite struct HashedReadTests {
    /// A document with a byte order mark and blanks after it: every byte counts in the hash.
    static let document: [UInt8] =
        [0xEF, 0xBB, 0xBF] + Array("{\"messages\":[{\"id\":\"1\"},{\"id\":\"2\"}]}\n \n".utf8)

    @Test(arguments: [1, 5, 64, 1 << 20]) func theHashTakenWhileReadingIsTheFilesHash(chunk: Int) throws {
        let path = NSTemporaryDirectory() + "skald-hashed-read-\(UUID().uuidString).json"
        try Data(Self.document).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try FileSink.sha256(ofFile: path)

        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        var input = JSONChunkedInput(handle: handle, chunkSize: chunk, hashing: true)
        _ = try input.readValue()
        try input.expectEnd()
        let read = try #require(try input.readToEnd())
        #expect(read.hash == whole.hash && read.bytes == whole.bytes && read.bytes == Self.document.count)

        // Stopped after its first byte: the rest is read and hashed too.
        let again = try #require(FileHandle(forReadingAtPath: path))
        defer { try? again.close() }
        var partial = JSONChunkedInput(handle: again, chunkSize: chunk, hashing: true)
        try partial.expect(UInt8(ascii: "{"))
        let rest = try #require(try partial.readToEnd())
        #expect(rest.hash == whole.hash && rest.bytes == whole.bytes)
    }

    @Test func withoutHashingThereIsNoHash() throws {
        var input = JSONChunkedInput(bytes: Self.document)
        #expect(try input.readToEnd() == nil)
    }
}
