import Testing

@testable import DiscordREST

/// Tokens are redacted as whole values: a token's text inside a word is not a token.
@Suite struct SecretRedactionTests {
    @Test func aShortSecretNeverGarblesWords() {
        let text = "gave up after 6 attempts (cause: connection reset)"
        #expect(SecretRedaction.redact(text, secrets: ["t"]) == text)
    }

    @Test func wholeOccurrencesAreRedacted() {
        let token = "MTAxMjIyNDU2.GaBcDe.x-y_z"
        let text = "url https://discord.com/api/webhooks/1/\(token)?wait=true and Bot \(token), not x\(token)"
        let redacted = SecretRedaction.redact(text, secrets: [token])
        #expect(
            redacted == "url https://discord.com/api/webhooks/1/<redacted>?wait=true and Bot <redacted>, not x\(token)")
    }

    @Test func emptySecretsAreIgnored() {
        #expect(SecretRedaction.redact("abc", secrets: [""]) == "abc")
    }
}
