import ArchiveStore
import DiscordModels

extension DCEExporter {
    /// One channel's document in the export's format, exactly the bytes ``exportChannel(_:to:)`` writes to its
    /// file (without partitions and media), handed to `write` in pieces of about 64 KiB as they are rendered, so a
    /// server can stream a channel of any size in constant memory.
    public func streamChannel(_ id: Snowflake<Channel>, write: ([UInt8]) async throws -> Void) async throws {
        var stream = ChannelMessageStream(
            store: store, channel: id, after: options.after, before: options.before,
            includeDeleted: options.includeDeleted)
        try await streamDocument(id, next: { try await stream.next()?.message }, write: write)
    }

    /// One channel's document holding only the messages `batches` hands over (ascending ids, batch after batch until
    /// `nil`; archived ones as Discord's JSON, imported ones as their DCE objects): the bytes
    /// ``streamChannel(_:write:)`` writes for those messages, with the header of the channel and of
    /// ``DCEExportOptions/after``/``DCEExportOptions/before`` (DCE's `--filter` over a channel).
    public func streamChannel(
        _ id: Snowflake<Channel>, selecting batches: () async throws -> [StreamedMessage]?,
        write: ([UInt8]) async throws -> Void
    ) async throws {
        var batch: [StreamedMessage] = []
        var index = 0
        try await streamDocument(
            id,
            next: {
                while index == batch.count {
                    guard let more = try await batches() else { return nil }
                    batch = more
                    index = 0
                }
                index += 1
                return batch[index - 1]
            }, write: write)
    }

    /// DCE's default file name of a channel's document: `{guild} - {parent} - {channel} [{id}].json`, with the
    /// range of ``DCEExportOptions/after``/``DCEExportOptions/before``.
    public func fileName(of id: Snowflake<Channel>) async throws -> String {
        let info = try await ChannelInfo.load(id.rawValue, store: store, options: options)
        return OutputPath.defaultName(for: info, options: options)
    }

    private func streamDocument(
        _ id: Snowflake<Channel>, next: () async throws -> StreamedMessage?, write: ([UInt8]) async throws -> Void
    ) async throws {
        var info = try await ChannelInfo.load(id.rawValue, store: store, options: options)
        let renderer = try await DCERenderer(store: store, options: options, guildId: info.guildId)
        if let prefix = options.servedMediaPrefix {
            let links = ImportedAssetLinks(servedUnder: prefix)
            renderer.importedAssets = links
            info = info.linkingAssets(links)
        }
        var format = makeFormat()
        var pending = format.preamble(documentHeader(info, after: options.after, before: options.before))
        var count = 0
        while let message = try await next() {
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
