import Foundation
import NIOCore

/// A successful (2xx) response: status, headers of interest, and the exact body bytes.
public struct RawResponse: Sendable {
    /// The HTTP status.
    public let status: Int
    /// The body exactly as received (empty for 204), in the buffer it was collected into: read it in place
    /// (`withUnsafeReadableBytes`) to avoid a copy.
    public let bytes: ByteBuffer

    /// The body exactly as received (empty for 204), copied into `Data`.
    public var body: Data { Data(bytes.readableBytesView) }

    /// The body exactly as received, as `Data` over the collected buffer's own storage (no copy): slices of it keep
    /// that storage alive, and a later write to the buffer copies it first (`ByteBuffer` is copy-on-write).
    public var bodyInPlace: Data {
        guard bytes.readableBytes > 0 else { return Data() }
        return bytes.withUnsafeReadableBytesWithStorageManagement { pointer, storage in
            _ = storage.retain()
            return Data(
                bytesNoCopy: UnsafeMutableRawPointer(mutating: pointer.baseAddress!), count: pointer.count,
                deallocator: .custom { _, _ in storage.release() })
        }
    }
}
