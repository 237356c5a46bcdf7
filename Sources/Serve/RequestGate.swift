import Foundation
import Hummingbird

/// Every request passes here: with a token configured it needs `Authorization: Bearer T` (or `Bot T`, as a Discord
/// client sends it) or the login cookie `/login` sets (a browser); only `/login` and the viewer's script are open,
/// and a browser asking for a page without either is sent to `/login`. With an API token, `/api/` needs `Authorization: Bot T` (or the token) and answers Discord's
/// 401 otherwise. Then the request is timed and counted by route for `/metrics`.
struct RequestGate<Context: RequestContext>: RouterMiddleware {
    let token: String?
    let apiToken: String?
    /// The login cookie's value (``ArchiveServer/session``).
    let session: String
    let metrics: ServeMetrics

    /// The login cookie's name.
    static var cookieName: String { "skald_session" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let response: Response
        let isAPI = request.uri.path.hasPrefix("/api/")
        let path = request.uri.path
        let isOpen = path == "/login" || path == "/assets/viewer.js"
        let byToken = token.map { Self.authorized(request, token: $0) || Self.hasCookie(request, session) } ?? false
        let byAPIToken = isAPI && (apiToken.map { Self.authorized(request, token: $0, schemes: ["Bot "]) } ?? false)
        if isAPI, apiToken != nil, !byToken, !byAPIToken {
            // Discord's answer to a missing or wrong bot token.
            response = ServeResponses.discordError(.unauthorized, code: 0, message: "401: Unauthorized")
        } else if token != nil, !byToken, !byAPIToken, !isOpen {
            response =
                Self.wantsPage(request)
                ? Self.redirectToLogin(request)
                : ServeResponses.text(
                    "unauthorized: send Authorization: Bearer <token> (the --auth-token of skald serve)",
                    status: .unauthorized)
        } else {
            do {
                response = try await next(request, context)
            } catch let refusal as ServeRefusal {
                response = refusal.response
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

    /// Whether the request carries the login cookie with this run's value.
    static func hasCookie(_ request: Request, _ session: String) -> Bool {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == cookieName,
                    constantTimeEqual(Array(parts[1].utf8), Array(session.utf8))
                {
                    return true
                }
            }
        }
        return false
    }

    /// A browser navigating to a page (a `GET` that accepts HTML, not an API path).
    static func wantsPage(_ request: Request) -> Bool {
        request.method == .get && request.headers[.accept]?.contains("text/html") == true
            && !request.uri.path.hasPrefix("/api/") && !request.uri.path.hasPrefix("/skald/api/")
    }

    /// `303` to `/login?next=PATH`.
    static func redirectToLogin(_ request: Request) -> Response {
        let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        return Response(status: .seeOther, headers: [.location: "/login?next=\(next)"])
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
