import DiscordModels
import Foundation
import Hummingbird
import NIOCore

/// Answers every HTTP request: `/api/v9|v10/...` (Discord), `/cdn/...` and `/media/...` (CDN) and `/__sim/...`
/// (admin). Admission (ban, faults, auth, rate limits) happens here; route handlers live in extensions.
struct SimulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let configuration: SimulatorConfiguration
    let world: World
    let state: SimulatorState
    let gate: Gatekeeper
    let gatewayHub: GatewayHub
    let signer: CDNSigner
    let tokens: [String: Int]
    let calculators: [PermissionCalculator]

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
        self.calculators = world.guilds.map { world.calculator(for: $0) }
    }

    /// One API request after routing and admission.
    struct APIRequest: Sendable {
        var route: Route
        var ids: [UInt64]
        var free: [Substring]
        var query: QueryParameters
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

    static func now() -> Double { Date().timeIntervalSince1970 }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/__sim/") { return try await admin(request) }
        if path.hasPrefix("/cdn/") || path.hasPrefix("/media/") { return await cdn(request) }
        guard path.hasPrefix("/api/") else { return APIResponse.notFoundRoute() }
        var response = try await api(request, path: path)
        // Every API answer of real Discord passes Google's front end and carries `Via: 1.1 google` (429s
        // included: discord.py takes a 429 without it for a Cloudflare ban). The Cloudflare answers (ban pages,
        // injected 502s and resets) never reach Google, so they go without.
        if response.headers[.contentType] == "application/json" || response.status == .noContent {
            response.headers[.via] = "1.1 google"
        }
        return response
    }

    /// An `/api/...` request: version, routing, admission, then the route handler.
    func api(_ request: Request, path: String) async throws -> Response {
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).dropFirst()
        guard let version = segments.first else { return APIResponse.notFoundRoute() }
        guard version == "v10" || version == "v9" else {
            return APIResponse.error(.badRequest, code: 50041, message: "Invalid API version provided.")
        }
        segments = segments.dropFirst()
        let parts = Array(segments)
        if configuration.latency > .zero { try await Task.sleep(for: configuration.latency) }
        let method = request.method.rawValue
        let matched = Route.match(method: method, segments: parts)
        let token = bearerToken(request)
        let botIndex = token.flatMap { tokens[$0] }
        let major: UInt64
        if let matched {
            if matched.0 == .executeWebhook {
                major = Mix.hash(
                    matched.1.first ?? 0, UInt64(truncatingIfNeeded: String(matched.2.first ?? "").hashValue))
            } else {
                major =
                    matched.0.rawValue.contains("{guild.id}") || matched.0.rawValue.contains("{channel.id}")
                    ? (matched.1.first ?? 0) : 0
            }
        } else {
            major = 0
        }
        let now = Self.now()
        let needsToken = !(matched?.0.isUnauthenticated ?? false)
        let admission = await gate.admit(
            route: matched?.0, token: botIndex, needsToken: needsToken, major: major, now: now)
        var bucketHeaders: RateLimitState.BucketHeaders?
        switch admission {
        case .banned(let retryAfter): return Self.bannedResponse(retryAfter: retryAfter)
        case .fault(let kind): return Self.faultResponse(kind)
        case .unauthorized: return APIResponse.unauthorized()
        case .globalLimited(let retryAfter): return Self.globalLimitedResponse(retryAfter: retryAfter)
        case .limited(let headers, let retryAfter, let shared):
            return Self.limitedResponse(headers: headers, retryAfter: retryAfter, shared: shared)
        case .allowed(let headers): bucketHeaders = headers
        }
        var outcome: Outcome
        if request.headers[.userAgent] == nil {
            outcome = Outcome(response: APIResponse.error(.forbidden, code: 40333, message: "internal network error"))
        } else if let matched {
            let host = request.head.authority ?? "\(configuration.host):\(configuration.port)"
            let api = APIRequest(
                route: matched.0, ids: matched.1, free: matched.2, query: QueryParameters(request.uri.query),
                botIndex: botIndex ?? 0, botId: world.bots.isEmpty ? 0 : world.bots[botIndex ?? 0].id,
                baseURL: "http://\(host)", request: request)
            outcome = try await handle(api)
        } else if Route.pathExists(segments: parts) {
            outcome = Outcome(response: APIResponse.methodNotAllowed())
        } else {
            outcome = Outcome(response: APIResponse.notFoundRoute())
        }
        let status = outcome.response.status.code
        if status == 401 || status == 403 || outcome.pageKey != nil {
            await gate.finish(status: status, pageKey: outcome.pageKey, now: now)
        }
        if let bucketHeaders { Self.addBucketHeaders(bucketHeaders, to: &outcome.response.headers) }
        return outcome.response
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
            return Outcome(response: APIResponse.missingAccess())
        }
        switch api.route {
        case .currentUser: return Outcome(response: currentUser(api))
        case .currentUserGuilds: return await currentUserGuilds(api)
        case .currentApplication: return Outcome(response: currentApplication(api))
        case .gatewayBot, .gateway: return Outcome(response: await gateway(api))
        case .guild: return Outcome(response: await guild(api))
        case .guildChannels: return Outcome(response: await guildChannels(api))
        case .guildRoles: return Outcome(response: await guildRoles(api))
        case .guildEmojis: return Outcome(response: guildEmojis(api))
        case .guildEmoji: return Outcome(response: guildEmoji(api))
        case .guildStickers: return Outcome(response: guildStickers(api))
        case .guildSticker: return Outcome(response: guildSticker(api))
        case .guildEvents: return Outcome(response: guildEvents(api))
        case .guildEvent: return Outcome(response: guildEvent(api))
        case .guildEventUsers: return guildEventUsers(api)
        case .guildMembers: return guildMembers(api)
        case .guildMember: return Outcome(response: guildMember(api))
        case .activeThreads: return Outcome(response: await activeThreads(api))
        case .channel: return Outcome(response: await channel(api))
        case .messages: return await messages(api)
        case .message: return Outcome(response: await message(api))
        case .pins, .legacyPins: return await pins(api)
        case .reactionUsers: return await reactionUsers(api)
        case .publicArchivedThreads, .privateArchivedThreads, .joinedPrivateArchivedThreads:
            return await archivedThreads(api)
        case .threadMembers: return await threadMembers(api)
        case .createMessage: return Outcome(response: try await createMessage(api))
        case .deleteMessage: return Outcome(response: await deleteMessage(api))
        case .channelWebhooks: return Outcome(response: await channelWebhooks(api))
        case .createWebhook: return Outcome(response: try await createWebhook(api))
        case .executeWebhook: return Outcome(response: try await executeWebhook(api))
        case .createGuildChannel: return Outcome(response: try await createGuildChannel(api))
        case .createGuildRole: return Outcome(response: try await createGuildRole(api))
        case .editPermissions: return Outcome(response: try await editPermissions(api))
        }
    }

    // MARK: Shared helpers

    func renderContext(_ api: APIRequest) -> RenderContext {
        RenderContext(
            world: world, baseURL: api.baseURL, signer: signer, nowSeconds: UInt64(Self.now()), viewerId: api.botId,
            messageContent: configuration.messageContentIntent)
    }

    /// The bot's permissions in a channel or thread, per §5 (PermissionCalculator).
    func permissions(of botId: UInt64, in view: ChannelView) -> Permissions {
        let channel = view.channel
        guard calculators.indices.contains(channel.guildIndex) else { return [] }
        let calculator = calculators[channel.guildIndex]
        let member = calculator.member(Snowflake(botId), roles: world.guilds[channel.guildIndex].botRoleIds)
        var model = DiscordModels.Channel(
            id: Snowflake(channel.id), type: channel.type, guildId: Snowflake(channel.guildId))
        model.permissionOverwrites = view.overwrites
        var parentModel: DiscordModels.Channel?
        if let parent = view.parent {
            var p = DiscordModels.Channel(
                id: Snowflake(parent.id), type: parent.type, guildId: Snowflake(parent.guildId))
            p.permissionOverwrites = view.parentOverlay?.overwrites ?? parent.overwrites
            parentModel = p
        }
        return calculator.permissions(
            of: member, in: model, parent: parentModel,
            isThreadMember: channel.thread?.joinedBots.contains(botId) ?? false)
    }

    /// Whether the bot can see a channel at all (threads: the parent's VIEW_CHANNEL and private-thread rules).
    func canView(_ botId: UInt64, _ view: ChannelView) -> Bool {
        permissions(of: botId, in: view).contains(.viewChannel)
    }

    /// The guild of a route's first id, or nil.
    func guildIndex(_ api: APIRequest) -> Int? { api.ids.first.flatMap { world.guildIndexById[$0] } }

    /// Parses an integer query parameter with Discord's bounds; a Response on error.
    func limitParameter(_ api: APIRequest, name: String = "limit", default defaultValue: Int, range: ClosedRange<Int>)
        -> Result<Int, ResponseError>
    {
        guard let text = api.query[name] else { return .success(defaultValue) }
        guard let value = Int(text) else {
            return .failure(
                ResponseError(
                    APIResponse.invalidForm(
                        field: name, code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not int.")))
        }
        if value < range.lowerBound {
            return .failure(
                ResponseError(
                    APIResponse.invalidForm(
                        field: name, code: "NUMBER_TYPE_MIN",
                        message: "int value should be greater than or equal to \(range.lowerBound).")))
        }
        if value > range.upperBound {
            return .failure(
                ResponseError(
                    APIResponse.invalidForm(
                        field: name, code: "NUMBER_TYPE_MAX",
                        message: "int value should be less than or equal to \(range.upperBound).")))
        }
        return .success(value)
    }

    /// A snowflake query parameter; a 50035 on garbage.
    func snowflakeParameter(_ api: APIRequest, _ name: String) -> Result<UInt64?, ResponseError> {
        guard let text = api.query[name] else { return .success(nil) }
        guard let value = UInt64(text) else {
            return .failure(
                ResponseError(
                    APIResponse.invalidForm(
                        field: name, code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not snowflake.")))
        }
        return .success(value)
    }

    /// A response carried as an error value.
    struct ResponseError: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
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

    static func bannedResponse(retryAfter: Double) -> Response {
        let html = """
            <!DOCTYPE html><html><head><title>Access denied | discord.com used Cloudflare to restrict access</title>\
            </head><body><h1>Error 1015</h1><p>You are being rate limited.</p></body></html>
            """
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=UTF-8"
        fields[.retryAfter] = String(Int(retryAfter.rounded(.up)))
        return Response(
            status: .tooManyRequests, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
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
