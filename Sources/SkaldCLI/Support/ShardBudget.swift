import Archive
import DiscordModels
import DiscordREST
import Foundation

/// The check that the shards `skald watch` is asked to run fit Discord's identify budget (`session_start_limit` of
/// `GET /gateway/bot`: 1,000 new sessions a day for most bots). Without it, each shard waited for the budget on its
/// own: the shards past the budget sat until the daily reset, holding the process and its connections for hours.
enum ShardBudget {
    /// Throws a ``CommandFailure`` naming the budget when `shards` new sessions exceed what is left of it.
    static func require(shards: Int, io: ArchiveIO, token: String) async throws {
        let bot = try await io.clients.withClient(token: token) { rest in try await rest.gatewayBot().value }
        let limit = bot.sessionStartLimit
        guard shards > limit.remaining else { return }
        let hours = Double(limit.resetAfter) / 3_600_000
        throw CommandFailure.Message(
            "--shards asks for \(shards) gateway sessions, but Discord allows this bot \(limit.remaining) more of its "
                + "\(limit.total) a day (the budget resets in \(String(format: "%.1f", hours)) h): run fewer shards "
                + "per process with --shard-ids, or wait for the reset")
    }
}
