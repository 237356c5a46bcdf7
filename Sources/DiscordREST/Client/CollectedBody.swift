import NIOCore

/// A response body's parts as they arrived, at most `limit` bytes in all, and the whole body they make once the
/// response is complete (``ResponseCollector`` fills one on the event loop that reads the response).
///
/// ```swift
/// var body = CollectedBody(limit: 64 << 20)
/// try body.admit(contentLength: "23")
/// try body.append(part)
/// let page = try body.whole(contentEncoding: "gzip")
/// ```
struct CollectedBody: Sendable {
    /// The most bytes the body may hold (compressed as it arrives, and again once inflated).
    let limit: Int
    /// The parts in the order they arrived.
    private(set) var parts: [ByteBuffer] = []
    /// The bytes the parts hold.
    private(set) var count = 0

    /// An empty body that may grow to `limit` bytes.
    init(limit: Int) {
        self.limit = limit
    }

    /// Refuses a body whose announced length (`Content-Length`) is past the limit, before any of it arrives.
    /// - Throws: `NIOTooManyBytesError`.
    func admit(contentLength: String?) throws {
        if let expected = contentLength.flatMap({ Int($0) }), expected > limit {
            throw NIOTooManyBytesError(maxBytes: limit)
        }
    }

    /// Adds the next part.
    /// - Throws: `NIOTooManyBytesError` when the body grows past the limit.
    mutating func append(_ part: ByteBuffer) throws {
        count += part.readableBytes
        guard count <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
        parts.append(part)
    }

    /// The whole body, inflated when it came compressed: a compressed body is inflated straight into one buffer
    /// (``ResponseInflater``); an uncompressed one that arrived in one part is that part (no copy), a longer one is
    /// copied once into a buffer of exactly its size.
    /// - Throws: `NIOTooManyBytesError` when the inflated body is past the limit, ``ResponseInflater/Failure``.
    func whole(contentEncoding: String?) throws -> ByteBuffer {
        if ResponseInflater.isCompressed(contentEncoding) {
            return try ResponseInflater.inflate(parts, upTo: limit)
        }
        guard parts.count > 1 else { return parts.first ?? ByteBuffer() }
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        for part in parts { buffer.writeImmutableBuffer(part) }
        return buffer
    }
}
