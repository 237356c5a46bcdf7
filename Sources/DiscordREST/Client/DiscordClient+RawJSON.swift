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

    /// Sends `route` with a `multipart/form-data` body — `payload` as `payload_json`, each file as `files[n]` —
    /// through the same limiter, retries and error mapping, and returns the raw 2xx body. Files given as regions
    /// of files on disk are read again on every attempt (streamed when the body is large). For APIs shaped like
    /// Discord's whose answers the Discord models do not decode (Fluxer's webhooks).
    public func sendMultipart(_ route: Route, payload: Data, files: [FileUpload], retryable: Bool? = nil)
        async throws -> Data
    {
        try await send(route, body: Multipart.body(payload: payload, files: files), retryable: retryable) { $0.body }
    }

    /// Sends `route` with a `multipart/form-data` body of plain fields and named file parts (no `payload_json`;
    /// e.g. `POST /guilds/{g}/stickers`'s name, tags, description and file) through the same limiter, retries and
    /// error mapping, and returns the raw 2xx body.
    public func sendForm(
        _ route: Route, fields: [(name: String, value: String)], files: [(name: String, file: FileUpload)],
        retryable: Bool? = nil
    ) async throws -> Data {
        try await send(route, body: Multipart.form(fields: fields, files: files), retryable: retryable) { $0.body }
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
