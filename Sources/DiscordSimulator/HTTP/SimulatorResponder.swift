import DiscordModels
import Foundation
import Hummingbird
import NIOCore

/// Answers the simulator's HTTP requests, routed by ``makeRouter()``: `/api/v9|v10/...` (Discord), `/cdn/...` and
/// `/media/...` (CDN) and `/__sim/...` (admin). Admission (ban, faults, auth, rate limits) happens here; route
/// handlers live in extensions.
struct SimulatorResponder: Sendable {
    let configuration: SimulatorConfiguration
    let world: World
    let state: SimulatorState
    let gate: Gatekeeper
    let gatewayHub: GatewayHub
    let signer: CDNSigner
    let tokens: [String: Int]
    /// Each guild's access rules, in world order.
    let access: [AccessRules]

    init(
        configuration: SimulatorConfiguration, world: World, state: SimulatorState, gate: Gatekeeper,
        gateway: GatewayHub? = nil
    ) {
        self.configuration = configuration
        self.world = world
        self.state = state
        self.gate = gate
        self.gatewayHub = gateway ?? GatewayHub(configuration: configuration.gateway)
        self.signer = CDNSigner(seed: configuration.seed, lifetime: configuration.attachmentURLLifetime)
        var tokens: [String: Int] = [:]
        for (index, token) in configuration.tokens.enumerated() where tokens[token] == nil { tokens[token] = index }
        self.tokens = tokens
        self.access = world.guilds.map { AccessRules(guild: $0, ownerId: world.humans[$0.ownerIndex].id) }
    }

    /// One API request after routing and admission.
    struct APIRequest: Sendable {
        var route: Route
        /// The path's snowflakes, in order.
        var ids: [UInt64]
        /// The path's other parameters (emoji, webhook token), raw.
        var free: [Substring]
        var query: Parameters
        var botIndex: Int
        var botId: UInt64
        var baseURL: String
        var request: Request
    }

    /// A handler's answer: the response and, for list routes, the page key counted in the stats.
    struct Outcome {
        var response: Response
        var pageKey: String? = nil
    }

    /// Simulator time (seconds since the Unix epoch), from the configured clock.
    func now() -> Double { configuration.clock.now() }

    /// An `/api/vN/...` request whose path the router matched to `route`'s (nil: no route has this path), asked
    /// with `route`'s method or, when `methodServed` is false, with another one (405). A path whose snowflake is not
    /// a number matches no route. Version, admission (ban, faults, auth, rate limits), then the route handler; a
    /// thrown ``DiscordAPIError`` is the answer.
    func api(_ request: Request, route: Route?, methodServed: Bool = true, parameters: Parameters) async throws
        -> Response
    {
        // Round trips are counted from arrival (before the latency) to the answer (after it).
        let roundTrip = await gate.arrive(route: methodServed ? route : nil)
        // The JSON answers are gzip-compressed when the request accepts it (Cloudflare's answers, the ban page and the
        // injected faults, are built without ``APIResponse`` and go as they are).
        let encoding = AnswerEncoding(
            coding: configuration.compression
                ? ContentCoding.negotiated(acceptEncoding: request.headers[.acceptEncoding]) : .identity)
        do {
            let response = try await APIResponse.$encoding.withValue(encoding) {
                try await answer(request, route: route, methodServed: methodServed, parameters: parameters)
            }
            await gate.answered(roundTrip: roundTrip, compressed: encoding.compressed)
            return response
        } catch {
            await gate.answered(roundTrip: roundTrip)
            throw error
        }
    }

    private func answer(_ request: Request, route: Route?, methodServed: Bool, parameters: Parameters) async throws
        -> Response
    {
        guard let version = parameters.get("version") else { return DiscordAPIError.notFoundRoute().response }
        guard version == "v10" || version == "v9" else {
            return DiscordAPIError(.badRequest, code: 50041, message: "Invalid API version provided.").response
        }
        var matched: (route: Route, ids: [UInt64], free: [Substring])?
        if let route { matched = (route, [], []) }
        for name in route?.parameters ?? [] {
            let raw = parameters[Substring(name)] ?? ""
            if name.hasSuffix(".id") {
                guard let id = UInt64(raw) else {
                    matched = nil
                    break
                }
                matched?.ids.append(id)
            } else {
                matched?.free.append(raw)
            }
        }
        let knownPath = matched != nil && !methodServed
        if knownPath { matched = nil }
        if configuration.latency > .zero { try await Task.sleep(for: configuration.latency) }
        let token = bearerToken(request)
        let botIndex = token.flatMap { tokens[$0] }
        let major: UInt64
        if let matched, matched.route == .executeWebhook {
            // A webhook's bucket is per webhook and token: the token hashed with a hash the seed fixes (FNV-1a;
            // `String.hashValue` is seeded per process).
            major = Mix.hash(matched.ids.first ?? 0, Mix.fnv1a(matched.free.first ?? ""))
        } else if let matched, matched.route.path.hasPrefix("/guilds/{") || matched.route.path.hasPrefix("/channels/{")
        {
            major = matched.ids.first ?? 0
        } else {
            major = 0
        }
        let instant = now()
        let needsToken = !(matched?.route.isUnauthenticated ?? false)
        let admission = await gate.admit(
            route: matched?.route, token: botIndex, needsToken: needsToken, major: major, now: instant)
        var bucketHeaders: RateLimitState.BucketHeaders?
        switch admission {
        case .banned(let retryAfter):
            return Self.bannedResponse(retryAfter: retryAfter, status: configuration.banStatus)
        case .fault(let kind): return Self.faultResponse(kind)
        case .unauthorized: return DiscordAPIError.unauthorized().response
        case .globalLimited(let retryAfter): return Self.globalLimitedResponse(retryAfter: retryAfter)
        case .limited(let headers, let retryAfter, let shared):
            return Self.limitedResponse(headers: headers, retryAfter: retryAfter, shared: shared)
        case .allowed(let headers): bucketHeaders = headers
        }
        var outcome: Outcome
        do {
            if request.headers[.userAgent] == nil {
                throw DiscordAPIError(.forbidden, code: 40333, message: "internal network error")
            } else if let matched {
                let host = request.head.authority ?? "\(configuration.host):\(configuration.port)"
                let api = APIRequest(
                    route: matched.route, ids: matched.ids, free: matched.free, query: request.uri.queryParameters,
                    botIndex: botIndex ?? 0, botId: world.bots.isEmpty ? 0 : world.bots[botIndex ?? 0].id,
                    baseURL: "http://\(host)", request: request)
                outcome = try await handle(api)
            } else if knownPath {
                throw DiscordAPIError.methodNotAllowed()
            } else {
                throw DiscordAPIError.notFoundRoute()
            }
        } catch let error as DiscordAPIError {
            outcome = Outcome(response: error.response)
        }
        let status = outcome.response.status.code
        if status == 401 || status == 403 || outcome.pageKey != nil {
            await gate.finish(status: status, pageKey: outcome.pageKey, now: instant)
        }
        if let bucketHeaders { Self.addBucketHeaders(bucketHeaders, to: &outcome.response.headers) }
        return outcome.response
    }

    /// Every API answer of real Discord passes Google's front end and carries `Via: 1.1 google` (429s included:
    /// discord.py takes a 429 without it for a Cloudflare ban). The Cloudflare answers (ban pages, injected 502s
    /// and resets) never reach Google, so they go without.
    static func viaGoogle(_ response: Response) -> Response {
        var response = response
        if response.headers[.contentType] == "application/json" || response.status == .noContent {
            response.headers[.via] = "1.1 google"
        }
        return response
    }

    func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        if value.hasPrefix("Bot ") { return String(value.dropFirst(4)) }
        return nil
    }

    // MARK: Dispatch

    func handle(_ api: APIRequest) async throws -> Outcome {
        // A guild the bot left answers as to a stranger: 403 Missing Access, on the guild and its channels.
        if let guildIndex = await routeGuildIndex(api),
            await state.departures.contains(GuildDeparture(botId: api.botId, guildIndex: guildIndex))
        {
            throw DiscordAPIError.missingAccess()
        }
        switch api.route {
        case .currentUser: return Outcome(response: try currentUser(api))
        case .currentUserGuilds: return try await currentUserGuilds(api)
        case .currentApplication: return Outcome(response: try currentApplication(api))
        case .gatewayBot, .gateway: return Outcome(response: try await gateway(api))
        case .guild: return Outcome(response: try await guild(api))
        case .guildChannels: return Outcome(response: try await guildChannels(api))
        case .guildRoles: return Outcome(response: try await guildRoles(api))
        case .guildEmojis: return Outcome(response: try await guildEmojis(api))
        case .guildEmoji: return Outcome(response: try guildEmoji(api))
        case .guildStickers: return Outcome(response: try await guildStickers(api))
        case .guildSticker: return Outcome(response: try await guildSticker(api))
        case .guildEvents: return Outcome(response: try await guildEvents(api))
        case .guildEvent: return Outcome(response: try await guildEvent(api))
        case .guildEventUsers: return try await guildEventUsers(api)
        case .guildMembers: return try await guildMembers(api)
        case .guildMember: return Outcome(response: try await guildMember(api))
        case .activeThreads: return Outcome(response: try await activeThreads(api))
        case .searchGuildMessages: return Outcome(response: try await searchGuildMessages(api))
        case .channel: return Outcome(response: try await channel(api))
        case .messages: return try await messages(api)
        case .message: return Outcome(response: try await message(api))
        case .pins, .legacyPins: return try await pins(api)
        case .reactionUsers: return try await reactionUsers(api)
        case .addReaction: return Outcome(response: try await addReaction(api))
        case .publicArchivedThreads, .privateArchivedThreads, .joinedPrivateArchivedThreads:
            return try await archivedThreads(api)
        case .threadMembers: return try await threadMembers(api)
        case .createMessage: return Outcome(response: try await createMessage(api))
        case .deleteMessage: return Outcome(response: try await deleteMessage(api))
        case .channelWebhooks: return Outcome(response: try await channelWebhooks(api))
        case .createWebhook: return Outcome(response: try await createWebhook(api))
        case .executeWebhook: return Outcome(response: try await executeWebhook(api))
        case .createGuildChannel: return Outcome(response: try await createGuildChannel(api))
        case .createGuildRole: return Outcome(response: try await createGuildRole(api))
        case .editPermissions: return Outcome(response: try await editPermissions(api))
        case .refreshAttachmentURLs: return Outcome(response: try await refreshAttachmentURLs(api))
        case .modifyRolePositions: return Outcome(response: try await modifyRolePositions(api))
        case .createGuildEmoji: return Outcome(response: try await createGuildEmoji(api))
        case .createGuildSticker: return Outcome(response: try await createGuildSticker(api))
        case .pinMessage, .legacyPinMessage: return Outcome(response: try await changePin(api, pinned: true))
        case .unpinMessage, .legacyUnpinMessage: return Outcome(response: try await changePin(api, pinned: false))
        case .startThread: return Outcome(response: try await startThread(api))
        }
    }

    // MARK: Shared helpers

    func renderContext(_ api: APIRequest) -> RenderContext {
        RenderContext(
            world: world, baseURL: api.baseURL, signer: signer, nowSeconds: UInt64(now()), viewerId: api.botId,
            messageContent: configuration.messageContentIntent)
    }

    /// The bot's permissions in a channel or thread, by the simulator's own statement of §5 (``AccessRules``).
    func permissions(of botId: UInt64, in view: ChannelView) -> Permissions {
        let channel = view.channel
        guard access.indices.contains(channel.guildIndex) else { return [] }
        let isThread = channel.type.isThread
        let place = AccessRules.Place(
            isThread: isThread, isPrivateThread: channel.type == .privateThread,
            isThreadMember: channel.thread?.joinedBots.contains(botId) ?? false,
            isVoice: isThread ? view.parent?.type.isVoice ?? false : channel.type.isVoice)
        let overwrites =
            isThread
            ? view.parent.map { view.parentOverlay?.overwrites ?? $0.overwrites } ?? [] : view.overwrites
        return access[channel.guildIndex].permissions(
            of: botId, roles: botRoles(channel.guildIndex), overwrites: overwrites, place: place)
    }

    /// The bot's guild-level permissions.
    func basePermissions(of botId: UInt64, guildIndex: Int) -> Permissions {
        access[guildIndex].base(of: botId, roles: botRoles(guildIndex))
    }

    /// The role ids of the bots' role in a guild.
    func botRoles(_ guildIndex: Int) -> [UInt64] { world.guilds[guildIndex].botRoleIds.map(\.rawValue) }

    /// Whether the bot can see a channel at all (threads: the parent's VIEW_CHANNEL and private-thread rules).
    func canView(_ botId: UInt64, _ view: ChannelView) -> Bool {
        permissions(of: botId, in: view).contains(.viewChannel)
    }

    /// The guild of a route's first id, or nil.
    func guildIndex(_ api: APIRequest) -> Int? { api.ids.first.flatMap { world.guildIndexById[$0] } }

    /// Parses an integer query parameter with Discord's bounds; a Response on error.
    func limitParameter(_ api: APIRequest, name: String = "limit", default defaultValue: Int, range: ClosedRange<Int>)
        throws -> Int
    {
        guard let text = api.query.get(name) else { return defaultValue }
        guard let value = Int(text) else {
            throw DiscordAPIError.invalidForm(
                field: name, code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not int.")
        }
        if value < range.lowerBound {
            throw DiscordAPIError.invalidForm(
                field: name, code: "NUMBER_TYPE_MIN",
                message: "int value should be greater than or equal to \(range.lowerBound).")
        }
        if value > range.upperBound {
            throw DiscordAPIError.invalidForm(
                field: name, code: "NUMBER_TYPE_MAX",
                message: "int value should be less than or equal to \(range.upperBound).")
        }
        return (value)
    }

    /// A snowflake query parameter; a 50035 on garbage.
    func snowflakeParameter(_ api: APIRequest, _ name: String) throws -> UInt64? {
        guard let text = api.query.get(name) else { return nil }
        guard let value = UInt64(text) else {
            throw DiscordAPIError.invalidForm(
                field: name, code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not snowflake.")
        }
        return (value)
    }

    // MARK: Admission responses

    static func format(_ value: Double) -> String {
        String((value * 1000).rounded() / 1000)
    }

    static func addBucketHeaders(_ headers: RateLimitState.BucketHeaders, to fields: inout HTTPFields) {
        fields[.xRateLimitLimit] = String(headers.limit)
        fields[.xRateLimitRemaining] = String(headers.remaining)
        fields[.xRateLimitReset] = format(headers.resetAt)
        fields[.xRateLimitResetAfter] = format(headers.resetAfter)
        fields[.xRateLimitBucket] = headers.hash
    }

    static func limitedResponse(headers: RateLimitState.BucketHeaders, retryAfter: Double, shared: Bool) -> Response {
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        w.key("message")
        w.string(shared ? "The resource is being rate limited." : "You are being rate limited.")
        w.key("retry_after")
        w.double((retryAfter * 1000).rounded(.up) / 1000)
        w.key("global")
        w.bool(false)
        w.endObject()
        var fields = HTTPFields()
        addBucketHeaders(headers, to: &fields)
        fields[.retryAfter] = String(Int(retryAfter.rounded(.up)))
        fields[.xRateLimitScope] = shared ? "shared" : "user"
        return APIResponse.json(w.bytes, status: .tooManyRequests, headers: fields)
    }

    static func globalLimitedResponse(retryAfter: Double) -> Response {
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        w.key("message")
        w.string("You are being rate limited.")
        w.key("retry_after")
        w.double((retryAfter * 1000).rounded(.up) / 1000)
        w.key("global")
        w.bool(true)
        w.endObject()
        var fields = HTTPFields()
        fields[.retryAfter] = String(Int(retryAfter.rounded(.up)))
        fields[.xRateLimitGlobal] = "true"
        fields[.xRateLimitScope] = "global"
        return APIResponse.json(w.bytes, status: .tooManyRequests, headers: fields)
    }

    /// Cloudflare's page for a banned address (reference §2: "non-JSON 429/403 until the ban expires"): a 429
    /// (error 1015, with the ban's time left as `Retry-After`) or a 403 (error 1020, "Access denied", without one).
    static func bannedResponse(retryAfter: Double, status: Int = 429) -> Response {
        let denied = status == 403
        let html = """
            <!DOCTYPE html><html><head><title>Access denied | discord.com used Cloudflare to restrict access</title>\
            </head><body><h1>Error \(denied ? "1020" : "1015")</h1>\
            <p>\(denied ? "Access denied." : "You are being rate limited.")</p></body></html>
            """
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=UTF-8"
        if !denied { fields[.retryAfter] = String(Int(retryAfter.rounded(.up))) }
        return Response(
            status: denied ? .forbidden : .tooManyRequests, headers: fields,
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func faultResponse(_ kind: Gatekeeper.FaultKind) -> Response {
        switch kind {
        case .serverError:
            var fields = HTTPFields()
            fields[.contentType] = "text/html"
            return Response(
                status: .badGateway, headers: fields,
                body: .init(byteBuffer: ByteBuffer(string: "<html><body><h1>502 Bad Gateway</h1></body></html>")))
        case .connectionReset, .truncatedBody:
            let partial = kind == .truncatedBody
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            fields[.contentLength] = "4096"
            return Response(
                status: .ok, headers: fields,
                body: ResponseBody(contentLength: 4096) { writer in
                    if partial { try await writer.write(ByteBuffer(string: "[{\"type\":0,\"content\":\"trunc")) }
                    throw FaultInjected()
                })
        }
    }

    struct FaultInjected: Error {}
}

extension HTTPFields.Element.Name {
    static let xRateLimitLimit = Self("X-RateLimit-Limit")!
    static let xRateLimitRemaining = Self("X-RateLimit-Remaining")!
    static let xRateLimitReset = Self("X-RateLimit-Reset")!
    static let xRateLimitResetAfter = Self("X-RateLimit-Reset-After")!
    static let xRateLimitBucket = Self("X-RateLimit-Bucket")!
    static let xRateLimitGlobal = Self("X-RateLimit-Global")!
    static let xRateLimitScope = Self("X-RateLimit-Scope")!
}
