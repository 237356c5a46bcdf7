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

    @Test func aNotFoundSaysWhatToCheck() {
        let channel = DiscordRESTError.notFound(
            route: "POST /channels/{channel_id}/messages", object: "channel 1", discordCode: 10003,
            discordMessage: "Unknown Channel")
        #expect(
            channel.description.hasSuffix(
                "\"Unknown Channel\". channel 1 does not exist, was deleted, or this token cannot see it: check the id")
        )
        let route = DiscordRESTError.notFound(
            route: "GET /users/@me", object: nil, discordCode: 0, discordMessage: "404: Not Found")
        #expect(route.description.contains("the API has no such route: check the API address"))
    }

    @Test func oneAttemptIsSingular() {
        let error = DiscordRESTError.server(route: "GET /users/@me", object: nil, status: 502, attempts: 1)
        #expect(error.description.hasSuffix("gave up after 1 attempt"))
        #expect(
            DiscordRESTError.server(route: nil, object: nil, status: 502, attempts: 5).description.hasSuffix(
                "gave up after 5 attempts"))
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

    @Test func tooManyRateLimitsIsNotReportedAsTooLongAWait() {
        // Before: 21 429s of 1 s each read "asks to wait 1.0 seconds, more than the configured maximum".
        let often = DiscordRESTError.rateLimitedTooLong(
            route: "GET /users/@me", object: "the current user", retryAfter: .seconds(1), scope: "user",
            exceeding: .retries(count: 21))
        #expect(
            often.note == "21 429 answers in a row (the last one, user scope, asked to wait 1 s): more than the "
                + "configured maximum of 20 retries")
        let long = DiscordRESTError.rateLimitedTooLong(
            route: "GET /users/@me", object: nil, retryAfter: .seconds(300), scope: "global",
            exceeding: .wait(maximum: .seconds(120)))
        #expect(long.note == "the global rate limit asks to wait 5 min, more than the configured maximum of 2 min")
    }

    @Test func anEdgeBanSaysWhatHappenedHowLongAndWhatToDoAndSurvivesRedaction() {
        let error = DiscordRESTError.edgeBanned(
            route: "GET /users/@me", object: nil, status: 403, retryAfter: nil
        ).naming("the current user").redacting(["secret"])
        #expect(error.code == .edgeBanned && error.status == 403 && error.object == "the current user")
        let text = error.description
        #expect(text.contains("Discord's edge is refusing requests from this IP address (HTTP 403"))
        #expect(text.contains("this or another program") && text.contains("about an hour"))
        #expect(!text.contains("asks to wait"))
        let timed = DiscordRESTError.edgeBanned(route: nil, object: nil, status: 429, retryAfter: .seconds(1800))
            .redacting([])
        #expect(timed.retryAfter == .seconds(1800) && timed.description.contains("this one asks to wait 30 min"))
    }

    @Test func namingFillsTheObjectOnlyWhenMissing() {
        let refused = DiscordRESTError.invalidRequestBudgetExhausted(route: "GET /users/@me", count: 5, limit: 5)
        #expect(refused.naming("the current user").object == "the current user")
        let named = DiscordRESTError.notFound(
            route: "GET /channels/{channel_id}", object: "channel 1", discordCode: 10003, discordMessage: nil)
        #expect(named.naming("other").object == "channel 1")
    }
}
