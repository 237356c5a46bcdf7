import Hummingbird

/// Before a request reads the archive: checks the SQLite file is still the one at `--db` (``ServedArchive``) and
/// answers `503` with the reason when no archive can be read there. The login page, the viewer's script and the
/// media folder need no archive; `/healthz` and `/metrics` check it themselves (their bodies say the state).
struct ArchiveCheck<Context: RequestContext>: RouterMiddleware {
    let archive: ServedArchive

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        let needsNoArchive =
            path == "/login" || path == "/healthz" || path == "/metrics" || path.hasPrefix("/assets/")
            || path.hasPrefix("/media/")
        if !needsNoArchive {
            do {
                _ = try archive.current()
            } catch let unavailable as ArchiveUnavailable {
                return ServeResponses.text("archive unavailable: \(unavailable.reason)", status: .serviceUnavailable)
            }
        }
        return try await next(request, context)
    }
}
