/// Where in a message a clip was found.
public enum ClipKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A video file attached to the message.
    case attachment
    /// An embed of type `video` or `gifv`, or one with a `video` field.
    case embed
    /// A link in the message's text (a clip service or a direct link to a video file).
    case link
}
