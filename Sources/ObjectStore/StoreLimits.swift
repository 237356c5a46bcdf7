/// Discord's upload limits the store plans chunks by (configuration, with Discord's defaults for bots).
public struct StoreLimits: Sendable, Hashable {
    /// Bytes per attachment (10 MiB).
    public var attachmentBytes: Int
    /// Attachments per message (10).
    public var attachmentsPerMessage: Int
    /// Bytes per request, all files together (25 MiB).
    public var requestBytes: Int
    /// Chunk messages posted at once to each channel, across every upload of one engine (a plain one is read from
    /// the file into its request; an encrypted one holds its sealed chunks in memory). Two by default: see
    /// ``UploadPermits``.
    public var messagesInFlight: Int

    /// Creates limits; the defaults are Discord's for bots.
    public init(
        attachmentBytes: Int = 10 * 1024 * 1024, attachmentsPerMessage: Int = 10, requestBytes: Int = 25 * 1024 * 1024,
        messagesInFlight: Int = 2
    ) {
        self.attachmentBytes = attachmentBytes
        self.attachmentsPerMessage = attachmentsPerMessage
        self.requestBytes = requestBytes
        self.messagesInFlight = max(1, messagesInFlight)
    }

    /// Chunks one message carries when each posted attachment is `stored` bytes (room left for the form).
    public func chunksPerMessage(stored: Int) -> Int {
        max(1, min(attachmentsPerMessage, (requestBytes - 64 * 1024) / max(stored, 1)))
    }
}
