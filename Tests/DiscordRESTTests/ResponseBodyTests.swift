import Foundation
import NIOCore
import Testing

@testable import DiscordREST

/// The response body's path to a page's bytes: collected whole, copied at most once, read in place.
@Suite struct ResponseBodyTests {
    func collected(_ chunks: [String], contentLength: String? = nil, limit: Int = 1 << 20) throws -> ByteBuffer {
        var body = CollectedBody(limit: limit)
        try body.admit(contentLength: contentLength)
        for chunk in chunks { try body.append(ByteBuffer(string: chunk)) }
        return try body.whole(contentEncoding: nil)
    }

    /// An uncompressed body that arrives in several parts is collected, in order, into one buffer (compressed ones:
    /// `ResponseInflaterTests`).
    @Test func collectsEveryChunkOfABody() throws {
        let chunks = ["[{\"id\":\"1\"}", ",{\"id\":\"2\"}", "]"]
        let body = try collected(chunks, contentLength: "23")
        #expect(String(buffer: body) == chunks.joined())
        #expect(body.capacity >= body.readableBytes)
    }

    @Test func oneChunkIsReturnedAsItIsAndTheLimitHolds() throws {
        let one = try collected(["[]"], limit: 2)
        #expect(String(buffer: one) == "[]")
        let empty = try collected([], limit: 2)
        #expect(empty.readableBytes == 0)
        #expect(throws: NIOTooManyBytesError.self) {
            _ = try collected(["[1,", "2]"], limit: 4)
        }
        #expect(throws: NIOTooManyBytesError.self) {
            _ = try collected(["[]"], contentLength: "99", limit: 4)
        }
    }

    /// `bodyInPlace` reads the collected buffer's own storage; its slices stay valid once the response is gone.
    @Test func bodyInPlaceOutlivesItsResponse() throws {
        var slice: Data
        do {
            let raw = RawResponse(status: 200, bytes: ByteBuffer(string: "[\"abc\",\"def\"]"))
            let whole = raw.bodyInPlace
            #expect(whole == raw.body)
            slice = whole[7..<12]
        }
        #expect(String(decoding: slice, as: UTF8.self) == "\"def\"")
        #expect(RawResponse(status: 204, bytes: ByteBuffer()).bodyInPlace.isEmpty)
    }
}
