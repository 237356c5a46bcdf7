import Foundation

/// A ZIP archive written as it goes, for a response of unknown length: stored (uncompressed) entries whose sizes
/// and CRC-32 follow their data (a data descriptor), then the central directory; ZIP64 records where a size, an
/// offset or the number of entries outgrows the classic fields. Names are UTF-8.
///
/// ```swift
/// var zip = ZipStream(date: Date())
/// send(zip.begin("a.json")); send(zip.add(bytes)); send(zip.end())
/// send(zip.finish())
/// ```
struct ZipStream {
    private struct Entry {
        var name: [UInt8]
        var offset: UInt64
        var crc: UInt32 = 0xFFFF_FFFF
        var size: UInt64 = 0
    }

    private var entries: [Entry] = []
    private var open: Entry?
    /// Bytes handed out so far.
    private(set) var offset: UInt64 = 0
    private let time: UInt16
    private let date: UInt16

    /// An archive whose entries carry `date` (MS-DOS time, UTC, 2-second precision).
    init(date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        time = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        self.date = UInt16(max(0, (c.year ?? 1980) - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
    }

    /// The local header of a new entry named `name` (its data follows through ``add(_:)``).
    mutating func begin(_ name: String) -> [UInt8] {
        let entry = Entry(name: Array(name.utf8), offset: offset)
        open = entry
        var out: [UInt8] = []
        out.le32(0x0403_4B50)
        out.le16(45)  // version needed: ZIP64 (sizes may outgrow 32 bits)
        out.le16(Self.flags)
        out.le16(0)  // stored
        out.le16(time)
        out.le16(date)
        out.le32(0)  // CRC-32 and sizes: in the data descriptor
        out.le32(0)
        out.le32(0)
        out.le16(UInt16(entry.name.count))
        out.le16(0)
        out += entry.name
        offset += UInt64(out.count)
        return out
    }

    /// Counts `bytes` into the open entry (CRC-32 and size) and returns them to be sent.
    mutating func add(_ bytes: [UInt8]) -> [UInt8] {
        guard var entry = open else { return bytes }
        entry.crc = Self.crc(bytes, into: entry.crc)
        entry.size += UInt64(bytes.count)
        open = entry
        offset += UInt64(bytes.count)
        return bytes
    }

    /// The data descriptor closing the open entry.
    mutating func end() -> [UInt8] {
        guard var entry = open else { return [] }
        entry.crc ^= 0xFFFF_FFFF
        open = nil
        entries.append(entry)
        var out: [UInt8] = []
        out.le32(0x0807_4B50)
        out.le32(entry.crc)
        if entry.size >= 0xFFFF_FFFF {
            out.le64(entry.size)
            out.le64(entry.size)
        } else {
            out.le32(UInt32(entry.size))
            out.le32(UInt32(entry.size))
        }
        offset += UInt64(out.count)
        return out
    }

    /// The central directory and the end records; nothing may be added after it.
    mutating func finish() -> [UInt8] {
        let start = offset
        var out: [UInt8] = []
        for entry in entries {
            let large = entry.size >= 0xFFFF_FFFF || entry.offset >= 0xFFFF_FFFF
            out.le32(0x0201_4B50)
            out.le16(45)  // made by: ZIP 4.5, MS-DOS attributes
            out.le16(45)
            out.le16(Self.flags)
            out.le16(0)
            out.le16(time)
            out.le16(date)
            out.le32(entry.crc)
            out.le32(large ? 0xFFFF_FFFF : UInt32(entry.size))
            out.le32(large ? 0xFFFF_FFFF : UInt32(entry.size))
            out.le16(UInt16(entry.name.count))
            out.le16(large ? 28 : 0)
            out.le16(0)  // comment
            out.le16(0)  // disk
            out.le16(0)  // internal attributes
            out.le32(0)  // external attributes
            out.le32(large ? 0xFFFF_FFFF : UInt32(entry.offset))
            out += entry.name
            if large {
                out.le16(0x0001)  // ZIP64 extended information: sizes and offset
                out.le16(24)
                out.le64(entry.size)
                out.le64(entry.size)
                out.le64(entry.offset)
            }
        }
        let size = UInt64(out.count)
        let end = start + size
        if entries.count >= 0xFFFF || size >= 0xFFFF_FFFF || start >= 0xFFFF_FFFF {
            out.le32(0x0606_4B50)  // ZIP64 end of central directory
            out.le64(44)
            out.le16(45)
            out.le16(45)
            out.le32(0)
            out.le32(0)
            out.le64(UInt64(entries.count))
            out.le64(UInt64(entries.count))
            out.le64(size)
            out.le64(start)
            out.le32(0x0706_4B50)  // its locator
            out.le32(0)
            out.le64(end)
            out.le32(1)
        }
        out.le32(0x0605_4B50)
        out.le16(0)
        out.le16(0)
        out.le16(UInt16(min(entries.count, 0xFFFF)))
        out.le16(UInt16(min(entries.count, 0xFFFF)))
        out.le32(UInt32(min(size, 0xFFFF_FFFF)))
        out.le32(UInt32(min(start, 0xFFFF_FFFF)))
        out.le16(0)
        offset += UInt64(out.count)
        return out
    }

    /// Data descriptor follows the data (bit 3); names are UTF-8 (bit 11).
    private static let flags: UInt16 = 0x0808

    /// CRC-32 (ISO-HDLC, as ZIP uses it) of `bytes`, continuing from `crc` (start with `0xFFFFFFFF`; the final
    /// value is inverted).
    static func crc(_ bytes: [UInt8], into crc: UInt32) -> UInt32 {
        var value = crc
        bytes.withUnsafeBufferPointer { buffer in
            Self.table.withUnsafeBufferPointer { table in
                for byte in buffer { value = table[Int((value ^ UInt32(byte)) & 0xFF)] ^ (value >> 8) }
            }
        }
        return value
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}

extension [UInt8] {
    fileprivate mutating func le16(_ value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    fileprivate mutating func le32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    fileprivate mutating func le64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    }
}
