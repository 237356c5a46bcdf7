/// A guild's membership as changed at runtime (`/__sim/mutate` `addMember`, `updateMember`, `removeMember`); every
/// generated human and bot starts as a member of every guild.
struct MemberRoster: Sendable {
    /// Users who joined at runtime and are not in the generated world, by id.
    var newcomers: [UInt64: SimUser] = [:]
    /// Members who left (generated users or newcomers).
    var departed: Set<UInt64> = []
    /// Profiles changed at runtime, by user id.
    var profiles: [UInt64: MemberProfile] = [:]
}
