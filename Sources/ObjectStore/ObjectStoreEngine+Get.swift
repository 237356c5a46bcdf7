import ArchiveStore
import AsyncHTTPClient
import Crypto
import DiscordModels
import DiscordREST
import FileSafety
import Foundation
import NIOCore

extension ObjectStoreEngine {
    /// Downloads `entry` (or the bytes `range` of it, inclusive) into the folder `directory`; returns the file
    /// written. Nothing is left at the destination on failure; a complete file already there and correct is
    /// kept as is.
    @discardableResult
    public func get(
        _ entry: CatalogueObject, into directory: String, range: ClosedRange<Int64>? = nil, passphrase: String? = nil
    ) async throws -> String {
        let manifest = try Self.manifest(of: entry)
        let cipher = try cipher(for: manifest, entry: entry, passphrase: passphrase)
        if range != nil, manifest.size == 0 {
            throw ObjectStoreError(
                "\(entry.archiveId) (\(entry.name)) is empty (0 bytes): there is no byte to read with --range; get it "
                    + "without --range")
        }
        if let range, range.lowerBound < 0 || range.upperBound >= manifest.size {
            throw ObjectStoreError(
                "\(entry.archiveId) (\(entry.name)) has \(manifest.size) bytes: --range must lie within 0-\(manifest.size - 1)"
            )
        }
        // A name from a folder keeps its folders below `directory`; nothing can climb out of it.
        let parts = entry.name.split(separator: "/").map(String.init).filter { $0 != "." && $0 != ".." }
        let leaf = parts.last ?? entry.objectId
        let folder = ([directory] + parts.dropLast()).joined(separator: "/")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            // The usual cause: --out (or a folder of the stored name below it) is a file.
            var blocked = URL(fileURLWithPath: folder).standardizedFileURL
            while blocked.path != "/", FileDestination.kind(at: blocked.path) == .missing {
                blocked = blocked.deletingLastPathComponent()
            }
            let kind = FileDestination.kind(at: blocked.path)
            let cause =
                kind == .folder || kind == .symbolicLink(toFolder: true)
                ? (FileDestination.whyFolderCannotBeCreated(folder) ?? "\(error.localizedDescription)")
                : "\(blocked.path) is \(kind.phrase), not a folder"
            throw ObjectStoreError(
                "\(entry.archiveId) (\(entry.name)): cannot create the folder \(folder) to write it in: \(cause). "
                    + "Name a folder with --out")
        }
        let fileName = range.map { "\(leaf).\($0.lowerBound)-\($0.upperBound)" } ?? leaf
        let destination = (folder as NSString).appendingPathComponent(fileName)
        if range == nil, FileManager.default.fileExists(atPath: destination),
            (try? Self.sha256(ofFile: destination)) == manifest.sha256
        {
            return destination
        }
        let temporary = (folder as NSString).appendingPathComponent(".\(fileName).skald-partial")
        FileManager.default.createFile(atPath: temporary, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ObjectStoreError("cannot write in \(folder): check that the folder is writable")
        }
        do {
            let first = range.map { Int($0.lowerBound / Int64(manifest.chunkSize)) } ?? 0
            let last = range.map { Int($0.upperBound / Int64(manifest.chunkSize)) } ?? manifest.chunks.count - 1
            try await prefetchURLs(of: manifest.chunks[first...last], entry: entry)
            var whole = SHA256()
            for index in first...last {
                // SIGINT/SIGTERM (`skald store get`): stop between chunks; the partial file is removed below.
                try Task.checkCancellation()
                let plain = try await fetchChunk(
                    manifest.chunks[index], manifest: manifest, entry: entry, cipher: cipher)
                var slice = plain[...]
                if let range {
                    let start = Int64(index) * Int64(manifest.chunkSize)
                    let from = Int(max(range.lowerBound - start, 0))
                    let to = Int(min(range.upperBound - start + 1, Int64(plain.count)))
                    slice = plain[plain.startIndex + from..<plain.startIndex + to]
                } else {
                    whole.update(data: plain)
                }
                try handle.write(contentsOf: slice)
            }
            if range == nil, Self.hex(whole.finalize()) != manifest.sha256 {
                throw ObjectStoreError("\(entry.archiveId) (\(entry.name)): the whole-file SHA-256 does not match")
            }
            try handle.close()
            if FileManager.default.fileExists(atPath: destination) {
                try FileManager.default.removeItem(atPath: destination)
            }
            try FileManager.default.moveItem(atPath: temporary, toPath: destination)
            return destination
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            if let full = StorageFull(error, path: destination) {
                // Nothing is left behind (the partial file is removed), so the rerun downloads the whole file again.
                throw ObjectStoreError(
                    "\(entry.archiveId) (\(entry.name)): cannot write \(destination): "
                        + full.sentence(then: "it downloads the file again"))
            }
            throw error
        }
    }

    /// Downloads every chunk of `entry` and checks its posted hash (and, when not encrypted or with the
    /// passphrase, its plain hash); throws naming the first damaged chunk.
    public func verify(_ entry: CatalogueObject, passphrase: String? = nil) async throws {
        let manifest = try Self.manifest(of: entry)
        let cipher = passphrase == nil ? nil : try cipher(for: manifest, entry: entry, passphrase: passphrase)
        try await prefetchURLs(of: manifest.chunks[...], entry: entry)
        for chunk in manifest.chunks {
            _ = try await fetchChunk(chunk, manifest: manifest, entry: entry, cipher: cipher)
        }
        try await verifyManifestMessage(of: entry, objectId: manifest.objectId)
    }

    /// Checks the manifest message is still in the channel with its manifest: without it the chunks are whole and
    /// `get` works from the catalogue, but the channel alone no longer recovers the object.
    func verifyManifestMessage(of entry: CatalogueObject, objectId: String) async throws {
        guard let text = entry.manifestMessageId, let id = UInt64(text), let channel = UInt64(entry.channelId) else {
            return  // an object recovered from an older catalogue may not name it
        }
        let gone =
            "\(entry.archiveId) (\(entry.name)): its manifest message \(text) in channel \(entry.channelId) "
        let advice =
            ": every chunk is whole and `skald store get` still works from this catalogue, but `skald store "
            + "recover` from the channel alone would no longer find the object. Put the file again to have it whole "
            + "in the channel (then `skald store rm \(entry.archiveId)`)"
        let message: DiscordModels.Message
        do {
            message = try await client.message(Snowflake(id), in: Snowflake(channel)).value
        } catch let error as DiscordRESTError where error.status == 404 && error.discordCode == 10008 {
            throw ObjectStoreError(gone + "was deleted" + advice)
        }
        let name = ObjectManifest.manifestFilename(objectId: objectId)
        guard message.attachments.contains(where: { $0.filename == name }) else {
            throw ObjectStoreError(gone + "no longer carries \(name)" + advice)
        }
    }

    /// The manifest of a catalogue entry that can be read.
    static func manifest(of entry: CatalogueObject) throws -> ObjectManifest {
        guard entry.state != .removed else { throw ObjectStoreError("\(entry.archiveId) (\(entry.name)) was removed") }
        guard entry.state == .complete else {
            throw ObjectStoreError(
                "\(entry.archiveId) (\(entry.name)) is not completely uploaded: run `skald store resume \(entry.objectId)`"
            )
        }
        guard let manifest = ObjectManifest.decode(Data(entry.manifestJSON.utf8)) else {
            throw ObjectStoreError("\(entry.archiveId): the catalogue's manifest cannot be read")
        }
        return manifest
    }

    func cipher(for manifest: ObjectManifest, entry: CatalogueObject, passphrase: String?) throws -> ChunkCipher? {
        guard let encryption = manifest.encryption else { return nil }
        guard let passphrase else {
            throw ObjectStoreError(
                "\(entry.archiveId) (\(entry.name)) is encrypted: pass --passphrase-env VAR or --key-file FILE",
                reason: .keyMissing(object: "\(entry.archiveId) (\(entry.name))"))
        }
        let cipher = try ChunkCipher(passphrase: passphrase, encryption: encryption, objectId: manifest.objectId)
        guard cipher.checks(encryption) else {
            throw ObjectStoreError("\(entry.archiveId) (\(entry.name)): wrong passphrase (the key check fails)")
        }
        return cipher
    }

    /// One chunk's plain bytes, from a signed URL (renewed when expired), hashes checked.
    func fetchChunk(
        _ chunk: ObjectManifest.Chunk, manifest: ObjectManifest, entry: CatalogueObject, cipher: ChunkCipher?
    ) async throws -> Data {
        let label = "\(entry.archiveId) (\(entry.name)) chunk \(chunk.index)"
        guard let messageText = chunk.messageId, let messageId = UInt64(messageText),
            let slot = chunk.attachmentIndex, let channelId = UInt64(chunk.channelId ?? entry.channelId)
        else { throw ObjectStoreError("\(label): the manifest does not say where it is") }
        let place = Location(
            key: SignedURLCache.Key(messageId: messageText, slot: slot), message: Snowflake(messageId),
            channel: Snowflake(channelId), label: label)
        var url = try await Self.locating(place) { try await signedURL(place) }
        var response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(300))
        if response.status == .notFound || response.status == .forbidden {
            // An expired (404) or no longer valid (403) signature: renew it once and try again.
            let expired = url
            url = try await Self.locating(place) { try await renewedURL(place, expired: expired) }
            response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(300))
        }
        guard response.status == .ok else {
            throw ObjectStoreError("\(label): the CDN answered \(response.status.code) for message \(messageText)")
        }
        let buffer = try await response.body.collect(upTo: limits.attachmentBytes + 1024 * 1024)
        let stored = Data(buffer.readableBytesView)
        guard Self.hex(SHA256.hash(data: stored)) == chunk.storedSha256 else {
            throw ObjectStoreError(
                "\(label) (message \(messageText), attachment \(slot)) is damaged: its SHA-256 does not match the manifest"
            )
        }
        guard let cipher else {
            // Encrypted and no key (verify without a passphrase): the posted bytes' hash is all one can check.
            return manifest.encryption == nil ? try checkPlain(stored, chunk: chunk, label: label) : stored
        }
        guard let plain = try? cipher.open(stored, chunk: chunk.index) else {
            throw ObjectStoreError("\(label) does not decrypt: it was altered or moved")
        }
        return try checkPlain(plain, chunk: chunk, label: label)
    }

    /// Runs `body`, which asks Discord for a chunk's message, and puts Discord's refusal in the chunk's words: a
    /// deleted message or channel loses the chunk (no retry brings it back), a channel the bot can no longer read
    /// needs its permissions back.
    static func locating<T>(_ place: Location, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DiscordRESTError where error.status == 404 || error.status == 403 {
            let message = place.key.messageId
            let channel = place.channel.description
            switch (error.status, error.discordCode) {
            case (404, 10008):
                throw ObjectStoreError(
                    "\(place.label): its message \(message) was deleted from channel \(channel), so Discord no longer "
                        + "holds this chunk. Restore the file from another copy; `skald store rm` the object and put "
                        + "the file again to store it whole")
            case (404, _):
                throw ObjectStoreError(
                    "\(place.label): channel \(channel), which held its message \(message), was deleted or is "
                        + "unknown to this bot (HTTP 404, code \(error.discordCode ?? 0)), so this chunk cannot be "
                        + "read. Check the token (--token, DISCORD_TOKEN) is the bot that stored it")
            default:
                throw ObjectStoreError(
                    "\(place.label): the bot may no longer read channel \(channel), which holds its message "
                        + "\(message) (HTTP 403, code \(error.discordCode ?? 0)): give it View Channel and Read "
                        + "Message History there, then run the same command again")
            }
        }
    }

    /// Where a chunk's attachment is.
    struct Location: Sendable {
        var key: SignedURLCache.Key
        var message: Snowflake<DiscordModels.Message>
        var channel: Snowflake<DiscordModels.Channel>
        var label: String
    }

    /// A URL for the attachment not about to expire: the one last seen, renewed when its `ex` has passed, or the
    /// message's.
    func signedURL(_ place: Location) async throws -> String {
        if let url = await urls.url(for: place.key, now: now()) { return url }
        if let stale = await urls.anyURL(for: place.key) { return try await renewedURL(place, expired: stale) }
        return try await messageURL(place)
    }

    /// A fresh URL for an expired one: `POST /attachments/refresh-urls` (with the other URLs known of the same
    /// message, which expire together), or the message again when Discord leaves the URL out of its answer.
    func renewedURL(_ place: Location, expired: String) async throws -> String {
        var batch = await urls.urls(ofMessage: place.key.messageId)
        batch[place.key] = expired
        let keys = Array(batch.keys.sorted { $0.slot < $1.slot }.prefix(50))
        let refreshed = try await client.refreshAttachmentURLs(keys.compactMap { batch[$0] })
        for key in keys { if let old = batch[key], let fresh = refreshed[old] { await urls.remember(fresh, for: key) } }
        if let fresh = refreshed[expired] { return fresh }
        return try await messageURL(place)
    }

    /// Learns the URLs of the chunk messages of `chunks` from message listings (`after`, 100 per request) when
    /// they span several messages, instead of one `GET` per message: the message routes share a bucket of 5
    /// requests per 5 s, so a large download would otherwise wait on it. Messages not found are fetched one by one
    /// later, as before.
    func prefetchURLs(of chunks: ArraySlice<ObjectManifest.Chunk>, entry: CatalogueObject) async throws {
        let byChannel = Dictionary(grouping: chunks) { $0.channelId ?? entry.channelId }
        for (channelId, chunks) in byChannel.sorted(by: { $0.key < $1.key }) {
            try await prefetchURLs(of: chunks[...], channelId: channelId)
        }
    }

    /// ``prefetchURLs(of:entry:)`` for the chunks of one channel.
    func prefetchURLs(of chunks: ArraySlice<ObjectManifest.Chunk>, channelId: String) async throws {
        let wanted = Set(chunks.compactMap { $0.messageId.flatMap(UInt64.init) })
        guard wanted.count > 2, let channel = UInt64(channelId), let low = wanted.min(), let high = wanted.max()
        else { return }
        var cursor = low - 1
        var found = 0
        while cursor < high && found < wanted.count {
            let page: [Decoded<DiscordModels.Message>]
            do {
                page = try await client.messagePage(
                    in: Snowflake(channel), after: Snowflake(cursor), limit: DiscordClient.messagePageLimit)
            } catch let error as DiscordRESTError where error.status == 403 || error.status == 404 {
                return  // the chunks' own requests say which chunk this leaves unreadable, and why
            }
            guard !page.isEmpty else { return }
            for decoded in page where wanted.contains(decoded.value.id.rawValue) {
                found += 1
                await urls.remember(messageId: decoded.value.id.description, urls: decoded.value.attachments.map(\.url))
            }
            guard let newest = page.map({ $0.value.id.rawValue }).max(), newest > cursor else { return }
            cursor = newest
        }
    }

    /// The attachment's URL as its message carries it now (every URL of the message is remembered).
    func messageURL(_ place: Location) async throws -> String {
        let message = try await client.message(place.message, in: place.channel).value
        guard message.attachments.indices.contains(place.key.slot) else {
            throw ObjectStoreError(
                "\(place.label): message \(place.key.messageId) has no attachment \(place.key.slot) any more (its "
                    + "attachments were edited), so Discord no longer holds this chunk. Restore the file from another "
                    + "copy; `skald store rm` the object and put the file again to store it whole")
        }
        await urls.remember(messageId: place.key.messageId, urls: message.attachments.map(\.url))
        return message.attachments[place.key.slot].url
    }

    func checkPlain(_ plain: Data, chunk: ObjectManifest.Chunk, label: String) throws -> Data {
        guard plain.count == chunk.size, Self.hex(SHA256.hash(data: plain)) == chunk.sha256 else {
            throw ObjectStoreError("\(label) is damaged: its content does not match the manifest's SHA-256")
        }
        return plain
    }

    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ObjectStoreError("cannot read \(path)") }
        defer { try? handle.close() }
        var hash = SHA256()
        while let data = try handle.read(upToCount: 4 * 1024 * 1024), !data.isEmpty { hash.update(data: data) }
        return hex(hash.finalize())
    }
}
