import Testing

@testable import Mirror

/// The plan's time estimate follows the target's limits: Fluxer's (roles and channels 10/60 s, 60/60 s per
/// webhook) or Discord's (channels 5/5 s, 5/2 s per webhook shared by a channel and its threads, 50/s in all).
@Suite struct MirrorPlanEstimateTests {
    static func channel(
        _ id: UInt64, type: Int = 0, parent: UInt64? = nil, pending: Int = 0, pins: Int = 0, made: Bool = false
    ) -> MirrorPlan.ChannelItem {
        MirrorPlan.ChannelItem(
            sourceId: id, name: "c\(id)", type: type, sourceType: type, topic: nil, parentSourceId: parent,
            roleOverwrites: [], messageCount: pending, pendingMessages: pending, pendingBytes: pending * 40,
            pendingPins: pins, targetId: made ? id + 1000 : nil)
    }

    static func plan(target: String, channels: [MirrorPlan.ChannelItem], roles: Int = 3) -> MirrorPlan {
        MirrorPlan(
            sourceGuild: 1, target: target,
            roles: (0..<roles).map {
                MirrorPlan.RoleItem(
                    sourceId: UInt64(100 + $0), name: "r\($0)", color: 0, permissions: 0, position: $0, hoist: false,
                    mentionable: false, targetId: nil)
            }, channels: channels)
    }

    /// Twelve new text channels, one with 100 messages and two threads of 50 (sharing its webhook on Discord).
    static let channels: [MirrorPlan.ChannelItem] =
        [channel(1, pending: 100)] + (2...12).map { channel(UInt64($0)) }
        + [channel(20, type: 11, parent: 1, pending: 50), channel(21, type: 11, parent: 1, pending: 50)]

    @Test func discordTargetUsesDiscordLimits() {
        let plan = Self.plan(target: "discord:9", channels: Self.channels)
        // 12 channels at 5/5 s: 10 s; 200 messages through one webhook at 5/2 s: 78 s; 2 threads: no wait.
        #expect(plan.estimatedSeconds == plan.estimatedDiscordSeconds)
        #expect(plan.estimatedDiscordSeconds == 10 + 78)
        // Pins at 5/5 s per channel come after the messages.
        var pinned = Self.channels
        pinned[0].pendingPins = 11
        #expect(Self.plan(target: "discord:9", channels: pinned).estimatedSeconds == 10 + 78 + 10)
        // 300 roles: the second 250 wait 48 h (and the 300 requests take 6 s of the global 50/s).
        #expect(Self.plan(target: "discord:9", channels: [], roles: 300).estimatedSeconds == 172_800 + 6)
        // Many small webhooks: the global 50/s bounds it (5,000 messages over 1,000 channels: 100 s).
        let wide = (1...1000).map { Self.channel(UInt64($0), pending: 5, made: true) }
        #expect(Self.plan(target: "discord:9", channels: wide, roles: 0).estimatedSeconds == 100)
        // Nothing left: nothing to wait for.
        let done = Self.channels.map { channel in
            var item = channel
            item.targetId = 1
            item.pendingMessages = 0
            return item
        }
        #expect(Self.plan(target: "discord:9", channels: done, roles: 0).estimatedSeconds == 0)
    }

    @Test func fluxerTargetUsesFluxerLimits() {
        let plan = Self.plan(target: "fluxer:9", channels: Self.channels)
        // 14 new channels (threads become channels): 4 over 10 at 10/60 s, 24 s; the slowest channel's 100
        // messages at 60/60 s per webhook: 40 s.
        #expect(plan.estimatedSeconds == plan.estimatedFluxerSeconds)
        #expect(plan.estimatedFluxerSeconds == 24 + 40)
        #expect(plan.estimatedFluxerSeconds != plan.estimatedDiscordSeconds)
    }
}
