import ArchiveStore
import AsyncHTTPClient
import Crypto
import DiscordModels
import DiscordREST
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
        if let range, range.lowerBound < 0 || range.upperBound >= manifest.size {
            throw ObjectStoreError(
                "\(entry.archiveId) (\(entry.name)) has \(manifest.size) bytes: --range must lie within 0-\(manifest.size - 1)"
            )
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let safeName = entry.name.replacingOccurrences(of: "/", with: "_")
        let fileName = range.map { "\(safeName).\($0.lowerBound)-\($0.upperBound)" } ?? safeName
        let destination = (directory as NSString).appendingPathComponent(fileName)
        if range == nil, FileManager.default.fileExists(atPath: destination),
            (try? Self.sha256(ofFile: destination)) == manifest.sha256
        {
            return destination
        }
        let temporary = (directory as NSString).appendingPathComponent(".\(fileName).skald-partial")
        FileManager.default.createFile(atPath: temporary, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ObjectStoreError("cannot write in \(directory): check that the folder is writable")
        }
        do {
            let first = range.map { Int($0.lowerBound / Int64(manifest.chunkSize)) } ?? 0
            let last = range.map { Int($0.upperBound / Int64(manifest.chunkSize)) } ?? manifest.chunks.count - 1
            var whole = SHA256()
            var messages: [String: Message] = [:]
            for index in first...last {
                let plain = try await fetchChunk(
                    manifest.chunks[index], manifest: manifest, entry: entry, cipher: cipher, messages: &messages)
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
            throw error
        }
    }

    /// Downloads every chunk of `entry` and checks its posted hash (and, when not encrypted or with the
    /// passphrase, its plain hash); throws naming the first damaged chunk.
    public func verify(_ entry: CatalogueObject, passphrase: String? = nil) async throws {
        let manifest = try Self.manifest(of: entry)
        let cipher = passphrase == nil ? nil : try cipher(for: manifest, entry: entry, passphrase: passphrase)
        var messages: [String: Message] = [:]
        for chunk in manifest.chunks {
            _ = try await fetchChunk(
                chunk, manifest: manifest, entry: entry, cipher: cipher, messages: &messages)
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
                "\(entry.archiveId) (\(entry.name)) is encrypted: pass --passphrase-env VAR or --key-file FILE")
        }
        let cipher = try ChunkCipher(passphrase: passphrase, encryption: encryption, objectId: manifest.objectId)
        guard cipher.checks(encryption) else {
            throw ObjectStoreError("\(entry.archiveId) (\(entry.name)): wrong passphrase (the key check fails)")
        }
        return cipher
    }

    /// One chunk's plain bytes, from a fresh signed URL, hashes checked.
    func fetchChunk(
        _ chunk: ObjectManifest.Chunk, manifest: ObjectManifest, entry: CatalogueObject, cipher: ChunkCipher?,
        messages: inout [String: Message]
    ) async throws -> Data {
        let label = "\(entry.archiveId) (\(entry.name)) chunk \(chunk.index)"
        guard let messageText = chunk.messageId, let messageId = UInt64(messageText),
            let slot = chunk.attachmentIndex, let channelId = UInt64(entry.channelId)
        else { throw ObjectStoreError("\(label): the manifest does not say where it is") }
        let message: Message
        if let cached = messages[messageText] {
            message = cached
        } else {
            message = try await client.message(Snowflake(messageId), in: Snowflake(channelId)).value
            messages = [messageText: message]
        }
        guard message.attachments.indices.contains(slot) else {
            throw ObjectStoreError("\(label): message \(messageText) has no attachment \(slot)")
        }
        let url = message.attachments[slot].url
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(300))
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
