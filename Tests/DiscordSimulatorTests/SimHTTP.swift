import AsyncHTTPClient
import DiscordModels
import DiscordSimulator
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport

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

    /// `count` GETs sent at once (so a per-second limit is crossed however slow the machine is).
    func burst(_ path: String, count: Int) async throws -> [Reply] {
        try await withThrowingTaskGroup(of: Reply.self) { group in
            for _ in 0..<count { group.addTask { try await get(path) } }
            var replies: [Reply] = []
            for try await reply in group { replies.append(reply) }
            return replies
        }
    }

    func send(_ method: HTTPMethod, _ path: String, api: Bool = true, json: String? = nil) async throws -> Reply {
        try await send(method, path, api: api, body: json.map { Array($0.utf8) }, contentType: "application/json")
    }

    /// A multipart/form-data request: `payload_json` plus `files[n]` parts.
    func multipart(
        _ path: String, payload: String, files: [(name: String, filename: String, type: String, bytes: [UInt8])]
    ) async throws -> Reply {
        let boundary = "skald-test-boundary-7f3a"
        var body: [UInt8] = []
        func add(_ text: String) { body += Array(text.utf8) }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n")
        add("Content-Type: application/json\r\n\r\n\(payload)\r\n")
        for file in files {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; ")
            add("filename=\"\(file.filename)\"\r\n")
            add("Content-Type: \(file.type)\r\n\r\n")
            body += file.bytes
            add("\r\n")
        }
        add("--\(boundary)--\r\n")
        return try await send(.POST, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func send(
        _ method: HTTPMethod, _ path: String, api: Bool = true, body: [UInt8]?, contentType: String
    ) async throws -> Reply {
        let url = path.hasPrefix("http") ? path : (api ? sim.apiBase : sim.baseURL) + path
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "DiscordBot (https://skald.test, 1.0)")
        if let token { request.headers.add(name: "Authorization", value: "Bot \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: TestDeadline.request)
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
    }
}

func ids(_ reply: SimHTTP.Reply) -> [UInt64] { reply.array.compactMap { ($0["id"] as? String).flatMap(UInt64.init) } }

/// A snowflake field of a JSON object.
func snowflake(_ object: [String: Any], _ key: String) -> UInt64? { (object[key] as? String).flatMap(UInt64.init) }

/// Unix milliseconds of a snowflake.
func snowflakeMilliseconds(_ id: UInt64) -> UInt64 { Snowflake<AnyTag>(id).unixMilliseconds }

/// Unix milliseconds of a Discord timestamp string.
func timestampMilliseconds(_ text: Any?) -> UInt64? {
    guard let text = text as? String, let date = DiscordTimestamp.parse(text) else { return nil }
    return UInt64((date.timeIntervalSince1970 * 1000).rounded())
}

/// Unix milliseconds now.
func nowMilliseconds() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }

func makeConfig(_ edit: (inout SimulatorConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
    var config = SimulatorConfiguration()
    config.seed = 7
    config.channelsPerGuild = 6
    config.messagesPerChannel = 300
    config.rateLimits = .off
    edit(&config)
    return config
}
