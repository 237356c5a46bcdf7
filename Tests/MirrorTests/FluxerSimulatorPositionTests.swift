import FluxerSimulator
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// fluxer-sim's channel reorder, positions locks, forced faults and role hierarchy (fluxer-api.md §3.2, §3.3;
/// §7 items 5, 9, 10, 13).
@Suite("fluxer-sim positions and hierarchy")
struct FluxerSimulatorPositionTests {
    struct Answer {
        var status: Int
        var json: Any?
        var headers: [AnyHashable: Any]
        var code: String? { (json as? [String: Any])?["code"] as? String }
    }

    static func call(
        _ fluxer: FluxerSimulatorServer, _ method: String, _ path: String, _ body: Any? = nil,
        authorization: String? = nil
    ) async throws -> Answer {
        var request = URLRequest(url: URL(string: fluxer.baseURL + path)!)
        request.httpMethod = method
        request.setValue(authorization ?? "Bot \(fluxer.token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return Answer(
            status: http?.statusCode ?? 0, json: try? JSONSerialization.jsonObject(with: data),
            headers: http?.allHeaderFields ?? [:])
    }

    static func withFluxer(_ body: (FluxerSimulatorServer) async throws -> Void) async throws {
        try await FluxerSimulatorServer.withRunning(FluxerSimulatorConfiguration(), body)
    }

    /// Channel ids by name, in guild position order, with their parents.
    static func layout(_ fluxer: FluxerSimulatorServer) async throws -> [(name: String, parent: String?, position: Int)]
    {
        let answer = try await call(fluxer, "GET", "/v1/guilds/\(fluxer.guildID)/channels")
        let list = try #require(answer.json as? [[String: Any]])
        let names = Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as! String, $0["name"] as! String) })
        return list.map {
            ($0["name"] as! String, ($0["parent_id"] as? String).flatMap { names[$0] }, $0["position"] as! Int)
        }.sorted { $0.position < $1.position }
    }

    @Test func reorderFollowsTheDocumentedSemantics() async throws {
        try await Self.withFluxer { fluxer in
            let guild = "/v1/guilds/\(fluxer.guildID)"
            func create(_ name: String, _ type: Int, parent: String? = nil) async throws -> String {
                var body: [String: Any] = ["name": name, "type": type]
                if let parent { body["parent_id"] = parent }
                let answer = try await Self.call(fluxer, "POST", "\(guild)/channels", body)
                return try #require((answer.json as? [String: Any])?["id"] as? String)
            }
            let category = try await create("Hall", 4)
            let one = try await create("one", 0, parent: category)
            let two = try await create("two", 0, parent: category)
            let voice = try await create("Voice", 2, parent: category)
            #expect(
                try await Self.call(fluxer, "PATCH", "\(guild)/channels", [["id": two, "position": 0]]).status == 204)
            var layout = try await Self.layout(fluxer)
            #expect(layout.filter { $0.parent == "Hall" }.map(\.name) == ["two", "one", "Voice"])
            #expect(layout.map(\.position) == Array(1...layout.count), "positions are renumbered 1..N")
            // Voice above text in a category → 400.
            let refused = try await Self.call(fluxer, "PATCH", "\(guild)/channels", [["id": voice, "position": 0]])
            #expect(refused.status == 400 && refused.code == "INVALID_FORM_BODY")
            // Out of the category: to the end of the top level.
            _ = try await Self.call(fluxer, "PATCH", "\(guild)/channels", [["id": one, "parent_id": NSNull()]])
            layout = try await Self.layout(fluxer)
            #expect(layout.last?.name == "one" && layout.last?.parent == nil)
            // A category moves with its children.
            _ = try await Self.call(fluxer, "PATCH", "\(guild)/channels", [["id": category, "position": 0]])
            layout = try await Self.layout(fluxer)
            #expect(Array(layout.prefix(3).map(\.name)) == ["Hall", "two", "Voice"])
            // Back into it with position − 1 (parent changes): first.
            _ = try await Self.call(
                fluxer, "PATCH", "\(guild)/channels", [["id": one, "parent_id": category, "position": 1]])
            layout = try await Self.layout(fluxer)
            #expect(layout.filter { $0.parent == "Hall" }.map(\.name) == ["one", "two", "Voice"])
            // A category takes no parent.
            let nested = try await Self.call(
                fluxer, "PATCH", "\(guild)/channels", [["id": category, "parent_id": category]])
            #expect(nested.status == 400)
        }
    }

    @Test func forcedLockAndRateLimits() async throws {
        try await Self.withFluxer { fluxer in
            let guild = "/v1/guilds/\(fluxer.guildID)"
            _ = try await Self.call(fluxer, "POST", "/__fluxer/force", ["locked": 1, "bucket": 0])
            let locked = try await Self.call(fluxer, "PATCH", "\(guild)/channels", [[String: Any]]())
            #expect(locked.status == 423 && locked.code == "GENERAL_ERROR")
            #expect(locked.headers["Retry-After"] as? String == "2")
            #expect(try await Self.call(fluxer, "PATCH", "\(guild)/channels", [[String: Any]]()).status == 204)

            _ = try await Self.call(fluxer, "POST", "/__fluxer/force", ["bucket": 1])
            let bucket = try await Self.call(fluxer, "GET", "\(guild)/roles")
            #expect(bucket.status == 429 && (bucket.json as? [String: Any])?["global"] as? Bool == false)
            #expect(bucket.headers["X-RateLimit-Global"] as? String == "false")
            _ = try await Self.call(fluxer, "POST", "/__fluxer/force", ["global": 1])
            let global = try await Self.call(fluxer, "GET", "\(guild)/roles")
            #expect(global.status == 429 && (global.json as? [String: Any])?["global"] as? Bool == true)
            #expect(try await Self.call(fluxer, "GET", "\(guild)/roles").status == 200)
            #expect(await fluxer.rateLimited() == (user: 1, global: 1))
        }
    }

    @Test func roleHierarchyHasNoAdministratorBypass() async throws {
        try await Self.withFluxer { fluxer in
            let guild = "/v1/guilds/\(fluxer.guildID)"
            let made = try await Self.call(fluxer, "POST", "\(guild)/roles", ["name": "Crew"])
            let crew = try #require((made.json as? [String: Any])?["id"] as? String)
            let roles = try #require(try await Self.call(fluxer, "GET", "\(guild)/roles").json as? [[String: Any]])
            let bot = try #require(roles.first { $0["name"] as? String == "Skald" })
            let botId = try #require(bot["id"] as? String)
            let top = try #require(bot["position"] as? Int)
            // Below the bot's top role: editable; the bot's own role (not below): refused despite ADMINISTRATOR.
            #expect(try await Self.call(fluxer, "PATCH", "\(guild)/roles/\(crew)", ["hoist": true]).status == 200)
            let own = try await Self.call(fluxer, "PATCH", "\(guild)/roles/\(botId)", ["name": "x"])
            #expect(own.status == 403 && own.code == "MISSING_PERMISSIONS")
            let above = try await Self.call(fluxer, "PATCH", "\(guild)/roles", [["id": crew, "position": top]])
            #expect(above.status == 403)
            // The owner bypasses the hierarchy.
            let owner = FluxerSimulatorConfiguration().ownerToken
            let byOwner = try await Self.call(
                fluxer, "PATCH", "\(guild)/roles/\(botId)", ["name": "Skald bot"], authorization: owner)
            #expect(byOwner.status == 200)
            #expect(
                try await Self.call(
                    fluxer, "PATCH", "\(guild)/roles", [["id": crew, "position": top + 1]], authorization: owner
                ).status == 204)
        }
    }
}
