import Hummingbird

/// What Discord answers under `/api/v10` outside the read routes: a path no route matches is a 404 with Discord's
/// JSON body (`{"message":"404: Not Found","code":0}`, discord-api.md), a write on any path a 405 with Discord's
/// body (the archive is read-only). Before, both were a text/plain `404 Not Found`, which a Discord client cannot
/// read as Discord's error.
struct DiscordRouteErrors<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        guard path == "/api/v10" || path.hasPrefix("/api/v10/") else { return try await next(request, context) }
        guard request.method == .get || request.method == .head else {
            return ServeResponses.discordError(.methodNotAllowed, code: 0, message: "405: Method Not Allowed")
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return ServeResponses.discordError(.notFound, code: 0, message: "404: Not Found")
        }
    }
}
