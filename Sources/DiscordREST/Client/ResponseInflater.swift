import CZlib
import NIOCore

/// Inflates a compressed answer (`Content-Encoding: gzip`, or `deflate`'s zlib stream) with the system zlib straight
/// into the one buffer the page is read from: the compressed parts are inflated as they arrived, into a buffer sized
/// once from the gzip trailer's length of the inflated bytes. (async-http-client's decompression inflated each network
/// read into a 16 KiB buffer of its own, handed each of them through the body stream, and the body was then copied
/// into one buffer.)
///
/// ```swift
/// let page = try ResponseInflater.inflate(compressedParts, upTo: 64 << 20)
/// ```
enum ResponseInflater {
    /// A compressed body zlib refused (corrupt or cut short): worth a retry, like a dropped connection.
    struct Failure: Error, CustomStringConvertible {
        /// zlib's return code.
        let code: Int32
        /// What went wrong, in words.
        var description: String {
            code == Z_STREAM_END
                ? "the compressed answer ended early" : "the compressed answer could not be inflated (zlib \(code))"
        }
    }

    /// The encodings the client asks for (`Accept-Encoding`) and inflates.
    static let acceptEncoding = "gzip, deflate"

    /// Whether a `Content-Encoding` value is one this inflater undoes (`gzip`, `x-gzip` or `deflate`; `nil` or
    /// `identity` is not compressed).
    static func isCompressed(_ contentEncoding: String?) -> Bool {
        guard let contentEncoding else { return false }
        switch contentEncoding.lowercased() {
        case "gzip", "x-gzip", "deflate": return true
        default: return false
        }
    }

    /// The body `parts` hold once inflated, at most `limit` bytes, in one buffer: sized by the gzip trailer (the
    /// inflated length modulo 2³², which a well-formed answer under 4 GiB gives exactly), grown only when that is
    /// short (a zlib stream has no trailer length; a server may lie; a trailer past `limit` is not believed).
    /// - Throws: `NIOTooManyBytesError` past `limit`; ``Failure`` when zlib refuses the bytes or they end early.
    static func inflate(_ parts: [ByteBuffer], upTo limit: Int) throws -> ByteBuffer {
        let compressed = parts.reduce(0) { $0 + $1.readableBytes }
        guard compressed > 0 else { return ByteBuffer() }
        let trailerLength = Int(gzipTrailerLength(parts) ?? 0)
        // No trailer (a zlib stream), a zero one or one past the limit: a guess, grown as needed.
        let initial =
            trailerLength > 0 && trailerLength <= limit
            ? trailerLength : Swift.min(limit, Swift.max(4096, compressed * 4))
        var output = ByteBufferAllocator().buffer(capacity: initial)

        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // 15 + 32: the largest window, and the gzip or zlib header detected from the bytes.
        let initialized = czlib_inflate_init(stream, 15 + 32)
        guard initialized == Z_OK else { throw Failure(code: initialized) }
        defer { inflateEnd(stream) }

        var code = Z_OK
        for part in parts where part.readableBytes > 0 {
            try part.withUnsafeReadableBytes { input in
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = UInt32(input.count)
                while stream.pointee.avail_in > 0, code != Z_STREAM_END {
                    if output.writableBytes == 0, output.readableBytes < limit {
                        let more = Swift.min(limit - output.readableBytes, Swift.max(output.readableBytes, 4096))
                        output.reserveCapacity(minimumWritableBytes: more)
                    }
                    // Never more room than the limit leaves (the allocator may round a capacity up past it).
                    let room = Swift.min(output.writableBytes, limit - output.readableBytes, Int(UInt32.max))
                    output.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { free in
                        stream.pointee.next_out = free.baseAddress!.assumingMemoryBound(to: Bytef.self)
                        stream.pointee.avail_out = UInt32(room)
                        code = CZlib.inflate(stream, Z_NO_FLUSH)
                        return room - Int(stream.pointee.avail_out)
                    }
                    // Z_BUF_ERROR only says no progress was possible: with no room left, the body is past the limit.
                    guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else { throw Failure(code: code) }
                    if code != Z_STREAM_END, room == 0 { throw NIOTooManyBytesError(maxBytes: limit) }
                }
            }
            if code == Z_STREAM_END { break }
        }
        guard code == Z_STREAM_END else { throw Failure(code: Z_STREAM_END) }
        return output
    }

    /// The last four bytes of the body, little-endian: a gzip member's inflated length modulo 2³² (`nil` when the
    /// body is not gzip, or too short to be).
    static func gzipTrailerLength(_ parts: [ByteBuffer]) -> UInt32? {
        // The gzip magic, 1F 8B, even when the first part holds one byte.
        let magic = parts.lazy.flatMap { $0.readableBytesView }.prefix(2)
        guard Array(magic) == [0x1F, 0x8B] else { return nil }
        var trailer: [UInt8] = []
        for part in parts.reversed() where trailer.count < 4 {
            let take = Swift.min(4 - trailer.count, part.readableBytes)
            let bytes = part.getBytes(at: part.writerIndex - take, length: take) ?? []
            trailer.insert(contentsOf: bytes, at: 0)
        }
        guard trailer.count == 4 else { return nil }
        return trailer.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}
