/// Bytes copied to an address that stays fixed until ``reset()``: what a multi-row statement binds without a copy by
/// SQLite (`SQLITE_STATIC`), every row's texts at once, where a single-row statement binds each text for the one
/// execution inside its own closure. Memory is taken in chunks and kept across resets (one chunk holds a batch of
/// ordinary messages), so a batch costs no allocation.
final class StableBytes {
    /// The chunks, the last one being filled.
    private var chunks: [UnsafeMutableRawBufferPointer] = []
    /// The bytes used of the last chunk.
    private var used = 0
    private static let chunkSize = 256 * 1024

    /// A copy of `bytes`, valid until ``reset()``.
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if chunks.isEmpty || chunks[chunks.count - 1].count - used < bytes.count {
            chunks.append(.allocate(byteCount: max(Self.chunkSize, bytes.count), alignment: 1))
            used = 0
        }
        let target = UnsafeMutableRawBufferPointer(rebasing: chunks[chunks.count - 1][used..<used + bytes.count])
        if !bytes.isEmpty { target.copyMemory(from: bytes) }
        used += bytes.count
        return UnsafeRawBufferPointer(target)
    }

    /// Makes every copy invalid; the first chunk is kept for the next copies.
    func reset() {
        for chunk in chunks.dropFirst() { chunk.deallocate() }
        chunks.removeSubrange(min(1, chunks.count)...)
        used = 0
    }

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }
}
