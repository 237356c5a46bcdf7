import ArchiveStore
import DiscordModels
import GRDB

/// The row a search's conditions test, aliased `m`: an archived message (Discord's JSON and its columns) or an
/// imported one (a DCE object, whose fields are read from its JSON). One filter builder
/// (``SQLiteArchiveStore/filters(_:before:within:commonText:row:)``) writes both, so `from:`, `has:`, `in:`,
/// `before:`/`after:` and the rest mean the same over either.
enum SearchRow {
    case archived
    case imported

    /// The table, aliased `m`.
    var table: String { self == .archived ? "message m" : "imported_message m" }

    /// The full-text index of the table.
    var index: String { self == .archived ? "message_search" : "imported_message_search" }

    /// The row's key in ``index``.
    var key: String { self == .archived ? "m.row_id" : "m.rowid" }

    /// The author's id: a column on both (an imported row's holds the DCE author's id text: see
    /// ``ImportedMessageAuthors``).
    var author: String { "m.author_id" }

    /// An author id as ``author`` holds it.
    func authorArgument(_ author: Snowflake<User>) -> any DatabaseValueConvertible {
        self == .archived ? author.columnID : author.description
    }

    /// Whether the message is pinned (0 or 1).
    var pinned: String { self == .archived ? "m.pinned" : "coalesce(json_extract(m.json, '$.isPinned'), 0)" }

    /// When it was edited, or NULL.
    var edited: String { self == .archived ? "m.edited_timestamp" : "json_extract(m.json, '$.timestampEdited')" }

    /// When it was found deleted, or NULL: an imported message never is (DCE exports what exists).
    var deleted: String { self == .archived ? "m.deleted_at" : "NULL" }

    /// The SQL condition of a `has:` filter on `m`. DCE keeps an attachment's file name, not its media type: an
    /// imported one is an image, video or sound by its extension; DCE keeps no poll.
    func condition(_ content: MessageSearch.Content) -> String {
        func attachment(_ prefix: String) -> String {
            guard self == .imported else {
                return "EXISTS (SELECT 1 FROM json_each(m.json, '$.attachments') "
                    + "WHERE json_extract(value, '$.content_type') LIKE '\(prefix)/%')"
            }
            let names = content.fileExtensions.map { "lower(json_extract(value, '$.fileName')) LIKE '%.\($0)'" }
            return "EXISTS (SELECT 1 FROM json_each(m.json, '$.attachments') WHERE "
                + names.joined(separator: " OR ") + ")"
        }
        let text = self == .archived ? "m.content" : "json_extract(m.json, '$.content')"
        switch content {
        case .link: return "(\(text) LIKE '%http://%' OR \(text) LIKE '%https://%')"
        case .embed: return "json_array_length(m.json, '$.embeds') > 0"
        case .file: return "json_array_length(m.json, '$.attachments') > 0"
        case .image: return attachment("image")
        case .video: return attachment("video")
        case .sound: return attachment("audio")
        case .sticker:
            return "json_array_length(m.json, '$.\(self == .archived ? "sticker_items" : "stickers")') > 0"
        case .poll: return self == .archived ? "json_type(m.json, '$.poll') = 'object'" : "0"
        }
    }

    /// The SQL condition of an `author_type:` filter on `m`. DCE keeps whether an author is a bot, not whether a
    /// webhook sent the message: an imported message is a user's or a bot's, never a webhook's.
    func condition(_ type: MessageSearch.AuthorType) -> String {
        if self == .archived {
            switch type {
            case .webhook: return "json_extract(m.json, '$.webhook_id') IS NOT NULL"
            case .bot: return "(\(Self.botAuthor) = 1 AND json_extract(m.json, '$.webhook_id') IS NULL)"
            case .user: return "(coalesce(\(Self.botAuthor), 0) = 0 AND json_extract(m.json, '$.webhook_id') IS NULL)"
            }
        }
        let isBot = "coalesce(json_extract(m.json, '$.author.isBot'), 0) = 1"
        return type == .webhook ? "0" : type == .bot ? isBot : "NOT (\(isBot))"
    }

    /// The author's `bot` of an archived row `m` (its author object may be kept apart: see ``MessageAuthors``).
    private static let botAuthor = MessageAuthors.authorMember("$.bot", of: "m")
}
