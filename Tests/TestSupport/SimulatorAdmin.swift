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
