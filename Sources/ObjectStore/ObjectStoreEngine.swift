import Archive
import ArchiveStore
import AsyncHTTPClient
import Crypto
import DiscordModels
import DiscordREST
import Foundation
import NIOCore

/// Puts files into a Discord channel as chunked, hashed (optionally encrypted) attachments with a manifest, and
/// gets, verifies, resumes, removes and recovers them; the catalogue lives in the archive database.
///
/// ```swift
/// let engine = ObjectStoreEngine(client: client, catalogue: store)
/// let entry = try await engine.put(path: "big.bin", channel: channel)
/// try await engine.get(entry, into: "out")
/// ```
public struct ObjectStoreEngine: Sendable {
    let client: DiscordClient
    let catalogue: any ObjectCatalogue
    let limits: StoreLimits
    let http: HTTPClient
    let now: @Sendable () -> Date
    /// Signed URLs seen, reused until they expire.
    let urls = SignedURLCache()
    /// The chunk messages in flight to each channel, shared by every upload of this engine.
    let permits: UploadPermits
    /// Archive ids handed out by this engine and not yet in the catalogue's view of a concurrent put.
    let numbering = ArchiveNumbering()
    /// The objects this engine uploads or resumes.
    let claims = UploadClaims()
    /// Called after each chunk message is posted and recorded in the catalogue.
    public var onPosted: @Sendable (PostedChunks) -> Void = { _ in }

    /// Creates an engine over a REST client and a catalogue.
    public init(
        client: DiscordClient, catalogue: any ObjectCatalogue, limits: StoreLimits = StoreLimits(),
        http: HTTPClient = .shared, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.catalogue = catalogue
        self.limits = limits
        self.http = http
        self.now = now
        self.permits = UploadPermits(perChannel: limits.messagesInFlight)
    }

    // MARK: put

    /// Uploads the file at `path` to `channel` as a new object, encrypted when `passphrase` is given.
    public func put(
        path: String, channel: Snowflake<DiscordModels.Channel>, name: String? = nil, passphrase: String? = nil,
        scryptCostLog2: Int = 15
    ) async throws -> CatalogueObject {
        try await put(
            path: path, channels: [channel], name: name, passphrase: passphrase, scryptCostLog2: scryptCostLog2)
    }

    /// Uploads the file at `path` as a new object whose chunk messages take turns over `channels` (each channel
    /// has its own message rate limit, so several channels multiply the upload rate); the manifest goes to the
    /// first channel, which alone is enough to recover the object.
    public func put(
        path: String, channels: [Snowflake<DiscordModels.Channel>], name: String? = nil, passphrase: String? = nil,
        scryptCostLog2: Int = 15
    ) async throws -> CatalogueObject {
        guard let channel = channels.first else { throw ObjectStoreError("put needs at least one channel") }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let name = name ?? URL(fileURLWithPath: path).lastPathComponent
        if let interrupted = try await interruptedUpload(
            path: path, name: name, size: size, channels: channels, encrypted: passphrase != nil)
        {
            // The same put again after a crash or a kill: finish that upload instead of posting every chunk again.
            do {
                return try await resume(interrupted, passphrase: passphrase)
            } catch let error as ObjectStoreError
                where error.reason == .sourceChanged || error.reason == .wrongPassphrase
            {
                // The file changed since, or another passphrase: a new object, as before.
            }
        }
        let objectId = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = await claims.claim(objectId)
        var encryption: ObjectManifest.Encryption?
        if let passphrase {
            encryption = try ChunkCipher.create(
                passphrase: passphrase, objectId: objectId, name: name, costLog2: scryptCostLog2
            ).0
        }
        let overhead = encryption == nil ? 0 : ChunkCipher.overhead
        var chunkSize = limits.attachmentBytes - overhead
        let created = now()
        let archiveId = try await numbering.next(for: created) { try await catalogue.catalogueObjects() }
        var entry = CatalogueObject(
            objectId: objectId, archiveId: archiveId, name: name,
            channelId: channel.description, size: size, state: .uploading, sourcePath: path, manifestJSON: "",
            manifestMessageId: nil, createdAt: created)
        while true {
            var manifest = Self.plan(
                objectId: objectId, size: size, chunkSize: chunkSize, encryption: encryption, name: name,
                created: created)
            if channels.count > 1 {
                // Whole messages take turns over the channels, fixed now so `resume` posts each where it belongs.
                let perMessage = limits.chunksPerMessage(stored: chunkSize + overhead)
                for index in manifest.chunks.indices {
                    manifest.chunks[index].channelId = channels[(index / perMessage) % channels.count].description
                }
                manifest.version = ObjectManifest.currentVersion  // 2: readers that predate chunk channels refuse it
            }
            entry.manifestJSON = String(decoding: try manifest.encoded(), as: UTF8.self)
            try await catalogue.saveCatalogueObject(entry)
            do {
                try await upload(&manifest, entry: &entry, passphrase: passphrase)
                return entry
            } catch let error as DiscordRESTError
                where error.status == 413 && !manifest.chunks.contains(where: { $0.messageId != nil })
                && chunkSize > 64 * 1024
            {
                chunkSize /= 2  // Discord refused the size: lower it and start again (nothing was posted)
            } catch let error as DiscordRESTError
                where Self.refusesEveryPost(error) && channels.count == 1
                && !manifest.chunks.contains(where: { $0.messageId != nil })
            {
                // Nothing was posted and nothing can be (a bad token, a channel the bot cannot see or write in):
                // an incomplete entry would wait for a `resume` that can never succeed.
                try await catalogue.forgetCatalogueObject(objectId)
                throw error
            }
        }
    }

    /// Whether Discord's answer to one chunk message refuses every post of the same token to the same channel
    /// alike (so no other message of the upload was created meanwhile): a bad token, a channel the bot cannot see,
    /// write in or that is not a text channel, an unknown channel.
    static func refusesEveryPost(_ error: DiscordRESTError) -> Bool {
        switch error.status {
        case 401, 403, 404: true
        case 400: error.discordCode == 50008  // Cannot send messages in a non-text channel
        default: false
        }
    }

    /// The newest incomplete upload of the same file (path, stored name, size) to the same channels with or without
    /// encryption alike, which a `put` repeated after a crash finishes instead of posting every chunk again; nil
    /// when there is none, or when this engine is uploading it now.
    func interruptedUpload(
        path: String, name: String, size: Int64, channels: [Snowflake<DiscordModels.Channel>], encrypted: Bool
    ) async throws -> CatalogueObject? {
        let wanted = Set(channels.map(\.description))
        for entry in try await catalogue.catalogueObjects().reversed()
        where entry.state == .uploading && entry.sourcePath == path && entry.name == name && entry.size == size
            && entry.channelId == channels.first?.description
        {
            guard let manifest = ObjectManifest.decode(Data(entry.manifestJSON.utf8)),
                (manifest.encryption != nil) == encrypted,
                Set(manifest.chunks.map { $0.channelId ?? entry.channelId }).union([entry.channelId]) == wanted,
                await claims.claim(entry.objectId)
            else { continue }
            return entry
        }
        return nil
    }

    /// Finishes an interrupted upload: posts only the chunks the catalogue does not hold, then the manifest.
    public func resume(_ entry: CatalogueObject, passphrase: String? = nil) async throws -> CatalogueObject {
        var entry = entry
        guard entry.state == .uploading else { return entry }
        guard var manifest = ObjectManifest.decode(Data(entry.manifestJSON.utf8)) else {
            throw ObjectStoreError("\(entry.archiveId): the catalogue entry has no usable manifest")
        }
        guard entry.sourcePath != nil else {
            throw ObjectStoreError(
                "\(entry.archiveId) (\(entry.name)) cannot be resumed: its file changed since the upload began "
                    + "(written to, moved or deleted). Put the file again; `skald store rm \(entry.archiveId)` deletes "
                    + "what was posted of it")
        }
        if manifest.encryption != nil && passphrase == nil {
            throw ObjectStoreError(
                "\(entry.archiveId) (\(entry.name)) is encrypted: pass --passphrase-env or --key-file to resume it",
                reason: .keyMissing(object: "\(entry.archiveId) (\(entry.name))"))
        }
        try await upload(&manifest, entry: &entry, passphrase: passphrase)
        return entry
    }

    /// The manifest of a file of `size` bytes before any byte is read: every chunk's size, no hash yet. The hashes
    /// come from one pass over the file beside the uploads (``FileHashes``): each chunk's is recorded with the
    /// message that carries it, the whole file's once the last chunk is posted.
    static func plan(
        objectId: String, size: Int64, chunkSize: Int, encryption: ObjectManifest.Encryption?, name: String,
        created: Date
    ) -> ObjectManifest {
        let count = max(1, Int((size + Int64(chunkSize) - 1) / Int64(chunkSize)))
        let chunks = (0..<count).map { index in
            ObjectManifest.Chunk(
                index: index, size: Int(min(Int64(chunkSize), size - Int64(index) * Int64(chunkSize))), sha256: "",
                storedSha256: "", messageId: nil, attachmentIndex: nil)
        }
        return ObjectManifest(
            version: 1, objectId: objectId, name: encryption == nil ? name : nil, size: size, chunkSize: chunkSize,
            sha256: "", chunks: chunks, encryption: encryption, createdAt: DiscordTimestamp.format(created))
    }

    func upload(_ manifest: inout ObjectManifest, entry: inout CatalogueObject, passphrase: String?) async throws {
        guard let channel = UInt64(entry.channelId).map(Snowflake<DiscordModels.Channel>.init) else {
            throw ObjectStoreError("\(entry.archiveId): bad channel id \(entry.channelId)")
        }
        let cipher = try manifest.encryption.map {
            try ChunkCipher(passphrase: passphrase ?? "", encryption: $0, objectId: manifest.objectId)
        }
        if let cipher, let encryption = manifest.encryption, !cipher.checks(encryption) {
            throw ObjectStoreError("\(entry.archiveId): wrong passphrase", reason: .wrongPassphrase)
        }
        guard let path = entry.sourcePath, FileManager.default.isReadableFile(atPath: path) else {
            // The usual case: an `!upload`'s attachment, kept only while it uploads, or a file moved since.
            throw ObjectStoreError(
                "\(entry.archiveId) (\(entry.name)): its file \(entry.sourcePath ?? "") is gone or unreadable, so "
                    + "the upload cannot be finished: restore the file at that path and resume, or put it again "
                    + "(then `skald store rm \(entry.archiveId)` deletes what was posted of it)")
        }
        let stored = manifest.chunkSize + (cipher == nil ? 0 : ChunkCipher.overhead)
        let perMessage = limits.chunksPerMessage(stored: stored)
        let missing = manifest.chunks.filter { $0.messageId == nil }.map(\.index)
        // Groups keep the boundaries of a first upload (every message carries whole groups of `perMessage`), so a
        // resumed group has the nonce of the message a crash may have posted already.
        let groups = stride(from: 0, to: missing.count, by: perMessage).map {
            Array(missing[$0..<min(missing.count, $0 + perMessage)])
        }
        let plan = manifest
        let engine = self
        // One pass over the file beside the uploads: each chunk's hash is ready long before its message goes up
        // (hashing runs at memory speed, uploads at the rate limit), the whole file's at the end.
        let hashes = FileHashes(chunkCount: manifest.chunks.count)
        // Taken before the pass: a plain chunk is read from the file again as its message is sent.
        let snapshot = SourceSnapshot(path: path)
        let reader = Task { await hashes.read(path: path, chunkSize: plan.chunkSize) }
        defer { reader.cancel() }
        // Chunks an interrupted run posted, or was posting when it stopped (hashes saved, no message id: posted
        // again under the same nonce, Discord may answer with that run's message and the bytes it carried): the
        // file must still hold what they hold, or the object would be complete and damaged.
        for chunk in plan.chunks where chunk.messageId != nil || !chunk.sha256.isEmpty {
            guard try await hashes.chunk(chunk.index) == chunk.sha256 else {
                // Nothing can finish this upload now: the entry forgets its file, so `status` says to put the file
                // again instead of sending the user to a `resume` that would refuse it again.
                entry.sourcePath = nil
                try await catalogue.saveCatalogueObject(entry)
                throw Self.changed(path, chunk.index)
            }
        }
        let ledger = UploadLedger(entry: entry, manifest: manifest, catalogue: catalogue)
        // Several messages in flight (bounded by the engine's permits, one message per channel at a time by
        // default); each is recorded with its chunks' hashes as it completes, so a crash loses at most the
        // messages in flight, which `resume` posts again under the same nonce.
        let channels = Set(plan.chunks.map { $0.channelId ?? entry.channelId }).count
        let archiveId = entry.archiveId
        let name = entry.name
        do {
            try await BoundedConcurrency.forEach(groups, width: limits.messagesInFlight * channels) { group in
                let target =
                    plan.chunks[group[0]].channelId.flatMap(UInt64.init).map(Snowflake<DiscordModels.Channel>.init)
                    ?? channel
                return try await engine.permits.with(target.description) {
                    try await engine.post(
                        group, of: plan, path: path, cipher: cipher, channel: target, hashes: hashes, ledger: ledger)
                }
            } collect: { group, posted in
                // Written to since the pass: what the message carries may not be what the hashes say, so it is not
                // recorded, and the entry forgets its source: a `resume` would post the rest of a changed file, and
                // a nonce of a message sent before the change would bring back its old bytes under the new hashes.
                do {
                    try snapshot?.check(path: path, archiveId: archiveId)
                } catch {
                    try await ledger.forgetSource()
                    throw error
                }
                try await ledger.posted(group, posted)
                let sizes = group.reduce(Int64(0)) { $0 + Int64(plan.chunks[$1].size) }
                onPosted(
                    PostedChunks(
                        archiveId: archiveId, name: name, first: group[0], last: group[group.count - 1],
                        chunkCount: plan.chunks.count, bytes: sizes, objectSize: plan.size))
            }
        } catch {
            manifest = await ledger.manifest
            entry = await ledger.entry
            throw error
        }
        manifest = await ledger.manifest
        entry = await ledger.entry
        let file = try await hashes.whole()
        guard file.size == manifest.size else { throw FileHashes.changed(path) }
        try snapshot?.check(path: path, archiveId: entry.archiveId)
        manifest.sha256 = file.sha256
        entry.manifestJSON = String(decoding: try manifest.encoded(), as: UTF8.self)
        try await catalogue.saveCatalogueObject(entry)
        let finished = manifest
        let posted = try await permits.with(channel.description) {
            try await client.createMessage(
                in: channel,
                MessageCreate(
                    content: "skald-store manifest \(finished.objectId)",
                    nonce: String(finished.objectId.prefix(18)) + "-m",
                    enforceNonce: true),
                files: [
                    FileUpload(
                        filename: ObjectManifest.manifestFilename(objectId: finished.objectId),
                        contentType: "application/json", data: try finished.encoded())
                ]
            ).value
        }
        entry.manifestMessageId = posted.id.description
        entry.state = .complete
        try await catalogue.saveCatalogueObject(entry)
    }

    /// What posting one group of chunks produced.
    struct PostedGroup: Sendable {
        var messageId: String
        /// The SHA-256 of each chunk's plain bytes.
        var plainHashes: [String]
        /// The SHA-256 of each chunk's posted bytes (sealed, when encrypted).
        var storedHashes: [String]
    }

    /// Posts the chunks `group` of the file at `path` as one message. A plain chunk's hash comes from the pass over
    /// the file (``FileHashes``) and the REST client reads its bytes straight into the request, so they are held
    /// once; an encrypted chunk is read, checked against the pass and sealed here (AES-GCM seals a whole chunk).
    func post(
        _ group: [Int], of manifest: ObjectManifest, path: String, cipher: ChunkCipher?,
        channel: Snowflake<DiscordModels.Channel>, hashes: FileHashes, ledger: UploadLedger
    ) async throws -> PostedGroup {
        var files: [FileUpload] = []
        var plainHashes: [String] = []
        var storedHashes: [String] = []
        for index in group {
            let offset = Int64(index) * Int64(manifest.chunkSize)
            let size = manifest.chunks[index].size
            let filename = ObjectManifest.chunkFilename(objectId: manifest.objectId, index: index)
            let sha256 = try await hashes.chunk(index)
            // A plan made before the pass (an interrupted run of an earlier version) already names the hash.
            let known = manifest.chunks[index].sha256
            guard known.isEmpty || known == sha256 else { throw Self.changed(path, index) }
            plainHashes.append(sha256)
            if let cipher {
                guard let handle = FileHandle(forReadingAtPath: path) else {
                    throw ObjectStoreError("cannot read \(path): check that it exists")
                }
                defer { try? handle.close() }
                try handle.seek(toOffset: UInt64(offset))
                let plain = try handle.read(upToCount: size) ?? Data()
                guard plain.count == size, Self.hex(SHA256.hash(data: plain)) == sha256 else {
                    throw Self.changed(path, index)
                }
                let sealed = try cipher.seal(plain, chunk: index)
                storedHashes.append(Self.hex(SHA256.hash(data: sealed)))
                files.append(FileUpload(filename: filename, data: sealed))
            } else {
                storedHashes.append(sha256)
                files.append(
                    FileUpload(
                        filename: filename, content: .fileRegion(path: path, offset: offset, length: Int64(size))))
            }
        }
        // Saved before the post: a rerun after a kill checks the file still holds them (see ``UploadLedger``).
        try await ledger.willPost(group, plainHashes: plainHashes)
        // The nonce makes a retried or resumed post of the same chunks return the message already created.
        let nonce = String(manifest.objectId.prefix(18)) + "-" + String(group[0])
        let message = try await client.createMessage(
            in: channel,
            MessageCreate(
                content: "skald-store \(manifest.objectId) chunks \(group[0])–\(group[group.count - 1])", nonce: nonce,
                enforceNonce: true),
            files: files
        ).value
        await urls.remember(messageId: message.id.description, urls: message.attachments.map(\.url))
        return PostedGroup(messageId: message.id.description, plainHashes: plainHashes, storedHashes: storedHashes)
    }

    static func changed(_ path: String, _ index: Int) -> ObjectStoreError {
        ObjectStoreError(
            "\(path) changed since the upload began (chunk \(index) differs): put it again as a new object",
            reason: .sourceChanged)
    }

    // MARK: names

    /// The next `#DDMMYY-NN` for `date` given the catalogue.
    static func archiveId(for date: Date, existing: [CatalogueObject]) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.day, .month, .year], from: date)
        let prefix = String(
            format: "#%02d%02d%02d-", parts.day ?? 0, parts.month ?? 0, (parts.year ?? 0) % 100)
        let used = existing.compactMap {
            $0.archiveId.hasPrefix(prefix) ? Int($0.archiveId.dropFirst(prefix.count)) : nil
        }
        return prefix + String(format: "%02d", (used.max() ?? 0) + 1)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
