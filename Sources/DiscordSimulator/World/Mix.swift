/// Deterministic hashing: every generated value is a pure function of the seed and a few integers (the stream
/// built on it is ``SeededRandom``).
enum Mix {
    /// SplitMix64's finaliser.
    @inline(__always)
    static func scramble(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Hash of several integers.
    @inline(__always)
    static func hash(_ a: UInt64, _ b: UInt64, _ c: UInt64 = 0, _ d: UInt64 = 0) -> UInt64 {
        scramble(scramble(scramble(scramble(a) ^ b) ^ c) ^ d)
    }

    /// FNV-1a of a text's UTF-8 bytes: a string hash fixed across processes (`String.hashValue` is seeded per
    /// process, so it must never decide anything the seed should fix).
    static func fnv1a(_ text: Substring) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
