import AsyncHTTPClient
import CompressNIO
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import DiscordREST

/// Compressed answers inflated by the client itself: byte for byte, into one buffer sized from the gzip trailer,
/// whatever the parts the compressed bytes arrived in; limits and corrupt bodies refused.
@Suite struct ResponseInflaterTests {
    /// A page-like JSON body of `count` messages (repetitive, as pages are, and with non-ASCII text).
    func body(_ count: Int) -> [UInt8] {
        let messages = (0..<count).map { "{\"id\":\"\(1000 + $0)\",\"content\":\"message \($0) — ünïcödé 🦊\"}" }
        return Array(("[" + messages.joined(separator: ",") + "]").utf8)
    }

    func compressed(_ bytes: [UInt8], _ algorithm: CompressionAlgorithm) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        let out = try buffer.compress(with: algorithm)
        return Array(out.readableBytesView)
    }

    /// The bytes cut into parts at `cuts` (offsets), as network reads would deliver them.
    func parts(_ bytes: [UInt8], cuts: [Int]) -> [ByteBuffer] {
        var parts: [ByteBuffer] = []
        var start = 0
        for cut in cuts + [bytes.count] where cut > start {
            parts.append(ByteBuffer(bytes: bytes[start..<cut]))
            start = cut
        }
        return parts
    }

    @Test(arguments: [[], [1], [10, 11], [-1], [-2], [-3, -1], [-5]])
    func gzipInPartsInflatesExactlyIntoOneBufferOfItsSize(cutsFromEither: [Int]) throws {
        let plain = body(300)
        let gzip = try compressed(plain, .gzip())
        // Negative cuts count from the end: the trailer's length split between parts.
        let cuts = cutsFromEither.map { $0 < 0 ? gzip.count + $0 : $0 }
        let inflated = try ResponseInflater.inflate(parts(gzip, cuts: cuts), upTo: 1 << 20)
        #expect(Array(inflated.readableBytesView) == plain)
        #expect(ResponseInflater.gzipTrailerLength(parts(gzip, cuts: cuts)) == UInt32(plain.count))
        // Sized once from the trailer: no regrowth past it.
        #expect(inflated.capacity < plain.count * 2)
    }

    /// `deflate` (a zlib stream: no trailer length) is inflated too, its buffer grown as needed.
    @Test func zlibStreamsGrowTheirBuffer() throws {
        let plain = body(2_000)
        let zlib = try compressed(plain, .zlib())
        #expect(ResponseInflater.gzipTrailerLength([ByteBuffer(bytes: zlib)]) == nil)
        let inflated = try ResponseInflater.inflate(parts(zlib, cuts: [zlib.count / 2]), upTo: 1 << 22)
        #expect(Array(inflated.readableBytesView) == plain)
    }

    @Test func limitsHoldForTheTrailerAndForWhatInflates() throws {
        let plain = body(300)
        let gzip = try compressed(plain, .gzip())
        #expect(throws: NIOTooManyBytesError.self) {
            _ = try ResponseInflater.inflate([ByteBuffer(bytes: gzip)], upTo: plain.count - 1)
        }
        // A trailer that lies (claims 10 bytes): the real length still meets the limit.
        var lying = gzip
        lying.replaceSubrange(gzip.count - 4..<gzip.count, with: [10, 0, 0, 0])
        #expect(throws: NIOTooManyBytesError.self) {
            _ = try ResponseInflater.inflate([ByteBuffer(bytes: lying)], upTo: plain.count - 1)
        }
        // … and with room, the lie costs only a larger buffer (zlib checks the length: it is refused as corrupt).
        #expect(throws: ResponseInflater.Failure.self) {
            _ = try ResponseInflater.inflate([ByteBuffer(bytes: lying)], upTo: 1 << 20)
        }
    }

    @Test func corruptOrCutBodiesAreRefused() throws {
        let gzip = try compressed(body(300), .gzip())
        #expect(throws: ResponseInflater.Failure.self) {
            _ = try ResponseInflater.inflate([ByteBuffer(bytes: gzip.prefix(gzip.count / 2))], upTo: 1 << 20)
        }
        var corrupt = gzip
        for index in 20..<40 { corrupt[index] ^= 0x5A }
        #expect(throws: ResponseInflater.Failure.self) {
            _ = try ResponseInflater.inflate([ByteBuffer(bytes: corrupt)], upTo: 1 << 20)
        }
        #expect(try ResponseInflater.inflate([], upTo: 1).readableBytes == 0)
    }

    /// A collected body inflates when its `Content-Encoding` says gzip, and stays as it came otherwise.
    @Test func collectedBodyInflatesWhatTheHeaderSaysIsCompressed() throws {
        let plain = body(50)
        let gzip = try compressed(plain, .gzip())
        func whole(_ parts: [ByteBuffer], encoding: String?) throws -> ByteBuffer {
            var collected = CollectedBody(limit: 1 << 20)
            try collected.admit(contentLength: "\(parts.reduce(0) { $0 + $1.readableBytes })")
            for part in parts { try collected.append(part) }
            return try collected.whole(contentEncoding: encoding)
        }
        let inflated = try whole(parts(gzip, cuts: [7]), encoding: "gzip")
        #expect(Array(inflated.readableBytesView) == plain)
        let identity = try whole([ByteBuffer(bytes: plain)], encoding: nil)
        #expect(Array(identity.readableBytesView) == plain)
        #expect(ResponseInflater.isCompressed("GZIP") && ResponseInflater.isCompressed("deflate"))
        #expect(!ResponseInflater.isCompressed("identity") && !ResponseInflater.isCompressed(nil))
    }
}
