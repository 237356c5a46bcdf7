import AsyncHTTPClient
import DiscordSimulator
import Foundation
import NIOCore

/// The simulator's admin routes (`/__sim/…`) as the tests call them: a JSON body POSTed over loopback.
public enum SimulatorAdmin {
    /// POSTs `body` as JSON to `path` of `sim` and returns the response body.
    @discardableResult
    public static func post(_ sim: SimulatorServer, _ path: String, _ body: [String: Any] = [:]) async throws -> Data {
        var request = HTTPClientRequest(url: sim.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        let response = try await HTTPClient.shared.execute(request, timeout: TestDeadline.request)
        return Data(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    /// POSTs like ``post(_:_:_:)`` and reads the answer as a JSON object (empty when it is not one).
    @discardableResult
    public static func postForObject(_ sim: SimulatorServer, _ path: String, _ body: [String: Any] = [:]) async throws
        -> [String: Any]
    {
        let data = try await post(sim, path, body)
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// Sends one request to the simulator's Discord API as its first bot (`method`: `PUT`, `GET`…), with `json` or
    /// raw `body` bytes; returns the status and the body.
    public static func asBot(
        _ sim: SimulatorServer, _ method: String, _ path: String, json: String? = nil,
        body: (bytes: [UInt8], contentType: String)? = nil
    ) async throws -> (status: UInt, body: Data) {
        var request = HTTPClientRequest(url: sim.apiBase + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bot \(sim.tokens[0])")
        request.headers.add(name: "User-Agent", value: "DiscordBot (skald tests, 1)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            request.headers.add(name: "Content-Type", value: body.contentType)
            request.body = .bytes(ByteBuffer(bytes: body.bytes))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: TestDeadline.request)
        return (response.status.code, Data(buffer: try await response.body.collect(upTo: 1 << 22)))
    }

    /// Has another program on the address earn the simulator's invalid-request ban: `count` requests with a wrong
    /// token, each answered 401 (set ``SimulatorConfiguration/invalidRequestThreshold`` to `count`). Returns their
    /// statuses.
    @discardableResult
    public static func earnBan(_ sim: SimulatorServer, invalidAnswers count: Int) async throws -> [UInt] {
        var statuses: [UInt] = []
        for _ in 0..<count {
            var request = HTTPClientRequest(url: sim.apiBase + "/users/@me")
            request.headers.add(name: "Authorization", value: "Bot not-a-token")
            let response = try await HTTPClient.shared.execute(request, timeout: TestDeadline.request)
            _ = try await response.body.collect(upTo: 1 << 16)
            statuses.append(response.status.code)
        }
        return statuses
    }
}
