/// Derived memberships: who is interested in a scheduled event and who has joined a thread. Pure functions of
/// the world, so lists, counts and pages agree with each other.
extension World {
    /// The users interested in an event, ascending by id (`user_count` is their number).
    func eventUsers(_ event: SimEvent) -> [SimUser] {
        let count = min(event.userCount, humans.count)
        return humans.sorted { Mix.hash(event.id, $0.id) < Mix.hash(event.id, $1.id) }
            .prefix(count).sorted { $0.id < $1.id }
    }

    /// A thread's members as (user id, join milliseconds), ascending by user id: the owner (when a user, not a
    /// webhook), `1 + id % 7` other humans and the bots that joined.
    func threadMembers(_ channel: SimChannel) -> [(userId: UInt64, joinMilliseconds: UInt64)] {
        guard let thread = channel.thread else { return [] }
        let created = thread.createMilliseconds
        var members: [UInt64: UInt64] = [:]
        if usersById[thread.ownerId] != nil { members[thread.ownerId] = created }
        let others = humans.filter { $0.id != thread.ownerId }
            .sorted { Mix.hash(channel.id, $0.id) < Mix.hash(channel.id, $1.id) }
            .prefix(1 + Int(channel.id % 7))
        // Joins happen within hours of the thread's creation, never after the generated present.
        let latest = max(created, presentMilliseconds)
        for user in others {
            members[user.id] = min(created + 60_000 * (1 + Mix.hash(channel.id, user.id, 3) % 600), latest)
        }
        for bot in thread.joinedBots { members[bot] = created + 5_000 }
        return members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
