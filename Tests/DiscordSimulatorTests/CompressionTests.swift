import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

@testable import DiscordSimulator

/// The simulator compresses API answers as Discord's front end does: gzip when the request's `Accept-Encoding`
/// accepts it (RFC 9110 §12.5.3), identity otherwise; never the CDN's bytes.
@Suite struct CompressionTests {
    @Test func acceptEncodingIsNegotiatedAsTheHTTPSpecSays() {
        #expect(ContentCoding.negotiated(acceptEncoding: nil) == .identity)
        #expect(ContentCoding.negotiated(acceptEncoding: "") == .identity)
        // What AsyncHTTPClient's decompression (NIOHTTPCompression) sends.
        #expect(ContentCoding.negotiated(acceptEncoding: "deflate, gzip") == .gzip)
        #expect(ContentCoding.negotiated(acceptEncoding: "gzip") == .gzip)
        #expect(ContentCoding.negotiated(acceptEncoding: "GZIP;q=0.5, br") == .gzip)
        #expect(ContentCoding.negotiated(acceptEncoding: "x-gzip") == .gzip)
        #expect(ContentCoding.negotiated(acceptEncoding: "br, deflate") == .identity)
        #expect(ContentCoding.negotiated(acceptEncoding: "gzip;q=0") == .identity)
        #expect(ContentCoding.negotiated(acceptEncoding: "gzip ; q=0.000, *") == .identity)
        #expect(ContentCoding.negotiated(acceptEncoding: "*") == .gzip)
        #expect(ContentCoding.negotiated(acceptEncoding: "identity;q=1, *;q=0") == .identity)
    }

    /// A GET of `url` with the given `Accept-Encoding`: the headers and the body as sent (not inflated).
    static func get(_ sim: SimulatorServer, _ url: String, acceptEncoding: String?) async throws -> (
        headers: HTTPHeaders, body: [UInt8]
    ) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "DiscordBot (https://skald.test, 1.0)")
        request.headers.add(name: "Authorization", value: "Bot \(sim.tokens[0])")
        if let acceptEncoding { request.headers.add(name: "Accept-Encoding", value: acceptEncoding) }
        // Its own client: `HTTPClient.shared` inflates (and asks for gzip itself); this one leaves bodies as sent.
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init())
        do {
            let response = try await client.execute(request, timeout: TestDeadline.request)
            let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
            try await client.shutdown()
            return (response.headers, Array(body.readableBytesView))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func apiAnswersAreGzippedWhenAskedAndCounted() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let page = sim.apiBase + "/channels/\(channel)/messages?limit=100"
            let plain = try await Self.get(sim, page, acceptEncoding: nil)
            #expect(plain.headers.first(name: "Content-Encoding") == nil)
            let gzipped = try await Self.get(sim, page, acceptEncoding: "deflate, gzip")
            #expect(gzipped.headers.first(name: "Content-Encoding") == "gzip")
            #expect(gzipped.headers.first(name: "Vary") == "Accept-Encoding")
            #expect(gzipped.headers.first(name: "Content-Length") == String(gzipped.body.count))
            #expect(gzipped.body.starts(with: [0x1f, 0x8b]), "not a gzip stream: \(gzipped.body.prefix(8))")
            #expect(gzipped.body.count * 3 < plain.body.count, "\(gzipped.body.count) of \(plain.body.count) bytes")
            // Errors are JSON answers too; a refusal to gzip is honoured.
            let missing = try await Self.get(sim, sim.apiBase + "/channels/1/messages", acceptEncoding: "gzip")
            #expect(missing.headers.first(name: "Content-Encoding") == "gzip")
            let refused = try await Self.get(sim, page, acceptEncoding: "gzip;q=0")
            #expect(refused.headers.first(name: "Content-Encoding") == nil)
            #expect(refused.body.first == UInt8(ascii: "["))
            let stats = await sim.stats()
            #expect(stats.compressedAnswers == 2)
            #expect(stats.compressedBytesIn > plain.body.count)
            #expect(stats.compressedBytesOut == gzipped.body.count + missing.body.count)
        }
    }

    @Test func noCompressionAnswersIdentityWhatEverIsAsked() async throws {
        try await SimulatorServer.withRunning(makeConfig { $0.compression = false }) { sim in
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let page = try await Self.get(
                sim, sim.apiBase + "/channels/\(channel)/messages?limit=100", acceptEncoding: "deflate, gzip")
            #expect(page.headers.first(name: "Content-Encoding") == nil)
            #expect(page.body.first == UInt8(ascii: "["))
            #expect(await sim.stats().compressedAnswers == 0)
        }
    }
}
