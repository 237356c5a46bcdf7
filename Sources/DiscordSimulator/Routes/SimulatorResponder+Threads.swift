import DiscordModels
import Hummingbird

extension SimulatorResponder {
    func archivedThreads(_ api: APIRequest) async throws -> Outcome {
        let view: ChannelView = try await viewableChannel(api)
        let permissions = permissions(of: api.botId, in: view)
        guard permissions.contains(.readMessageHistory) else { throw DiscordAPIError.missingAccess() }
        if api.route == .privateArchivedThreads && !permissions.contains(.manageThreads) {
            throw DiscordAPIError.missingPermissions()
        }
        let limit: Int = try limitParameter(api, default: 50, range: 2...100)
        let all = await state.guildThreads(view.channel.guildIndex)
        var threads = all.filter { thread, _ in
            guard thread.parentId == view.channel.id, let info = thread.thread, info.archived else { return false }
            switch api.route {
            case .publicArchivedThreads: return thread.type != .privateThread
            case .privateArchivedThreads: return thread.type == .privateThread
            default: return thread.type == .privateThread && info.joinedBots.contains(api.botId)
            }
        }
        let beforeText = api.query.get("before")
        if api.route == .joinedPrivateArchivedThreads {
            threads.sort { $0.0.id > $1.0.id }
            if let beforeText {
                guard let before = UInt64(beforeText) else {
                    throw DiscordAPIError.invalidForm(
                        field: "before", code: "NUMBER_TYPE_COERCE",
                        message: "Value \"\(beforeText)\" is not snowflake.")
                }
                threads = threads.filter { $0.0.id < before }
            }
        } else {
            threads.sort {
                let a = $0.0.thread?.archiveMilliseconds ?? 0
                let b = $1.0.thread?.archiveMilliseconds ?? 0
                return a != b ? a > b : $0.0.id > $1.0.id
            }
            if let beforeText {
                guard let date = DiscordTimestamp.parse(beforeText) else {
                    throw DiscordAPIError.invalidForm(
                        field: "before", code: "DATE_TIME_TYPE_PARSE", message: "Could not parse \(beforeText).")
                }
                let beforeMs = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.up)))
                threads = threads.filter { ($0.0.thread?.archiveMilliseconds ?? 0) < beforeMs }
            }
        }
        let page = threads.prefix(limit)
        let context = renderContext(api)
        var w = JSONWriter(capacity: 900 * page.count + 64)
        w.beginObject()
        w.key("threads")
        w.beginArray()
        for (thread, overlay) in page { context.writeChannel(thread, overlay: overlay, into: &w) }
        w.endArray()
        w.key("members")
        w.beginArray()
        for (thread, _) in page where thread.thread?.joinedBots.contains(api.botId) == true {
            context.writeThreadMember(thread, userId: api.botId, into: &w)
        }
        w.endArray()
        w.key("has_more")
        w.bool(threads.count > page.count)
        w.endObject()
        let key = "\(api.route.rawValue)|\(view.channel.id)|" + (beforeText.map { "before=\($0)" } ?? "latest")
        return Outcome(response: APIResponse.json(w), pageKey: key)
    }

    /// `GET /channels/{thread}/thread-members?with_member&after&limit(1-100, def 100)`: the joined members,
    /// ascending by user id. In v10 only `with_member=true` pages (`after`, `limit`); without it every member comes
    /// back (docs change log 2023-01-09). Like the member list it needs the GUILD_MEMBERS intent: 403 50001 [obs].
    func threadMembers(_ api: APIRequest) async throws -> Outcome {
        let view: ChannelView = try await viewableChannel(api)
        // Not a thread: Discord refuses the action for the channel type [obs].
        guard view.channel.isThread else { throw DiscordAPIError.invalidChannelType() }
        guard configuration.guildMembersIntent else { throw DiscordAPIError.missingAccess() }
        let limit: Int = try limitParameter(api, default: 100, range: 1...100)
        let after: UInt64 = try snowflakeParameter(api, "after") ?? 0
        let withMember = try api.query.discordFlag("with_member")
        var members = world.threadMembers(view.channel)
        if withMember { members = Array(members.filter { $0.userId > after }.prefix(limit)) }
        let guild = world.guilds[view.channel.guildIndex]
        let context = renderContext(api)
        var w = JSONWriter(capacity: (withMember ? 1000 : 150) * members.count + 2)
        w.beginArray()
        for member in members {
            context.writeThreadMember(
                view.channel, userId: member.userId, joinMilliseconds: member.joinMilliseconds,
                member: withMember ? guild : nil, into: &w)
        }
        w.endArray()
        let key = "\(api.route.rawValue)|\(view.channel.id)|" + (withMember ? "after=\(after)" : "all")
        return Outcome(response: APIResponse.json(w), pageKey: key)
    }
}
