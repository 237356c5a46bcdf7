import Foundation
import Hummingbird

extension SimulatorResponder {
    /// `POST /__sim/uploads/hold` `{"after": N}`: the next N message posts carrying files go through, every later
    /// one is held (body received, nothing created) until `/__sim/uploads/release`. Answers `{"held": 0}`.
    func holdUploads(_ request: Request) async throws -> Response {
        let object = try await Self.adminObject(request)
        let after = (object["after"] as? Int) ?? (object["after"] as? String).flatMap { Int($0) } ?? 0
        await state.uploadHold.hold(after: after)
        return Self.heldAnswer(now: 0, total: 0)
    }

    /// `POST /__sim/uploads/release` `{"drop": true|false}`: ends the hold; held posts go on, or with `drop` are cut
    /// off with no message created (an upload lost when its client died). Answers `{"released": N}`.
    func releaseUploads(_ request: Request) async throws -> Response {
        let object = try await Self.adminObject(request)
        let released = await state.uploadHold.release(drop: object["drop"] as? Bool ?? false)
        var w = JSONWriter(capacity: 32)
        w.beginObject()
        w.key("released")
        w.int(released)
        w.endObject()
        return APIResponse.json(w)
    }

    /// `GET /__sim/uploads/held[?wait=N]`: `{"held": now, "total": since the hold was set}`; with `wait`, answers
    /// once N posts have been held (or the hold is released), so a script waits on the event, not a timer.
    func heldUploads(_ request: Request) async -> Response {
        if let wait = request.uri.queryParameters.get("wait").flatMap({ Int($0) }) {
            await state.uploadHold.waitUntilHeld(wait)
        }
        let counts = await state.uploadHold.counts
        return Self.heldAnswer(now: counts.now, total: counts.total)
    }

    private static func heldAnswer(now: Int, total: Int) -> Response {
        var w = JSONWriter(capacity: 32)
        w.beginObject()
        w.key("held")
        w.int(now)
        w.key("total")
        w.int(total)
        w.endObject()
        return APIResponse.json(w)
    }

    /// An admin route's JSON object body (an empty body is an empty object).
    private static func adminObject(_ request: Request) async throws -> [String: Any] {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        if body.readableBytes == 0 { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        else {
            throw DiscordAPIError(.badRequest, code: 50109, message: "The request body contains invalid JSON.")
        }
        return object
    }
}
