/// The bytes of one value as the import's reader writes them (``JSONScanner/readCompactValue(into:keys:)``): a
/// growable block written through a pointer. The reader writes a message in about 120 pieces (keys, strings,
/// punctuation); an `Array` append costs a uniqueness check, a capacity check and a call each (callgrind: 76
/// instructions per copied token, plus `swift_isUniquelyReferenced` per byte appended), here a comparison and a copy.
struct CompactBuffer: ~Copyable {
    /// The first byte.
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// The bytes written.
    private(set) var count = 0
    private var capacity: Int

    /// An empty buffer with room for `capacity` bytes (it grows past them).
    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The byte at `offset` (below ``count``).
    @inline(__always)
    subscript(offset: Int) -> UInt8 { base[offset] }

    /// The bytes at `range` (within ``count``).
    @inline(__always)
    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: count + 1) }
        base[count] = byte
        count += 1
    }

    /// Appends `length` bytes from `start`.
    @inline(__always)
    mutating func append(_ start: UnsafePointer<UInt8>, length: Int) {
        if count + length > capacity { grow(toHold: count + length) }
        (base + count).initialize(from: start, count: length)
        count += length
    }

    /// Appends the bytes of `array`.
    mutating func append(contentsOf array: [UInt8]) {
        array.withUnsafeBufferPointer { if let start = $0.baseAddress { append(start, length: $0.count) } }
    }

    /// Appends every byte written to `out`.
    func write(to out: inout [UInt8]) {
        out.append(contentsOf: bytes(0..<count))
    }

    /// Moves the bytes to a block at least twice as large and holding `needed` bytes (kept out of the inlined path).
    @inline(never)
    private mutating func grow(toHold needed: Int) {
        let larger = Swift.max(capacity * 2, needed)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}
