import Foundation

/// A successful (2xx) response: status, headers of interest, and the exact body bytes.
public struct RawResponse: Sendable {
    /// The HTTP status.
    public let status: Int
    /// The body exactly as received (empty for 204).
    public let body: Data
}
