import DiscordModels
import Foundation

/// Fallbacks for backends that do not support imported exports yet: every operation throws
/// ``ArchiveStoreError/unsupportedOperation(_:)``, except the reads, which find nothing. SQLite implements them all.
extension ArchiveStore {
    public func stageImportedMessages(_ messages: [ImportedMessage], stage: UUID) async throws {
        throw ArchiveStoreError.unsupportedOperation("this archive backend cannot import export files yet")
    }

    public func commitImport(stage: UUID, channel: ImportedChannel) async throws -> ImportResult {
        throw ArchiveStoreError.unsupportedOperation("this archive backend cannot import export files yet")
    }

    public func discardImport(stage: UUID) async throws {}

    public func importedChannels() async throws -> [ImportedChannel] { [] }

    public func importedMessages(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [ImportedMessage]
    { [] }

    public func messageSources(of message: Snowflake<Message>) async throws -> [String] { [] }

    public func member(_ user: Snowflake<User>, in guild: Snowflake<Guild>) async throws -> Data? { nil }
}
