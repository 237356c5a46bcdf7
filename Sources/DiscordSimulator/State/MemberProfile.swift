/// A member's guild profile as changed at runtime (`/__sim/mutate` `addMember` / `updateMember`): it replaces the
/// generated nick, roles and join time of that member in every rendering.
struct MemberProfile: Sendable, Hashable {
    /// The nickname (nil: none).
    var nick: String?
    /// The member's role ids.
    var roleIds: [UInt64]
    /// When the member joined, in Unix milliseconds.
    var joinedMilliseconds: UInt64
}
