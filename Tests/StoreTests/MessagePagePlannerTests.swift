import ArchiveStore
import DiscordModels
import Foundation
import Testing

/// The page planner every backend executes, tested without a database: what a page writes given what the archive
/// holds.
@Suite struct MessagePagePlannerTests {
    func text(_ message: Decoded<Message>) -> String { String(decoding: message.json, as: UTF8.self) }

    func stored(_ message: Decoded<Message>, deleted: Bool = false) -> MessagePagePlanner.Stored {
        MessagePagePlanner.Stored(
            version: MessageChange.Stored(
                editedTimestamp: message.value.editedTimestamp?.rawValue, content: message.value.content,
                json: text(message)),
            deleted: deleted)
    }

    func plan(
        _ messages: [Decoded<Message>], stored: [Decoded<Message>] = [], deleted: Set<Snowflake<Message>> = []
    )
        throws -> MessagePagePlan
    {
        let page = MessagePage(channelId: Fixture.channel, guildId: Fixture.guild, messages: messages)
        try MessagePagePlanner.validate(page)
        var rows: [Snowflake<Message>: MessagePagePlanner.Stored] = [:]
        for message in stored {
            rows[message.value.id] = self.stored(message, deleted: deleted.contains(message.value.id))
        }
        return MessagePagePlanner.plan(page, stored: rows)
    }

    @Test func newEditedUnchangedAndRestored() throws {
        let a = try Fixture.message(1, content: "one")
        let b = try Fixture.message(2, content: "two")
        let bEdited = try Fixture.message(2, content: "two!", edited: "2026-11-21T09:00:00+00:00")
        let c = try Fixture.message(3, content: "three")
        let result = try plan([a, bEdited, c], stored: [b, c], deleted: [c.value.id])
        #expect(result.result == MessagePageResult(inserted: 1, edited: 1, unchanged: 1, restored: 1))
        #expect(result.writes.map(\.id) == [a.value.id, b.value.id])
        #expect(result.writes.map(\.replacesStored) == [false, true])
        #expect(result.revisions.map(\.content) == ["two"])
        #expect(result.revisions.allSatisfy { !$0.ifAbsent })
        #expect(result.restored == [c.value.id])
        #expect(result.reactionsReplaced == [b.value.id])
        #expect(result.revisionCounts(keeping: result.revisions).map(\.added) == [1])
    }

    /// A page naming one message twice ends as if the versions were stored one after the other: one row written
    /// (the last version), the first version's revision kept once.
    @Test func oneMessageTwiceInAPage() throws {
        let first = try Fixture.message(5, content: "draft", reactions: 2)
        let second = try Fixture.message(5, content: "final", edited: "2026-11-21T09:00:00+00:00")
        let result = try plan([first, second])
        #expect(result.result == MessagePageResult(inserted: 1, edited: 1))
        #expect(result.writes.count == 1)
        #expect(result.message(result.writes[0]).content == "final")
        #expect(!result.writes[0].replacesStored)
        #expect(result.revisions.map(\.content) == ["draft"])
        #expect(result.reactions.isEmpty, "the last version has no reactions")
    }

    /// An older version fetched out of order becomes a revision only if neither the page nor the archive has it.
    @Test func olderVersionsAreConditionalAndNotRepeated() throws {
        let old = try Fixture.message(7, content: "v1", edited: "2026-11-20T10:00:00+00:00")
        let current = try Fixture.message(7, content: "v2", edited: "2026-11-21T10:00:00+00:00")
        let result = try plan([old, old], stored: [current])
        #expect(result.writes.isEmpty)
        #expect(result.result == MessagePageResult(unchanged: 2))
        #expect(result.revisions.count == 1)
        #expect(result.revisions[0].ifAbsent)
        #expect(result.revisionCounts(keeping: []).isEmpty, "a revision the archive already had adds nothing")
    }

    @Test func attachmentsReactionsAndUsersOfWrittenVersionsOnly() throws {
        let a = try Fixture.message(1, author: 5001, mentions: [6001], attachments: 2, reactions: 3)
        let unchanged = try Fixture.message(2, author: 5002)
        let result = try plan([a, unchanged], stored: [unchanged])
        #expect(result.attachments.count == 2)
        #expect(result.attachments.allSatisfy { $0.messageId == a.value.id })
        #expect(result.reactions.allSatisfy { $0.messageId == a.value.id })
        #expect(!result.reactions.isEmpty)
        #expect(result.users.map(\.id) == [5001, 6001])
        #expect(SeenUsers.merging([result.users]).map(\.user.id.rawValue) == [5001, 6001])
    }

    @Test func aMessageOfAnotherChannelFailsThePage() throws {
        let stray = try Fixture.message(1, channel: Fixture.otherChannel)
        #expect(throws: ArchiveStoreError.self) { try plan([stray]) }
    }
}
