import Foundation
import ServerLifecycle

/// How a fake Fluxer runs: address, bot token, API flavour, latency and injected faults.
public struct FluxerSimulatorConfiguration: Sendable {
    /// Which Fluxer code the fake follows (fluxer-api.md: [B] baseline, [N] newer).
    public enum Flavour: String, Sendable, CaseIterable {
        /// [B]: fixed windows, Limit/Remaining/Reset headers only, webhooks JSON only, nonce ignored.
        case baseline
        /// [N]: Reset-After and Bucket headers, `X-RateLimit-Scope`, webhook nonce de-duplication.
        case newer
    }

    /// The host to bind.
    public var host = "127.0.0.1"
    /// The port (0: a free one).
    public var port = 0
    /// How long requests in flight may take once ``FluxerSimulatorServer/shutdown()`` started; what is still open
    /// then is closed (idle connections are closed at once).
    public var shutdownGracePeriod: Duration = ShutdownGrace.standard
    /// The bot token of the installed bot.
    public var token = "fluxer-test-token-0123456789"
    /// The community owner's user session token (sent raw, fluxer-api.md §1): requests with it act as the owner,
    /// who bypasses the role hierarchy (§3.3).
    public var ownerToken = "fluxer-owner-token-0123456789"
    /// The flavour.
    public var flavour: Flavour = .newer
    /// Latency added to every API request.
    public var latency: Duration = .zero
    /// Fraction of API requests answered 500 before they run.
    public var faultRate = 0.0
    /// Fraction of webhook executes answered 500 after the message was posted: the answer is lost, the write is
    /// not (fluxer-api.md §4: 5xx are retried with backoff, so a client meets them mid-write). A blind resend then
    /// posts the message twice: [B] webhooks ignore `nonce` (§3.5, §7 item 18).
    public var lostAnswerRate = 0.0
    /// Global requests per second per token (webhook executes exempt).
    public var globalPerSecond = 50
    /// [B] only: bot sends (`POST /channels/{c}/messages`) need a gateway session first (§3.6, §7 item 27); the
    /// test hook `POST /__fluxer/session` starts one. Webhook executes are not gated.
    public var requireSession = false
    /// The largest file a message or webhook upload takes (fluxer-api.md §3.6: 25 MiB).
    public var maxFileBytes = 25 << 20
    /// [N]: the largest file a bot's own message takes (§3.6: bots 50 MiB).
    public var newerBotMaxFileBytes = 50 << 20
    /// How long a reorder holds its positions lock (a parallel reorder meanwhile gets 423, §3.2).
    public var reorderHold: Duration = .zero
    /// Static emojis (and as many animated) a community takes (fluxer-api.md §5: [B] 50, [N] 500).
    public var maxEmojis = 50
    /// Stickers a community takes (§5: [B] 50, [N] 500).
    public var maxStickers = 50
    /// The pre-existing guild's name.
    public var guildName = "Fluxer Community"

    /// The instant rate-limit windows are counted against (the wall clock by default; tests inject a fixed or
    /// stepped time so a bucket's window cannot lapse while a slow machine sends its requests).
    public var now: @Sendable () -> Date = { Date() }

    /// The defaults: newer flavour, no latency, no faults.
    public init() {}
}
