import ServerLifecycle

/// Settings of `skald serve`: where it listens and which token it requires.
public struct ServeConfiguration: Sendable {
    /// The address to bind (loopback by default).
    public var host: String = "127.0.0.1"
    /// The port to bind (0 picks a free port).
    public var port: Int = 8080
    /// The token every request must carry (`Authorization: Bearer T`), or `nil` for none (loopback only).
    public var authToken: String?
    /// The bot token the Discord-compatible API under `/api/` requires (`Authorization: Bot T`), or `nil` to
    /// accept any (the `authToken`, when set, is accepted there too).
    public var apiToken: String?
    /// The archive's media folder served under `/media/`, or `nil` to serve no media.
    public var mediaFolder: MediaFolder?
    /// How long requests in flight may take once the shutdown started (SIGTERM); what is still open then is closed
    /// (idle connections are closed at once).
    public var shutdownGracePeriod: Duration = ShutdownGrace.standard

    /// Default settings: loopback, port 8080, no token.
    public init() {}

    /// Whether `host` is a loopback address (the only binds allowed without a token).
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
