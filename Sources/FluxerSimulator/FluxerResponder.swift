import Foundation
import Hummingbird
import NIOCore

/// Answers every request of a fake Fluxer: routes under `/v1/…` and `/…`, admission (faults, auth, global and
/// route rate limits) and the admin surface `/__fluxer/truth` and `/__fluxer/stats`.
struct FluxerResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let configuration: FluxerSimulatorConfiguration
    let community: FluxerCommunity

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == "/__fluxer/truth" { return Self.json(await truth()) }
        if path == "/__fluxer/session" && request.method == .post {
            await community.startSession()
            return Self.noContent()
        }
        if path == "/__fluxer/requests" {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: await community.requestLogData())))
        }
        if path == "/__fluxer/force" && request.method == .post {
            // §7 item 5: `{"bucket":N,"global":N,"locked":N}` forces the next N answers to a bucket 429, a global
            // 429, or (reorders) a 423.
            let body = try await request.body.collect(upTo: 1 << 16)
            let json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
            await community.force(
                bucket: json["bucket"] as? Int ?? 0, global: json["global"] as? Int ?? 0,
                locked: json["locked"] as? Int ?? 0)
            return Self.noContent()
        }
        if path == "/__fluxer/stats" {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: await community.statsData())))
        }
        var segments = path.split(separator: "/").map(String.init)
        if segments.first == "v1" { segments.removeFirst() }
        if configuration.latency > .zero { try await Task.sleep(for: configuration.latency) }
        let method = request.method.rawValue
        let (template, ids) = Self.template(segments)
        let routeName = "\(method) /\(template)"
        await community.count(route: routeName)
        if configuration.faultRate > 0, Double.random(in: 0..<1) < configuration.faultRate {
            return Self.error(FluxerError(500, "GENERAL_ERROR", "Internal server error"))
        }
        let isWebhookExecute = method == "POST" && template == "webhooks/{id}/{token}"
        let isDiscovery = template == "instance" || template == ".well-known/fluxer"
        var token = configuration.token
        var asOwner = false
        if !isWebhookExecute && !isDiscovery {
            let authorization = request.headers[.authorization]
            if authorization == configuration.ownerToken {
                token = configuration.ownerToken
                asOwner = true
            } else if authorization != "Bot \(token)" {
                await community.countInvalid()
                return Self.error(FluxerError(401, "UNAUTHORIZED", "Unauthorized"))
            }
        }
        if let global = await community.takeForcedRateLimit() {
            // A forced 429 (§7 item 5), counted like a real one.
            await community.countInvalid()
            await community.countForced(global: global)
            await community.log(route: routeName, ids: ids.map(String.init), status: 429, bodyBytes: 0)
            let limit = Self.limit(method: method, template: template, flavour: configuration.flavour)
            let now = configuration.now().timeIntervalSince1970
            return rateLimited(
                global: global, retryAfter: 1, limit: limit.limit, resetAt: now + 1, bucket: limit.name)
        }
        let limit = Self.limit(method: method, template: template, flavour: configuration.flavour)
        // A route bucket is keyed by its major id (guild, channel or webhook; §2 "channel:update::channel_id"), so
        // PUT /channels/{c}/permissions/{o} shares PATCH /channels/{c}'s bucket (§7 item 15).
        let key = "\(token)|\(limit.name)|\(ids.first.map(String.init) ?? "")"
        var headers = HTTPFields()
        let now = configuration.now().timeIntervalSince1970
        switch await community.admit(token: token, key: key, limit: limit, now: now) {
        case .globalLimited(let retryAfter):
            await community.countInvalid()
            await community.log(route: routeName, ids: ids.map(String.init), status: 429, bodyBytes: 0)
            return rateLimited(global: true, retryAfter: retryAfter, limit: nil, resetAt: nil, bucket: limit.name)
        case .bucketLimited(let max, let resetAt, let retryAfter):
            await community.countInvalid()
            await community.log(route: routeName, ids: ids.map(String.init), status: 429, bodyBytes: 0)
            return rateLimited(global: false, retryAfter: retryAfter, limit: max, resetAt: resetAt, bucket: limit.name)
        case .allowed(let max, let remaining, let resetAt, let resetAfter):
            headers[HTTPFields.Element.Name("X-RateLimit-Limit")!] = String(max)
            headers[HTTPFields.Element.Name("X-RateLimit-Remaining")!] = String(remaining)
            headers[HTTPFields.Element.Name("X-RateLimit-Reset")!] = String(Int(resetAt.rounded(.up)))
            if configuration.flavour == .newer {
                headers[HTTPFields.Element.Name("X-RateLimit-Reset-After")!] = String(format: "%.3f", resetAfter)
                headers[HTTPFields.Element.Name("X-RateLimit-Bucket")!] = Self.bucketHash(limit.name)
            }
        }
        let body = try await request.body.collect(upTo: 600 << 20)
        var json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) ?? [String: Any]()
        // Multipart (§3.6): `payload_json` is the body, `files[N]` the uploads (kept as name, size and hash).
        var upload: FluxerMultipart?
        if let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") {
            guard let form = FluxerMultipart(body: body, contentType: type) else {
                return Self.error(FluxerError(400, "INVALID_FORM_BODY", "Malformed multipart body"))
            }
            upload = form
            json = form.payload
        }
        let response: Response
        do {
            var answered = try await handle(
                method: method, template: template, ids: ids, segments: segments, request: request, json: json,
                upload: upload, asOwner: asOwner)
            for field in headers { answered.headers.append(field) }
            response = answered
            if isWebhookExecute, answered.status.code < 300, configuration.lostAnswerRate > 0,
                Double.random(in: 0..<1) < configuration.lostAnswerRate
            {
                // Posted, then the answer is lost (``FluxerSimulatorConfiguration/lostAnswerRate``).
                await community.log(
                    route: routeName, ids: ids.map(String.init), status: 500, bodyBytes: body.readableBytes)
                return Self.error(FluxerError(500, "GENERAL_ERROR", "Internal server error"))
            }
        } catch let error as FluxerError {
            if error.status == 403 { await community.countInvalid() }
            response = Self.error(error)
        }
        await community.log(
            route: routeName, ids: ids.map(String.init), status: Int(response.status.code),
            bodyBytes: body.readableBytes)
        return response
    }

    /// A path with its numeric ids replaced by `{id}` (and a webhook token by `{token}`), and the ids.
    static func template(_ segments: [String]) -> (String, [UInt64]) {
        var ids: [UInt64] = []
        var parts: [String] = []
        for (index, segment) in segments.enumerated() {
            if let id = UInt64(segment) {
                ids.append(id)
                parts.append("{id}")
            } else if index == 2 && segments.first == "webhooks" {
                parts.append("{token}")
            } else {
                parts.append(segment)
            }
        }
        return (parts.joined(separator: "/"), ids)
    }

    /// The route bucket of fluxer-api.md §2.
    static func limit(
        method: String, template: String, flavour: FluxerSimulatorConfiguration.Flavour = .baseline
    ) -> FluxerRateLimits.Limit {
        switch (method, template) {
        case ("POST", "guilds/{id}/emojis") where flavour == .newer:
            .init(name: "guild:emoji:create", limit: 10, window: 30)
        case ("POST", "guilds/{id}/stickers") where flavour == .newer:
            .init(name: "guild:sticker:create", limit: 10, window: 30)
        case ("POST", "guilds/{id}/channels"): .init(name: "guild:channel:create", limit: 10, window: 60)
        case ("PATCH", "guilds/{id}/channels"): .init(name: "guild:channel:positions", limit: 30, window: 10)
        case ("PATCH", "channels/{id}"), ("PUT", "channels/{id}/permissions/{id}"),
            ("DELETE", "channels/{id}/permissions/{id}"):
            .init(name: "channel:update", limit: 20, window: 10)
        case ("POST", "guilds/{id}/roles"): .init(name: "guild:role:create", limit: 10, window: 60)
        case ("PATCH", "guilds/{id}/roles/{id}"): .init(name: "guild:role:update", limit: 20, window: 10)
        case ("PATCH", "guilds/{id}/roles"): .init(name: "guild:role:positions", limit: 20, window: 10)
        case ("POST", "channels/{id}/webhooks"): .init(name: "webhook:create", limit: 10, window: 60)
        case ("POST", "webhooks/{id}/{token}"):
            .init(name: "webhook:execute", limit: 60, window: 60, exemptFromGlobal: true)
        case ("POST", "channels/{id}/messages"): .init(name: "channel:message:create", limit: 20, window: 10)
        case ("POST", "guilds/{id}/emojis"): .init(name: "guild:emoji:create", limit: 20, window: 10)
        case ("POST", "guilds/{id}/emojis/bulk"): .init(name: "guild:emoji:bulk_create", limit: 6, window: 60)
        case ("POST", "guilds/{id}/stickers"): .init(name: "guild:sticker:create", limit: 20, window: 10)
        case ("GET", "channels/{id}/messages"): .init(name: "channel:messages:read", limit: 100, window: 10)
        case ("PUT", "channels/{id}/pins/{id}"), ("DELETE", "channels/{id}/pins/{id}"):
            .init(name: "channel:pins", limit: 20, window: 10)
        case ("GET", "instance"), ("GET", ".well-known/fluxer"): .init(name: "instance", limit: 60, window: 60)
        default: .init(name: "\(method) \(template)", limit: 50, window: 10)
        }
    }

    static func bucketHash(_ name: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    private func rateLimited(global: Bool, retryAfter: Double, limit: Int?, resetAt: Double?, bucket: String)
        -> Response
    {
        var response = Self.json(
            [
                "code": "RATE_LIMITED", "message": "You are being rate limited.", "global": global,
                "retry_after": (retryAfter * 1000).rounded(.up) / 1000,
            ], status: 429)
        response.headers[.retryAfter] = String(Int(retryAfter.rounded(.up)))
        response.headers[HTTPFields.Element.Name("X-RateLimit-Global")!] = global ? "true" : "false"
        if configuration.flavour == .newer {
            response.headers[HTTPFields.Element.Name("X-RateLimit-Scope")!] = global ? "global" : "user"
        }
        if !global || configuration.flavour == .baseline, let limit, let resetAt {
            response.headers[HTTPFields.Element.Name("X-RateLimit-Limit")!] = String(limit)
            response.headers[HTTPFields.Element.Name("X-RateLimit-Remaining")!] = "0"
            response.headers[HTTPFields.Element.Name("X-RateLimit-Reset")!] = String(Int(resetAt.rounded(.up)))
            if configuration.flavour == .newer {
                response.headers[HTTPFields.Element.Name("X-RateLimit-Reset-After")!] = String(
                    format: "%.3f", retryAfter)
                response.headers[HTTPFields.Element.Name("X-RateLimit-Bucket")!] = Self.bucketHash(bucket)
            }
        }
        return response
    }

    static func json(_ value: Any, status: Int = 200) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ error: FluxerError) -> Response { json(error.json, status: error.status) }

    static func noContent() -> Response { Response(status: .noContent) }
}
