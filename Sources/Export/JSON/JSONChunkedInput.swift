import Crypto
import DiscordModels
import FileSafety
import Foundation

/// A JSON file (or bytes) read in chunks for ``JSONScanner``, so a document's large array can be walked value by
/// value in constant memory: each ``scan(_:)`` runs a scanner over the bytes buffered from the current position,
/// and when the scanner runs into their end while the file goes on (``JSONScanner/Malformed/isTruncated``), more
/// is read and the step runs again. Every error names the byte offset from the start of the input.
///
/// A step must be restartable (it may run twice) and should start with its optional token (`consume`), since a
/// scan only guarantees one non-blank byte ahead.
public struct JSONChunkedInput {
    private var buffer: [UInt8]
    private var index = 0
    /// The input offset of `buffer[0]`.
    private var base = 0
    private let handle: FileHandle?
    /// Bytes held in memory not yet buffered (when reading from memory).
    private var pending: ArraySlice<UInt8>
    private var atEOF = false
    /// The `errno` of a failed read: the input ends there, and reading past what was buffered throws it.
    private var readFailure: Int32?
    private let chunkSize: Int
    /// Bytes a regular file has left to read (from `fstat` at the start; `Int.max` for a pipe): a read never asks
    /// for (and zero-fills room for) much more than that, so a small file costs its size, not a whole chunk.
    private var fileBytesLeft = Int.max
    /// The SHA-256 of every byte read from the file so far, when asked for (``init(handle:chunkSize:hashing:)``).
    private var hasher: SHA256?

    /// Reads bytes held in memory, `chunkSize` bytes at a time (all at once by default).
    public init(bytes: [UInt8], chunkSize: Int? = nil) {
        self.buffer = []
        self.handle = nil
        self.pending = bytes[...]
        self.chunkSize = max(1, chunkSize ?? bytes.count)
        _ = readMore()
        skipBOM()
    }

    /// Reads a file through `handle`, from its current position, `chunkSize` bytes at a time; with `hashing`, its
    /// SHA-256 is taken from the bytes as they are read (``readToEnd()``), so a file is read once for both.
    public init(handle: FileHandle, chunkSize: Int = 1 << 20, hashing: Bool = false) {
        self.buffer = []
        self.hasher = hashing ? SHA256() : nil
        self.handle = handle
        self.pending = []
        self.chunkSize = chunkSize
        var status = stat()
        if fstat(handle.fileDescriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
            let position = lseek(handle.fileDescriptor, 0, SEEK_CUR)
            fileBytesLeft = max(0, Int(status.st_size) - Int(max(position, 0)))
        }
        _ = readMore()
        skipBOM()
    }

    /// The offset of the next unread byte from the start of the input.
    public var offset: Int { base + index }

    /// Moves past a UTF-8 byte order mark, reading on until three bytes are buffered (chunks may be smaller).
    private mutating func skipBOM() {
        while buffer.count - index < 3, readMore() {}
        if buffer.count - index >= 3, buffer[index] == 0xEF, buffer[index + 1] == 0xBB, buffer[index + 2] == 0xBF {
            index += 3
        }
    }

    /// Appends the next chunk (at least as much as is buffered, so a long value is rescanned only a few times),
    /// dropping the bytes already read; `false` at the end of the input or after a failed read (``readFailure``). A
    /// file is read straight into the buffer, whose capacity is kept: no allocation per chunk.
    private mutating func readMore() -> Bool {
        guard !atEOF else { return false }
        let wanted = max(chunkSize, buffer.count - index)
        if index > 0 {
            buffer.removeSubrange(0..<index)
            base += index
            index = 0
        }
        let old = buffer.count
        if let handle {
            // One byte past what the file should hold, so a file that grew is still read to its end.
            let wanted = min(wanted, fileBytesLeft == Int.max ? wanted : fileBytesLeft + 1)
            buffer.append(contentsOf: repeatElement(0, count: wanted))
            let descriptor = handle.fileDescriptor
            var filled = 0
            while filled < wanted {
                let count = buffer.withUnsafeMutableBytes { bytes in
                    read(descriptor, bytes.baseAddress! + old + filled, wanted - filled)
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    readFailure = errno
                    atEOF = true
                    break
                }
                guard count > 0 else { break }
                filled += count
            }
            buffer.removeLast(wanted - filled)
            if var hasher {
                buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[old...])) }
                self.hasher = hasher
            }
            if fileBytesLeft != Int.max { fileBytesLeft = max(0, fileBytesLeft - filled) }
        } else {
            buffer.append(contentsOf: pending.prefix(wanted))
            pending = pending.dropFirst(wanted)
        }
        guard buffer.count > old else {
            atEOF = true
            return false
        }
        return true
    }

    /// Reads the rest of the input, unscanned, and returns the SHA-256 (lowercase hex) and the size of every byte of
    /// the file (`nil` unless it was opened `hashing`), as ``FileSink/sha256(ofFile:)`` gives them.
    /// - Throws: ``ExportError`` when a read fails.
    public mutating func readToEnd() throws -> (hash: String, bytes: Int)? {
        repeat { index = buffer.count } while readMore()
        try throwIfReadFailed()
        guard let hasher else { return nil }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), base + buffer.count)
    }

    /// Reads until a non-blank byte is buffered or the input ends.
    private mutating func fillPastWhitespace() {
        while true {
            while index < buffer.count, Self.isSpace(buffer[index]) { index += 1 }
            guard index == buffer.count, readMore() else { return }
        }
    }

    /// Throws the failed read, if one ended the input: what follows the buffered bytes is unknown, not missing.
    private func throwIfReadFailed() throws {
        if let readFailure {
            throw ExportError.io(
                "cannot read the file at byte \(base + buffer.count): \(FileProblem.describe(errno: readFailure))")
        }
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// Runs one step of reading on a scanner at the current position and moves past what it read; reads more and
    /// runs the step again when it ran into the end of the buffered bytes.
    /// - Throws: ``ExportError`` for malformed JSON (offsets from the start of the input) or a failed read, or what
    ///   `step` throws.
    public mutating func scan<Result>(_ step: (inout JSONScanner) throws -> Result) throws -> Result {
        fillPastWhitespace()
        if index == buffer.count { try throwIfReadFailed() }
        while true {
            let start = index
            let continues = !atEOF
            // After a failed read, what follows is unknown: a value reaching the end of the buffer is not complete.
            let unknownFollows = continues || readFailure != nil
            do {
                let (result, end) = try buffer.withUnsafeBytes { raw in
                    var scanner = JSONScanner(raw, at: start)
                    scanner.inputContinues = unknownFollows
                    let result = try step(&scanner)
                    return (result, scanner.index)
                }
                index = end
                return result
            } catch let error as JSONScanner.Malformed {
                // Cut by the end of the buffer: read on; at the end of the input, run once more knowing it ends.
                if error.isTruncated, readMore() || continues { continue }
                if error.isTruncated { try throwIfReadFailed() }
                throw ExportError.malformed(error.reason, at: base + error.offset)
            }
        }
    }

    /// Consumes `byte` if it comes next (after whitespace).
    public mutating func consume(_ byte: UInt8) throws -> Bool { try scan { $0.consume(byte) } }

    /// Consumes `byte` (after whitespace) or throws.
    public mutating func expect(_ byte: UInt8) throws { try scan { try $0.expect(byte) } }

    /// The next non-blank byte, without consuming it (`nil` at the end).
    public mutating func peek() throws -> UInt8? { try scan { $0.peek() } }

    /// Reads a member name and its colon.
    public mutating func readKey() throws -> String {
        try scan { scanner in
            _ = try scanner.expectKey()
            let key = try scanner.validatedString(scanner.scanStrictString().token)
            try scanner.expect(UInt8(ascii: ":"))
            return key
        }
    }

    /// Reads one complete value, strictly, refusing a key repeated in one object.
    public mutating func readValue() throws -> JSONValue { try scan { try $0.readValue(rejectingRepeatedKeys: true) } }

    /// Throws unless only whitespace is left.
    public mutating func expectEnd() throws {
        fillPastWhitespace()
        if index == buffer.count { try throwIfReadFailed() }
        if index < buffer.count {
            let found = JSONScanner.describe(buffer[index])
            throw ExportError.malformed("unexpected \(found) after the document", at: offset)
        }
    }
}
