import ArchiveStore
import DiscordModels
import Foundation

extension ArchiveServer {
    /// A page of a channel's messages as Discord returns it: newest first, archived and imported ones merged
    /// (``MergedHistory``). `around` takes `limit / 2` newer
    /// messages and fills the rest with the message itself and older ones, as Discord and the simulator do.
    func messagePage(_ request: MessagePageRequest, in channel: Snowflake<Channel>, includeDeleted: Bool)
        async throws -> [StoredMessage]
    {
        switch request.cursor {
        case .latest:
            return try await history.messages(
                in: channel, before: nil, limit: request.limit, includeDeleted: includeDeleted)
        case .before(let id):
            return try await history.messages(
                in: channel, before: id, limit: request.limit, includeDeleted: includeDeleted)
        case .after(let id):
            return try await history.messages(
                in: channel, after: id, limit: request.limit, includeDeleted: includeDeleted
            ).reversed()
        case .around(let id):
            let newer = try await history.messages(
                in: channel, after: id, limit: request.limit / 2, includeDeleted: includeDeleted)
            let pivot = id.rawValue == UInt64.max ? nil : Snowflake<Message>(id.rawValue + 1)
            let older = try await history.messages(
                in: channel, before: pivot, limit: request.limit - newer.count, includeDeleted: includeDeleted)
            return newer.reversed() + older
        }
    }
}
