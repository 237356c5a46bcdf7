import DiscordModels
import DiscordREST
import Foundation
import Testing

@Suite("Archived-thread list cursor")
struct ArchivedThreadCursorTests {
    /// A thread of the list as Discord sends it (`archive_timestamp` may be null per the OpenAPI spec).
    static func thread(_ id: UInt64, archivedAt stamp: String?) throws -> Decoded<Channel> {
        let stampJSON = stamp.map { "\"\($0)\"" } ?? "null"
        let json = """
            {"id":"\(id)","type":11,"guild_id":"1","parent_id":"2","name":"t\(id)","thread_metadata":{"archived":true,\
            "auto_archive_duration":1440,"archive_timestamp":\(stampJSON),"locked":false}}
            """
        return try Decoded<Channel>(decoding: Data(json.utf8))
    }

    /// Two threads archived in one instant, split by a page boundary: the next page asks for that instant inclusive
    /// (one microsecond later) and the thread listed twice comes out once. Before, the cursor was the instant
    /// itself, exclusive, and the second thread was never listed (a docs-only fake lost it with pages of 2).
    @Test func threadsArchivedInOneInstantAcrossPagesAreAllListed() throws {
        var cursor = ArchivedThreadCursor()
        let first = try cursor.advance(
            past: [
                Self.thread(30, archivedAt: "2026-11-28T06:00:00.500000+00:00"),
                Self.thread(20, archivedAt: "2026-11-28T05:00:00.250000+00:00"),
            ], hasMore: true)
        #expect(first.map(\.value.id.rawValue) == [30, 20])
        #expect(cursor.before == "2026-11-28T05:00:00.250001+00:00")
        let second = try cursor.advance(
            past: [
                Self.thread(20, archivedAt: "2026-11-28T05:00:00.250000+00:00"),
                Self.thread(10, archivedAt: "2026-11-28T05:00:00.250000+00:00"),
            ], hasMore: false)
        #expect(second.map(\.value.id.rawValue) == [10])
        #expect(cursor.isFinished)
    }

    /// More threads share one instant than a page holds: a page with nothing new moves on with the exclusive cursor,
    /// so the listing ends.
    @Test func aPageWithNothingNewMovesPastTheInstant() throws {
        var cursor = ArchivedThreadCursor()
        let stamp = "2026-11-28T05:00:00+00:00"
        _ = try cursor.advance(
            past: [Self.thread(3, archivedAt: stamp), Self.thread(2, archivedAt: stamp)], hasMore: true)
        #expect(cursor.before == "2026-11-28T05:00:00.000001+00:00")
        let again = try cursor.advance(
            past: [Self.thread(3, archivedAt: stamp), Self.thread(2, archivedAt: stamp)], hasMore: true)
        #expect(again.isEmpty)
        #expect(cursor.before == stamp)
        #expect(!cursor.isFinished)
        // Threads of that instant beyond the page may exist and no request reaches them: said, not lost silently.
        #expect(cursor.lastPageOverflowed == .init(instant: stamp, listed: 2))
        _ = try cursor.advance(past: [Self.thread(1, archivedAt: "2026-11-28T04:00:00+00:00")], hasMore: false)
        #expect(cursor.lastPageOverflowed == nil)
    }

    /// The oldest instant of the page is the cursor even when the last thread has none (nullable in the spec); a
    /// page with no instant at all, or `has_more` false or absent, ends the list.
    @Test func theCursorIsTheOldestInstantOfThePage() throws {
        var cursor = ArchivedThreadCursor()
        _ = try cursor.advance(
            past: [
                Self.thread(9, archivedAt: "2026-11-28T06:00:00.000000+00:00"),
                Self.thread(8, archivedAt: "2026-11-28T04:00:00.123000Z"),
                Self.thread(7, archivedAt: nil),
            ], hasMore: true)
        #expect(cursor.before == "2026-11-28T04:00:00.123001+00:00")
        var noInstant = ArchivedThreadCursor()
        _ = try noInstant.advance(past: [Self.thread(5, archivedAt: nil)], hasMore: true)
        #expect(noInstant.isFinished)
        var absent = ArchivedThreadCursor()
        _ = try absent.advance(past: [Self.thread(5, archivedAt: "2026-11-28T04:00:00Z")], hasMore: nil)
        #expect(absent.isFinished)
    }
}
