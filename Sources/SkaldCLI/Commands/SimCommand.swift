import ArgumentParser
import DiscordModels
import DiscordSimulator
import Foundation
import Logging
import ServerLifecycle
import ServiceLifecycle

/// `skald sim`: runs the Discord simulator until SIGINT or SIGTERM.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run the Discord simulator (REST, CDN and an admin surface) on loopback.",
        discussion: """
            Prints one line, `skald-sim listening on http://127.0.0.1:PORT token=TOKEN`, once accepting. \
            The Discord API is under /api/v10, attachments under /cdn, ground truth and statistics under /__sim/.
            """
    )

    @Option(help: "Port to bind on 127.0.0.1 (0 picks a free port).") var port: Int = 0
    @Option(help: "Seed of the generated world.") var seed: UInt64 = 1
    @Option(help: "Number of guilds.") var guilds: Int = 1
    @Option(help: "Message-holding channels per guild.") var channels: Int = 6
    @Option(help: "Messages per channel (generated on demand).") var messages: Int = 500
    @Option(help: "Threads per guild.") var threads: Int = 6
    @Option(
        name: .customLong("history-end"),
        help: ArgumentHelp(
            "When the generated history ends (ISO 8601, default 2026-11-01T00:00:00Z); the world moves with it.",
            discussion: "Ids hold their creation time, so a later end gives larger ids, as the spec allows "
                + "(unsigned 64-bit): 2088-09-06T00:00:00Z makes every channel's messages run from below 2^63 to "
                + "above it."))
    var historyEnd: String?
    @Option(name: .customLong("latency-ms"), help: "Delay added to every API answer, in milliseconds.")
    var latencyMilliseconds: Int = 0
    @Option(name: .customLong("fault-rate"), help: "Fraction of API requests answered with a fault (0...1).")
    var faultRate: Double = 0
    @Option(name: .customLong("rate-limits"), help: "Rate-limit profile: discord or off.") var rateLimits: String =
        "discord"
    @Option(name: .customLong("bucket"), help: "Bucket override NAME=N/Ws, e.g. messages=20/1s (repeatable).")
    var buckets: [String] = []
    @Option(name: .customLong("token"), help: "Bot token (repeatable; each is a separate bot user).")
    var tokens: [String] = []
    @Option(name: .customLong("cursor-mode"), help: "Several message cursors: strict (400) or discord (honour one).")
    var cursorMode: String = "strict"
    @Flag(
        name: .customLong("lying-headers"),
        help: "The message-history bucket announces twice the limit (and remaining) it enforces.")
    var lyingHeaders = false
    @Option(
        name: .customLong("hidden-limit"),
        help: "An unannounced per-token limit on message history, N requests per second (all channels together).")
    var hiddenLimit: Int?
    @Flag(name: .customLong("no-message-content"), help: "Run as an app without the MESSAGE_CONTENT intent.")
    var noMessageContent = false
    @Option(
        name: .customLong("search-index-warmup"),
        help: "Answer each guild's first N message searches 202 (index not yet available), as Discord does.")
    var searchIndexWarmup: Int = 0
    @Flag(name: .customLong("no-guild-members"), help: "Run as an app without the GUILD_MEMBERS flag.")
    var noGuildMembers = false
    @Option(name: .customLong("upload-limit"), help: "Bytes per uploaded file before a 413 (40005).")
    var uploadLimit: Int = 10 * 1024 * 1024
    @Flag(
        name: .customLong("no-compression"),
        help: "Answer API requests uncompressed even when they accept gzip (Discord compresses them).")
    var noCompression = false
    @Option(
        name: .customLong("shutdown-grace"),
        help: "Seconds requests in flight get to finish after SIGTERM or SIGINT, then they are cut (default 10).")
    var shutdownGraceSeconds: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1") }
        guard SimulatorConfiguration.RateLimitProfile(rawValue: rateLimits) != nil else {
            throw ValidationError("--rate-limits must be discord or off")
        }
        guard SimulatorConfiguration.CursorMode(rawValue: cursorMode) != nil else {
            throw ValidationError("--cursor-mode must be strict or discord")
        }
        for bucket in buckets { _ = try Self.parseBucket(bucket) }
        if let hiddenLimit, hiddenLimit < 1 { throw ValidationError("--hidden-limit must be at least 1") }
        if let shutdownGraceSeconds, shutdownGraceSeconds < 0 {
            throw ValidationError("--shutdown-grace must not be negative")
        }
        if tokens.contains(where: \.isEmpty) { throw ValidationError("--token must not be empty") }
        if let historyEnd { _ = try Self.parseHistoryEnd(historyEnd) }
        guard guilds >= 0, channels >= 0, messages >= 0, threads >= 0 else {
            throw ValidationError("counts must not be negative")
        }
    }

    static func parseBucket(_ text: String) throws -> (String, SimulatorConfiguration.BucketLimit) {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let limit = SimulatorConfiguration.BucketLimit(parsing: String(parts[1])) else {
            throw ValidationError("--bucket expects NAME=N/Ws, e.g. messages=20/1s (got \(text))")
        }
        let names = SimulatorConfiguration.bucketNames
        guard names.contains(String(parts[0])) else {
            throw ValidationError(
                "--bucket \(parts[0]) is not a bucket; the buckets are " + names.joined(separator: ", "))
        }
        return (String(parts[0]), limit)
    }

    /// `--history-end` as Unix milliseconds: an ISO 8601 instant from the default end to the last one an id holds.
    static func parseHistoryEnd(_ text: String) throws -> UInt64 {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else {
            throw ValidationError(
                "--history-end expects an ISO 8601 instant such as 2088-09-06T00:00:00Z (got \(text))")
        }
        let milliseconds = date.timeIntervalSince1970 * 1000
        let earliest = Double(SimulatorConfiguration.defaultHistoryEndMilliseconds)
        let latest = Double(Snowflake<AnyTag>.unixMillisecondsRange.upperBound)
        guard milliseconds >= earliest, milliseconds <= latest else {
            throw ValidationError("--history-end must be from 2026-11-01T00:00:00Z to 2154-05-15T07:35:11.103Z")
        }
        return UInt64(milliseconds)
    }

    func makeConfiguration() throws -> SimulatorConfiguration {
        var config = SimulatorConfiguration()
        config.port = port
        config.seed = seed
        config.guilds = guilds
        config.channelsPerGuild = channels
        config.messagesPerChannel = messages
        config.threadsPerGuild = threads
        if let historyEnd { config.historyEndMilliseconds = try Self.parseHistoryEnd(historyEnd) }
        config.latency = .milliseconds(latencyMilliseconds)
        config.faultRate = faultRate
        config.rateLimits = SimulatorConfiguration.RateLimitProfile(rawValue: rateLimits) ?? .discord
        config.cursorMode = SimulatorConfiguration.CursorMode(rawValue: cursorMode) ?? .strict
        config.messageContentIntent = !noMessageContent
        config.guildMembersIntent = !noGuildMembers
        config.searchIndexWarmup = max(0, searchIndexWarmup)
        config.lyingHeaders = lyingHeaders
        config.hiddenMessageLimitPerSecond = hiddenLimit
        config.uploadLimit = uploadLimit
        config.compression = !noCompression
        if let shutdownGraceSeconds { config.shutdownGracePeriod = .seconds(shutdownGraceSeconds) }
        for bucket in buckets {
            let (name, limit) = try Self.parseBucket(bucket)
            config.bucketOverrides[name] = limit
        }
        if !tokens.isEmpty { config.tokens = tokens }
        return config
    }

    func run() async throws {
        let service = SimulatorService(configuration: try makeConfiguration())
        var logger = Logger(label: "skald.sim")
        logger.logLevel = .warning
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Runs the simulator as a service: start, announce, wait for graceful shutdown, stop.
struct SimulatorService: Service {
    let configuration: SimulatorConfiguration

    func run() async throws {
        let sim: SimulatorServer
        do {
            sim = try await SimulatorServer.start(configuration)
        } catch {
            throw CommandFailure.Message(
                "the simulator " + ListenFailure.describe(error, host: configuration.host, port: configuration.port))
        }
        Console.out("skald-sim listening on \(sim.baseURL) token=\(sim.tokens.first ?? "")")
        try? await gracefulShutdown()
        await sim.shutdown()
    }
}
