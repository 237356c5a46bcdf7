import DiscordModels

/// A small, fast JSON writer: appends UTF-8 bytes, tracks commas, escapes strings. Keys are written in the
/// order given, so responses have Discord's shape exactly.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var first: [Bool] = []
    private var afterKey = false

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// A finished document, as rendered elsewhere.
    init(bytes: [UInt8]) { self.bytes = bytes }

    @inline(__always)
    private mutating func prepareValue() {
        if afterKey {
            afterKey = false
            return
        }
        if let last = first.last {
            if !last { bytes.append(UInt8(ascii: ",")) }
            first[first.count - 1] = false
        }
    }

    mutating func beginObject() {
        prepareValue()
        bytes.append(UInt8(ascii: "{"))
        first.append(true)
    }

    mutating func endObject() {
        first.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func beginArray() {
        prepareValue()
        bytes.append(UInt8(ascii: "["))
        first.append(true)
    }

    mutating func endArray() {
        first.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func key(_ key: StaticString) {
        if let last = first.last, !last { bytes.append(UInt8(ascii: ",")) }
        first[first.count - 1] = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// A key that is not a literal (error paths, dictionaries).
    mutating func dynamicKey(_ key: String) {
        if let last = first.last, !last { bytes.append(UInt8(ascii: ",")) }
        first[first.count - 1] = false
        appendEscaped(key)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ value: String) {
        prepareValue()
        appendEscaped(value)
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// A snowflake as a decimal string.
    mutating func id(_ value: UInt64) {
        prepareValue()
        bytes.append(UInt8(ascii: "\""))
        appendDecimal(value)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func id(_ value: UInt64?) {
        if let value { id(value) } else { null() }
    }

    mutating func int(_ value: Int) {
        prepareValue()
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(-value))
        } else {
            appendDecimal(UInt64(value))
        }
    }

    mutating func int(_ value: Int?) {
        if let value { int(value) } else { null() }
    }

    mutating func double(_ value: Double) {
        prepareValue()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        prepareValue()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    mutating func null() {
        prepareValue()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Pre-rendered JSON, written verbatim.
    mutating func raw(_ json: [UInt8]) {
        prepareValue()
        bytes.append(contentsOf: json)
    }

    mutating func raw(_ json: String) {
        prepareValue()
        bytes.append(contentsOf: json.utf8)
    }

    /// Discord's timestamp form: `2017-07-11T17:27:07.299000+00:00`.
    mutating func timestamp(_ milliseconds: UInt64) {
        prepareValue()
        bytes.append(UInt8(ascii: "\""))
        Self.appendTimestamp(milliseconds, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func timestamp(_ milliseconds: UInt64?) {
        if let milliseconds { timestamp(milliseconds) } else { null() }
    }

    // MARK: Members Discord leaves out when they have no value

    /// `"key":"value"` when there is a value; nothing otherwise.
    mutating func string(_ key: StaticString, ifPresent value: String?) {
        guard let value else { return }
        self.key(key)
        string(value)
    }

    /// `"key":"snowflake"` when there is a value; nothing otherwise.
    mutating func id(_ key: StaticString, ifPresent value: UInt64?) {
        guard let value else { return }
        self.key(key)
        id(value)
    }

    /// `"key":number` when there is a value; nothing otherwise.
    mutating func int(_ key: StaticString, ifPresent value: Int?) {
        guard let value else { return }
        self.key(key)
        int(value)
    }

    /// `"key":"timestamp"` when there is a value; nothing otherwise.
    mutating func timestamp(_ key: StaticString, ifPresent milliseconds: UInt64?) {
        guard let milliseconds else { return }
        self.key(key)
        timestamp(milliseconds)
    }

    // MARK: Helpers

    @inline(__always)
    private mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: 48 + value))
            return
        }
        var remaining = value
        var count = 0
        repeat {
            count += 1
            remaining /= 10
        } while remaining > 0
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(48, count: count))
        remaining = value
        var index = start + count - 1
        repeat {
            bytes[index] = UInt8(truncatingIfNeeded: 48 + remaining % 10)
            remaining /= 10
            index -= 1
        } while remaining > 0
    }

    private mutating func appendEscaped(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hexDigits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    92, UInt8(ascii: "u"), 48, 48, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    static func appendTimestamp(_ milliseconds: UInt64, to bytes: inout [UInt8]) {
        let seconds = Int(milliseconds / 1000)
        let millis = Int(milliseconds % 1000)
        let (year, month, day) = CivilCalendar.date(days: seconds / 86400)
        let rest = seconds % 86400
        func two(_ value: Int) {
            bytes.append(UInt8(48 + value / 10))
            bytes.append(UInt8(48 + value % 10))
        }
        two(year / 100)
        two(year % 100)
        bytes.append(UInt8(ascii: "-"))
        two(month)
        bytes.append(UInt8(ascii: "-"))
        two(day)
        bytes.append(UInt8(ascii: "T"))
        two(rest / 3600)
        bytes.append(UInt8(ascii: ":"))
        two(rest % 3600 / 60)
        bytes.append(UInt8(ascii: ":"))
        two(rest % 60)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(48 + millis / 100))
        two(millis % 100)
        bytes.append(contentsOf: "000+00:00".utf8)
    }
}
