import Mirror
import Testing

/// The one role reorder after a mirror makes roles (fluxer-api.md §3.3: a bot moves only roles below its own, and
/// how Fluxer renumbers is not known): nothing when creation already gave the order, else only the positions the
/// mirrored roles hold, permuted.
@Suite struct RoleOrderTests {
    @Test func rolesAlreadyInOrderAreNotMoved() {
        #expect(RoleOrder.moves(wantedLowestFirst: [1, 2, 3], positions: [1: 1, 2: 2, 3: 3, 9: 4]).isEmpty)
        #expect(RoleOrder.moves(wantedLowestFirst: [1, 2], positions: [1: 2, 2: 7]).isEmpty)
    }

    /// Before, positions 1…N were sent whatever the roles held: with the bot's role at 3 and two other roles of the
    /// owner below it, roles held at 5 and 6 (above the bot's, made by the owner) went to 1 and 2, and three
    /// roles at 1, 2 and 4 to 1…3, so the owner's role at 3 could sit among them.
    @Test func onlyTheHeldPositionsArePermuted() {
        let moves = RoleOrder.moves(wantedLowestFirst: [10, 11, 12], positions: [10: 4, 11: 2, 12: 1, 99: 3])
        #expect(moves.map(\.id) == [10, 12] && moves.map(\.position) == [1, 4])
        let held = Set([4, 2, 1])
        #expect(moves.allSatisfy { held.contains($0.position) })
    }

    /// Discord puts every new role at position 1 and orders ties by id: the positions are spread upward from the
    /// lowest just enough to be distinct.
    @Test func sharedPositionsAreSpread() {
        let moves = RoleOrder.moves(wantedLowestFirst: [30, 20, 10], positions: [10: 1, 20: 1, 30: 1])
        #expect(moves.map(\.id) == [20, 10] && moves.map(\.position) == [2, 3])
    }

    /// A role gone from the target is left out.
    @Test func missingRolesAreLeftOut() {
        let moves = RoleOrder.moves(wantedLowestFirst: [1, 2, 3], positions: [3: 1, 1: 2])
        #expect(moves.map(\.id) == [1, 3] && moves.map(\.position) == [1, 2])
    }
}
