/// A store's batch reads (`after` a cursor, up to `limit`) looked at one element at a time, ending before an
/// exclusive upper bound: each side of ``ChannelMessageStream`` (archived and imported messages) is one.
struct BatchCursor<Element> {
    /// The exclusive upper bound of ids.
    let before: UInt64?
    /// An element's id (the next read starts after the last one read).
    let id: (Element) -> UInt64
    /// Which elements of a read to keep (the cursor still moves past the others).
    let keep: (Element) -> Bool
    private var buffer: [Element] = []
    private var index = 0
    private var cursor: UInt64?
    private var done = false

    init(
        after: UInt64?, before: UInt64?, id: @escaping (Element) -> UInt64,
        keep: @escaping (Element) -> Bool = { _ in true }
    ) {
        self.cursor = after
        self.before = before
        self.id = id
        self.keep = keep
        // The stores keep ids as signed 64-bit integers: no id lies after a bound past Int64.max (a date after
        // 2084-09-06), and such a cursor must not reach them (its bit pattern is negative: "after everything").
        if let after, after > UInt64(Int64.max) { done = true }
    }

    /// The current element, reading the next batch with `read(after, limit)` when the last one is used up;
    /// `nil` at the end.
    mutating func peek(limit: Int, _ read: (UInt64?, Int) async throws -> [Element]) async throws -> Element? {
        while index >= buffer.count {
            if done { return nil }
            let batch = try await read(cursor, limit)
            index = 0
            if batch.count < limit { done = true }
            if let last = batch.last { cursor = id(last) }
            buffer = batch.filter(keep)
            if buffer.isEmpty && done { return nil }
        }
        let element = buffer[index]
        if let before, id(element) >= before {
            done = true
            buffer = []
            return nil
        }
        return element
    }

    /// Moves past the current element.
    mutating func advance() { index += 1 }
}
