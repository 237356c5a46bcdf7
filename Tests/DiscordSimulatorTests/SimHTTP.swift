import AsyncHTTPClient
import DiscordSimulator
import Foundation
import NIOCore
import NIOHTTP1

/// A tiny loopback client for the simulator tests.
struct SimHTTP {
    let sim: SimulatorServer
    var token: String? = "sim-token"

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body)) }
        var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    func get(_ path: String, api: Bool = true) async throws -> Reply {
        try await send(.GET, path, api: api)
    }

    func send(_ method: HTTPMethod, _ path: String, api: Bool = true, json: String? = nil) async throws -> Reply {
        let url = path.hasPrefix("http") ? path : (api ? sim.apiBase : sim.baseURL) + path
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "DiscordBot (https://skald.test, 1.0)")
        if let token { request.headers.add(name: "Authorization", value: "Bot \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
    }
}

func ids(_ reply: SimHTTP.Reply) -> [UInt64] { reply.array.compactMap { ($0["id"] as? String).flatMap(UInt64.init) } }

func makeConfig(_ edit: (inout SimulatorConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
    var config = SimulatorConfiguration()
    config.seed = 7
    config.channelsPerGuild = 6
    config.messagesPerChannel = 300
    config.rateLimits = .off
    edit(&config)
    return config
}
