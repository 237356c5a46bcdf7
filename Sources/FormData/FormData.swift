import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `multipart/form-data` bodies (RFC 7578) as both simulators read them: the boundary taken from the `Content-Type`
/// header, then one pass over the contiguous body that hands over each part's bytes with the part's
/// `Content-Disposition` name and filename and its `Content-Type`. What a simulator keeps of a part is its own.
///
/// The delimiters are found with `memchr` and `memcmp` (libc's loops), so a 20 MiB upload costs a pass at memory
/// speed in a debug build too: multipart-kit's parser, used before, walked the body a byte at a time through
/// `ByteBufferView`, which took minutes per upload in a debug build and made large uploads time out.
public enum FormData {
    /// What a part's headers say.
    public struct PartHeaders: Sendable, Equatable {
        /// The `name` parameter of its `Content-Disposition` (empty when missing).
        public var name = ""
        /// The `filename` parameter of its `Content-Disposition`, if any.
        public var filename: String?
        /// Its `Content-Type`, if any.
        public var contentType: String?

        /// Headers with these values.
        public init(name: String = "", filename: String? = nil, contentType: String? = nil) {
            self.name = name
            self.filename = filename
            self.contentType = contentType
        }
    }

    /// The `boundary` parameter of a `Content-Type` value, unquoted; `nil` when missing, empty or longer than
    /// RFC 2046's 70 characters allow with room to spare (200).
    public static func boundary(of contentType: String) -> String? {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[range.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: ["\""])
        return boundary.isEmpty || boundary.utf8.count > 200 ? nil : boundary
    }

    /// Reads `body` in one pass: `bytes` with each part's content, `complete` at the end of each part. Returns
    /// `false` (having called neither) when the `Content-Type` has no boundary or the body is malformed.
    public static func read(
        _ body: ByteBuffer, contentType: String, bytes: (PartHeaders, ByteBuffer) -> Void,
        complete: (PartHeaders) -> Void
    ) -> Bool {
        guard let boundary = boundary(of: contentType) else { return false }
        return body.withUnsafeReadableBytes { buffer in
            guard let parts = parts(of: buffer, boundary: Array(boundary.utf8)) else { return false }
            for (headers, range) in parts {
                bytes(headers, ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: buffer[range])))
                complete(headers)
            }
            return true
        }
    }

    /// The parts of `bytes` (headers and the range of their content), or nil when the delimiters or a part's
    /// headers are malformed.
    static func parts(of bytes: UnsafeRawBufferPointer, boundary: [UInt8]) -> [(PartHeaders, Range<Int>)]? {
        let dashes = UInt8(ascii: "-")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        // Every delimiter but a first one at the very start is preceded by CRLF.
        let delimiter = [cr, lf, dashes, dashes] + boundary
        var position: Int
        if matches(bytes, at: 0, delimiter[2...]) {
            position = 0
        } else if let found = find(delimiter, in: bytes, from: 0) {
            position = found + 2
        } else {
            return nil
        }
        var parts: [(PartHeaders, Range<Int>)] = []
        while true {
            // `position` is at `--boundary`.
            var cursor = position + delimiter.count - 2
            if matches(bytes, at: cursor, [dashes, dashes]) { return parts }  // the close delimiter
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t") {
                cursor += 1  // transport padding
            }
            guard matches(bytes, at: cursor, [cr, lf]) else { return nil }
            cursor += 2
            var headers = PartHeaders()
            // Header lines up to an empty line.
            while !matches(bytes, at: cursor, [cr, lf]) {
                guard let end = find([cr, lf], in: bytes, from: cursor) else { return nil }
                let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[cursor..<end]), as: UTF8.self)
                guard let colon = line.firstIndex(of: ":") else { return nil }
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() {
                case "content-disposition":
                    headers.name = attribute("name", in: value) ?? ""
                    headers.filename = attribute("filename", in: value)
                case "content-type":
                    headers.contentType = value
                default: break
                }
                cursor = end + 2
            }
            cursor += 2
            guard let next = find(delimiter, in: bytes, from: cursor) else { return nil }
            parts.append((headers, cursor..<next))
            position = next + 2
        }
    }

    /// Whether `bytes` holds `pattern` at `offset`.
    static func matches(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ pattern: some Collection<UInt8>) -> Bool {
        guard offset >= 0, offset + pattern.count <= bytes.count else { return false }
        return zip(bytes[offset..<offset + pattern.count], pattern).allSatisfy { $0 == $1 }
    }

    /// The offset of the first `pattern` in `bytes` at or after `start`: `memchr` to each candidate first byte,
    /// then `memcmp`.
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
