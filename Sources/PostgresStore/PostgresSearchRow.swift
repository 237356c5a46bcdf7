import ArchiveStore

/// The row a search's conditions test: an archived message (Discord's JSON and its columns) or an imported one (a
/// DCE object, whose fields are read from its JSON). One filter builder
/// (``PostgresArchiveStore/appendFilters(_:before:within:text:row:to:)``) writes both, so `from:`, `has:`, `in:`,
/// `before:`/`after:` and the rest mean the same over either.
enum PostgresSearchRow {
    case archived
    case imported

    /// The table (its name is the alias too).
    var table: String { self == .archived ? "message" : "imported_message" }

    /// The text search vector, as the table's GIN index holds it (a query must spell it exactly so for the index
    /// to answer it).
    var searchVector: String {
        self == .archived ? PostgresArchiveStore.searchVector : PostgresArchiveStore.importedSearchVector
    }

    /// Whether the message is pinned (a boolean).
    var pinned: String {
        self == .archived ? "pinned" : "coalesce((json->>'isPinned')::boolean, false)"
    }

    /// When it was edited, or NULL.
    var edited: String { self == .archived ? "edited_timestamp" : "json->>'timestampEdited'" }

    /// When it was found deleted, or NULL: an imported message never is (DCE exports what exists).
    var deleted: String { self == .archived ? "deleted_at" : "NULL" }

    /// The SQL condition of a `has:` filter. DCE keeps an attachment's file name, not its media type: an imported
    /// one is an image, video or sound by its extension; DCE keeps no poll.
    func condition(_ content: MessageSearch.Content) -> String {
        let array = PostgresArchiveStore.array
        func attachment(_ prefix: String) -> String {
            guard self == .imported else {
                return "EXISTS (SELECT 1 FROM json_array_elements(\(array("attachments"))) a "
                    + "WHERE a->>'content_type' LIKE '\(prefix)/%')"
            }
            let names = content.fileExtensions.map { "lower(a->>'fileName') LIKE '%.\($0)'" }
            return "EXISTS (SELECT 1 FROM json_array_elements(\(array("attachments"))) a WHERE "
                + names.joined(separator: " OR ") + ")"
        }
        let text = self == .archived ? "content" : "(json->>'content')"
        switch content {
        case .link: return "(\(text) LIKE '%http://%' OR \(text) LIKE '%https://%')"
        case .embed: return "json_array_length(\(array("embeds"))) > 0"
        case .file: return "json_array_length(\(array("attachments"))) > 0"
        case .image: return attachment("image")
        case .video: return attachment("video")
        case .sound: return attachment("audio")
        case .sticker: return "json_array_length(\(array(self == .archived ? "sticker_items" : "stickers"))) > 0"
        case .poll: return self == .archived ? "json_typeof(json::json->'poll') = 'object'" : "false"
        }
    }

    /// The SQL condition of an `author_type:` filter. DCE keeps whether an author is a bot, not whether a webhook
    /// sent the message: an imported message is a user's or a bot's, never a webhook's.
    func condition(_ type: MessageSearch.AuthorType) -> String {
        guard self == .archived else {
            let bot = "coalesce(json->'author'->>'isBot', 'false')"
            switch type {
            case .webhook: return "false"
            case .bot: return "\(bot) = 'true'"
            case .user: return "\(bot) <> 'true'"
            }
        }
        switch type {
        case .webhook: return "json::json->>'webhook_id' IS NOT NULL"
        case .bot: return "(\(Self.botAuthor) = 'true' AND json::json->>'webhook_id' IS NULL)"
        case .user: return "(coalesce(\(Self.botAuthor), 'false') <> 'true' AND json::json->>'webhook_id' IS NULL)"
        }
    }

    /// The author's `bot` of an archived row (its author object may be kept apart: see ``PostgresMessageAuthors``).
    private static let botAuthor = PostgresMessageAuthors.authorMember("bot", of: "message")
}
