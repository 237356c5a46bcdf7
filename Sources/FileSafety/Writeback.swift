import Foundation

/// Starting a file's writeback early: `sync_file_range(fd, offset, count, SYNC_FILE_RANGE_WRITE)` tells the kernel
/// to start writing the range's dirty pages and returns at once, so a later `fsync` has little left to wait for.
/// Nothing about durability changes: only when the bytes start to travel. Linux only; elsewhere nothing happens.
public enum Writeback {
    /// Whether this system can start a writeback (`sync_file_range` was found).
    public static var isAvailable: Bool { syncFileRange != nil }

    /// Starts writing back `count` bytes of `descriptor` from `offset` (a count of 0: to the end of the file).
    public static func start(_ descriptor: Int32, offset: Int64 = 0, count: Int64 = 0) {
        _ = syncFileRange?(descriptor, offset, count, 2)  // SYNC_FILE_RANGE_WRITE
    }

    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32

    /// `sync_file_range`, looked up once (Glibc's Swift module does not export it).
    private static let syncFileRange: SyncFileRange? = {
        #if os(Linux)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
            return unsafeBitCast(symbol, to: SyncFileRange.self)
        #else
            return nil
        #endif
    }()
}
