import ArchiveStore
import DiscordModels
import PostgresNIO

// The statements of the hot path (a group of pages of messages), prepared once per connection by PostgresNIO and
// executed with whole columns bound as arrays, so a group of pages of several channels is a fixed handful of round
// trips (rows carry their channel).

/// A prepared statement that returns no rows.
protocol PreparedWrite: PostgresPreparedStatement where Row == () {}

extension PreparedWrite {
    func decodeRow(_ row: PostgresRow) throws {}
}

/// The number at the end of a command tag (`UPDATE 3` → 3).
func affectedRows(_ commandTag: String) -> Int {
    Int(commandTag.split(separator: " ").last ?? "") ?? 0
}

/// Takes the per-channel transaction locks (`pg_advisory_xact_lock`) of a group of pages in one round trip, in the
/// order of `channels` (ascending, so two writers never deadlock: the function scan over `unnest` keeps the array's
/// order). One prepared statement instead of one parsed query per channel.
struct LockChannels: PreparedWrite {
    static let sql = "SELECT pg_advisory_xact_lock(c) FROM unnest($1::bigint[]) AS t(c)"

    /// The channels' ids, ascending and distinct.
    var channels: ArrayColumn

    init(channels: [Int64]) {
        var column = ArrayColumn(.int8)
        for channel in channels { column.append(channel) }
        self.channels = column
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(channels)
        return bindings
    }
}

/// The stored state of the messages of a group of pages that already exist (of any channels), locked for the
/// transaction in ascending `(channel, id)` order (the sort runs below the row locks): one round trip for the group
/// instead of one per channel. The ids are one array probed through the `message_id` index in one scan (0.9 µs of
/// server time per id, against 2.2 µs for a look-up per `(channel, id)` pair: most ids of a backfill are new, each
/// probe finds nothing); a row of another channel of the group with the same id comes back too (a thread's starter
/// shares its id), locked with the rest: the caller keys the rows by both.
struct SelectStoredMessages: PostgresPreparedStatement {
    static let sql = """
        SELECT channel_id, id, edited_timestamp, content, \(PostgresMessageAuthors.json(of: "message")),
            deleted_at IS NOT NULL
        FROM message WHERE id = ANY($2::bigint[]) AND channel_id = ANY($1::bigint[])
        ORDER BY channel_id, id FOR UPDATE
        """
    typealias Row = (Int64, Int64, String?, String, String, Bool)

    /// The group's channels, each once.
    var channelIds = ArrayColumn(.int8)
    /// The messages' ids.
    var ids = ArrayColumn(.int8)

    var isEmpty: Bool { ids.isEmpty }

    /// Builds the look-up of `keys`.
    init(_ keys: Set<MessageKey>) {
        var channels: Set<Int64> = []
        for key in keys {
            ids.append(key.id)
            if channels.insert(key.channel).inserted { channelIds.append(key.channel) }
        }
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(channelIds)
        bindings.append(ids)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// The typed columns of messages, one array per column (row `i` of every array is one message), each kept in the
/// binary array format as rows are added (see ``ArrayColumn``).
struct MessageColumns: Sendable {
    var id = ArrayColumn(.int8)
    var channelId = ArrayColumn(.int8)
    var guildId = ArrayColumn(.int8)
    var authorId = ArrayColumn(.int8)
    var timestamp = ArrayColumn(.text)
    var editedTimestamp = ArrayColumn(.text)
    var type = ArrayColumn(.int8)
    var flags = ArrayColumn(.int8)
    var content = ArrayColumn(.text)
    var pinned = ArrayColumn(.bool)
    var referenceMessageId = ArrayColumn(.int8)
    var referenceChannelId = ArrayColumn(.int8)
    var referenceGuildId = ArrayColumn(.int8)
    var json = ArrayColumn(.text)
    var revisions = ArrayColumn(.int8)

    var isEmpty: Bool { id.isEmpty }

    func append(to bindings: inout PostgresBindings) {
        bindings.append(id)
        bindings.append(guildId)
        bindings.append(authorId)
        bindings.append(timestamp)
        bindings.append(editedTimestamp)
        bindings.append(type)
        bindings.append(flags)
        bindings.append(content)
        bindings.append(pinned)
        bindings.append(referenceMessageId)
        bindings.append(referenceChannelId)
        bindings.append(referenceGuildId)
        bindings.append(json)
        bindings.append(revisions)
        bindings.append(channelId)
    }

    /// The `unnest(…)` source of the 15 column arrays bound from `$1`.
    static let unnest = """
        unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
            $8::text[], $9::boolean[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[], $14::bigint[],
            $15::bigint[])
            AS t(id, guild_id, author_id, timestamp, edited_timestamp, type, flags, content, pinned,
                reference_message_id, reference_channel_id, reference_guild_id, json, revisions, channel_id)
        """

    /// ``unnest`` with the `author_ref` and `author_at` arrays of ``PostgresMessageAuthors`` bound at `$17`, `$18`.
    static let unnestWithAuthors = """
        unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
            $8::text[], $9::boolean[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[], $14::bigint[],
            $15::bigint[], $17::bigint[], $18::bigint[])
            AS t(id, guild_id, author_id, timestamp, edited_timestamp, type, flags, content, pinned,
                reference_message_id, reference_channel_id, reference_guild_id, json, revisions, channel_id,
                author_ref, author_at)
        """
}

/// Inserts new messages; a row with an `author_ref` keeps its JSON with the author replaced (see
/// ``PostgresMessageAuthors``).
struct InsertMessages: PreparedWrite {
    static let sql = """
        INSERT INTO message (id, channel_id, guild_id, author_id, timestamp, edited_timestamp, type, flags, content,
            pinned, reference_message_id, reference_channel_id, reference_guild_id, json, archived_at, updated_at,
            revision_count, author_ref, author_at)
        SELECT id, channel_id, guild_id, author_id, timestamp, edited_timestamp, type, flags, content, pinned,
            reference_message_id, reference_channel_id, reference_guild_id, json, $16, $16, revisions,
            author_ref, author_at
        FROM \(MessageColumns.unnestWithAuthors)
        """

    var columns: MessageColumns
    var nowText: String
    /// Per row: the `author_json` id, or NULL for a row keeping its JSON whole.
    var authorRef: ArrayColumn
    /// Per row: the character offset of the `null` standing for the author object.
    var authorAt: ArrayColumn

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 18)
        columns.append(to: &bindings)
        bindings.append(nowText)
        bindings.append(authorRef)
        bindings.append(authorAt)
        return bindings
    }
}

/// Replaces the current version of stored messages (edits and refreshes), adding to their revision counts.
struct UpdateMessages: PreparedWrite {
    static let sql = """
        UPDATE message AS m SET guild_id = COALESCE(t.guild_id, m.guild_id), author_id = t.author_id,
            edited_timestamp = t.edited_timestamp, type = t.type, flags = t.flags, content = t.content,
            pinned = t.pinned, reference_message_id = t.reference_message_id,
            reference_channel_id = t.reference_channel_id, reference_guild_id = t.reference_guild_id,
            timestamp = t.timestamp, json = t.json, updated_at = $16,
            revision_count = m.revision_count + t.revisions, author_ref = NULL, author_at = NULL
        FROM \(MessageColumns.unnest)
        WHERE m.channel_id = t.channel_id AND m.id = t.id
        """

    var columns: MessageColumns
    var nowText: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 16)
        columns.append(to: &bindings)
        bindings.append(nowText)
        return bindings
    }
}

/// Adds earlier versions of messages, in the given order.
struct InsertRevisions: PreparedWrite {
    static let sql = """
        INSERT INTO message_revision (channel_id, message_id, edited_timestamp, content, json, recorded_at)
        SELECT channel_id, message_id, edited_timestamp, content, json::json, $5
        FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $6::bigint[]) WITH ORDINALITY
            AS t(message_id, edited_timestamp, content, json, channel_id, position)
        ORDER BY position
        """

    var messageId: [Int64] = []
    var editedTimestamp: [String?] = []
    var content: [String] = []
    var json: [String] = []
    var nowText: String = ""
    var channelId: [Int64] = []

    var isEmpty: Bool { messageId.isEmpty }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(messageId)
        bindings.append(NullableArray(editedTimestamp))
        bindings.append(content)
        bindings.append(json)
        bindings.append(nowText)
        bindings.append(channelId)
        return bindings
    }
}

/// Upserts attachments as Discord describes them, never touching the media download state.
struct UpsertAttachments: PreparedWrite {
    static let sql = """
        INSERT INTO attachment AS a (id, message_id, channel_id, filename, size, content_type, url, proxy_url)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[],
            $7::text[], $8::text[])
        ON CONFLICT (id) DO UPDATE SET filename = excluded.filename, size = excluded.size,
            content_type = excluded.content_type, url = excluded.url, proxy_url = excluded.proxy_url
        WHERE a.url IS DISTINCT FROM excluded.url OR a.proxy_url IS DISTINCT FROM excluded.proxy_url
            OR a.filename IS DISTINCT FROM excluded.filename OR a.size IS DISTINCT FROM excluded.size
            OR a.content_type IS DISTINCT FROM excluded.content_type
        """

    var id = ArrayColumn(.int8)
    var messageId = ArrayColumn(.int8)
    var channelId = ArrayColumn(.int8)
    var filename = ArrayColumn(.text)
    var size = ArrayColumn(.int8)
    var contentType = ArrayColumn(.text)
    var url = ArrayColumn(.text)
    var proxyURL = ArrayColumn(.text)

    var isEmpty: Bool { id.isEmpty }

    /// Adds an attachment's row (its text columns kept free of NUL by ``pgText(_:)``).
    mutating func append(_ attachment: Attachment, message: Int64, channel: Int64) {
        id.append(attachment.id.columnID)
        messageId.append(message)
        channelId.append(channel)
        filename.append(pgText(attachment.filename))
        size.append(Int64(attachment.size))
        contentType.append(attachment.contentType.map(pgText))
        url.append(pgText(attachment.url))
        proxyURL.append(pgText(attachment.proxyURL))
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(id)
        bindings.append(messageId)
        bindings.append(channelId)
        bindings.append(filename)
        bindings.append(size)
        bindings.append(contentType)
        bindings.append(url)
        bindings.append(proxyURL)
        return bindings
    }
}

/// A write keyed by message alone: `$1` the messages' ids, `$2` their channels' ids, one row each.
protocol MessageKeysWrite: PreparedWrite {
    var messageIds: [Int64] { get set }
    var channelIds: [Int64] { get set }
}

extension MessageKeysWrite {
    var isEmpty: Bool { messageIds.isEmpty }

    /// Adds one message (by id and channel) to the statement.
    mutating func append(message id: Int64, channel: Int64) {
        messageIds.append(id)
        channelIds.append(channel)
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(messageIds)
        bindings.append(channelIds)
        return bindings
    }
}

/// Removes the reactions of messages whose reactions are about to be replaced.
struct DeleteReactions: MessageKeysWrite {
    static let sql = """
        DELETE FROM reaction AS r USING unnest($1::bigint[], $2::bigint[]) AS t(message_id, channel_id)
        WHERE r.channel_id = t.channel_id AND r.message_id = t.message_id
        """

    var messageIds: [Int64] = []
    var channelIds: [Int64] = []
}

/// Lifts the tombstones of messages given again.
struct RestoreMessages: MessageKeysWrite {
    static let sql = """
        UPDATE message AS m SET deleted_at = NULL FROM unnest($1::bigint[], $2::bigint[]) AS t(id, channel_id)
        WHERE m.channel_id = t.channel_id AND m.id = t.id
        """

    var messageIds: [Int64] = []
    var channelIds: [Int64] = []
}

/// Adds to the revision counts of messages given only older versions (not rewritten).
struct AddRevisionCounts: PreparedWrite {
    static let sql = """
        UPDATE message AS m SET revision_count = m.revision_count + t.n
        FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS t(id, channel_id, n)
        WHERE m.channel_id = t.channel_id AND m.id = t.id
        """

    var ids: [Int64] = []
    var channelIds: [Int64] = []
    var added: [Int64] = []

    var isEmpty: Bool { ids.isEmpty }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(ids)
        bindings.append(channelIds)
        bindings.append(added)
        return bindings
    }
}

/// Upserts reaction rows.
struct UpsertReactions: PreparedWrite {
    static let sql = """
        INSERT INTO reaction (channel_id, message_id, emoji_key, emoji_id, emoji_name, count, normal_count,
            burst_count)
        SELECT channel_id, message_id, emoji_key, emoji_id, emoji_name, count, normal_count, burst_count
        FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[],
            $8::bigint[]) AS t(message_id, emoji_key, emoji_id, emoji_name, count, normal_count, burst_count, channel_id)
        ON CONFLICT (channel_id, message_id, emoji_key) DO UPDATE SET count = excluded.count,
            normal_count = excluded.normal_count, burst_count = excluded.burst_count
        """

    var messageId = ArrayColumn(.int8)
    var emojiKey = ArrayColumn(.text)
    var emojiId = ArrayColumn(.int8)
    var emojiName = ArrayColumn(.text)
    var count = ArrayColumn(.int8)
    var normalCount = ArrayColumn(.int8)
    var burstCount = ArrayColumn(.int8)
    var channelId = ArrayColumn(.int8)

    var isEmpty: Bool { messageId.isEmpty }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(messageId)
        bindings.append(emojiKey)
        bindings.append(emojiId)
        bindings.append(emojiName)
        bindings.append(count)
        bindings.append(normalCount)
        bindings.append(burstCount)
        bindings.append(channelId)
        return bindings
    }
}

/// Upserts users: the profile of the latest sighting (by `seen_at`, a snowflake compared unsigned: its bit pattern is
/// negative from 2^63 on) wins; an identical profile writes nothing.
/// Rows must be unique by id and are best sorted by id (a stable lock order between concurrent writers).
struct UpsertUsers: PreparedWrite {
    static let sql = """
        INSERT INTO discord_user AS u (id, username, global_name, discriminator, avatar, bot, json, seen_at,
            first_seen_at, updated_at)
        SELECT id, username, global_name, discriminator, avatar, bot, json::json, seen_at, $9, $9
        FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[],
            $8::bigint[]) AS t(id, username, global_name, discriminator, avatar, bot, json, seen_at)
        ON CONFLICT (id) DO UPDATE SET username = excluded.username, global_name = excluded.global_name,
            discriminator = excluded.discriminator, avatar = excluded.avatar, bot = excluded.bot,
            json = excluded.json, seen_at = excluded.seen_at, updated_at = excluded.updated_at
        WHERE (excluded.seen_at < 0, excluded.seen_at) > (u.seen_at < 0, u.seen_at)
            OR (excluded.seen_at = u.seen_at AND u.json::text IS DISTINCT FROM excluded.json::text)
        """

    var id: [Int64] = []
    var username: [String] = []
    var globalName: [String?] = []
    var discriminator: [String?] = []
    var avatar: [String?] = []
    var bot: [Bool?] = []
    var json: [String] = []
    var seenAt: [Int64] = []
    var nowText: String = ""

    var isEmpty: Bool { id.isEmpty }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 9)
        bindings.append(id)
        bindings.append(username)
        bindings.append(NullableArray(globalName))
        bindings.append(NullableArray(discriminator))
        bindings.append(NullableArray(avatar))
        bindings.append(NullableArray(bot))
        bindings.append(json)
        bindings.append(seenAt)
        bindings.append(nowText)
        return bindings
    }
}

/// Writes one channel checkpoint.
struct SaveCheckpoint: PreparedWrite {
    static let sql = """
        INSERT INTO channel_checkpoint AS c (channel_id, guild_id, backfill_complete, oldest_archived_id,
            newest_archived_id, backfill_cursor, last_sync_at, last_recheck_at, recheck_cursor, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (channel_id) DO UPDATE SET guild_id = COALESCE(excluded.guild_id, c.guild_id),
            backfill_complete = excluded.backfill_complete, oldest_archived_id = excluded.oldest_archived_id,
            newest_archived_id = excluded.newest_archived_id, backfill_cursor = excluded.backfill_cursor,
            last_sync_at = excluded.last_sync_at, last_recheck_at = excluded.last_recheck_at,
            recheck_cursor = excluded.recheck_cursor, updated_at = excluded.updated_at
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .int8, .int8, .bool, .int8, .int8, .int8, .text, .text, .int8, .text,
    ]

    var channelId: Int64
    var guildId: Int64?
    var backfillComplete: Bool
    var oldestArchivedId: Int64?
    var newestArchivedId: Int64?
    var backfillCursor: Int64?
    var lastSyncAt: String?
    var lastRecheckAt: String?
    var recheckCursor: Int64?
    var nowText: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(channelId)
        bindings.append(guildId)
        bindings.append(backfillComplete)
        bindings.append(oldestArchivedId)
        bindings.append(newestArchivedId)
        bindings.append(backfillCursor)
        bindings.append(lastSyncAt)
        bindings.append(lastRecheckAt)
        bindings.append(recheckCursor)
        bindings.append(nowText)
        return bindings
    }
}

/// Writes the progress of a group of pages in one statement: the checkpoints of its channels (one row per channel)
/// and its segments (one row per channel and low bound). One round trip instead of one per table.
struct SaveProgress: PreparedWrite {
    static let sql = """
        WITH checkpoints AS (
            INSERT INTO channel_checkpoint AS c (channel_id, guild_id, backfill_complete, oldest_archived_id,
                newest_archived_id, backfill_cursor, last_sync_at, last_recheck_at, recheck_cursor, updated_at)
            SELECT t.*, $15 FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::bigint[], $5::bigint[],
                $6::bigint[], $7::text[], $8::text[], $9::bigint[]) AS t
            ON CONFLICT (channel_id) DO UPDATE SET guild_id = COALESCE(excluded.guild_id, c.guild_id),
                backfill_complete = excluded.backfill_complete, oldest_archived_id = excluded.oldest_archived_id,
                newest_archived_id = excluded.newest_archived_id, backfill_cursor = excluded.backfill_cursor,
                last_sync_at = excluded.last_sync_at, last_recheck_at = excluded.last_recheck_at,
                recheck_cursor = excluded.recheck_cursor, updated_at = excluded.updated_at)
        INSERT INTO channel_segment (channel_id, low, high, cursor, done, updated_at)
        SELECT t.*, $15 FROM unnest($10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::boolean[]) AS t
        ON CONFLICT (channel_id, low) DO UPDATE SET high = excluded.high, cursor = excluded.cursor,
            done = excluded.done, updated_at = excluded.updated_at
        """

    var checkpointChannelId = ArrayColumn(.int8)
    var guildId = ArrayColumn(.int8)
    var backfillComplete = ArrayColumn(.bool)
    var oldestArchivedId = ArrayColumn(.int8)
    var newestArchivedId = ArrayColumn(.int8)
    var backfillCursor = ArrayColumn(.int8)
    var lastSyncAt = ArrayColumn(.text)
    var lastRecheckAt = ArrayColumn(.text)
    var recheckCursor = ArrayColumn(.int8)
    var segmentChannelId = ArrayColumn(.int8)
    var low = ArrayColumn(.int8)
    var high = ArrayColumn(.int8)
    var cursor = ArrayColumn(.int8)
    var done = ArrayColumn(.bool)
    var nowText: String

    var isEmpty: Bool { checkpointChannelId.isEmpty && segmentChannelId.isEmpty }

    /// Adds a channel's checkpoint (one per channel).
    mutating func append(_ checkpoint: ChannelCheckpoint) {
        checkpointChannelId.append(checkpoint.channelId.columnID)
        guildId.append(checkpoint.guildId.columnID())
        backfillComplete.append(checkpoint.backfillComplete)
        oldestArchivedId.append(checkpoint.oldestArchivedId.columnID())
        newestArchivedId.append(checkpoint.newestArchivedId.columnID())
        backfillCursor.append(checkpoint.backfillCursor.columnID())
        lastSyncAt.append(ColumnDate.text(checkpoint.lastSyncAt))
        lastRecheckAt.append(ColumnDate.text(checkpoint.lastRecheckAt))
        recheckCursor.append(checkpoint.recheckCursor.columnID())
    }

    /// Adds a segment's state (one per channel and low bound).
    mutating func append(_ segment: ChannelSegment) {
        segmentChannelId.append(segment.channelId.columnID)
        low.append(segment.low.columnID)
        high.append(segment.high.columnID)
        cursor.append(segment.cursor.columnID())
        done.append(segment.done)
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 15)
        for column in [
            checkpointChannelId, guildId, backfillComplete, oldestArchivedId, newestArchivedId, backfillCursor,
            lastSyncAt, lastRecheckAt, recheckCursor, segmentChannelId, low, high, cursor, done,
        ] {
            bindings.append(column)
        }
        bindings.append(nowText)
        return bindings
    }
}

/// Writes one segment.
struct SaveSegment: PreparedWrite {
    static let sql = """
        INSERT INTO channel_segment (channel_id, low, high, cursor, done, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (channel_id, low) DO UPDATE SET high = excluded.high, cursor = excluded.cursor,
            done = excluded.done, updated_at = excluded.updated_at
        """
    static let bindingDataTypes: [PostgresDataType] = [.int8, .int8, .int8, .int8, .bool, .text]

    var channelId: Int64
    var low: Int64
    var high: Int64
    var cursor: Int64?
    var done: Bool
    var nowText: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(channelId)
        bindings.append(low)
        bindings.append(high)
        bindings.append(cursor)
        bindings.append(done)
        bindings.append(nowText)
        return bindings
    }
}
