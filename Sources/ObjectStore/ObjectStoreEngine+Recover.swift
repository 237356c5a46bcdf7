import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordREST
import Foundation

extension ObjectStoreEngine {
    /// Rebuilds the catalogue from the manifests posted in `channel` (the channel alone suffices); returns the
    /// entries added. Encrypted names are read with `passphrase`, else the object id stands for the name.
    public func recover(channel: Snowflake<DiscordModels.Channel>, passphrase: String? = nil) async throws
        -> [CatalogueObject]
    {
        var known = Set(try await catalogue.catalogueObjects().map(\.objectId))
        var added: [CatalogueObject] = []
        for try await page in client.messages(in: channel, after: Snowflake(0)) {
            for decoded in page {
                let message = decoded.value
                for attachment in message.attachments where attachment.filename.hasSuffix(".manifest.json") {
                    let response = try await http.execute(HTTPClientRequest(url: attachment.url), timeout: .seconds(60))
                    guard response.status == .ok else { continue }
                    let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
                    guard let manifest = ObjectManifest.decode(Data(body.readableBytesView)),
                        !known.contains(manifest.objectId)
                    else { continue }
                    var name = manifest.name ?? manifest.objectId
                    if let encryption = manifest.encryption, let passphrase,
                        let cipher = try? ChunkCipher(
                            passphrase: passphrase, encryption: encryption, objectId: manifest.objectId),
                        let plain = try? cipher.name(encryption)
                    {
                        name = plain
                    }
                    let created = DiscordTimestamp.parse(manifest.createdAt) ?? now()
                    let existing = try await catalogue.catalogueObjects()
                    let entry = CatalogueObject(
                        objectId: manifest.objectId, archiveId: Self.archiveId(for: created, existing: existing),
                        name: name, channelId: channel.description, size: manifest.size, state: .complete,
                        sourcePath: nil, manifestJSON: String(decoding: try manifest.encoded(), as: UTF8.self),
                        manifestMessageId: message.id.description, createdAt: created)
                    try await catalogue.saveCatalogueObject(entry)
                    known.insert(manifest.objectId)
                    added.append(entry)
                }
            }
        }
        return added
    }

    /// Deletes the messages of `entry` (chunks and manifest) and keeps a tombstone in the catalogue.
    public func remove(_ entry: CatalogueObject) async throws -> CatalogueObject {
        var entry = entry
        guard let channelId = UInt64(entry.channelId) else { throw ObjectStoreError("bad channel \(entry.channelId)") }
        // Message id → its channel (chunks spread over several channels name theirs).
        var places: [String: UInt64] = [:]
        if let manifest = ObjectManifest.decode(Data(entry.manifestJSON.utf8)) {
            for chunk in manifest.chunks {
                guard let id = chunk.messageId else { continue }
                places[id] = chunk.channelId.flatMap(UInt64.init) ?? channelId
            }
        }
        if let manifestMessage = entry.manifestMessageId { places[manifestMessage] = channelId }
        for (id, channel) in places.sorted(by: { $0.key < $1.key }) {
            guard let raw = UInt64(id) else { continue }
            do {
                try await client.deleteMessage(Snowflake(raw), in: Snowflake(channel))
            } catch let error as DiscordRESTError where error.status == 404 {
                continue  // already gone
            }
        }
        entry.state = .removed
        try await catalogue.saveCatalogueObject(entry)
        return entry
    }
}
