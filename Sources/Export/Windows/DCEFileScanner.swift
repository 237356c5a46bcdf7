import FileSafety
import Foundation

/// Reads a DCE JSON file message by message (constant memory), for verification and combining.
struct DCEFileScanner {
    private var reader: JSONStreamReader
    private let handle: FileHandle
    let path: String
    /// Top-level members read before `messages`.
    private(set) var header: [JSONNode.Member] = []
    private var inMessages = false
    private var first = true
    /// `messageCount` from the end of the file, once read.
    private(set) var declaredCount: Int?

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExportError.io("cannot read \(path): \(FileProblem.describe(errno: errno))")
        }
        self.handle = handle
        self.path = path
        self.reader = JSONStreamReader(handle: handle)
        try reader.expect(UInt8(ascii: "{"))
        var firstMember = true
        while true {
            if !firstMember { try reader.expect(UInt8(ascii: ",")) }
            firstMember = false
            let key = try reader.readString()
            try reader.expect(UInt8(ascii: ":"))
            if key == "messages" {
                try reader.expect(UInt8(ascii: "["))
                inMessages = true
                return
            }
            header.append(JSONNode.Member(key, try reader.readValue()))
        }
    }

    /// The next message, or `nil` after the last (then the rest of the file is read and checked).
    mutating func next() throws -> JSONNode? {
        guard inMessages else { return nil }
        if first {
            first = false
            if reader.consume(UInt8(ascii: "]")) { return try finish() }
        } else if !reader.consume(UInt8(ascii: ",")) {
            try reader.expect(UInt8(ascii: "]"))
            return try finish()
        }
        return try reader.readValue()
    }

    private mutating func finish() throws -> JSONNode? {
        inMessages = false
        while reader.consume(UInt8(ascii: ",")) {
            let key = try reader.readString()
            try reader.expect(UInt8(ascii: ":"))
            let value = try reader.readValue()
            if key == "messageCount" { declaredCount = value.int }
        }
        try reader.expect(UInt8(ascii: "}"))
        try reader.expectEnd()
        return nil
    }

    func close() { try? handle.close() }
}
