import Foundation
import Hummingbird
import HummingbirdTesting
import Serve
import Testing

/// `--auth-token` in a browser: `/login` sets an HttpOnly, SameSite=Strict cookie that opens the viewer.
@Suite struct LoginCookieTests {
    @Test func loginSetsACookieThatOpensTheViewer() async throws {
        try await TemporaryArchive.with { path in
            let store = try await ServeFixture.makeArchive(at: path)
            var configuration = ServeConfiguration()
            configuration.authToken = "s3cret"
            let server = ArchiveServer(store: store, configuration: configuration)
            try await Application(router: server.makeRouter()).test(.router) { client in
                let page = "/channels/\(ServeFixture.channel)"
                // A browser without the cookie is sent to the form; the form and the script are open.
                let (redirect, _, headers) = try await ServeRoutesTests.get(
                    client, page, headers: [.accept: "text/html"])
                #expect(redirect == .seeOther)
                #expect(headers[.location] == "/login?next=%2Fchannels%2F\(ServeFixture.channel)")
                let (form, formPage, _) = try await ServeRoutesTests.get(client, "/login?next=\(page)")
                #expect(form == .ok && formPage.contains("name=\"token\""))
                #expect(formPage.contains("value=\"\(page)\""))
                let (script, _, _) = try await ServeRoutesTests.get(client, "/assets/viewer.js")
                #expect(script == .ok)
                // A wrong token: the form again, no cookie.
                let wrong = try await Self.post(client, "token=nope&next=%2F")
                #expect(wrong.status == .unauthorized && wrong.headers[.setCookie] == nil)
                #expect(!wrong.body.contains("s3cret"))
                // The right one: a cookie, back to the page; the cookie opens pages and the JSON the script reads.
                let right = try await Self.post(
                    client, "token=s3cret&next=\(page.replacingOccurrences(of: "/", with: "%2F"))")
                #expect(right.status == .seeOther && right.headers[.location] == page)
                let cookie = try #require(right.headers[.setCookie])
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
                #expect(!cookie.contains("s3cret"))
                let pair = String(cookie.split(separator: ";")[0])
                let (opened, body, _) = try await ServeRoutesTests.get(client, page, headers: [.cookie: pair])
                #expect(opened == .ok && body.contains("id=\"log\""))
                let (api, _, _) = try await ServeRoutesTests.get(
                    client, "/skald/api/channels/\(ServeFixture.channel)/page", headers: [.cookie: pair])
                #expect(api == .ok)
                let (forged, _, _) = try await ServeRoutesTests.get(
                    client, "/skald/api/guilds", headers: [.cookie: "skald_session=s3cret"])
                #expect(forged == .unauthorized)
                // The login never redirects off the server.
                let away = try await Self.post(client, "token=s3cret&next=%2F%2Fevil.example")
                #expect(away.headers[.location] == "/")
            }
        }
    }

    static func post(_ client: any TestClientProtocol, _ form: String) async throws
        -> (status: HTTPResponse.Status, headers: HTTPFields, body: String)
    {
        try await client.execute(
            uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form)
        ) { response in (response.status, response.headers, String(buffer: response.body)) }
    }
}
