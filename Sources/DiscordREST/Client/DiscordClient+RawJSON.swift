import Foundation

extension DiscordClient {
    /// Sends `route` with an optional JSON body through the same limiter, retries and error mapping as every
    /// other request, and returns the raw 2xx body (empty for 204). For APIs shaped like Discord's whose
    /// objects the Discord models do not decode (Fluxer, which `skald mirror` writes to).
    /// - Parameter retryable: whether the request may be sent again after a 5xx or a transport error (a POST
    ///   only when the server de-duplicates it, e.g. by nonce).
    public func sendJSON(_ route: Route, json: Data? = nil, retryable: Bool? = nil) async throws -> Data {
        let body = json.map { RequestBody(data: $0, contentType: "application/json") }
        return try await send(route, body: body, retryable: retryable) { $0.body }
    }

    /// Sends `route` with a body streamed from memory and files (``StreamedBody``) through the same limiter,
    /// retries and error mapping, and returns the raw 2xx body. A retry reads the files again.
    public func sendStreamed(_ route: Route, body: StreamedBody, retryable: Bool? = nil) async throws -> Data {
        let request = RequestBody(data: Data(), contentType: body.contentType, streamed: body)
        return try await send(route, body: request, retryable: retryable) { $0.body }
    }

    /// A route to a webhook's execute URL (`POST /webhooks/{id}/{token}?wait=true`): unauthenticated, its own
    /// bucket per webhook.
    public static func webhookExecuteRoute(id: UInt64, token: String) -> Route {
        var route = Route(
            .post, "/webhooks/\(id)/\(Route.encodeSegment(token))", template: "/webhooks/{webhook_id}/{webhook_token}",
            major: .webhook(id, tokenHash: Route.digest(token)), object: "webhook \(id)")
        route.authenticated = false
        route.add("wait", "true")
        return route
    }
}
