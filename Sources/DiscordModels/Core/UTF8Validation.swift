import Foundation

/// Checks that bytes are well-formed UTF-8 in place, without making a `String` of them: the rule
/// `String(validating:as: UTF8.self)` applies (Unicode's table of well-formed byte sequences: no overlong forms,
/// no surrogates, nothing past U+10FFFF), ASCII 32 bytes at a time.
///
/// ```swift
/// guard UTF8Validation.isValid(message.json) else { throw … }
/// ```
public enum UTF8Validation {
    /// Whether `bytes` are well-formed UTF-8.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        /// Whether the byte `offset` after the lead is a continuation byte in `low...high`.
        func continues(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            guard index + offset < count else { return false }
            let byte = base.load(fromByteOffset: index + offset, as: UInt8.self)
            return byte >= low && byte <= high
        }
        let high: UInt64 = 0x8080_8080_8080_8080
        while index < count {
            // ASCII runs (nearly all of a message's JSON) 32 bytes per test, then 8.
            while index + 32 <= count {
                let word =
                    base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    | base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                    | base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                    | base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
                guard word & high == 0 else { break }
                index += 32
            }
            while index + 8 <= count,
                base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & high == 0
            {
                index += 8
            }
            guard index < count else { return true }
            switch base.load(fromByteOffset: index, as: UInt8.self) {
            case 0x00...0x7F:
                index += 1
            case 0xC2...0xDF:
                guard continues(1) else { return false }
                index += 2
            case 0xE0:
                guard continues(1, 0xA0), continues(2) else { return false }
                index += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard continues(1), continues(2) else { return false }
                index += 3
            case 0xED:
                guard continues(1, 0x80, 0x9F), continues(2) else { return false }
                index += 3
            case 0xF0:
                guard continues(1, 0x90), continues(2), continues(3) else { return false }
                index += 4
            case 0xF1...0xF3:
                guard continues(1), continues(2), continues(3) else { return false }
                index += 4
            case 0xF4:
                guard continues(1, 0x80, 0x8F), continues(2), continues(3) else { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }

    /// Whether `data` is well-formed UTF-8.
    public static func isValid(_ data: Data) -> Bool {
        data.withUnsafeBytes { isValid($0) }
    }
}
