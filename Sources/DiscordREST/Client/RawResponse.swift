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
}
