import Foundation

/// Everything the Discord REST client throws.
///
/// A struct wrapping a private code, in the style of async-http-client's `HTTPClientError`: compare
/// ``code`` against the static members of ``Code``. The description names the route template and the object
/// (`GET /channels/{channel_id}/messages on channel 123`), the HTTP status and Discord's error code and
/// message. It never contains the token.
public struct DiscordRESTError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unauthorized, forbidden, missingIntent, notFound, badRequest, payloadTooLarge
            case rateLimitedTooLong, invalidRequestBudgetExhausted, edgeBanned, server, transport, decoding, http
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// 401: the token is invalid. Never retried; the client sends nothing more with this token.
        public static let unauthorized = Code(.unauthorized)
        /// 403: no access or a missing permission (or a route remembered as forbidden).
        public static let forbidden = Code(.forbidden)
        /// 403 50001 on a route that needs a privileged intent (guild members: GUILD_MEMBERS).
        public static let missingIntent = Code(.missingIntent)
        /// 404: unknown resource or route.
        public static let notFound = Code(.notFound)
        /// 400 and other 4xx client errors (invalid form body, limits).
        public static let badRequest = Code(.badRequest)
        /// 413: the upload is too large.
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// A 429 asked for a longer wait than the configuration allows, or too many 429s in a row.
        public static let rateLimitedTooLong = Code(.rateLimitedTooLong)
        /// Discord's edge (Cloudflare) refuses requests from this IP address: a 429 or 403 that is not Discord's JSON
        /// and has no rate-limit headers, the answer of an invalid-request ban (``EdgeRefusalStateMachine``).
        public static let edgeBanned = Code(.edgeBanned)
        /// The invalid-request guard refused to send (too many 401/403/429 responses recently).
        public static let invalidRequestBudgetExhausted = Code(.invalidRequestBudgetExhausted)
        /// 5xx after all retries.
        public static let server = Code(.server)
        /// Connection errors, timeouts, truncated bodies after all retries (or a write that may not be retried).
        public static let transport = Code(.transport)
        /// A 2xx response whose body did not match the model.
        public static let decoding = Code(.decoding)
        /// Any other unexpected status.
        public static let http = Code(.http)

        /// A textual representation.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// The route as method and template, e.g. `GET /channels/{channel_id}/messages`.
    public let route: String?
    /// The object concerned, e.g. `channel 123`.
    public let object: String?
    /// The HTTP status, when a response arrived.
    public let status: Int?
    /// Discord's error code from the body (`50001`), when present.
    public let discordCode: Int?
    /// Discord's error message from the body, when present.
    public let discordMessage: String?
    /// A string error code from the body (Fluxer's `UNKNOWN_CHANNEL`, `MAX_WEBHOOKS`; fluxer-api.md §4), when the
    /// service sends one instead of Discord's number.
    public private(set) var errorCodeName: String?
    /// What to do about it, or more context.
    public let note: String?
    /// The service that answered (or could not be reached): its name begins the description.
    public private(set) var service: RESTService = .discord
    /// The underlying error (transport or decoding), if any.
    public let underlying: (any Error)?
    /// The wait the answer asked for, when it matters to the caller (an edge ban's `Retry-After`).
    public private(set) var retryAfter: Duration?

    private init(
        code: Code, route: String?, object: String?, status: Int? = nil, discordCode: Int? = nil,
        discordMessage: String? = nil, note: String? = nil, underlying: (any Error)? = nil
    ) {
        self.code = code
        self.route = route
        self.object = object
        self.status = status
        self.discordCode = discordCode
        self.discordMessage = discordMessage
        self.note = note
        self.underlying = underlying
    }

    /// A textual representation.
    public var description: String {
        var text = "\(service.name) REST \(code)"
        if let route { text += ": \(route)" }
        if let object { text += " on \(object)" }
        if let status { text += " → HTTP \(status)" }
        if let discordCode { text += ", Discord code \(discordCode)" }
        if let errorCodeName { text += ", code \(errorCodeName)" }
        if let discordMessage { text += " \"\(discordMessage)\"" }
        if let note { text += ". \(note)" }
        if let underlying { text += " (cause: \(String(describing: underlying)))" }
        return text
    }

    /// The same error carrying a string error code from the response body.
    func withCodeName(_ name: String?) -> DiscordRESTError {
        var copy = self
        copy.errorCodeName = name ?? errorCodeName
        return copy
    }

    /// The same error carrying a wait (``retryAfter``).
    func withRetryAfter(_ wait: Duration?) -> DiscordRESTError {
        var copy = self
        copy.retryAfter = wait ?? retryAfter
        return copy
    }

    /// The same error naming `object` (the limiter refuses before it knows the object's description).
    func naming(_ object: String?) -> DiscordRESTError {
        DiscordRESTError(
            code: code, route: route, object: self.object ?? object, status: status, discordCode: discordCode,
            discordMessage: discordMessage, note: note, underlying: underlying
        ).withCodeName(errorCodeName).withRetryAfter(retryAfter).from(service)
    }

    /// The same error from `service` (the client's: its name begins the description).
    func from(_ service: RESTService) -> DiscordRESTError {
        var copy = self
        copy.service = service
        return copy
    }

    /// The same error with every whole occurrence of a secret removed from its texts (defence in depth:
    /// Discord never echoes tokens, but an underlying error might quote a webhook URL). See ``SecretRedaction``.
    func redacting(_ secrets: [String]) -> DiscordRESTError {
        func scrub(_ text: String?) -> String? {
            text.map { SecretRedaction.redact($0, secrets: secrets) }
        }
        let cause: (any Error)? = underlying.map { RedactedError(text: scrub(String(describing: $0)) ?? "") }
        return DiscordRESTError(
            code: code, route: route, object: object, status: status, discordCode: discordCode,
            discordMessage: scrub(discordMessage), note: scrub(note), underlying: cause
        ).withCodeName(errorCodeName).withRetryAfter(retryAfter).from(service)
    }

    // MARK: - Constructors

    /// 401. Without a `note`, the advice to set a valid token through `service`'s option.
    public static func unauthorized(
        route: String?, object: String?, status: Int? = 401, discordCode: Int? = nil, discordMessage: String? = nil,
        note: String? = nil, service: RESTService = .discord
    ) -> Self {
        Self(
            code: .unauthorized, route: route, object: object, status: status, discordCode: discordCode,
            discordMessage: discordMessage, note: note ?? service.invalidTokenAdvice
        ).from(service)
    }

    /// 403.
    public static func forbidden(
        route: String?, object: String?, status: Int? = 403, discordCode: Int? = nil, discordMessage: String? = nil,
        note: String? = nil
    ) -> Self {
        Self(
            code: .forbidden, route: route, object: object, status: status, discordCode: discordCode,
            discordMessage: discordMessage, note: note)
    }

    /// 403 50001 where a privileged intent is required.
    public static func missingIntent(
        _ intent: String, route: String?, object: String?, discordCode: Int?, discordMessage: String?
    ) -> Self {
        Self(
            code: .missingIntent, route: route, object: object, status: 403, discordCode: discordCode,
            discordMessage: discordMessage,
            note: "enable the \(intent) privileged intent for the application in the Developer Portal")
    }

    /// 404, with what to do: an unknown route (code 0) means a wrong API address; an unknown object, a wrong id or
    /// one this token cannot see.
    public static func notFound(route: String?, object: String?, discordCode: Int?, discordMessage: String?) -> Self {
        let note =
            discordCode == 0
            ? "the API has no such route: check the API address (it ends in /api/v10 for Discord)"
            : "\(object ?? "it") does not exist, was deleted, or this token cannot see it: check the id"
        return Self(
            code: .notFound, route: route, object: object, status: 404, discordCode: discordCode,
            discordMessage: discordMessage, note: note)
    }

    /// 400 and other 4xx.
    public static func badRequest(
        route: String?, object: String?, status: Int, discordCode: Int?, discordMessage: String?, note: String? = nil
    ) -> Self {
        Self(
            code: status == 413 ? .payloadTooLarge : .badRequest, route: route, object: object, status: status,
            discordCode: discordCode, discordMessage: discordMessage, note: note)
    }

    /// Which configured maximum a request's 429s went past.
    public enum RateLimitExcess: Sendable, Hashable {
        /// The last 429 asked for a longer wait than `maximum`.
        case wait(maximum: Duration)
        /// `count` 429s in a row, each asking for an acceptable wait.
        case retries(count: Int)
    }

    /// 429s past a configured maximum: too long a wait, or too many of them. `retryAfter` is the last one's wait.
    public static func rateLimitedTooLong(
        route: String?, object: String?, retryAfter: Duration, scope: String, exceeding excess: RateLimitExcess
    ) -> Self {
        let wait = EdgeRefusalGate.words(retryAfter)
        let note =
            switch excess {
            case .wait(let maximum):
                "the \(scope) rate limit asks to wait \(wait), more than the configured maximum of "
                    + EdgeRefusalGate.words(maximum)
            case .retries(let count):
                "\(count) 429 answers in a row (the last one, \(scope) scope, asked to wait \(wait)): more than the "
                    + "configured maximum of \(count - 1) retries"
            }
        return Self(code: .rateLimitedTooLong, route: route, object: object, status: 429, note: note)
    }

    /// Discord's edge refuses requests from this IP address (an invalid-request ban): `status` is the refusal's,
    /// `retryAfter` its `Retry-After`, if any.
    public static func edgeBanned(route: String?, object: String?, status: Int, retryAfter: Duration?) -> Self {
        Self(
            code: .edgeBanned, route: route, object: object, status: status,
            note: edgeBanExplanation(status: status, retryAfter: retryAfter)
                + ". Stopped at once (each request sent into the ban prolongs it); run the same command again later"
        ).withRetryAfter(retryAfter)
    }

    /// What an edge ban is, in words: `Discord's edge is refusing requests from this IP address (…)…`.
    public static func edgeBanExplanation(status: Int?, retryAfter: Duration?) -> String {
        "Discord's edge is refusing requests from this IP address (HTTP \(status.map(String.init) ?? "429/403") "
            + "without Discord's JSON or rate-limit headers): an invalid-request ban, earned by this or another "
            + "program on the address (10,000 401/403/429 answers in 10 minutes). It usually lasts about an hour"
            + (retryAfter.map { "; this one asks to wait \(EdgeRefusalGate.words($0))" } ?? "")
    }

    /// The invalid-request guard refused.
    public static func invalidRequestBudgetExhausted(
        route: String?, count: Int, limit: Int, processWide: Bool = false
    ) -> Self {
        Self(
            code: .invalidRequestBudgetExhausted, route: route, object: nil,
            note: "\(count) invalid responses (401/403/429) in the last 10 minutes"
                + (processWide ? " across every token of this process" : "")
                + " reached the guard's limit of \(limit) (half of Discord's 10,000 that earn an IP ban); "
                + "stopped to avoid a Cloudflare ban. Wait 10 minutes, then check the token's permissions")
    }

    /// 5xx after retries.
    public static func server(
        route: String?, object: String?, status: Int, attempts: Int, discordCode: Int? = nil,
        discordMessage: String? = nil
    ) -> Self {
        Self(
            code: .server, route: route, object: object, status: status, discordCode: discordCode,
            discordMessage: discordMessage, note: "gave up after \(attemptCount(attempts))")
    }

    /// "1 attempt", "2 attempts".
    private static func attemptCount(_ attempts: Int) -> String { "\(attempts) attempt\(attempts == 1 ? "" : "s")" }

    /// Transport failure after retries (or not retriable).
    public static func transport(route: String?, object: String?, attempts: Int, underlying: any Error) -> Self {
        Self(
            code: .transport, route: route, object: object,
            note: "gave up after \(attemptCount(attempts))",
            underlying: underlying)
    }

    /// A network failure in words, naming the host: `cannot reach 127.0.0.1:9: connection refused (nothing listens
    /// there); gave up after 2 attempts. Check --api-base and the network` (the option `service` is set by).
    public static func transport(
        route: String?, object: String?, host: String, attempts: Int, cause: String, service: RESTService = .discord
    ) -> Self {
        Self(
            code: .transport, route: route, object: object,
            note: "cannot reach \(host): \(cause); gave up after \(attemptCount(attempts)). "
                + service.unreachableAdvice
        ).from(service)
    }

    /// Body did not decode.
    public static func decoding(route: String?, object: String?, status: Int, underlying: any Error) -> Self {
        Self(code: .decoding, route: route, object: object, status: status, underlying: underlying)
    }

    /// Any other status.
    public static func http(route: String?, object: String?, status: Int, discordCode: Int?, discordMessage: String?)
        -> Self
    {
        Self(
            code: .http, route: route, object: object, status: status, discordCode: discordCode,
            discordMessage: discordMessage)
    }
}
