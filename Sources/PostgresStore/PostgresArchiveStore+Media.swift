import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// See ``MessageStore/attachments(of:in:)``.
    public func attachments(of message: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>)
        async throws -> [StoredAttachment]
    {
        try await read("read attachments of message \(message) of channel \(channel)") { connection in
            try await connection.query(
                """
                SELECT \(unescaped: PostgresRecordRows.attachmentColumns) FROM attachment
                WHERE channel_id = \(channel.columnID) AND message_id = \(message.columnID) ORDER BY id
                """, logger: self.logger
            ).collect().map(PostgresRecordRows.attachment)
        }
    }

    /// See ``MediaStore/attachmentsLackingDownload(after:maxFailures:limit:)``.
    public func attachmentsLackingDownload(after: Snowflake<Attachment>?, maxFailures: Int, limit: Int)
        async throws -> [StoredAttachment]
    {
        try await read("list attachments to download") { connection in
            try await IDRangeRead(Snowflake.ids(after: after), limit: limit).asyncRows { range, wanted in
                try await connection.query(
                    """
                    SELECT \(unescaped: PostgresRecordRows.attachmentColumns) FROM attachment
                    WHERE sha256 IS NULL AND id BETWEEN \(range.lowerBound) AND \(range.upperBound)
                        AND failed_attempts < \(Int64(maxFailures))
                    ORDER BY id LIMIT \(Int64(wanted))
                    """, logger: self.logger
                ).collect().map(PostgresRecordRows.attachment)
            }
        }
    }

    /// See ``MediaStore/recordDownload(of:sha256:localPath:at:)``.
    public func recordDownload(of attachment: Snowflake<Attachment>, sha256: String, localPath: String, at date: Date)
        async throws
    {
        try await read("record the download of attachment \(attachment)") { connection in
            try await connection.query(
                """
                UPDATE attachment SET sha256 = \(sha256), local_path = \(pgText(localPath)),
                    downloaded_at = \(ColumnDate.text(date)), download_error = NULL
                WHERE id = \(attachment.columnID)
                """, logger: self.logger)
        }
    }

    /// See ``MediaStore/recordDownloadFailure(of:reason:at:)``.
    public func recordDownloadFailure(of attachment: Snowflake<Attachment>, reason: String, at date: Date)
        async throws
    {
        try await read("record a failed download of attachment \(attachment)") { connection in
            try await connection.query(
                """
                UPDATE attachment SET download_error = \(pgText(reason)), failed_attempts = failed_attempts + 1
                WHERE id = \(attachment.columnID) AND sha256 IS NULL
                """, logger: self.logger)
        }
    }

    /// See ``MediaStore/recordDownloadSkipped(of:reason:)``.
    public func recordDownloadSkipped(of attachment: Snowflake<Attachment>, reason: String) async throws {
        try await read("record a skipped download of attachment \(attachment)") { connection in
            try await connection.query(
                """
                UPDATE attachment SET download_error = \(pgText(reason))
                WHERE id = \(attachment.columnID) AND sha256 IS NULL
                """, logger: self.logger)
        }
    }
}
