import Foundation

extension IndexedMessage {
    /// Indexes one message object's JSON with ``JSONScanner`` (no ``Message`` is built).
    /// - Throws: ``JSONScanner/Malformed`` when the JSON is not a message object (no `id`, `channel_id` or
    ///   `timestamp`).
    public init(json: Data) throws {
        self = try json.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            let range = try scanner.skipValue()
            try scanner.expectEnd()
            return try Self.index(JSONScanner(buffer), range, json: json)
        }
    }

    /// Indexes every message of a JSON array (a REST page), keeping each element's exact bytes.
    /// - Throws: ``JSONScanner/Malformed``.
    public static func page(_ data: Data) throws -> [IndexedMessage] {
        try data.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            let reader = JSONScanner(buffer)
            var messages: [IndexedMessage] = []
            try scanner.forEachElement { range in
                messages.append(try index(reader, range, json: reader.data(range)))
            }
            try scanner.expectEnd()
            return messages
        }
    }

    private static func index(_ reader: JSONScanner, _ range: Range<Int>, json: Data) throws -> IndexedMessage {
        var id: UInt64?
        var channel: UInt64?
        var timestamp: String?
        var message = IndexedMessage(
            id: Snowflake(0), channelId: Snowflake(0), guildId: nil, authorId: nil, isWebhook: false, mentionIds: [],
            timestamp: "", editedTimestamp: nil, type: 0, flags: 0, content: "", pinned: false,
            referenceMessageId: nil, referenceChannelId: nil, referenceGuildId: nil, attachments: [], reactions: nil,
            json: json)
        var scanner = JSONScanner(reader.bytes, at: range.lowerBound)
        try scanner.forEachMember { key, value in
            switch key.contents.count {
            case 2 where reader.key(key, is: "id"): id = reader.unsignedInteger(value)
            case 4 where reader.key(key, is: "type"): message.type = Int(reader.integer(value) ?? 0)
            case 5 where reader.key(key, is: "flags"): message.flags = Int(reader.integer(value) ?? 0)
            case 6 where reader.key(key, is: "author"):
                message.authorId = try objectId(reader, value).map(Snowflake.init)
                if reader.bytes[value.lowerBound] == UInt8(ascii: "{") {
                    message.authorRange = value.lowerBound - range.lowerBound..<value.upperBound - range.lowerBound
                }
            case 6 where reader.key(key, is: "pinned"):
                message.pinned = reader.bytes[value.lowerBound] == UInt8(ascii: "t")
            case 7 where reader.key(key, is: "content"): message.content = try reader.string(in: value) ?? ""
            case 8 where reader.key(key, is: "guild_id"):
                message.guildId = reader.unsignedInteger(value).map(Snowflake.init)
            case 8 where reader.key(key, is: "mentions"):
                message.mentionIds = try objects(reader, value).compactMap { try objectId(reader, $0) }.map(
                    Snowflake.init)
            case 9 where reader.key(key, is: "timestamp"): timestamp = try reader.string(in: value)
            case 9 where reader.key(key, is: "reactions"):
                message.reactions =
                    reader.isNull(value) ? nil : try objects(reader, value).map { try reaction(reader, $0) }
            case 10 where reader.key(key, is: "channel_id"): channel = reader.unsignedInteger(value)
            case 10 where reader.key(key, is: "webhook_id"): message.isWebhook = !reader.isNull(value)
            case 11 where reader.key(key, is: "attachments"):
                message.attachments = try objects(reader, value).map { try attachment(reader, $0) }
            case 16 where reader.key(key, is: "edited_timestamp"):
                message.editedTimestamp = try reader.string(in: value)
            case 17 where reader.key(key, is: "message_reference"):
                guard !reader.isNull(value) else { break }
                var inner = JSONScanner(reader.bytes, at: value.lowerBound)
                try inner.forEachMember { key, value in
                    if reader.key(key, is: "message_id") {
                        message.referenceMessageId = reader.unsignedInteger(value).map(Snowflake.init)
                    } else if reader.key(key, is: "channel_id") {
                        message.referenceChannelId = reader.unsignedInteger(value).map(Snowflake.init)
                    } else if reader.key(key, is: "guild_id") {
                        message.referenceGuildId = reader.unsignedInteger(value).map(Snowflake.init)
                    }
                    return true
                }
            default: break
            }
            return true
        }
        guard let id, let channel, let timestamp else {
            throw JSONScanner.Malformed(
                offset: range.lowerBound, reason: "a message needs id, channel_id and timestamp")
        }
        message.id = Snowflake(id)
        message.channelId = Snowflake(channel)
        message.timestamp = timestamp
        return message
    }

    /// The element ranges of an array value (none for `null`).
    private static func objects(_ reader: JSONScanner, _ value: Range<Int>) throws -> [Range<Int>] {
        guard !reader.isNull(value) else { return [] }
        var scanner = JSONScanner(reader.bytes, at: value.lowerBound)
        var ranges: [Range<Int>] = []
        try scanner.forEachElement { ranges.append($0) }
        return ranges
    }

    /// The `id` of an object value.
    private static func objectId(_ reader: JSONScanner, _ value: Range<Int>) throws -> UInt64? {
        guard !reader.isNull(value) else { return nil }
        var scanner = JSONScanner(reader.bytes, at: value.lowerBound)
        var id: UInt64?
        try scanner.forEachMember { key, value in
            guard reader.key(key, is: "id") else { return true }
            id = reader.unsignedInteger(value)
            return false
        }
        return id
    }

    private static func attachment(_ reader: JSONScanner, _ value: Range<Int>) throws -> AttachmentSummary {
        var scanner = JSONScanner(reader.bytes, at: value.lowerBound)
        var summary = AttachmentSummary(
            id: Snowflake(0), filename: "", size: 0, contentType: nil, url: "", proxyURL: "")
        try scanner.forEachMember { key, value in
            if reader.key(key, is: "id") {
                summary.id = Snowflake(reader.unsignedInteger(value) ?? 0)
            } else if reader.key(key, is: "filename") {
                summary.filename = try reader.string(in: value) ?? ""
            } else if reader.key(key, is: "size") {
                summary.size = Int(reader.integer(value) ?? 0)
            } else if reader.key(key, is: "content_type") {
                summary.contentType = try reader.string(in: value)
            } else if reader.key(key, is: "url") {
                summary.url = try reader.string(in: value) ?? ""
            } else if reader.key(key, is: "proxy_url") {
                summary.proxyURL = try reader.string(in: value) ?? ""
            }
            return true
        }
        return summary
    }

    private static func reaction(_ reader: JSONScanner, _ value: Range<Int>) throws -> ReactionSummary {
        var scanner = JSONScanner(reader.bytes, at: value.lowerBound)
        var summary = ReactionSummary(emojiId: nil, emojiName: nil, count: 0, normalCount: nil, burstCount: nil)
        try scanner.forEachMember { key, value in
            if reader.key(key, is: "count") {
                summary.count = Int(reader.integer(value) ?? 0)
            } else if reader.key(key, is: "emoji"), !reader.isNull(value) {
                var emoji = JSONScanner(reader.bytes, at: value.lowerBound)
                try emoji.forEachMember { key, value in
                    if reader.key(key, is: "id") {
                        summary.emojiId = reader.unsignedInteger(value).map(Snowflake.init)
                    } else if reader.key(key, is: "name") {
                        summary.emojiName = try reader.string(in: value)
                    }
                    return true
                }
            } else if reader.key(key, is: "count_details"), !reader.isNull(value) {
                var details = JSONScanner(reader.bytes, at: value.lowerBound)
                var normal: Int?
                var burst: Int?
                try details.forEachMember { key, value in
                    if reader.key(key, is: "normal") {
                        normal = reader.integer(value).map(Int.init)
                    } else if reader.key(key, is: "burst") {
                        burst = reader.integer(value).map(Int.init)
                    }
                    return true
                }
                // The model needs both to decode count_details; so does the index.
                if let normal, let burst {
                    summary.normalCount = normal
                    summary.burstCount = burst
                }
            }
            return true
        }
        return summary
    }
}
