import DiscordModels

/// Derives a generated message from (seed, channel, index): the same inputs always give the same message.
struct MessageFactory: Sendable {
    let world: World

    static let words = [
        "the", "longship", "sails", "at", "dawn", "and", "every", "skald", "remembers", "a", "saga", "of", "winter",
        "fire", "raven", "mead", "hall", "rune", "storm", "north", "we", "archive", "all", "messages", "forever",
        "server", "backup", "thread", "channel", "hello", "thanks", "lol", "ok", "nice", "build", "release",
    ]
    static let flourishes = ["😀", "𝒳", "🎉", "👨‍👩‍👧", "🛡️", "ᚠᚢᚦ", "🔥", "𝔖𝔨𝔞𝔩𝔡", "ñandú", "日本語"]
    static let unicodeReactions = ["👍", "🔥", "😂", "❤️", "🎉"]
    static let burstColors = ["#ff9a00", "#5865f2", "#57f287"]

    /// The generated message at `index` in `channel`.
    func message(in channel: SimChannel, at index: Int) -> SimMessage {
        let timeline = channel.timeline
        let id = timeline.id(at: index)
        let ms = timeline.milliseconds(at: index)
        let seed = world.seed
        let h = Mix.hash(seed, 30, channel.id, UInt64(index))
        let h2 = Mix.hash(seed, 31, channel.id, UInt64(index))
        let humans = world.humans
        var message = SimMessage(
            id: id, channelId: channel.id, guildId: channel.guildId,
            authorId: humans[Int(h % UInt64(humans.count))].id, content: "", timestampMilliseconds: ms)
        if channel.isThread { message.position = index }

        // A thread's first message: the starter stub (type 21) or a forum post's opening message.
        if index == 0, let thread = channel.thread, timeline.firstId != nil {
            message.authorId = thread.ownerId
            if thread.starterIndex != nil, let parentId = channel.parentId {
                message.type = 21
                message.reference = SimReference(messageId: id, channelId: parentId, guildId: channel.guildId)
                return message
            }
            message.content = "**\(channel.name)**: " + sentence(h2, count: 8)
            return message
        }

        let roll = h2 % 1000
        if roll < 15 {
            message.type = 7
            return message
        }
        if roll < 145 && index > 0 {
            message.type = 19
            let back = 1 + Int((h2 >> 10) % UInt64(min(index, 30)))
            let target = index - back
            message.reference = SimReference(
                messageId: timeline.id(at: target), channelId: channel.id, guildId: channel.guildId)
        }
        if let bot = world.bots.first, (h >> 16) % 97 == 0 { message.authorId = bot.id }
        var text = sentence(h2 >> 3, count: 3 + Int((h >> 24) % 14))
        if (h >> 30) % 7 == 0 { text += " " + Self.flourishes[Int((h >> 33) % UInt64(Self.flourishes.count))] }
        if (h >> 34) % 11 == 0 {
            let user = humans[Int((h >> 37) % UInt64(humans.count))]
            message.mentionIds.append(user.id)
            text = "<@\(user.id)> " + text
        }
        if let bot = world.bots.first, (h >> 38) % 53 == 0 {
            message.mentionIds.append(bot.id)
            text += " <@\(bot.id)>"
        }
        if (h >> 44) % 29 == 0 {
            text += " https://example.com/saga/\(index)"
        }
        message.content = text
        if (h >> 40) % 13 == 0 { message.attachments = attachments(channel: channel, ms: ms, hash: h2 >> 12) }
        if (h >> 46) % 17 == 0 { message.embeds = [embed(h2 >> 20, ms: ms, index: index)] }
        if (h >> 50) % 6 == 0 { message.reactions = reactions(channel: channel, hash: Mix.hash(h, 7)) }
        if (h >> 54) % 41 == 0,
            let guild = world.guilds.indices.contains(channel.guildIndex)
                ? world.guilds[channel.guildIndex] : nil, !guild.stickers.isEmpty
        {
            message.stickers = [SimStickerItem(guild.stickers[Int((h2 >> 30) % UInt64(guild.stickers.count))])]
        }
        if (h >> 56) % 71 == 0 { message.poll = poll(Mix.hash(h, 9), ms: ms) }
        if (h >> 58) % 9 == 0 {
            message.editedMilliseconds = ms + 300_000 + (h2 >> 40) % (2 * 86_400_000)
        }
        addClip(to: &message, channel: channel, index: index, ms: ms)
        if isPinned(index, in: channel) { message.pinned = true }
        if world.channels[id].map({ $0.parentId == channel.id && $0.isThread }) == true {
            message.flags |= 1 << 5
        }
        return message
    }

    /// Whether generated message `index` is pinned: `pinCount` messages spread evenly.
    func isPinned(_ index: Int, in channel: SimChannel) -> Bool {
        let count = channel.timeline.count
        guard channel.pinCount > 0, count > 0 else { return false }
        let k = index * channel.pinCount / count
        return pinnedIndex(k, in: channel) == index
    }

    /// The index of the `k`-th pinned message (ascending).
    func pinnedIndex(_ k: Int, in channel: SimChannel) -> Int {
        let count = channel.timeline.count
        return (2 * k + 1) * count / (2 * channel.pinCount)
    }

    /// When pin `index` was pinned: a little after the message, always before the next pin.
    func pinnedMilliseconds(_ index: Int, in channel: SimChannel) -> UInt64 {
        channel.timeline.milliseconds(at: index) + 1 + Mix.hash(world.seed, 32, channel.id, UInt64(index)) % 1000
    }

    func sentence(_ hash: UInt64, count: Int) -> String {
        var state = SeededRandom(seed: hash)
        var parts: [String] = []
        parts.reserveCapacity(count)
        for _ in 0..<count { parts.append(Self.words[state.below(Self.words.count)]) }
        if var first = parts.first {
            first = first.prefix(1).uppercased() + first.dropFirst()
            parts[0] = first
        }
        return parts.joined(separator: " ")
    }

    func attachments(channel: SimChannel, ms: UInt64, hash: UInt64) -> [SimAttachment] {
        var random = SeededRandom(seed: hash)
        let count = 1 + random.below(3)
        var result: [SimAttachment] = []
        for k in 0..<count {
            let id = World.makeId(ms, salt: UInt64(1 << 17) | UInt64(k) << 12 | (random.next() & 0xFFF))
            let size = 1024 + random.below(199 * 1024)
            switch random.below(3) {
            case 0:
                let width = 64 * (1 + random.below(30))
                result.append(
                    SimAttachment(
                        id: id, filename: k == 0 ? "image.png" : "photo_\(k).png", size: size, contentType: "image/png",
                        width: width, height: width * 3 / 4, description: random.chance(0.3) ? "A longship" : nil))
            case 1:
                result.append(
                    SimAttachment(
                        id: id, filename: "clip_\(k).mp4", size: size, contentType: "video/mp4", width: 1280,
                        height: 720, durationSeconds: Double(1 + random.below(120)) + 0.5,
                        flags: random.chance(0.2) ? 1 : 0))
            default:
                let kinds = [
                    ("notes.txt", "text/plain; charset=utf-8"), ("saga.pdf", "application/pdf"),
                    ("backup.zip", "application/zip"), ("rune data ᚱ.bin", nil),
                ]
                let kind = kinds[random.below(kinds.count)]
                result.append(SimAttachment(id: id, filename: kind.0, size: size, contentType: kind.1))
            }
        }
        return result
    }

    func embed(_ hash: UInt64, ms: UInt64, index: Int) -> SimEmbed {
        var random = SeededRandom(seed: hash)
        var embed = SimEmbed(
            title: "Saga #\(index)", description: sentence(random.next(), count: 12),
            url: "https://example.com/saga/\(index)",
            color: random.below(0xFFFFFF), timestampMilliseconds: ms)
        if random.chance(0.5) { embed.footer = "Skald • 📜" }
        if random.chance(0.5) { embed.authorName = "The Skald" }
        for f in 0..<random.below(4) {
            embed.fields.append(
                SimEmbedField(name: "Field \(f)", value: sentence(random.next(), count: 4), inline: f % 2 == 0))
        }
        return embed
    }

    func reactions(channel: SimChannel, hash: UInt64) -> [SimReaction] {
        var random = SeededRandom(seed: hash)
        var result: [SimReaction] = []
        let guild = world.guilds[channel.guildIndex]
        var usedNames: Set<String> = []
        for k in 0..<(1 + random.below(3)) {
            let humans = world.humans.count
            let normal = 1 + random.below(min(8, humans))
            let burst = random.chance(0.25) ? 1 + random.below(min(3, humans - normal)) : 0
            if k % 2 == 1, !guild.emojis.isEmpty {
                let emoji = guild.emojis[random.below(guild.emojis.count)]
                guard usedNames.insert(emoji.name).inserted else { continue }
                result.append(
                    SimReaction(
                        emojiName: emoji.name, emojiId: emoji.id, animated: emoji.animated, normal: normal,
                        burst: burst,
                        salt: random.next()))
            } else {
                let name = Self.unicodeReactions[random.below(Self.unicodeReactions.count)]
                guard usedNames.insert(name).inserted else { continue }
                result.append(
                    SimReaction(
                        emojiName: name, emojiId: nil, animated: false, normal: normal, burst: burst,
                        salt: random.next()))
            }
        }
        return result
    }

    func poll(_ hash: UInt64, ms: UInt64) -> SimPoll {
        var random = SeededRandom(seed: hash)
        let answers = ["Odin", "Thor", "Freya", "Loki"].prefix(2 + random.below(3))
        return SimPoll(
            question: "Who is the best? 🤔", answers: Array(answers), counts: answers.map { _ in random.below(10) },
            expiryMilliseconds: ms + 86_400_000, multiselect: random.chance(0.3), finalized: true)
    }

    /// Users who reacted: `normal` then `burst` distinct humans, in a seeded order, and the bots that reacted among
    /// the normal ones; each list ascending by id.
    func reactionUsers(_ reaction: SimReaction, burst: Bool) -> [SimUser] {
        var random = SeededRandom(seed: reaction.salt)
        var order = Array(world.humans.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
        let slice =
            burst
            ? order.dropFirst(reaction.normal).prefix(reaction.burst) : order.prefix(reaction.normal)
        let bots = burst ? [] : reaction.botReactors.compactMap { world.usersById[$0] }
        return (slice.map { world.humans[$0] } + bots).sorted { $0.id < $1.id }
    }
}
