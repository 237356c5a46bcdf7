/// How a message's tombstone was set.
public enum DeletionSource: String, Sendable, Hashable, Codable {
    /// The deletion was seen on the gateway as it happened.
    case live
    /// A recheck found the message gone (or the source is not recorded).
    case inferred
}
