import Testing

@testable import DiscordREST

@Suite struct DiscordRESTErrorTests {
    @Test func descriptionNamesRouteObjectStatusAndDiscordCode() {
        let error = DiscordRESTError.forbidden(
            route: "GET /channels/{channel_id}/messages", object: "channel 123", discordCode: 50001,
            discordMessage: "Missing Access")
        let text = error.description
        #expect(error.code == .forbidden)
        #expect(text.contains("GET /channels/{channel_id}/messages"))
        #expect(text.contains("channel 123"))
        #expect(text.contains("403"))
        #expect(text.contains("50001"))
        #expect(text.contains("Missing Access"))
    }

    @Test func redactionRemovesTheTokenFromEveryText() {
        struct Cause: Error, CustomStringConvertible {
            let description: String
        }
        let token = "MTIzNDU2Nzg5.secret.token"
        let error = DiscordRESTError.transport(
            route: "POST /webhooks/{webhook_id}/{webhook_token}", object: "webhook 9", attempts: 1,
            underlying: Cause(description: "connection to /webhooks/9/\(token) reset"))
        #expect(String(describing: error).contains(token))  // the raw cause quotes it…
        let redacted = error.redacting([token])
        #expect(!String(describing: redacted).contains(token))  // …the client only ever throws this form
        #expect(String(describing: redacted).contains("<redacted>"))
        #expect(redacted.code == .transport)
    }

    @Test func namingFillsTheObjectOnlyWhenMissing() {
        let refused = DiscordRESTError.invalidRequestBudgetExhausted(route: "GET /users/@me", count: 5, limit: 5)
        #expect(refused.naming("the current user").object == "the current user")
        let named = DiscordRESTError.notFound(
            route: "GET /channels/{channel_id}", object: "channel 1", discordCode: 10003, discordMessage: nil)
        #expect(named.naming("other").object == "channel 1")
    }
}
