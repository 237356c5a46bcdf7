/// A store's batch reads (`after` a cursor, up to `limit`) looked at one element at a time, ending before an
/// exclusive upper bound: each side of ``ChannelMessageStream`` (archived and imported messages) is one.
///
/// While a full batch is being used, the next one is already read (a store reads on a thread of its own), so the
/// store's read and the caller's work on the batch before it share the machine's cores: at most three batches are
/// held (the one in use, the one read ahead, and the read in flight's result).
struct BatchCursor<Element: Sendable> {
    /// The exclusive upper bound of ids.
    let before: UInt64?
    /// Elements per read.
    let limit: Int
    /// An element's id (the next read starts after the last one read).
    let id: @Sendable (Element) -> UInt64
    /// Which elements of a read to keep (the cursor still moves past the others).
    let keep: @Sendable (Element) -> Bool
    /// The store's read: the elements after an id (`nil`: from the start), up to a count.
    private let read: @Sendable (UInt64?, Int) async throws -> [Element]
    private var buffer: [Element] = []
    private var index = 0
    private var cursor: UInt64?
    private var done = false
    /// The read of the batch after `buffer`, started when `buffer` was read.
    private var ahead: Task<[Element], any Error>?

    init(
        after: UInt64?, before: UInt64?, limit: Int, id: @escaping @Sendable (Element) -> UInt64,
        keep: @escaping @Sendable (Element) -> Bool = { _ in true },
        read: @escaping @Sendable (UInt64?, Int) async throws -> [Element]
    ) {
        self.cursor = after
        self.before = before
        self.limit = max(1, limit)
        self.id = id
        self.keep = keep
        self.read = read
    }

    /// The current element, reading the next batch when the last one is used up; `nil` at the end.
    mutating func peek() async throws -> Element? {
        while index >= buffer.count {
            if done { return nil }
            let batch: [Element]
            if let ahead {
                self.ahead = nil
                batch = try await ahead.value
            } else {
                batch = try await read(cursor, limit)
            }
            index = 0
            if batch.count < limit { done = true }
            if let last = batch.last { cursor = id(last) }
            // A full batch that ends before the bound: the next read is needed, so it starts now.
            if !done, let last = batch.last, before.map({ id(last) < $0 }) ?? true {
                let read = self.read
                let (cursor, limit) = (self.cursor, self.limit)
                ahead = Task { try await read(cursor, limit) }
            }
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
