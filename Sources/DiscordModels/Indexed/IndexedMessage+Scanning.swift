import Foundation

extension IndexedMessage {
    /// Indexes one message object's JSON with ``JSONScanner`` (no ``Message`` is built).
    /// - Throws: ``JSONScanner/Malformed`` when the JSON is not a message object (no `id`, `channel_id` or
    ///   `timestamp`).
    public init(json: Data) throws {
        self = try json.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            var users = UserObjectMemo()
            var message = try Self.index(&scanner, users: &users)
            try scanner.expectEnd()
            message.json = json
            message.isKnownUTF8 = UTF8Validation.isValid(buffer)
            return message
        }
    }

    /// Indexes every message of a JSON array (a REST page), keeping each element's exact bytes: every message's
    /// ``json`` is a slice of `data` (no allocation or copy per message, none of the page; a slice's `startIndex` is
    /// its offset in `data`'s indices). One pass over the bytes: each message is indexed as its element is scanned,
    /// then checked for UTF-8 while its bytes are in the cache (``isKnownUTF8``).
    /// - Throws: ``JSONScanner/Malformed``.
    public static func page(_ data: Data) throws -> [IndexedMessage] {
        let base = data.startIndex
        return try data.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            // The page's authors and mentioned users repeat: each distinct object is scanned once.
            var users = UserObjectMemo()
            var messages: [IndexedMessage] = []
            // A page holds at most 100 messages of a few hundred bytes or more each: no regrowth of the array.
            messages.reserveCapacity(Swift.min(100, buffer.count / 200 + 1))
            try scanner.scanElements { scanner in
                let start = scanner.index
                // Indexed straight into its place in the array and finished there: a local message appended was
                // copied (a dozen references retained) and destroyed (released) per message, and so was the one
                // `index` returned.
                messages.append(unscanned)
                try index(&scanner, users: &users, into: &messages[messages.count - 1])
                let end = scanner.index
                messages[messages.count - 1].finish(json: data[base + start..<base + end], offset: start)
                // Checked here, its bytes still in the cache from the scan: a store checking it later, on its own
                // thread, read them again from memory at about four times the cost.
                messages[messages.count - 1].isKnownUTF8 = UTF8Validation.isValid(
                    UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
            }
            try scanner.expectEnd()
            return messages
        }
    }

    /// The message object at the start of `json` indexed for its texts' places (whatever follows the object is not
    /// read), ``json`` left empty.
    static func scanningTexts(of json: Data) throws -> IndexedMessage {
        try json.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            var users = UserObjectMemo()
            return try Self.index(&scanner, users: &users)
        }
    }

    /// Sets the message's bytes (the slice of its page at `offset`) and counts its ranges from their start.
    private mutating func finish(json: Data, offset: Int) {
        self.json = json
        rebase(by: offset)
    }

    /// Moves every byte range of the message (scanned inside its page) `offset` bytes towards the start, so they
    /// count from the start of ``json``.
    private mutating func rebase(by offset: Int) {
        if let author = authorRange { authorRange = author.lowerBound - offset..<author.upperBound - offset }
        timestampText = timestampText.rebased(by: offset)
        editedTimestampText = editedTimestampText?.rebased(by: offset)
        contentText = contentText?.rebased(by: offset)
    }

    /// Indexes every message of a JSON array (a REST page) read in place, as ``page(_:)``: the
    /// page's bytes are copied once, into one buffer every message's ``json`` is a slice of.
    /// - Throws: ``JSONScanner/Malformed``.
    public static func page(bytes buffer: UnsafeRawBufferPointer) throws -> [IndexedMessage] {
        try page(Data(buffer))
    }

    /// Indexes the message object the scanner stands at and moves past it; ``json`` is left empty, and
    /// ``authorRange`` and the texts' places are in the scanner's offsets (the caller sets the one and rebases the
    /// others). `users` are the user objects read before in the same bytes.
    private static func index(_ scanner: inout JSONScanner, users: inout UserObjectMemo) throws -> IndexedMessage {
        var message = IndexedMessage.unscanned
        try index(&scanner, users: &users, into: &message)
        return message
    }

    /// A message with no field read yet, for ``index(_:users:into:)`` to fill.
    private static var unscanned: IndexedMessage {
        IndexedMessage(
            id: Snowflake(0), channelId: Snowflake(0), guildId: nil, authorId: nil, isWebhook: false, mentionIds: [],
            timestampText: IndexedText(contents: 0..<0, isEscaped: false), editedTimestampText: nil, type: 0,
            flags: 0, contentText: nil, pinned: false, referenceMessageId: nil, referenceChannelId: nil,
            referenceGuildId: nil, attachments: [], reactions: nil, json: Data())
    }

    /// ``index(_:users:)`` into `message`, which is ``unscanned`` (a field the object lacks keeps that value): a
    /// page's message is indexed in its place in the page's array, with no copy of it made.
    private static func index(
        _ scanner: inout JSONScanner, users: inout UserObjectMemo, into message: inout IndexedMessage
    ) throws {
        let start = scanner.index
        var id: UInt64?
        var channel: UInt64?
        var timestamp: IndexedText?
        try scanner.scanMembers { key, scanner in
            switch key.contents.count {
            case 2 where scanner.key(key, is: "id"): id = try readId(&scanner, of: "the message")
            case 4 where scanner.key(key, is: "type"): message.type = Int(try scanner.readInteger() ?? 0)
            case 5 where scanner.key(key, is: "flags"):
                message.flags = Int(try scanner.readInteger() ?? 0)
            case 6 where scanner.key(key, is: "author"):
                let objectStart = scanner.index
                if try scanner.skipNull() {
                    message.authorId = nil
                } else {
                    message.authorId = try userId(&scanner, users: &users).map(Snowflake.init)
                    message.authorRange = objectStart..<scanner.index
                }
            case 6 where scanner.key(key, is: "pinned"):
                let value = try scanner.skipValue()
                message.pinned = scanner.bytes[value.lowerBound] == UInt8(ascii: "t")
            case 7 where scanner.key(key, is: "content"): message.contentText = try scanner.readText()
            case 8 where scanner.key(key, is: "guild_id"):
                message.guildId = try scanner.readUnsignedInteger().map(Snowflake.init)
            case 8 where scanner.key(key, is: "mentions"):
                var mentions: [Snowflake<User>] = []
                if try !scanner.skipNull() {
                    try scanner.scanElements { scanner in
                        if try scanner.skipNull() { return }
                        if let id = try userId(&scanner, users: &users) { mentions.append(Snowflake(id)) }
                    }
                }
                message.mentionIds = mentions
            case 9 where scanner.key(key, is: "timestamp"): timestamp = try scanner.readText()
            case 9 where scanner.key(key, is: "reactions"):
                if try scanner.skipNull() {
                    message.reactions = nil
                } else {
                    var reactions: [ReactionSummary] = []
                    try scanner.scanElements { reactions.append(try reaction(&$0)) }
                    message.reactions = reactions
                }
            case 10 where scanner.key(key, is: "channel_id"):
                channel = try readId(&scanner, of: "the message's channel")
            case 10 where scanner.key(key, is: "webhook_id"):
                let value = try scanner.skipValue()
                message.isWebhook = !scanner.isNull(value)
            case 11 where scanner.key(key, is: "attachments"):
                var attachments: [AttachmentSummary] = []
                if try !scanner.skipNull() {
                    try scanner.scanElements { attachments.append(try attachment(&$0)) }
                }
                message.attachments = attachments
            case 16 where scanner.key(key, is: "edited_timestamp"): message.editedTimestampText = try scanner.readText()
            case 17 where scanner.key(key, is: "message_reference"):
                guard try !scanner.skipNull() else { break }
                try scanner.scanMembers { key, scanner in
                    let value = try scanner.skipValue()
                    if scanner.key(key, is: "message_id") {
                        message.referenceMessageId = scanner.unsignedInteger(value).map(Snowflake.init)
                    } else if scanner.key(key, is: "channel_id") {
                        message.referenceChannelId = scanner.unsignedInteger(value).map(Snowflake.init)
                    } else if scanner.key(key, is: "guild_id") {
                        message.referenceGuildId = scanner.unsignedInteger(value).map(Snowflake.init)
                    }
                }
            default: _ = try scanner.skipValue()
            }
        }
        guard let id, let channel, let timestamp else {
            throw JSONScanner.Malformed(offset: start, reason: "a message needs id, channel_id and timestamp")
        }
        message.id = Snowflake(id)
        message.channelId = Snowflake(channel)
        message.timestampText = timestamp
    }

    /// The first `id` of the user object the scanner stands at; moves past the object. The members after the `id`
    /// (name, avatar, flags… usually all of them: Discord sends `id` first) are skipped in one pass without reading
    /// their keys, or not at all when the object is byte for byte the one read before for that id in the same page
    /// (``UserObjectMemo``).
    private static func userId(_ scanner: inout JSONScanner, users: inout UserObjectMemo) throws -> UInt64? {
        let start = scanner.index
        try scanner.expect(UInt8(ascii: "{"))
        if scanner.consume(UInt8(ascii: "}")) { return nil }
        while true {
            let key = try scanner.scanString()
            try scanner.expect(UInt8(ascii: ":"))
            let value = try scanner.skipValue()
            if scanner.key(key, is: "id") {
                let id = scanner.unsignedInteger(value)
                guard let id else {
                    try scanner.skipRestOfContainer()
                    return nil
                }
                if let end = users.end(ofObjectAt: start, id: id, in: scanner.bytes) {
                    scanner.index = end
                } else {
                    try scanner.skipRestOfContainer()
                    users.note(start..<scanner.index, id: id)
                }
                return id
            }
            if scanner.consume(UInt8(ascii: "}")) { return nil }
            guard scanner.consume(UInt8(ascii: ",")) else {
                throw JSONScanner.Malformed(offset: scanner.index, reason: "expected ',' or '}'")
            }
        }
    }

    /// The id the scanner stands at, nil for `null`; an id that is not a snowflake (above 2^64 − 1, negative, not a
    /// number) is refused naming it (`what` has …), as the import refuses it: before, an attachment's was stored as 0
    /// and a message's refused as missing.
    private static func readId(_ scanner: inout JSONScanner, of what: String) throws -> UInt64? {
        let value = try scanner.skipValue()
        if scanner.isNull(value) { return nil }
        if let id = scanner.unsignedInteger(value) { return id }
        var text = String(decoding: UnsafeRawBufferPointer(rebasing: scanner.bytes[value]), as: UTF8.self)
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        let problem = AnySnowflake.problem(withText: text) ?? "an id that is not a decimal string"
        throw JSONScanner.Malformed(offset: value.lowerBound, reason: "\(what) has \(problem)")
    }

    private static func attachment(_ scanner: inout JSONScanner) throws -> AttachmentSummary {
        var summary = AttachmentSummary(
            id: Snowflake(0), filename: "", size: 0, contentType: nil, url: "", proxyURL: "")
        try scanner.scanMembers { key, scanner in
            if scanner.key(key, is: "id") {
                summary.id = Snowflake(try readId(&scanner, of: "an attachment of the message") ?? 0)
            } else if scanner.key(key, is: "filename") {
                summary.filename = try scanner.readString() ?? ""
            } else if scanner.key(key, is: "size") {
                summary.size = Int(try scanner.readInteger() ?? 0)
            } else if scanner.key(key, is: "content_type") {
                summary.contentType = try scanner.readString()
            } else if scanner.key(key, is: "url") {
                summary.url = try scanner.readString() ?? ""
            } else if scanner.key(key, is: "proxy_url") {
                summary.proxyURL = try scanner.readString() ?? ""
            } else {
                _ = try scanner.skipValue()
            }
        }
        return summary
    }

    private static func reaction(_ scanner: inout JSONScanner) throws -> ReactionSummary {
        var summary = ReactionSummary(emojiId: nil, emojiName: nil, count: 0, normalCount: nil, burstCount: nil)
        try scanner.scanMembers { key, scanner in
            if scanner.key(key, is: "count") {
                summary.count = Int(try scanner.readInteger() ?? 0)
            } else if scanner.key(key, is: "emoji"), try !scanner.skipNull() {
                try scanner.scanMembers { key, scanner in
                    if scanner.key(key, is: "id") {
                        summary.emojiId = try scanner.readUnsignedInteger().map(Snowflake.init)
                    } else if scanner.key(key, is: "name") {
                        summary.emojiName = try scanner.readString()
                    } else {
                        _ = try scanner.skipValue()
                    }
                }
            } else if scanner.key(key, is: "count_details"), try !scanner.skipNull() {
                var normal: Int?
                var burst: Int?
                try scanner.scanMembers { key, scanner in
                    let value = try scanner.skipValue()
                    if scanner.key(key, is: "normal") {
                        normal = scanner.integer(value).map(Int.init)
                    } else if scanner.key(key, is: "burst") {
                        burst = scanner.integer(value).map(Int.init)
                    }
                }
                // The model needs both to decode count_details; so does the index.
                if let normal, let burst {
                    summary.normalCount = normal
                    summary.burstCount = burst
                }
            } else if !scanner.key(key, is: "emoji"), !scanner.key(key, is: "count_details") {
                _ = try scanner.skipValue()
            }
        }
        return summary
    }
}
