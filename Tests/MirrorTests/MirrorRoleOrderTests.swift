import FluxerSimulator
import Mirror
import Testing

/// Roles mirrored to Fluxer keep the source's order below the bot's role without a reorder that could pass it
/// (fluxer-api.md §3.3: new roles at position 1, a bot moves only roles below its own, renumbering unknown).
@Suite("Mirror role order")
struct MirrorRoleOrderTests {
    @Test func rolesAreMadeInOrderBelowTheBotWithoutAReorder() async throws {
        try await MirrorTests.withMirror { store, guild, fluxer, target in
            let plan = try await MirrorPlanner(store: store).plan(
                sourceGuild: guild, target: "fluxer:\(fluxer.guildID)")
            #expect(plan.roles.count >= 2)
            _ = try await MirrorEngine(store: store, target: target, logger: MirrorTests.logger).run(plan)
            // Highest first, the bot's role above them all, @everyone last; before, the roles were made lowest first
            // (each at position 1, so upside down) and reordered to positions 1…N.
            #expect(await fluxer.roleNames() == ["Skald"] + plan.roles.reversed().map(\.name) + ["@everyone"])
            #expect(await fluxer.requestsByRoute()["PATCH /guilds/{id}/roles", default: 0] == 0)
        }
    }
}
