import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `multipart/form-data` body (RFC 7578): parts with their name, optional filename, content type and bytes.
///
/// The delimiters are found with `memchr` and `memcmp` over the contiguous body and each part's bytes are copied once, so a
/// 20 MiB upload costs two passes at memory speed, in a debug build too (multipart-kit's parser, used before,
/// walked the body a byte at a time through `ByteBufferView`, which took minutes per upload in a debug build and
/// made large uploads time out).
struct MultipartForm {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var body: [UInt8]
    }

    var parts: [Part] = []

    /// Parses `body` with the boundary from a `Content-Type` header; nil when malformed or without a part.
    init?(body: ByteBuffer, contentType: String) {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[range.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: ["\""])
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else { return nil }
        guard let parts = body.withUnsafeReadableBytes({ Self.parse($0, boundary: Array(boundary.utf8)) }),
            !parts.isEmpty
        else { return nil }
        self.parts = parts
    }

    /// The parts of `bytes`, or nil when the delimiters or a part's headers are malformed.
    static func parse(_ bytes: UnsafeRawBufferPointer, boundary: [UInt8]) -> [Part]? {
        let dashes = UInt8(ascii: "-")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        // Every delimiter but a first one at the very start is preceded by CRLF.
        let delimiter = [cr, lf, dashes, dashes] + boundary
        var position: Int
        if bytes.count >= delimiter.count - 2, Self.matches(bytes, at: 0, delimiter[2...]) {
            position = 0
        } else if let found = Self.find(delimiter, in: bytes, from: 0) {
            position = found + 2
        } else {
            return nil
        }
        var parts: [Part] = []
        while true {
            // `position` is at `--boundary`.
            var cursor = position + delimiter.count - 2
            if Self.matches(bytes, at: cursor, [dashes, dashes]) { return parts }  // the close delimiter
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t") {
                cursor += 1  // transport padding
            }
            guard Self.matches(bytes, at: cursor, [cr, lf]) else { return nil }
            cursor += 2
            var part = Part(name: "", filename: nil, contentType: nil, body: [])
            // Header lines up to an empty line.
            while !Self.matches(bytes, at: cursor, [cr, lf]) {
                guard let end = Self.find([cr, lf], in: bytes, from: cursor) else { return nil }
                let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[cursor..<end]), as: UTF8.self)
                guard let colon = line.firstIndex(of: ":") else { return nil }
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() {
                case "content-disposition":
                    part.name = Self.attribute("name", in: value) ?? ""
                    part.filename = Self.attribute("filename", in: value)
                case "content-type":
                    part.contentType = value
                default: break
                }
                cursor = end + 2
            }
            cursor += 2
            guard let next = Self.find(delimiter, in: bytes, from: cursor) else { return nil }
            let count = next - cursor
            part.body = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: bytes[cursor..<next]))
                initialized = count
            }
            parts.append(part)
            position = next + 2
        }
    }

    /// Whether `bytes` holds `pattern` at `offset`.
    static func matches(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ pattern: some Collection<UInt8>) -> Bool {
        guard offset >= 0, offset + pattern.count <= bytes.count else { return false }
        return zip(bytes[offset..<offset + pattern.count], pattern).allSatisfy { $0 == $1 }
    }

    /// The offset of the first `pattern` in `bytes` at or after `start`: `memchr` to each candidate first byte, then
    /// `memcmp` (libc's loops, fast in any build).
    static func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, let first = pattern.first else { return nil }
        return pattern.withUnsafeBytes { needle -> Int? in
            guard let needleBase = needle.baseAddress else { return nil }
            var offset = start
            while bytes.count - offset >= needle.count {
                guard let hit = memchr(base + offset, Int32(first), bytes.count - offset - needle.count + 1) else {
                    return nil
                }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, needleBase, needle.count) == 0 { return at }
                offset = at + 1
            }
            return nil
        }
    }

    /// A quoted parameter of a `Content-Disposition` value (`name="files[0]"`).
    static func attribute(_ name: String, in value: String) -> String? {
        guard let range = value.range(of: " \(name)=\"") ?? value.range(of: ";\(name)=\"") else { return nil }
        let rest = value[range.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close])
    }
}
