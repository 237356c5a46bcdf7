import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``MessageStore/attachments(of:in:)``.
    public func attachments(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> [StoredAttachment]
    {
        try await read("read attachments of message \(message) of channel \(channel)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(RecordRows.attachmentColumns) FROM attachment
                    WHERE channel_id = ? AND message_id = ? ORDER BY id
                    """,
                arguments: [channel.columnID, message.columnID]
            ).map(RecordRows.attachment)
        }
    }

    /// See ``MediaStore/attachmentsLackingDownload(after:maxFailures:limit:)``.
    public func attachmentsLackingDownload(after: Snowflake<Attachment>?, maxFailures: Int, limit: Int)
        async throws -> [StoredAttachment]
    {
        try await read("list attachments to download") { db in
            try IDRangeRead(Snowflake.ids(after: after), limit: limit).rows { range, wanted in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(RecordRows.attachmentColumns) FROM attachment
                        WHERE sha256 IS NULL AND id BETWEEN ? AND ? AND failed_attempts < ? ORDER BY id LIMIT ?
                        """,
                    arguments: [range.lowerBound, range.upperBound, maxFailures, wanted]
                ).map(RecordRows.attachment)
            }
        }
    }

    /// See ``MediaStore/recordDownload(of:sha256:localPath:at:)``.
    public func recordDownload(of attachment: Snowflake<Attachment>, sha256: String, localPath: String, at date: Date)
        async throws
    {
        try await write("record the download of attachment \(attachment)") { db in
            try db.execute(
                sql: """
                    UPDATE attachment SET sha256 = ?, local_path = ?, downloaded_at = ?, download_error = NULL
                    WHERE id = ?
                    """,
                arguments: [sha256, localPath, ColumnDate.text(date), attachment.columnID])
        }
    }

    /// See ``MediaStore/recordDownloadFailure(of:reason:at:)``.
    public func recordDownloadFailure(of attachment: Snowflake<Attachment>, reason: String, at date: Date)
        async throws
    {
        try await write("record a failed download of attachment \(attachment)") { db in
            try db.execute(
                sql: """
                    UPDATE attachment SET download_error = ?, failed_attempts = failed_attempts + 1
                    WHERE id = ? AND sha256 IS NULL
                    """,
                arguments: [reason, attachment.columnID])
        }
    }

    /// See ``MediaStore/recordDownloadSkipped(of:reason:)``.
    public func recordDownloadSkipped(of attachment: Snowflake<Attachment>, reason: String) async throws {
        try await write("record a skipped download of attachment \(attachment)") { db in
            try db.execute(
                sql: "UPDATE attachment SET download_error = ? WHERE id = ? AND sha256 IS NULL",
                arguments: [reason, attachment.columnID])
        }
    }
}
