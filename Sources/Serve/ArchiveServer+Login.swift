import Export
import Foundation
import Hummingbird

extension ArchiveServer {
    /// `GET /login`: a form for the `--auth-token`; `POST /login`: with the right token, sets the login cookie
    /// (`HttpOnly`, `SameSite=Strict`, for this run) and returns to the page asked for; a wrong one shows the form
    /// again with 401. Without `--auth-token` there is nothing to log in to.
    func addLoginRoutes(to router: Router<BasicRequestContext>) {
        router.get("login") { request, _ in
            guard configuration.authToken != nil else { return Self.redirect(to: "/") }
            return Self.loginPage(next: Self.query(request)["next"] ?? "/", failed: false)
        }
        router.post("login") { request, _ in
            guard let token = configuration.authToken else { return Self.redirect(to: "/") }
            let body = try await request.body.collect(upTo: 16_384)
            let form = Self.formFields(String(buffer: body))
            let next = Self.localPath(form["next"] ?? "/")
            guard let given = form["token"],
                RequestGate<BasicRequestContext>.constantTimeEqual(Array(given.utf8), Array(token.utf8))
            else { return Self.loginPage(next: next, failed: true) }
            var response = Self.redirect(to: next)
            response.headers[.setCookie] =
                "\(RequestGate<BasicRequestContext>.cookieName)=\(session); Path=/; HttpOnly; SameSite=Strict"
            return response
        }
    }

    static func loginPage(next: String, failed: Bool) -> Response {
        let note = failed ? "<p class=\"note tombstone\">That is not the token of this server.</p>" : ""
        let body = """
            <form class="login" action="/login" method="post">\(note)<p>This archive needs the token \
            <code>skald serve</code> was started with (<code>--auth-token</code>).</p>\
            <input type="hidden" name="next" value="\(HTMLEscape.text(localPath(next)))">\
            <input type="password" name="token" autocomplete="current-password" aria-label="Token" required autofocus>\
            <button>Log in</button></form>
            """
        return ServeResponses.html(
            HTMLPage.render(title: "Log in", body: body), status: failed ? .unauthorized : .ok)
    }

    /// `next` when it is a path of this server (`/…`, not `//host`), else `/`: the login never sends a browser
    /// elsewhere.
    static func localPath(_ next: String) -> String {
        next.hasPrefix("/") && !next.hasPrefix("//") && !next.hasPrefix("/\\") ? next : "/"
    }

    static func redirect(to path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }

    /// `application/x-www-form-urlencoded` fields.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
