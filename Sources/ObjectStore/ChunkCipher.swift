import Crypto
import Foundation
import _CryptoExtras

/// AES-256-GCM per chunk with a key from a passphrase through scrypt; the object id and chunk index are bound
/// as associated data, so chunks cannot be swapped between objects or reordered.
public struct ChunkCipher: Sendable {
    /// Bytes a sealed chunk adds (12-byte nonce + 16-byte tag).
    public static let overhead = 28
    static let checkText = Array("skald-store key check".utf8)

    /// The derived key's bytes (`SymmetricKey` is not `Sendable` in this swift-crypto; uploads seal on several tasks).
    let keyBytes: [UInt8]
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    let objectId: String

    /// Derives the key of `objectId` from `passphrase` with the manifest's scrypt parameters.
    public init(passphrase: String, encryption: ObjectManifest.Encryption, objectId: String) throws {
        guard encryption.kdf == "scrypt", encryption.cipher == "AES-256-GCM",
            let salt = Data(base64Encoded: encryption.salt)
        else { throw ObjectStoreError("object \(objectId): unknown encryption \(encryption.kdf)/\(encryption.cipher)") }
        let derived = try KDF.Scrypt.deriveKey(
            from: Array(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: encryption.n,
            blockSize: encryption.r, parallelism: encryption.p)
        keyBytes = derived.withUnsafeBytes { Array($0) }
        self.objectId = objectId
    }

    /// New encryption parameters (fresh salt; N = 2^15, r = 8, p = 1: 32 MiB per derivation) and the cipher.
    public static func create(passphrase: String, objectId: String, name: String, costLog2: Int = 15) throws -> (
        ObjectManifest.Encryption, ChunkCipher
    ) {
        var salt = [UInt8](repeating: 0, count: 16)
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255) }
        var encryption = ObjectManifest.Encryption(
            kdf: "scrypt", salt: Data(salt).base64EncodedString(), n: 1 << costLog2, r: 8, p: 1,
            cipher: "AES-256-GCM", keyCheck: "", encryptedName: "")
        let cipher = try ChunkCipher(passphrase: passphrase, encryption: encryption, objectId: objectId)
        encryption.keyCheck = try cipher.seal(checkText, label: "check").base64EncodedString()
        encryption.encryptedName = try cipher.seal(Array(name.utf8), label: "name").base64EncodedString()
        return (encryption, cipher)
    }

    /// Whether the key opens the manifest's check value (false: wrong passphrase).
    public func checks(_ encryption: ObjectManifest.Encryption) -> Bool {
        guard let box = Data(base64Encoded: encryption.keyCheck), let plain = try? open(box, label: "check") else {
            return false
        }
        return Array(plain) == Self.checkText
    }

    /// The decrypted file name.
    public func name(_ encryption: ObjectManifest.Encryption) throws -> String {
        guard let box = Data(base64Encoded: encryption.encryptedName) else { throw ObjectStoreError("bad name") }
        return String(decoding: try open(box, label: "name"), as: UTF8.self)
    }

    /// Seals chunk `index`: nonce ‖ ciphertext ‖ tag. The nonce is derived from the key, the chunk's label and its
    /// bytes (a synthetic IV, as AES-GCM-SIV does): the same chunk always seals to the same bytes, so a chunk message
    /// that a rerun's post brings back by its nonce after a crash holds exactly what the rerun records; two different
    /// plaintexts never share a nonce (short of an HMAC-SHA256 collision), which is what GCM needs.
    public func seal<D: DataProtocol>(_ plain: D, chunk index: Int) throws -> Data {
        let label = "chunk \(index)"
        let nonceKey = SymmetricKey(
            data: HMAC<SHA256>.authenticationCode(for: Array("skald-store|chunk nonce".utf8), using: key))
        var mac = HMAC<SHA256>(key: nonceKey)
        mac.update(data: aad(label))
        mac.update(data: plain)
        let nonce = try AES.GCM.Nonce(data: Array(mac.finalize()).prefix(12))
        return try seal(plain, label: label, nonce: nonce)
    }

    /// Opens chunk `index`; throws when the key, object, index or bytes do not match.
    public func open(_ sealed: Data, chunk index: Int) throws -> Data { try open(sealed, label: "chunk \(index)") }

    func seal<D: DataProtocol>(_ plain: D, label: String, nonce: AES.GCM.Nonce = AES.GCM.Nonce()) throws -> Data {
        let box = try AES.GCM.seal(plain, using: key, nonce: nonce, authenticating: aad(label))
        guard let combined = box.combined else { throw ObjectStoreError("encryption failed") }
        return combined
    }

    func open(_ sealed: Data, label: String) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: aad(label))
    }

    func aad(_ label: String) -> Data { Data("skald-store|\(objectId)|\(label)".utf8) }
}
