import Foundation

/// The user objects (authors, mentioned users) a page's scan has read, by id and exact bytes: a page shows few users,
/// each of them as the same bytes every time, so once an object's `id` is read (Discord sends it first), an object
/// equal byte for byte to the one read before for that id is not scanned further: its end is known. Offsets are into
/// the one buffer the page is scanned in.
struct UserObjectMemo {
    /// An object read before: its id, where it is, how long.
    private struct Seen {
        var id: UInt64
        var start: Int
        var length: Int
    }

    /// How many objects are remembered (a page of 100 messages rarely shows more users; past it, the most recent
    /// replace the oldest).
    static let capacity = 64
    private var seen: [Seen] = []
    private var oldest = 0

    /// The end of the object at `start` of `bytes` whose `id` is `id`, when its bytes are those of the object read
    /// before for that id.
    func end(ofObjectAt start: Int, id: UInt64, in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        for object in seen where object.id == id {
            guard start + object.length <= bytes.count, memcmp(base + start, base + object.start, object.length) == 0
            else { return nil }
            return start + object.length
        }
        return nil
    }

    /// Remembers the object at `range` as `id`'s (replacing what was remembered for that id).
    mutating func note(_ range: Range<Int>, id: UInt64) {
        let object = Seen(id: id, start: range.lowerBound, length: range.count)
        if let same = seen.firstIndex(where: { $0.id == id }) {
            seen[same] = object
        } else if seen.count < Self.capacity {
            if seen.isEmpty { seen.reserveCapacity(Self.capacity) }
            seen.append(object)
        } else {
            seen[oldest] = object
            oldest = (oldest + 1) % Self.capacity
        }
    }
}
