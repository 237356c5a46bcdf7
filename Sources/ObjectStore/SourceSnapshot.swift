import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the file system says of a file being put (device, inode, size, modification and change times), taken before
/// its hashes are read: a plain chunk's bytes are read from the file again when its message is sent, so a file
/// written, replaced or deleted meanwhile would post other bytes than the hashes recorded, and the object would be
/// complete and damaged. Each post checks the snapshot still holds before it is recorded.
struct SourceSnapshot: Sendable, Hashable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: [Int]
    let changed: [Int]

    /// The file at `path` now; nil when it cannot be read (the upload's own read then names the problem).
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        #if canImport(Darwin)
            modified = [Int(status.st_mtimespec.tv_sec), Int(status.st_mtimespec.tv_nsec)]
            changed = [Int(status.st_ctimespec.tv_sec), Int(status.st_ctimespec.tv_nsec)]
        #else
            modified = [Int(status.st_mtim.tv_sec), Int(status.st_mtim.tv_nsec)]
            changed = [Int(status.st_ctim.tv_sec), Int(status.st_ctim.tv_nsec)]
        #endif
    }

    /// Throws when the file at `path` is no longer the one of this snapshot, or was written since.
    func check(path: String, archiveId: String) throws {
        guard let now = SourceSnapshot(path: path) else {
            throw ObjectStoreError(
                "\(path) was deleted or moved while it was being put (\(archiveId) is left incomplete): put the "
                    + "file again; `skald store rm \(archiveId)` deletes what was posted of it",
                reason: .sourceChanged)
        }
        guard now == self else {
            throw ObjectStoreError(
                "\(path) was written to while it was being put, so the chunks posted may not match their hashes "
                    + "(\(archiveId) is left incomplete and cannot be resumed): put it again once nothing writes to "
                    + "it (a copy or a snapshot of a file in use); `skald store rm \(archiveId)` deletes what was "
                    + "posted of it",
                reason: .sourceChanged)
        }
    }
}
