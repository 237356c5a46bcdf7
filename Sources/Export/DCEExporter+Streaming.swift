import ArchiveStore
import DiscordModels

extension DCEExporter {
    /// One channel's document in the export's format, exactly the bytes ``exportChannel(_:to:)`` writes to its
    /// file (without partitions and media), handed to `write` in pieces of about 64 KiB as they are rendered, so a
    /// server can stream a channel of any size in constant memory.
    public func streamChannel(_ id: Snowflake<Channel>, write: ([UInt8]) async throws -> Void) async throws {
        let info = try await ChannelInfo.load(id.rawValue, store: store, options: options)
        let renderer = try await DCERenderer(store: store, options: options, guildId: info.guildId)
        var stream = ChannelMessageStream(
            store: store, channel: id, after: options.after, before: options.before,
            includeDeleted: options.includeDeleted)
        var format = makeFormat()
        var pending = format.preamble(documentHeader(info, after: options.after, before: options.before))
        var count = 0
        while let (_, message) = try await stream.next() {
            try Task.checkCancellation()
            _ = try await format.append(message, index: count, renderer: renderer, to: &pending)
            count += 1
            if pending.count >= 65_536 {
                try await write(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        pending += format.postamble(messageCount: count)
        try await write(pending)
    }
}
