import Testing

@testable import DiscordREST

@Suite struct RouteTests {
    @Test func queryValuesArePercentEncodedSoISOTimestampsSurvive() {
        var route = Route(.get, "/channels/1/messages/pins", template: "/channels/{channel_id}/messages/pins")
        route.add("before", "2024-01-01T00:00:00.000000+00:00")
        route.add("limit", 50)
        route.add("after", nil as Int?)
        #expect(
            route.url(apiBase: "http://127.0.0.1:9/api/v10/")
                == "http://127.0.0.1:9/api/v10/channels/1/messages/pins?before=2024-01-01T00%3A00%3A00.000000%2B00%3A00&limit=50"
        )
    }

    @Test func reactionEmojiSegmentsAreEncodedAsUTF8() {
        #expect(Route.encodeSegment("🔥") == "%F0%9F%94%A5")
        #expect(Route.encodeSegment("party_blob:123456") == "party_blob:123456")
        #expect(Route.encodeSegment("a b/c") == "a%20b%2Fc")
    }

    @Test func keyKeepsTheMajorValueAndTemplatesEverythingElse() {
        let a = Route(
            .get, "/channels/1/messages/5", template: "/channels/{channel_id}/messages/{message_id}", major: .channel(1)
        )
        let b = Route(
            .get, "/channels/1/messages/6", template: "/channels/{channel_id}/messages/{message_id}", major: .channel(1)
        )
        let c = Route(
            .get, "/channels/2/messages/5", template: "/channels/{channel_id}/messages/{message_id}", major: .channel(2)
        )
        #expect(a.key == b.key)
        #expect(a.key != c.key)
        #expect(a.key.templateKey == c.key.templateKey)
        #expect(a.description == "GET /channels/{channel_id}/messages/{message_id}")
    }

    @Test func webhookMajorValueNeverHoldsTheToken() {
        let token = "s3cr3t-webhook-token"
        let route = Route(
            .post, "/webhooks/7/\(token)", template: "/webhooks/{webhook_id}/{webhook_token}",
            major: .webhook(7, tokenHash: Route.digest(token)))
        #expect(!route.key.description.contains(token))
        #expect(
            route.key
                != Route(
                    .post, "/webhooks/7/other", template: "/webhooks/{webhook_id}/{webhook_token}",
                    major: .webhook(7, tokenHash: Route.digest("other"))
                ).key)
    }
}
