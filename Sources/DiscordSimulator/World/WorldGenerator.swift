import DiscordModels

/// Builds the `World` from a configuration: a pure function of the seed and the sizes.
enum WorldGenerator {
    static let day: UInt64 = 86_400_000

    static let firstNames = [
        "astrid", "bjorn", "freya", "gunnar", "hilda", "ivar", "kari", "leif", "magnus", "nora", "olaf", "ragna",
        "sigrid", "thora", "ulf", "vidar", "yrsa", "eirik", "helga", "sven",
    ]
    static let channelNames = [
        "general", "announcements", "random", "help", "showcase", "dev-chat", "memes", "links", "support",
        "lounge", "feedback", "off-topic", "art", "music", "gaming", "news",
    ]

    /// Where the history ends: the configured instant, no earlier than the default and no later than the last
    /// instant whose id leaves room for the generated spacing (about nine years of history before it).
    static func present(_ config: SimulatorConfiguration) -> UInt64 {
        let latest = Snowflake<AnyTag>.discordEpochMilliseconds + Snowflake<AnyTag>.maxMillisecondsSinceEpoch
        return min(max(config.historyEndMilliseconds, SimulatorConfiguration.defaultHistoryEndMilliseconds), latest)
    }

    /// How far the configured history end moves every generated instant from the default world's.
    static func shift(_ config: SimulatorConfiguration) -> UInt64 {
        present(config) - SimulatorConfiguration.defaultHistoryEndMilliseconds
    }

    static func generate(_ config: SimulatorConfiguration) -> World {
        let seed = config.seed
        let shift = shift(config)
        var humans: [SimUser] = []
        let userCount = max(2, config.users)
        for index in 0..<userCount {
            let created = shift + 1_451_606_400_000 + UInt64(index) * 3 * day + Mix.hash(seed, 1, UInt64(index)) % day
            let name = firstNames[index % firstNames.count]
            let roleIndices = index % 7 == 0 ? [2, 3] : (index % 11 == 5 ? [3, 4] : [3])
            humans.append(
                SimUser(
                    id: World.makeId(created, salt: Mix.hash(seed, 2, UInt64(index))),
                    username: index < firstNames.count ? name : "\(name)\(index)",
                    globalName: index % 3 == 0 ? nil : name.capitalized + (index % 5 == 0 ? " ✨" : ""),
                    avatarHash: index % 4 == 3 ? nil : hexHash(seed, 3, UInt64(index), animated: index % 9 == 0),
                    isBot: false, joinedMilliseconds: 0, roleIndices: roleIndices))
        }
        var bots: [SimUser] = []
        for index in config.tokens.indices {
            let created = shift + 1_559_347_200_000 + UInt64(index) * day
            bots.append(
                SimUser(
                    id: World.makeId(created, salt: Mix.hash(seed, 4, UInt64(index))),
                    username: index == 0 ? "Skald Archiver" : "Skald Archiver \(index + 1)",
                    globalName: nil, avatarHash: hexHash(seed, 5, UInt64(index), animated: false), isBot: true,
                    joinedMilliseconds: 0, roleIndices: [1]))
        }
        var usersById: [UInt64: SimUser] = [:]
        for user in humans + bots { usersById[user.id] = user }

        var guilds: [SimGuild] = []
        var channels: [UInt64: SimChannel] = [:]
        var guildIndexById: [UInt64: Int] = [:]
        var emojisById: [UInt64: SimEmoji] = [:]
        for guildIndex in 0..<max(0, config.guilds) {
            let guild = generateGuild(
                index: guildIndex, config: config, humans: humans, bots: bots, channels: &channels)
            guildIndexById[guild.id] = guildIndex
            for emoji in guild.emojis { emojisById[emoji.id] = emoji }
            guilds.append(guild)
        }
        return World(
            seed: seed, guilds: guilds, channels: channels, humans: humans, bots: bots, usersById: usersById,
            guildIndexById: guildIndexById, emojisById: emojisById, messagesPerChannel: config.messagesPerChannel,
            presentMilliseconds: present(config))
    }

    static func hexHash(_ a: UInt64, _ b: UInt64, _ c: UInt64, animated: Bool) -> String {
        let high = Mix.hash(a, b, c, 1)
        let low = Mix.hash(a, b, c, 2)
        let text = hex(high) + hex(low)
        return animated ? "a_" + text : text
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    // MARK: Guild

    static func generateGuild(
        index guildIndex: Int, config: SimulatorConfiguration, humans: [SimUser], bots: [SimUser],
        channels: inout [UInt64: SimChannel]
    ) -> SimGuild {
        let seed = config.seed
        let g = UInt64(guildIndex)
        let created = shift(config) + 1_514_764_800_000 + g * 45 * day
        let guildId = World.makeId(created, salt: Mix.hash(seed, 10, g))
        var nextMs = created + 1000
        func nextId(_ salt: UInt64) -> UInt64 {
            nextMs += 60_000 + Mix.hash(seed, 11, g, salt) % 600_000
            return World.makeId(nextMs, salt: Mix.hash(seed, 12, g, salt))
        }
        // Roles: @everyone, the bots' role, Moderators, Members, Muted.
        let everyone: Permissions = [
            .viewChannel, .sendMessages, .readMessageHistory, .addReactions, .connect, .speak, .embedLinks,
            .attachFiles, .createPublicThreads, .sendMessagesInThreads, .useExternalEmojis, .changeNickname,
            .createInstantInvite, .useApplicationCommands,
        ]
        var botPermissions: Permissions = [
            .manageChannels, .manageRoles, .manageWebhooks, .manageMessages, .attachFiles, .embedLinks, .sendMessages,
            .viewAuditLog, .manageGuildExpressions, .createPrivateThreads, .pinMessages,
        ]
        if guildIndex % 2 == 0 { botPermissions.insert(.manageThreads) }
        let roleSpecs: [(String, Permissions, Int, Bool)] = [
            ("@everyone", everyone, 0x000000, false),
            ("Skald Archivers", botPermissions, 0x5865F2, true),
            (
                "Moderators", [.manageMessages, .manageThreads, .kickMembers, .moderateMembers, .viewChannel], 0xE67E22,
                true
            ),
            ("Members", [], 0x2ECC71, false),
            ("Muted", [], 0x95A5A6, false),
        ]
        var roles: [Role] = []
        for (position, spec) in roleSpecs.enumerated() {
            let id = position == 0 ? guildId : nextId(UInt64(100 + position))
            var role = Role(
                id: Snowflake(id), name: spec.0, color: spec.2,
                position: position == 0 ? 0 : [0, 4, 3, 1, 2][position], permissions: spec.1)
            role.colors = .init(primaryColor: spec.2)
            role.hoist = spec.3
            role.mentionable = position > 1
            role.managed = false
            role.flags = 0
            roles.append(role)
        }
        let everyoneId = AnySnowflake(guildId)
        let moderatorsId = roles[2].id.cast(to: AnyTag.self)
        let mutedId = roles[4].id.cast(to: AnyTag.self)

        var channelIds: [UInt64] = []
        var messageChannelIds: [UInt64] = []
        let n = max(0, config.channelsPerGuild)
        let categoryCount = max(1, (n + 3) / 4)
        var categoryIds: [UInt64] = []
        for k in 0..<categoryCount {
            let id = nextId(UInt64(200 + k))
            categoryIds.append(id)
            channels[id] = SimChannel(
                id: id, guildId: guildId, guildIndex: guildIndex, type: .guildCategory,
                name: ["Text Channels", "Community", "Projects", "Archive", "Voice"][k % 5] + (k >= 5 ? " \(k)" : ""),
                position: k, parentId: nil, topic: nil, overwrites: [], nsfw: false,
                timeline: MessageTimeline(count: 0, startMilliseconds: created, endMilliseconds: created, salt: 0),
                thread: nil, pinCount: 0, rateLimitPerUser: 0, bitrate: nil, userLimit: nil)
            channelIds.append(id)
        }
        for j in 0..<n {
            let id = nextId(UInt64(300 + j))
            let type: ChannelType =
                (j % 7 == 5 && j < n - 2) ? .guildVoice : (j % 7 == 3 ? .guildAnnouncement : .guildText)
            var overwrites: [PermissionOverwrite] = []
            if n >= 3 && j == n - 1 {
                overwrites.append(PermissionOverwrite(id: everyoneId, type: 0, deny: .viewChannel))
                overwrites.append(PermissionOverwrite(id: moderatorsId, type: 0, allow: .viewChannel))
            } else if n >= 4 && j == n - 2 {
                overwrites.append(PermissionOverwrite(id: everyoneId, type: 0, deny: .readMessageHistory))
            } else if j % 3 == 1 {
                overwrites.append(PermissionOverwrite(id: mutedId, type: 0, deny: [.sendMessages, .addReactions]))
            }
            let count = config.messageCountOverrides[j] ?? config.messagesPerChannel
            let channelCreated = nextMs + UInt64(j) * 3 * day
            let end = present(config) - Mix.hash(seed, 13, g, UInt64(j)) % (2 * day)
            let baseName = channelNames[j % channelNames.count]
            let name = type == .guildVoice ? "Voice \(j)" : (j < channelNames.count ? baseName : "\(baseName)-\(j)")
            let timeline = MessageTimeline(
                count: count, startMilliseconds: channelCreated + 60_000, endMilliseconds: end,
                salt: Mix.hash(seed, 14, id))
            channels[id] = SimChannel(
                id: id, guildId: guildId, guildIndex: guildIndex, type: type, name: name, position: j,
                parentId: categoryIds[min(j / 4, categoryIds.count - 1)],
                topic: type == .guildVoice ? nil : (j % 2 == 0 ? "Talk about \(baseName) 💬" : nil),
                overwrites: overwrites, nsfw: j % 13 == 12, timeline: timeline, thread: nil,
                pinCount: min(60, count / 25), rateLimitPerUser: j % 5 == 4 ? 10 : 0,
                bitrate: type == .guildVoice ? 64000 : nil, userLimit: type == .guildVoice ? 0 : nil)
            channelIds.append(id)
            messageChannelIds.append(id)
        }
        var forumIds: [UInt64] = []
        for k in 0..<(n > 0 ? 1 + n / 8 : 0) {
            let id = nextId(UInt64(400 + k))
            forumIds.append(id)
            channels[id] = SimChannel(
                id: id, guildId: guildId, guildIndex: guildIndex, type: .guildForum,
                name: k == 0 ? "forum" : "forum-\(k)", position: n + k, parentId: categoryIds[0],
                topic: "Ask anything", overwrites: [], nsfw: false,
                timeline: MessageTimeline(count: 0, startMilliseconds: nextMs, endMilliseconds: nextMs, salt: 0),
                thread: nil, pinCount: 0, rateLimitPerUser: 0, bitrate: nil, userLimit: nil)
            channelIds.append(id)
        }
        let threadIds = generateThreads(
            guildIndex: guildIndex, guildId: guildId, config: config, bots: bots, humans: humans,
            parents: messageChannelIds.filter { channels[$0]?.type != .guildVoice } + forumIds, channels: &channels)

        var emojis: [SimEmoji] = []
        for k in 0..<6 {
            emojis.append(
                SimEmoji(
                    id: nextId(UInt64(500 + k)), name: ["skald", "rune", "longship", "mead", "axe_spin", "raven"][k],
                    animated: k >= 4, creatorIndex: (k * 3) % humans.count))
        }
        var stickers: [SimSticker] = []
        for k in 0..<3 {
            stickers.append(
                SimSticker(
                    id: nextId(UInt64(600 + k)), name: ["Wave", "Shield", "Dance"][k],
                    description: k == 1 ? nil : "A \(["waving", "shielded", "dancing"][k]) skald",
                    tags: ["👋", "🛡️", "💃"][k], formatType: [1, 2, 4][k], creatorIndex: k % humans.count))
        }
        let voiceId = messageChannelIds.first { channels[$0]?.type == .guildVoice }
        var events: [SimEvent] = []
        for k in 0..<3 {
            let start = present(config) + UInt64(k) * 7 * day - 10 * day
            events.append(
                SimEvent(
                    id: nextId(UInt64(700 + k)), channelId: k == 0 ? voiceId : nil, creatorIndex: k % humans.count,
                    name: ["Saga night", "Meetup in Bergen", "Release party 🎉"][k],
                    description: k == 1 ? nil : "Bring stories.", startMilliseconds: start,
                    endMilliseconds: start + 2 * 3_600_000, status: k == 0 ? 3 : 1,
                    entityType: (k == 0 && voiceId != nil) ? 2 : 3,
                    location: (k == 0 && voiceId != nil) ? nil : "Bergen",
                    userCount: 3 + k * 4))
        }
        return SimGuild(
            id: guildId, index: guildIndex, name: guildIndex == 0 ? "Skald Test Hall" : "Skald Guild \(guildIndex + 1)",
            ownerIndex: 0, iconHash: hexHash(seed, 15, g, animated: false), createdMilliseconds: created,
            roles: roles, botRoleIds: [roles[1].id], channelIds: channelIds, messageChannelIds: messageChannelIds,
            threadIds: threadIds, emojis: emojis, stickers: stickers, events: events,
            systemChannelId: messageChannelIds.first)
    }

    // MARK: Threads

    static func generateThreads(
        guildIndex: Int, guildId: UInt64, config: SimulatorConfiguration, bots: [SimUser], humans: [SimUser],
        parents: [UInt64], channels: inout [UInt64: SimChannel]
    ) -> [UInt64] {
        guard !parents.isEmpty else { return [] }
        let seed = config.seed
        var ids: [UInt64] = []
        let perThread = max(3, config.messagesPerChannel / 10)
        for t in 0..<max(0, config.threadsPerGuild) {
            guard let parent = channels[parents[t % parents.count]] else { continue }
            let h = Mix.hash(seed, 20, parent.id, UInt64(t))
            let fromForum = parent.type == .guildForum
            var type: ChannelType = .publicThread
            var starterIndex: Int?
            var id: UInt64
            var startMs: UInt64
            if fromForum {
                startMs = parent.timeline.startMilliseconds + 3_600_000 + (h >> 8) % (400 * day)
                id = World.makeId(startMs, salt: h)
            } else if t % 4 == 1 && parent.type == .guildText {
                type = .privateThread
                startMs = parent.timeline.startMilliseconds + (h >> 8) % max(1, parent.timeline.spanMilliseconds)
                id = World.makeId(startMs, salt: h)
            } else if parent.timeline.count > 0 {
                type = parent.type == .guildAnnouncement ? .announcementThread : .publicThread
                var index = Int((h >> 8) % UInt64(parent.timeline.count))
                // Two threads cannot start from the same message.
                while channels[parent.timeline.id(at: index)] != nil { index = (index + 1) % parent.timeline.count }
                starterIndex = index
                startMs = parent.timeline.milliseconds(at: index)
                id = parent.timeline.id(at: index)
            } else {
                continue
            }
            while channels[id] != nil { id += 1 }
            let count = perThread
            let end = min(startMs + 30 * day, present(config) - 1000)
            let timeline = MessageTimeline(
                count: count, startMilliseconds: startMs, endMilliseconds: max(end, startMs + UInt64(count) + 1),
                salt: Mix.hash(seed, 21, id), firstId: (fromForum || starterIndex != nil) ? id : nil)
            let archived = t % 3 == 1 || (t % 3 == 2 && t % 2 == 0)
            let lastMs = timeline.milliseconds(at: max(0, count - 1))
            var joined: Set<UInt64> = []
            if let bot = bots.first, type == .privateThread ? t % 2 == 0 : t % 5 == 0 { joined.insert(bot.id) }
            let autoArchive = [60, 1440, 4320, 10080][t % 4]
            let names = ["Ideas", "Bug hunt", "Release notes", "Q&A", "Welcome thread", "Planning 📅", "Saga 𝒳"]
            let info = SimThreadInfo(
                archived: archived, archiveMilliseconds: archived ? lastMs + UInt64(autoArchive) * 60_000 : startMs,
                autoArchiveDuration: autoArchive, locked: archived && t % 6 == 1, createMilliseconds: startMs,
                starterIndex: starterIndex, joinedBots: joined,
                ownerId: humans[Int((h >> 20) % UInt64(humans.count))].id, invitable: type == .privateThread)
            channels[id] = SimChannel(
                id: id, guildId: guildId, guildIndex: guildIndex, type: type,
                name: names[t % names.count] + (t >= names.count ? " \(t)" : ""), position: 0, parentId: parent.id,
                topic: nil, overwrites: [], nsfw: false, timeline: timeline, thread: info,
                pinCount: min(60, count / 25),
                rateLimitPerUser: 0, bitrate: nil, userLimit: nil)
            ids.append(id)
        }
        return ids
    }
}
