import DiscordModels
import Hummingbird

extension SimulatorResponder {
    /// Looks up a channel the bot may view: 10003 when unknown, 50001 without VIEW_CHANNEL.
    func viewableChannel(_ api: APIRequest) async throws -> ChannelView {
        guard let id = api.ids.first, let view = await state.view(id) else {
            throw DiscordAPIError.unknownChannel()
        }
        guard canView(api.botId, view) else { throw DiscordAPIError.missingAccess() }
        return (view)
    }

    func channel(_ api: APIRequest) async throws -> Response {
        let view: ChannelView = try await viewableChannel(api)
        var w = JSONWriter(capacity: 1024)
        renderContext(api).writeChannel(view.channel, overlay: view.overlay, into: &w)
        return APIResponse.json(w)
    }

    func messages(_ api: APIRequest) async throws -> Outcome {
        let view: ChannelView = try await viewableChannel(api)
        let limit: Int = try limitParameter(api, default: 50, range: 1...100)
        var cursors: [(String, UInt64)] = []
        for name in ["around", "before", "after"] {
            if let value = try snowflakeParameter(api, name) { cursors.append((name, value)) }
        }
        if cursors.count > 1 && configuration.cursorMode == .strict {
            throw DiscordAPIError.invalidRequest(
                code: "BASE_TYPE_INVALID", message: "Only one of around, before and after may be given.")
        }
        // Discord honours one: around, then after, then before.
        let chosen = cursors.first { $0.0 == "around" } ?? cursors.first { $0.0 == "after" } ?? cursors.first
        let cursor: ChannelView.Cursor
        switch chosen?.0 {
        case "around": cursor = .around(chosen!.1)
        case "before": cursor = .before(chosen!.1)
        case "after": cursor = .after(chosen!.1)
        default: cursor = .latest
        }
        let pageKey = "\(api.route.rawValue)|\(view.channel.id)|" + (chosen.map { "\($0.0)=\($0.1)" } ?? "latest")
        let permissions = permissions(of: api.botId, in: view)
        // A type new to the simulator (only the admin surface makes one) serves what it holds, as a text type Discord
        // adds after a client was built would (reference §4: tolerate unknown values).
        guard permissions.contains(.readMessageHistory), view.channel.type.holdsMessages || view.channel.type.isUnknown
        else {
            return Outcome(response: APIResponse.json(Array("[]".utf8)), pageKey: pageKey)
        }
        // A test's pause of pages that continue a channel (``SimulatorServer/holdMessagePages(after:)``).
        if chosen != nil, !(await state.pageHold.admit()) {
            return Outcome(response: Self.faultResponse(.connectionReset))
        }
        let positions = view.page(cursor, limit: limit)
        let context = renderContext(api)
        var w = JSONWriter(capacity: 1200 * positions.count + 2)
        w.beginArray()
        for position in positions { context.writeMessage(view.message(at: position), view: view, into: &w) }
        w.endArray()
        return Outcome(response: APIResponse.json(w), pageKey: pageKey)
    }

    func message(_ api: APIRequest) async throws -> Response {
        let view: ChannelView = try await viewableChannel(api)
        guard permissions(of: api.botId, in: view).contains(.readMessageHistory) else {
            throw DiscordAPIError.missingAccess()
        }
        guard api.ids.count > 1, let message = view.message(id: api.ids[1]) else {
            throw DiscordAPIError.unknownMessage()
        }
        var w = JSONWriter(capacity: 2048)
        renderContext(api).writeMessage(message, view: view, into: &w)
        return APIResponse.json(w)
    }

    /// Pinned messages, newest pin first: (pinned_at ms, message); generated pins and those pinned at runtime.
    func pinnedMessages(_ view: ChannelView) -> [(UInt64, SimMessage)] {
        let factory = view.factory
        var result: [(UInt64, SimMessage)] = []
        for k in stride(from: view.channel.pinCount - 1, through: 0, by: -1) {
            let index = factory.pinnedIndex(k, in: view.channel)
            let id = view.channel.timeline.id(at: index)
            guard !view.overlay.deleted.contains(id), !view.overlay.unpinned.contains(id) else { continue }
            result.append((factory.pinnedMilliseconds(index, in: view.channel), view.message(at: index)))
        }
        guard !view.overlay.pins.isEmpty else { return result }
        for (id, pinnedAt) in view.overlay.pins {
            if let message = view.message(id: id) { result.append((pinnedAt, message)) }
        }
        return result.sorted { ($0.0, $0.1.id) > ($1.0, $1.1.id) }
    }

    func pins(_ api: APIRequest) async throws -> Outcome {
        let view: ChannelView = try await viewableChannel(api)
        let canRead = permissions(of: api.botId, in: view).contains(.readMessageHistory)
        let context = renderContext(api)
        if api.route == .legacyPins {
            let pins = canRead ? Array(pinnedMessages(view).prefix(50)) : []
            var w = JSONWriter(capacity: 1200 * pins.count + 2)
            w.beginArray()
            for (_, message) in pins { context.writeMessage(message, view: view, into: &w) }
            w.endArray()
            return Outcome(response: APIResponse.json(w), pageKey: "\(api.route.rawValue)|\(view.channel.id)|all")
        }
        let limit: Int = try limitParameter(api, default: 50, range: 1...50)
        var beforeMs: UInt64?
        if let before = api.query.get("before") {
            guard let date = DiscordTimestamp.parse(before) else {
                throw DiscordAPIError.invalidForm(
                    field: "before", code: "DATE_TIME_TYPE_PARSE",
                    message: "Could not parse \(before). Should be ISO8601.")
            }
            beforeMs = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.up)))
        }
        var pins = canRead ? pinnedMessages(view) : []
        if let beforeMs { pins = pins.filter { $0.0 < beforeMs } }
        let page = pins.prefix(limit)
        var w = JSONWriter(capacity: 1300 * page.count + 32)
        w.beginObject()
        w.key("items")
        w.beginArray()
        for (pinnedAt, message) in page {
            w.beginObject()
            w.key("pinned_at")
            w.timestamp(pinnedAt)
            w.key("message")
            context.writeMessage(message, view: view, into: &w)
            w.endObject()
        }
        w.endArray()
        w.key("has_more")
        w.bool(pins.count > page.count)
        w.endObject()
        let key =
            "\(api.route.rawValue)|\(view.channel.id)|" + (api.query.get("before").map { "before=\($0)" } ?? "latest")
        return Outcome(response: APIResponse.json(w), pageKey: key)
    }

    func reactionUsers(_ api: APIRequest) async throws -> Outcome {
        let view: ChannelView = try await viewableChannel(api)
        guard permissions(of: api.botId, in: view).contains(.readMessageHistory) else {
            throw DiscordAPIError.missingAccess()
        }
        guard api.ids.count > 1, let message = view.message(id: api.ids[1]) else {
            throw DiscordAPIError.unknownMessage()
        }
        let emoji = try reactionEmoji(api)
        let reaction = message.reactions.first(where: emoji.matches)
        let limit: Int = try limitParameter(api, default: 25, range: 1...100)
        let after: UInt64 = try snowflakeParameter(api, "after") ?? 0
        // `type` is 0 (normal) or 1 (burst) in the spec (`ReactionTypes`); another value was read as 0 and answered.
        let burst: Bool
        switch api.query.get("type") {
        case nil, "0": burst = false
        case "1": burst = true
        case let text?:
            throw DiscordAPIError.invalidForm(
                field: "type", code: Int(text) == nil ? "NUMBER_TYPE_COERCE" : "ENUM_TYPE_COERCE",
                message: Int(text) == nil
                    ? "Value \"\(text)\" is not int." : "Value \"\(text)\" is not a valid enum value.")
        }
        let users = reaction.map { view.factory.reactionUsers($0, burst: burst) } ?? []
        let page = users.filter { $0.id > after }.prefix(limit)
        let context = renderContext(api)
        var w = JSONWriter(capacity: 400 * page.count + 2)
        w.beginArray()
        for user in page { context.writeUser(user, into: &w) }
        w.endArray()
        let key =
            "\(api.route.rawValue)|\(view.channel.id)|\(message.id)/\(emoji.text)/\(burst ? 1 : 0)/after=\(after)"
        return Outcome(response: APIResponse.json(w), pageKey: key)
    }
}
