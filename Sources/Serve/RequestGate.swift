import Hummingbird

/// Every request passes here: with a token configured it needs `Authorization: Bearer T` (or `Bot T`, as a Discord
/// client sends it); with an API token, `/api/` needs `Authorization: Bot T` (or the token) and answers Discord's
/// 401 otherwise. Then the request is timed and counted by route for `/metrics`.
struct RequestGate<Context: RequestContext>: RouterMiddleware {
    let token: String?
    let apiToken: String?
    let metrics: ServeMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let response: Response
        let isAPI = request.uri.path.hasPrefix("/api/")
        let byToken = token.map { Self.authorized(request, token: $0) } ?? false
        let byAPIToken = isAPI && (apiToken.map { Self.authorized(request, token: $0, schemes: ["Bot "]) } ?? false)
        if isAPI, apiToken != nil, !byToken, !byAPIToken {
            // Discord's answer to a missing or wrong bot token.
            response = ServeResponses.discordError(.unauthorized, code: 0, message: "401: Unauthorized")
        } else if token != nil, !byToken, !byAPIToken {
            response = ServeResponses.text(
                "unauthorized: send Authorization: Bearer <token> (the --auth-token of skald serve)",
                status: .unauthorized)
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError {
                response = ServeResponses.text(error.body ?? "\(error.status)", status: error.status)
            } catch {
                response = ServeResponses.text("internal error: \(error)", status: .internalServerError)
            }
        }
        metrics.recordRequest(
            route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
            status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }

    /// Whether the request carries the token, compared in constant time.
    static func authorized(_ request: Request, token: String, schemes: [String] = ["Bearer ", "Bot "]) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        for scheme in schemes where header.hasPrefix(scheme) {
            return constantTimeEqual(Array(header.utf8.dropFirst(scheme.utf8.count)), Array(token.utf8))
        }
        return false
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
