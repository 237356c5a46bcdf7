import Foundation

/// The versioned description of one stored object, posted to the channel after its last chunk: enough to
/// find, check and decrypt every chunk. It names messages and attachment indexes, never a (expiring) CDN URL.
public struct ObjectManifest: Sendable, Hashable, Codable {
    /// The newest format version this build writes and reads (2 adds ``Chunk/channelId``, written only when an
    /// object's chunks are spread over several channels; such manifests say version 2, the others still 1).
    public static let currentVersion = 2

    /// One chunk: its place in the channel and its hashes.
    public struct Chunk: Sendable, Hashable, Codable {
        /// The chunk's position (0-based).
        public var index: Int
        /// Plain bytes in this chunk.
        public var size: Int
        /// SHA-256 (hex) of the plain bytes.
        public var sha256: String
        /// SHA-256 (hex) of the bytes posted (the ciphertext when encrypted).
        public var storedSha256: String
        /// The message carrying it, once posted.
        public var messageId: String?
        /// Its index among that message's attachments.
        public var attachmentIndex: Int?
        /// The channel of that message when the object's chunks are spread over several channels (nil: the
        /// object's channel, where the manifest is).
        public var channelId: String?
    }

    /// Key derivation and cipher of an encrypted object.
    public struct Encryption: Sendable, Hashable, Codable {
        /// Always `scrypt`.
        public var kdf: String
        /// The KDF salt (base64).
        public var salt: String
        /// scrypt's N (CPU/memory cost).
        public var n: Int
        /// scrypt's r (block size).
        public var r: Int
        /// scrypt's p (parallelism).
        public var p: Int
        /// Always `AES-256-GCM`.
        public var cipher: String
        /// A check value (base64 AES-GCM box of a fixed text) so a wrong passphrase is told apart from damage.
        public var keyCheck: String
        /// The file name, encrypted (base64 AES-GCM box).
        public var encryptedName: String
    }

    /// The format version.
    public var version: Int
    /// The object id (32 hex digits).
    public var objectId: String
    /// The file name; nil when encrypted (see ``Encryption/encryptedName``).
    public var name: String?
    /// The size in bytes.
    public var size: Int64
    /// Plain bytes per chunk (the last may be shorter).
    public var chunkSize: Int
    /// SHA-256 (hex) of the whole file.
    public var sha256: String
    /// Every chunk, in order.
    public var chunks: [Chunk]
    /// Set when the chunks are encrypted.
    public var encryption: Encryption?
    /// When the upload began (ISO 8601).
    public var createdAt: String

    /// The attachment name of chunk `index`.
    public static func chunkFilename(objectId: String, index: Int) -> String {
        "\(objectId).\(String(format: "%05d", index)).bin"
    }

    /// The attachment name of the manifest.
    public static func manifestFilename(objectId: String) -> String { "\(objectId).manifest.json" }

    /// The manifest as sorted JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Decodes a manifest; nil when it is not one or of a newer version.
    public static func decode(_ data: Data) -> ObjectManifest? {
        guard let manifest = try? JSONDecoder().decode(ObjectManifest.self, from: data),
            manifest.version <= currentVersion
        else { return nil }
        return manifest
    }
}
