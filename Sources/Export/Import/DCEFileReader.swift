import ArchiveStore
import DiscordModels
import Foundation

/// One DCE file read message by message: its header members (guild, channel, `exportedAt`) up to the `messages`
/// array, then the messages in batches, then the members after them, checking the document to its end. Read by the
/// importer's staged path and, inside the store's transaction, by ``ImportStore/importDirectly(_:)``.
final class DCEFileReader: ImportMessageSource, @unchecked Sendable {
    /// Thrown by a direct import that must be redone staged (a message id repeated in the file, `exportedAt` after
    /// the messages): the store rolls back and the importer reads the file again.
    struct NeedsStaging: Error {}

    private enum Place {
        /// Between members of the top object.
        case members
        /// Inside a `messages` array.
        case messages
        /// The document was read to its end.
        case done
    }

    let source: String
    private(set) var exportedAt: Date?
    private(set) var count = 0
    private var input: JSONChunkedInput
    private let batchSize: Int
    private var place = Place.members
    private var guild: JSONValue?
    private var channel: JSONValue?
    private var channelId: UInt64?
    private var guildId: UInt64?
    private var sawMessages = false
    private var compact: [UInt8] = []
    private var keys: [Range<Int>] = []
    /// Set for a direct import: message ids read so far (a repeated one needs the staged path), and whether
    /// messages were read (a later `exportedAt` would change their merge).
    private var seen: Set<UInt64>?
    /// Resolves the local paths of a `--media` export's assets (messages, guild and channel icons).
    private let assets: LocalAssetResolver

    /// Starts reading `handle` (the file named `source`), its local asset paths resolved by `assets`.
    init(handle: FileHandle, source: String, batchSize: Int, assets: LocalAssetResolver) {
        self.input = JSONChunkedInput(handle: handle)
        self.source = source
        self.batchSize = batchSize
        self.assets = assets
    }

    /// Reads the members before the first message (the header, in DCE's order).
    func readHeader() throws {
        try input.expect(UInt8(ascii: "{"))
        if try input.consume(UInt8(ascii: "}")) {
            place = .done
            try input.expectEnd()
            return
        }
        try readMembers(first: true)
    }

    /// Whether the header read so far lets the file import directly (a direct import then refuses what would change
    /// its merge later on).
    func startDirect() { seen = [] }

    /// Reads members until a `messages` array opens (then `place` is `.messages`) or the object closes.
    private func readMembers(first: Bool) throws {
        var first = first
        while true {
            if !first {
                guard try input.consume(UInt8(ascii: ",")) else {
                    try input.expect(UInt8(ascii: "}"))
                    try input.expectEnd()
                    place = .done
                    return
                }
            }
            first = false
            let key = try input.readKey()
            guard key == "messages" else {
                let value = try input.readValue()
                if key == "guild" {
                    guild = try assets.resolve(value)
                    guildId = value["id"]?.uint64
                } else if key == "channel" {
                    channel = try assets.resolve(value)
                    channelId = value["id"]?.uint64
                } else if key == "exportedAt" {
                    if seen.map({ !$0.isEmpty }) ?? false { throw NeedsStaging() }
                    exportedAt = value.string.flatMap(DiscordTimestamp.parse)
                }
                continue
            }
            sawMessages = true
            let arrayAt = input.offset
            guard channelId != nil else {
                throw ExportError.unsupported("not a DCE export: no channel id before \"messages\" (byte \(arrayAt))")
            }
            try input.expect(UInt8(ascii: "["))
            if try input.consume(UInt8(ascii: "]")) { continue }
            place = .messages
            return
        }
    }

    /// The next batch of messages, or `nil` once the document was read to its end.
    func nextBatch() throws -> [ImportedMessage]? {
        var batch: [ImportedMessage] = []
        batch.reserveCapacity(batchSize)
        while batch.count < batchSize {
            switch place {
            case .done:
                return batch.isEmpty ? nil : batch
            case .members:
                try readMembers(first: false)
            case .messages:
                batch.append(try readMessage())
                if try !input.consume(UInt8(ascii: ",")) {
                    try input.expect(UInt8(ascii: "]"))
                    place = .members
                }
            }
        }
        return batch
    }

    private func readMessage() throws -> ImportedMessage {
        // The stored form (compact, DCE's escaping) is written while reading: no tree per message.
        var compact: [UInt8] = []
        var keys: [Range<Int>] = []
        swap(&compact, &self.compact)
        swap(&keys, &self.keys)
        defer {
            swap(&compact, &self.compact)
            swap(&keys, &self.keys)
        }
        let at = input.offset
        let facts = try input.scan { scanner in
            compact.removeAll(keepingCapacity: true)
            return try scanner.readCompactValue(into: &compact, keys: &keys)
        }
        guard facts.isObject else {
            throw ExportError.unsupported("the message at byte \(at) is not a JSON object")
        }
        guard let id = facts.id?.uint64, let channelId else {
            throw ExportError.unsupported("the message at byte \(at) \(DCEImporter.idProblem(facts.id))")
        }
        if seen != nil, seen?.insert(id).inserted == false { throw NeedsStaging() }
        count += 1
        var json = Data(compact)
        var (author, content) = (facts.author, facts.content)
        if facts.mayHoldLocalPath {
            // A `--media` export: its paths are relative to this file's folder, which the archive does not keep.
            json = Data(DCEJSONEncoding.compact(try assets.resolve(try JSONValue.parse(json))))
            (author, content) = (nil, nil)
        }
        return ImportedMessage(
            id: Snowflake(id), channelId: Snowflake(channelId),
            guildId: guildId.flatMap { $0 == 0 ? nil : Snowflake($0) },
            timestamp: facts.timestamp, json: json, authorRange: author, contentRange: content)
    }

    /// The channel header, once the document was read to its end.
    func channelHeader() throws -> ImportedChannel {
        guard let channel, let channelId, sawMessages else {
            throw ExportError.unsupported("not a DCE export: it needs \"channel\" and \"messages\"")
        }
        return ImportedChannel(
            channelId: Snowflake(channelId), guildId: guildId.flatMap { $0 == 0 ? nil : Snowflake($0) },
            guildJSON: Data(DCEJSONEncoding.compact(guild ?? .null)),
            channelJSON: Data(DCEJSONEncoding.compact(channel)),
            source: source, importedAt: Date(), exportedAt: exportedAt)
    }
}
