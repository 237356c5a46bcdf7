import Crypto

/// Signs and checks attachment URLs the way Discord's CDN does: `?ex=<hex>&is=<hex>&hm=<hex>&`, where `hm`
/// is an HMAC-SHA256 over the path, expiry and issue time.
struct CDNSigner: Sendable {
    let keyBytes: [UInt8]
    let lifetimeSeconds: UInt64

    init(seed: UInt64, lifetime: Duration) {
        var material: [UInt8] = []
        for k in 0..<4 {
            var value = Mix.hash(seed, 0xCD17, UInt64(k))
            for _ in 0..<8 {
                material.append(UInt8(truncatingIfNeeded: value))
                value >>= 8
            }
        }
        keyBytes = material
        let components = lifetime.components
        lifetimeSeconds = UInt64(max(1, components.seconds + (components.attoseconds > 0 ? 1 : 0)))
    }

    /// The query (`?ex=…&is=…&hm=…&`) for `path` (e.g. `/attachments/1/2/a.png`) issued at `now`.
    func query(path: String, now: UInt64) -> String {
        let expiry = now + lifetimeSeconds
        let ex = String(expiry, radix: 16)
        let issued = String(now, radix: 16)
        return "?ex=\(ex)&is=\(issued)&hm=\(signature(path: path, ex: ex, issued: issued))&"
    }

    func signature(path: String, ex: String, issued: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array("\(path)|\(ex)|\(issued)".utf8), using: SymmetricKey(data: keyBytes))
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in mac {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Outcome of checking a signed URL.
    enum Verdict: Equatable { case valid, badSignature, expired }

    func verify(path: String, ex: String?, issued: String?, hm: String?, now: UInt64) -> Verdict {
        guard let ex, let issued, let hm, let expiry = UInt64(ex, radix: 16) else { return .badSignature }
        guard signature(path: path, ex: ex, issued: issued) == hm.lowercased() else { return .badSignature }
        return now > expiry ? .expired : .valid
    }
}
