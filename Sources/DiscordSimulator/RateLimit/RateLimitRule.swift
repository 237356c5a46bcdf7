import Crypto

/// One bucket: its name, the opaque hash reported in `X-RateLimit-Bucket`, and its size.
struct RateLimitRule: Sendable, Hashable {
    let name: String
    let hash: String
    let limit: Int
    let windowSeconds: Double
    let hiddenLimit: Int?

    init(name: String, limit: SimulatorConfiguration.BucketLimit) {
        self.name = name
        let digest = SHA256.hash(data: Array("skald-sim-bucket:\(name)".utf8))
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest.prefix(16) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        self.hash = String(decoding: text, as: UTF8.self)
        self.limit = limit.limit
        let components = limit.window.components
        self.windowSeconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        self.hiddenLimit = limit.hiddenLimit
    }
}
