import ArchiveStore
import DiscordModels
import DiscordREST

extension ArchiveEngine {
    /// Asks Discord, before anything is archived, about each `--channel` and `--exclude-channel` id the archive
    /// does not hold yet, and refuses one Discord calls unknown (404, code 10003). Before, a mistyped exclusion was
    /// found only after the run had archived everything, the channel it meant to leave out included.
    ///
    /// Any other answer (a channel this bot cannot see, a bad token, a wrong API address) is left to the run, which
    /// says it in its own words; the check after the run still names a selection no guild held.
    func refuseUnknownChannelSelections(ledger: InvalidRequestLedger) async throws {
        let asked =
            configuration.channels.sorted().map { ($0, "--channel") }
            + configuration.excludedChannels.sorted().map { ($0, "--exclude-channel") }
        guard !asked.isEmpty, let account = configuration.accounts.first else { return }
        let held = Set(try await wrapStorage { try await store.channels(in: nil) }.map(\.id))
        let unknown = asked.filter { !held.contains($0.0) }
        guard !unknown.isEmpty else { return }
        try await io.clients.withClient(token: account.token, ledger: ledger) { client in
            for (id, option) in unknown {
                do {
                    _ = try await client.channel(id)
                } catch let error as DiscordRESTError where error.code == .notFound && error.discordCode == 10003 {
                    throw ArchiveError.unknownChannel(id, option: option)
                } catch let error as DiscordRESTError where error.code == .unauthorized || error.code == .transport {
                    return
                } catch is DiscordRESTError {
                    continue
                }
            }
        }
    }
}
