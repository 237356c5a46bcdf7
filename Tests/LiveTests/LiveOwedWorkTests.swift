import DiscordModels
import Testing

@testable import Live

/// The work a watch owes during an edge ban: bounded, one refresh per message, gap fills merged.
@Suite("Live owed work")
struct LiveOwedWorkTests {
    static func refresh(_ message: UInt64) -> LiveOwedWork.Refresh {
        LiveOwedWork.Refresh(message: Snowflake(message), channel: Snowflake(7), guild: Snowflake(1))
    }

    @Test func aMessageOwesOneRefreshAndPastTheLimitRefreshesAreCountedNotKept() {
        var owed = LiveOwedWork(refreshLimit: 2)
        #expect(owed.isEmpty)
        let kept = [10, 10, 11, 12].map { owed.oweRefresh(Self.refresh($0)) }
        #expect(kept == [true, true, true, false])
        #expect(owed.droppedRefreshes == 1)
        let turn = owed.take()
        #expect(turn?.refreshes.map(\.message) == [Snowflake(10), Snowflake(11)])
        #expect(turn?.gapFill == nil)
        #expect(owed.isEmpty)
        let nothing = owed.take()
        #expect(nothing == nil)
        // Taken: there is room again.
        let again = owed.oweRefresh(Self.refresh(12))
        #expect(again)
    }

    @Test func gapFillsMergeAndEveryGuildCoversAnyGuild() {
        var owed = LiveOwedWork()
        owed.oweGapFill(of: [Snowflake(1)])
        owed.oweGapFill(of: [Snowflake(2)])
        #expect(owed.gapFill == .guilds([Snowflake(1), Snowflake(2)]))
        owed.oweGapFill(of: nil)
        owed.oweGapFill(of: [Snowflake(3)])
        let turn = owed.take()
        #expect(turn?.gapFill == .everything)
    }
}
