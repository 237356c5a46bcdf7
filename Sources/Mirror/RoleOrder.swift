/// The one role reorder a mirror sends after making roles, decided from the target's positions alone.
///
/// Fluxer puts a new role at position 1 and lets a bot move roles only below its own highest role, ADMINISTRATOR or
/// not; how it renumbers after a reorder is not known (fluxer-api.md §3.3, [?]). Sending positions 1…N could
/// therefore put mirrored roles at or above the bot's role (which Fluxer gives position 1 at install), after which
/// the bot can no longer edit them. So the mirror makes roles highest first (each lands beneath the ones before:
/// usually no reorder at all) and, when the order is still wrong, only permutes the positions its roles already
/// hold: no role is sent to a position that none of them had, so none can pass a role above or below the group.
/// Where roles share a position (Discord puts every new role at 1 and orders ties by id), the positions are
/// spread upward from the lowest just enough to be distinct.
///
/// ```swift
/// let moves = RoleOrder.moves(wantedLowestFirst: [a, b], positions: [a: 5, b: 4])  // [(a, 4), (b, 5)]
/// ```
public enum RoleOrder {
    /// The `(id, position)` pairs to send (only roles whose position changes), empty when the roles are already in
    /// order. Roles missing from `positions` (gone from the target) are left out.
    public static func moves(wantedLowestFirst: [UInt64], positions: [UInt64: Int]) -> [(id: UInt64, position: Int)] {
        let present = wantedLowestFirst.filter { positions[$0] != nil }
        let held = present.map { positions[$0]! }
        if zip(held, held.dropFirst()).allSatisfy({ $0 < $1 }) { return [] }
        var slots = held.sorted()
        for index in slots.indices.dropFirst() where slots[index] <= slots[index - 1] {
            slots[index] = slots[index - 1] + 1
        }
        return zip(present, slots).compactMap { id, slot in positions[id] == slot ? nil : (id, slot) }
    }
}
