import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import DiscordREST

/// The response body's path to a page's bytes: collected whole, copied at most once, read in place.
@Suite struct ResponseBodyTests {
    func response(_ chunks: [String], headers: HTTPHeaders = [:]) -> HTTPClientResponse {
        let stream = AsyncStream<ByteBuffer> { continuation in
            for chunk in chunks { continuation.yield(ByteBuffer(string: chunk)) }
            continuation.finish()
        }
        return HTTPClientResponse(status: .ok, headers: headers, body: .stream(stream))
    }

    /// An uncompressed body that arrives in several parts is collected, in order, into one buffer (compressed ones:
    /// `ResponseInflaterTests`).
    @Test func collectsEveryChunkOfABody() async throws {
        let chunks = ["[{\"id\":\"1\"}", ",{\"id\":\"2\"}", "]"]
        let headers: HTTPHeaders = ["Content-Length": "23"]
        let body = try await DiscordClient.collect(response(chunks, headers: headers), upTo: 1 << 20)
        #expect(String(buffer: body) == chunks.joined())
        #expect(body.capacity >= body.readableBytes)
    }

    @Test func oneChunkIsReturnedAsItIsAndTheLimitHolds() async throws {
        let one = try await DiscordClient.collect(response(["[]"]), upTo: 2)
        #expect(String(buffer: one) == "[]")
        let empty = try await DiscordClient.collect(response([]), upTo: 2)
        #expect(empty.readableBytes == 0)
        await #expect(throws: NIOTooManyBytesError.self) {
            _ = try await DiscordClient.collect(response(["[1,", "2]"]), upTo: 4)
        }
        await #expect(throws: NIOTooManyBytesError.self) {
            _ = try await DiscordClient.collect(response(["[]"], headers: ["Content-Length": "99"]), upTo: 4)
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
