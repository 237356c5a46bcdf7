import DiscordModels
import FileSafety
import Foundation

/// Reads a DCE JSON file message by message (constant memory), for verification and combining.
struct DCEFileScanner {
    private var input: JSONChunkedInput
    private let handle: FileHandle
    let path: String
    /// Top-level members read before `messages`.
    private(set) var header: [JSONValue.Member] = []
    private var inMessages = false
    private var first = true
    /// `messageCount` from the end of the file, once read.
    private(set) var declaredCount: Int?

    /// Opens `path` and reads up to its messages; with `hashing`, the file's hash is taken as it is read
    /// (``readToEnd()``).
    init(path: String, hashing: Bool = false) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExportError.io("cannot read \(path): \(FileProblem.describe(errno: errno))")
        }
        self.handle = handle
        self.path = path
        self.input = JSONChunkedInput(handle: handle, hashing: hashing)
        try input.expect(UInt8(ascii: "{"))
        var firstMember = true
        while true {
            if !firstMember { try input.expect(UInt8(ascii: ",")) }
            firstMember = false
            let key = try input.readKey()
            if key == "messages" {
                try input.expect(UInt8(ascii: "["))
                inMessages = true
                return
            }
            header.append(JSONValue.Member(key, try input.readValue()))
        }
    }

    /// The next message, or `nil` after the last (then the rest of the file is read and checked).
    mutating func next() throws -> JSONValue? {
        guard inMessages else { return nil }
        if first {
            first = false
            if try input.consume(UInt8(ascii: "]")) { return try finish() }
        } else if try !input.consume(UInt8(ascii: ",")) {
            try input.expect(UInt8(ascii: "]"))
            return try finish()
        }
        return try input.readValue()
    }

    private mutating func finish() throws -> JSONValue? {
        inMessages = false
        while try input.consume(UInt8(ascii: ",")) {
            let key = try input.readKey()
            let value = try input.readValue()
            if key == "messageCount" { declaredCount = value.int }
        }
        try input.expect(UInt8(ascii: "}"))
        try input.expectEnd()
        return nil
    }

    /// Reads the rest of the file and returns its SHA-256 and size (`nil` unless opened `hashing`).
    mutating func readToEnd() throws -> (hash: String, bytes: Int)? { try input.readToEnd() }

    func close() { try? handle.close() }
}
