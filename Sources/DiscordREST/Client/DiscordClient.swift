import AsyncHTTPClient
import DiscordModels
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// A Discord REST client for one token: rate-limited, retrying, returning decoded values with their JSON.
///
/// ```swift
/// let client = DiscordClient(configuration: .init(token: token, apiBase: sim.apiBase), logger: logger)
/// let me = try await client.currentUser()
/// for try await page in client.messages(in: channelID, after: Snowflake(0)) {
///     for message in page { print(message.value.id) }   // oldest → newest
/// }
/// try await client.shutdown()
/// ```
public final class DiscordClient: Sendable {
    /// The configuration in use.
    public let configuration: DiscordClientConfiguration
    let http: HTTPClient
    let limiter: any RequestLimiting
    /// Discord's edge refusing the IP address: shared with the process's other clients when the configuration gives
    /// one (``DiscordClientConfiguration/edgeRefusals``), else this client's own, stopping at the first refusal.
    let edge: EdgeRefusalGate
    let logger: Logger
    let decoder = JSONDecoder()
    /// Whether any response has arrived: before one, an unreachable address fails fast (a wrong `--api-base`
    /// or a server that is down) instead of retrying for a minute.
    let hasReachedServer = NIOLockedValueBox(false)
    /// The event loop every response is collected on, and the one the client's connections are opened on (it is every
    /// request's preferred loop): a response is read and collected on one thread, not handed between two. (Requiring
    /// it, `.delegateAndChannel`, would open a connection per request: async-http-client's pool keeps only
    /// connections without a required loop.)
    let eventLoop: any EventLoop
    /// The headers every request starts from, made once: with the token, and without it (a webhook's URL carries its
    /// own).
    let authorizedHeaders: HTTPHeaders
    let anonymousHeaders: HTTPHeaders

    /// Creates a client with its own HTTP client and a limiter on `ContinuousClock`.
    public convenience init(
        configuration: DiscordClientConfiguration, logger: Logger = Logger(label: "skald.discord-rest")
    ) {
        self.init(configuration: configuration, logger: logger, clock: ContinuousClock())
    }

    /// Creates a client whose limiter and retry backoff run on `clock`.
    public init<C: Clock>(configuration: DiscordClientConfiguration, logger: Logger, clock: C)
    where C.Duration == Duration {
        self.configuration = configuration
        self.logger = logger
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.maxConnections
        httpConfiguration.redirectConfiguration = .disallow
        // The client asks for gzip itself and inflates a whole answer at once (`ResponseInflater`): one buffer per
        // page, instead of async-http-client's 16 KiB buffer per network read and a copy into one.
        httpConfiguration.decompression = .disabled
        // The client retries itself (with its backoff, and fast when the address was never reachable); the pool
        // must not retry a refused connection silently until the request's deadline.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        httpConfiguration.timeout.connect = .seconds(10)
        // No tracing: Skald bootstraps no tracer, yet async-http-client's default (the global no-op tracer) started a
        // span per request, its name the method printed through reflection (≈ 1% of the wide world's samples).
        httpConfiguration.tracing.tracer = nil
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        self.eventLoop = http.eventLoopGroup.next()
        var headers = HTTPHeaders()
        headers.add(name: "User-Agent", value: configuration.effectiveUserAgent)
        headers.add(name: "Accept-Encoding", value: ResponseInflater.acceptEncoding)
        self.anonymousHeaders = headers
        headers.add(name: "Authorization", value: "Bot \(configuration.token)")
        self.authorizedHeaders = headers
        // The token's limiter, shared with every other client of the token the configuration's registry made (one
        // global budget and one set of route buckets per token, as Discord counts them), else this client's own.
        let makeLimiter = { RateLimiter(configuration: configuration.rateLimits, clock: clock, logger: logger) }
        self.limiter =
            configuration.rateLimiters?.limiter(token: configuration.token, apiBase: configuration.apiBase, makeLimiter)
            ?? makeLimiter()
        self.edge = configuration.edgeRefusals ?? EdgeRefusalGate(policy: .stop, clock: clock, logger: logger)
    }

    /// Closes connections. Call once, when done.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Invalid responses (401/403/non-shared 429) counted in the last 10 minutes by the token's limiter (every client
    /// sharing it: ``DiscordClientConfiguration/rateLimiters``).
    public func invalidRequestCount() async -> Int { await limiter.invalidRequestCount() }

    /// Requests the token's limiter sent in the last 10 minutes (every client sharing it).
    public func requestCount() async -> Int { await limiter.requestCount() }

    // MARK: - Core

    /// Sends `route` and decodes a 2xx body with `decode`, handling rate limits, retries and errors.
    /// - Parameter retryable: whether a request that may have reached Discord can be sent again (GET, PUT,
    ///   DELETE, or a POST with `nonce` + `enforce_nonce`). 429s are always retried.
    func send<T>(
        _ route: Route, body: RequestBody? = nil, retryable: Bool? = nil,
        decode: (RawResponse) throws -> T
    ) async throws -> T {
        do {
            return try await sendUnredacted(route, body: body, retryable: retryable, decode: decode)
        } catch let error as DiscordRESTError {
            throw error.naming(route.object).from(configuration.service).redacting(secrets(for: route))
        }
    }

    /// Sends and decodes a single object, keeping its JSON.
    func object<T: Decodable & Sendable>(_ route: Route, body: RequestBody? = nil, retryable: Bool? = nil)
        async throws -> Decoded<T>
    {
        try await send(route, body: body, retryable: retryable) { try Decoded<T>(decoding: $0.body, using: decoder) }
    }

    /// Sends and decodes a JSON array, keeping each element's JSON.
    func array<T: Decodable & Sendable>(_ route: Route) async throws -> [Decoded<T>] {
        try await send(route) { try Decoded<T>.decodeArray($0.body, using: decoder) }
    }

    private func secrets(for route: Route) -> [String] {
        var secrets = [configuration.token]
        if case .webhook = route.major, let token = route.path.split(separator: "/").dropFirst(2).first {
            secrets.append(String(token))
        }
        return secrets
    }

    private func sendUnredacted<T>(
        _ route: Route, body: RequestBody?, retryable: Bool?, decode: (RawResponse) throws -> T
    ) async throws -> T {
        let name = route.description
        // The retry decisions are a pure state machine; this loop only does the I/O they ask for.
        var attempts = RequestAttemptStateMachine(
            canRetry: retryable ?? (route.method != .post && route.method != .patch), policy: configuration.retry,
            maxRateLimitWait: configuration.maxRateLimitWait,
            maxRateLimitRetries: configuration.maxRateLimitRetries)
        /// Does what a decision asks: nothing (send again), sleep (retry), or throw the error made for the failure.
        func perform(
            _ decision: RequestAttemptStateMachine.Decision,
            orThrow error: (RequestAttemptStateMachine.Failure) -> DiscordRESTError
        ) async throws {
            switch decision {
            case .sendAgain: return
            case .retry(let wait): try await limiter.sleep(for: wait)
            case .fail(let failure): throw error(failure)
            }
        }
        while true {
            // The edge first: during a ban nothing is sent but the probe (`.waitOut`) or nothing at all (`.stop`).
            let probe: Bool
            do {
                probe = try await edge.admit()
            } catch let refusal as EdgeRefusalGate.BanInForce {
                throw DiscordRESTError.edgeBanned(
                    route: name, object: route.object, status: refusal.ban.status, retryAfter: refusal.ban.retryAfter)
            }
            let permit: RateLimitStateMachine.Permit
            do {
                permit = try await limiter.acquire(route.key, ledger: configuration.invalidRequestLedger)
            } catch {
                edge.withdraw(probe: probe)
                throw error
            }
            var head: HTTPHeaders?
            let response: ResponseCollector.Collected
            let bytes: ByteBuffer
            do {
                // Made for every attempt: a body that refers to files reads them again.
                let request = try makeRequest(route, body: body)
                let collector = ResponseCollector(limit: configuration.maxResponseBytes)
                do {
                    response = try await execute(request, collector: collector)
                } catch {
                    head = collector.headers
                    throw error
                }
                head = response.head.headers
                bytes = try response.body.whole(contentEncoding: response.head.headers.first(name: "Content-Encoding"))
            } catch {
                // Headers that name no bucket came from before the rate limits (a proxy, an injected fault): the
                // request was not counted. Without headers, it may have been.
                if let head, head.first(name: "X-RateLimit-Bucket") == nil {
                    await limiter.cancelUncounted(permit)
                } else {
                    await limiter.cancel(permit)
                }
                edge.unanswered(probe: probe)
                if error is CancellationError { throw error }
                if let error = error as? UploadFileError {
                    throw DiscordRESTError.transport(
                        route: name, object: route.object, attempts: attempts.failures + 1, underlying: error)
                }
                let problem = TransportProblem.classify(error)
                var unreachable = false
                if case .unreachable = problem { unreachable = true }
                let decision = attempts.transportFailed(
                    unreachable: unreachable, reachedServerBefore: hasReachedServer.withLockedValue { $0 },
                    random: configuration.jitter())
                if case .retry = decision {
                    logger.debug(
                        "transport error, retrying", metadata: ["route": "\(name)", "attempt": "\(attempts.failures)"])
                }
                try await perform(decision) { _ in
                    DiscordRESTError.transport(
                        route: name, object: route.object, host: Self.host(of: configuration.apiBase),
                        attempts: attempts.failures, cause: problem.text, service: configuration.service)
                }
                continue
            }
            hasReachedServer.withLockedValue { $0 = true }
            let status = Int(response.head.status.code)
            // The route, never the URL's query or headers: no token reaches a log line.
            logger.debug(
                "request", metadata: ["route": "\(name)", "status": "\(status)", "bytes": "\(bytes.readableBytes)"])
            let errorBody =
                status >= 400 ? try? decoder.decode(DiscordErrorBody.self, from: Data(bytes.readableBytesView)) : nil
            let headers = RateLimitHeaders { response.head.headers.first(name: $0) }
            if EdgeRefusalStateMachine.isRefusal(
                status: status, headers: headers, hasDiscordErrorBody: errorBody != nil)
            {
                // Not Discord's answer: its limits did not count it, and it says nothing of this route's access.
                await limiter.cancelUncounted(permit)
                let retryAfter = headers.retryAfter.map { Duration.seconds(max(0, $0)) }
                let ban = edge.refused(status: status, retryAfter: retryAfter, probe: probe)
                logger.debug("refused by the edge", metadata: ["route": "\(name)", "status": "\(status)"])
                // Waiting a ban out: sent again once a probe gets through (the gate holds it until then).
                guard edge.waitsOut else {
                    throw DiscordRESTError.edgeBanned(
                        route: name, object: route.object, status: ban?.status ?? status,
                        retryAfter: ban?.retryAfter ?? retryAfter)
                }
                continue
            }
            if status >= 500, headers.bucket == nil {
                edge.unanswered(probe: probe)
            } else {
                edge.answered(probe: probe)
            }
            let verdict = await limiter.complete(
                permit,
                response: .init(
                    status: status, headers: headers, bodyRetryAfter: errorBody?.retryAfter,
                    bodyGlobal: errorBody?.global, discordCode: errorBody?.code, carriedToken: route.authenticated),
                ledger: configuration.invalidRequestLedger)

            switch status {
            case 200..<300:
                let raw = RawResponse(status: status, bytes: bytes)
                do {
                    return try decode(raw)
                } catch {
                    // A body cut short (dropped connection) is not valid JSON: retry it like a transport error.
                    let truncated =
                        bytes.readableBytes > 0 && (try? JSONSerialization.jsonObject(with: raw.body)) == nil
                    let decision = attempts.undecodableBody(truncated: truncated, random: configuration.jitter())
                    try await perform(decision) { _ in
                        DiscordRESTError.decoding(route: name, object: route.object, status: status, underlying: error)
                    }
                }
            case 429:
                guard case .rateLimited(let scope, let retryAfter, _) = verdict else { continue }
                let decision = attempts.rateLimited(scope: scope, retryAfter: retryAfter)
                logger.debug(
                    "429, waiting",
                    metadata: ["route": "\(name)", "scope": "\(scope.rawValue)", "retryAfter": "\(retryAfter)"])
                // `sendAgain`: the limiter now holds this bucket (or everything) back for `retryAfter`.
                try await perform(decision) { failure in
                    var excess = DiscordRESTError.RateLimitExcess.wait(maximum: configuration.maxRateLimitWait)
                    if case .rateLimitedTooOften(let count, _, _) = failure { excess = .retries(count: count) }
                    return DiscordRESTError.rateLimitedTooLong(
                        route: name, object: route.object, retryAfter: retryAfter, scope: scope.rawValue,
                        exceeding: excess)
                }
            case 401 where !route.authenticated:
                throw DiscordRESTError.unauthorized(
                    route: name, object: route.object, discordCode: errorBody?.code, discordMessage: errorBody?.message,
                    note:
                        "the webhook token is invalid (the webhook may have been deleted); the bot token is unaffected"
                ).withCodeName(errorBody?.codeName)
            case 401:
                throw DiscordRESTError.unauthorized(
                    route: name, object: route.object, discordCode: errorBody?.code, discordMessage: errorBody?.message,
                    service: configuration.service
                ).withCodeName(errorBody?.codeName)
            case 403:
                throw DiscordRESTError.forbidden(
                    route: name, object: route.object, discordCode: errorBody?.code, discordMessage: errorBody?.message,
                    note: errorBody?.code == 50001
                        ? "the bot cannot see this (no VIEW_CHANNEL, not a member, or an intent is missing)"
                        : "a permission is missing"
                ).withCodeName(errorBody?.codeName)
            case 404:
                throw DiscordRESTError.notFound(
                    route: name, object: route.object, discordCode: errorBody?.code, discordMessage: errorBody?.message
                ).withCodeName(errorBody?.codeName)
            case 500..<600:
                let decision = attempts.serverError(random: configuration.jitter())
                if case .retry = decision {
                    logger.debug("server error, retrying", metadata: ["route": "\(name)", "status": "\(status)"])
                }
                try await perform(decision) { _ in
                    DiscordRESTError.server(
                        route: name, object: route.object, status: status, attempts: attempts.failures,
                        discordCode: errorBody?.code, discordMessage: errorBody?.message
                    ).withCodeName(errorBody?.codeName)
                }
            case 400..<500:
                throw DiscordRESTError.badRequest(
                    route: name, object: route.object, status: status, discordCode: errorBody?.code,
                    discordMessage: errorBody?.message
                ).withCodeName(errorBody?.codeName)
            default:
                throw DiscordRESTError.http(
                    route: name, object: route.object, status: status, discordCode: errorBody?.code,
                    discordMessage: errorBody?.message
                ).withCodeName(errorBody?.codeName)
            }
        }
    }

    /// Sends `request` and waits for its whole response, collected on the event loop that reads it
    /// (``ResponseCollector``): the task sleeps once, until the response is complete or failed. The deadline
    /// (`requestTimeout`) covers connecting, sending and the whole response; cancelling the task fails the request with
    /// `CancellationError`.
    ///
    /// The request starts on the event loop, in one hop: started from the task's thread, each of async-http-client's
    /// steps that belong to the loop (the deadline's timer, the callbacks on the request's future, the connection's
    /// write) was handed to the loop on its own and could wake it again.
    private func execute(_ request: HTTPClient.Request, collector: ResponseCollector) async throws
        -> ResponseCollector.Collected
    {
        let cancellation = RequestCancellation()
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                eventLoop.execute { [http, eventLoop, timeout] in
                    let task = http.execute(
                        request: request, delegate: collector, eventLoop: .delegate(on: eventLoop),
                        deadline: .now() + timeout, logger: nil)
                    task.futureResult.whenComplete { continuation.resume(with: $0) }
                    cancellation.started(task)
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// `host:port` of a URL, for messages.
    static func host(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    private var timeout: TimeAmount { .nanoseconds(Int64(configuration.requestTimeout / .nanoseconds(1))) }

    private func makeRequest(_ route: Route, body: RequestBody?) throws -> HTTPClient.Request {
        var headers = route.authenticated ? authorizedHeaders : anonymousHeaders
        var requestBody: HTTPClient.Body?
        if let body {
            headers.add(name: "Content-Type", value: body.contentType)
            headers.add(name: "Content-Length", value: String(body.count))
            if body.count > Int64(configuration.bufferedBodyLimit) {
                requestBody = streamed(try body.slices(), length: body.count)
            } else {
                requestBody = .byteBuffer(try body.buffer())
            }
        }
        return try HTTPClient.Request(
            url: route.url(apiBase: configuration.apiBase), method: HTTPMethod(rawValue: route.method.rawValue),
            headers: headers, body: requestBody)
    }

    /// A body sent slice by slice as the connection takes them: the next slice is read once the last one is written.
    private func streamed(_ slices: RequestBody.Slices, length: Int64) -> HTTPClient.Body {
        .stream(contentLength: length) { [eventLoop] writer in
            let written = eventLoop.makePromise(of: Void.self)
            written.completeWithTask {
                for try await slice in slices { try await writer.write(.byteBuffer(slice)).get() }
            }
            return written.futureResult
        }
    }
}
