import ArchiveStore
import DiscordModels
import Foundation
import SQLiteStore
import TestSupport
import Testing

@testable import Archive

/// The page writer's grouping: the pure decision (``PageGroupStateMachine``) and the writer executing it on a real
/// SQLite archive, timed by a virtual clock.
@Suite struct PageGroupTests {
    typealias Machine = PageGroupStateMachine

    // MARK: The decision

    @Test func commitsWhenEveryFetcherWaits() {
        var machine = Machine(limits: .init(maxPages: 8, linger: .milliseconds(25)))
        machine.producerStarted()
        machine.producerStarted()
        machine.producerStarted()
        #expect(machine.pageArrived(at: .milliseconds(1)) == .startTimer(deadline: .milliseconds(26)))
        #expect(machine.producerWaiting(at: .milliseconds(1)) == .none)
        #expect(machine.pageArrived(at: .milliseconds(2)) == .none)
        #expect(machine.producerWaiting(at: .milliseconds(2)) == .none)
        #expect(machine.pageArrived(at: .milliseconds(3)) == .none)
        #expect(machine.producerWaiting(at: .milliseconds(3)) == .commit(count: 3))
        // While the group commits, new pages wait for it.
        #expect(machine.producerFinished(at: .milliseconds(4)) == .none)
        #expect(machine.pageArrived(at: .milliseconds(5)) == .none)
        // The group's fetchers go on; the first timer still runs: when it fires, it is started again for the new
        // oldest page.
        for _ in 0..<3 { machine.producerResumed() }
        #expect(machine.commitFinished(at: .milliseconds(6)) == .none)
        #expect(machine.timerFired(at: .milliseconds(26)) == .startTimer(deadline: .milliseconds(30)))
        #expect(machine.pageArrived(at: .milliseconds(27)) == .none)
        #expect(machine.producerWaiting(at: .milliseconds(27)) == .none)
        #expect(machine.producerWaiting(at: .milliseconds(28)) == .commit(count: 2))
    }

    @Test func fetchersAheadOfTheirCommitsGatherOneGroup() {
        var machine = Machine(limits: .init(maxPages: 64, linger: .milliseconds(25)))
        machine.producerStarted()
        machine.producerStarted()
        // Two fetchers hand over three pages each without waiting: the group waits for more.
        #expect(machine.pageArrived(at: .milliseconds(1)) == .startTimer(deadline: .milliseconds(26)))
        for step in 2...6 { #expect(machine.pageArrived(at: .milliseconds(step)) == .none) }
        #expect(machine.producerWaiting(at: .milliseconds(7)) == .none)
        // Once both wait for their oldest page, waiting longer adds nothing.
        #expect(machine.producerWaiting(at: .milliseconds(8)) == .commit(count: 6))
    }

    @Test func aFetcherAtTheEndOfItsRangeCommitsAtOnce() {
        var machine = Machine(limits: .standard)
        machine.producerStarted()
        machine.producerStarted()
        #expect(machine.pageArrived(at: .milliseconds(1)) == .startTimer(deadline: .milliseconds(4_001)))
        // The other fetcher still works, but this one has nothing more of its own: no linger.
        #expect(machine.producerWaiting(at: .milliseconds(2), urgent: true) == .commit(count: 1))
        machine.producerResumed(urgent: true)
        #expect(machine.pageArrived(at: .milliseconds(3)) == .none)
        #expect(machine.commitFinished(at: .milliseconds(4)) == .none)
    }

    /// A range that ends while other ranges of its channel still fetch waits without urgency (see
    /// ``ChannelWorkLeft/everyRangeDone``): its last pages join the group the others' pages fill.
    @Test func aRangeEndingBesideOthersWaitsForTheirPages() {
        var machine = Machine(limits: .init(maxPages: 4, linger: .seconds(2)))
        machine.producerStarted()
        machine.producerStarted()
        #expect(machine.pageArrived(at: .milliseconds(1)) == .startTimer(deadline: .milliseconds(2_001)))
        #expect(machine.producerWaiting(at: .milliseconds(2)) == .none)
        for step in 3...5 {
            let action = machine.pageArrived(at: .milliseconds(step))
            #expect(action == (step == 5 ? .commit(count: 4) : .none))
        }
    }

    @Test func commitsAfterTheLingerOrAtTheLimit() {
        var machine = Machine(limits: .init(maxPages: 2, linger: .milliseconds(25)))
        for _ in 0..<5 { machine.producerStarted() }
        #expect(machine.pageArrived(at: .zero) == .startTimer(deadline: .milliseconds(25)))
        #expect(machine.timerFired(at: .milliseconds(24)) == .startTimer(deadline: .milliseconds(25)))
        #expect(machine.timerFired(at: .milliseconds(25)) == .commit(count: 1))
        #expect(machine.pageArrived(at: .milliseconds(26)) == .none)
        #expect(machine.pageArrived(at: .milliseconds(27)) == .none)
        #expect(machine.pageArrived(at: .milliseconds(28)) == .none)
        #expect(machine.waiting == 3)
        // At most maxPages per group; the rest go in the next one.
        #expect(machine.commitFinished(at: .milliseconds(30)) == .commit(count: 2))
        #expect(machine.commitFinished(at: .milliseconds(31)) == .startTimer(deadline: .milliseconds(53)))
        #expect(machine.producerFinished(at: .milliseconds(32)) == .none)
        #expect(machine.producerFinished(at: .milliseconds(33)) == .none)
        #expect(machine.producerFinished(at: .milliseconds(34)) == .none)
        #expect(machine.producerFinished(at: .milliseconds(35)) == .none)
        #expect(machine.producerWaiting(at: .milliseconds(36)) == .commit(count: 1))
    }

    @Test func pageWithoutFetchersCommitsAtOnce() {
        var machine = Machine(limits: .standard)
        #expect(machine.pageArrived(at: .zero) == .commit(count: 1))
        #expect(machine.pageArrived(at: .zero) == .none)
        #expect(machine.commitFinished(at: .zero) == .commit(count: 1))
        #expect(machine.commitFinished(at: .zero) == .none)
    }

    // MARK: The writer on a real archive

    /// Records each group the writer commits, then stores it in the archive.
    actor Groups {
        var sizes: [Int] = []
        func record(_ count: Int) { sizes.append(count) }
    }

    static let channel: Snowflake<Channel> = "900000000000000100"
    static let otherChannel: Snowflake<Channel> = "900000000000000200"

    static func page(_ range: Range<Int>, channel: Snowflake<Channel> = channel, wrongMessage: Bool = false)
        throws -> MessagePage
    {
        let messages = try range.map { index in
            let id = 1_100_000_000_000_000_000 + UInt64(index) * 4_194_304
            let messageChannel = wrongMessage && index == range.upperBound - 1 ? otherChannel : channel
            return try IndexedMessage(
                json: Data(
                    """
                    {"id":"\(id)","channel_id":"\(messageChannel)","type":0,"content":"message \(index)",\
                    "author":{"id":"5001","username":"alice","discriminator":"0","global_name":null,"avatar":null},\
                    "timestamp":"2026-01-01T00:00:00.000000+00:00","edited_timestamp":null,"flags":0,\
                    "mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,\
                    "mention_everyone":false,"tts":false}
                    """.utf8))
        }
        let checkpoint = ChannelCheckpoint(channelId: channel, newestArchivedId: messages.last?.id)
        return MessagePage(channelId: channel, guildId: nil, messages: messages, checkpoint: checkpoint)
    }

    static func writer(
        _ store: SQLiteArchiveStore, clock: TestClock, groups: Groups, limits: Machine.Limits = .standard
    ) -> PageGroupWriter {
        PageGroupWriter(clock: clock, limits: limits) { pages in
            await groups.record(pages.count)
            return try await store.storeMessagePages(pages)
        }
    }

    @Test func fetchersWaitingTogetherCommitOnce() async throws {
        let store = try SQLiteArchiveStore.inMemory()
        let clock = TestClock()
        let groups = Groups()
        let writer = Self.writer(store, clock: clock, groups: groups)
        let pages = [
            try Self.page(0..<10), try Self.page(10..<20),
            try Self.page(20..<30, channel: Self.otherChannel),
        ]
        let results = try await withThrowingTaskGroup(of: MessagePageResult.self) { group in
            for page in pages {
                group.addTask { try await writer.producing { try await writer.store(page) } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: MessagePageResult(inserted: 10), count: 3))
        // One transaction, unless a fetcher finished before another started (then the later ones group alone).
        #expect(await groups.sizes.reduce(0, +) == 3)
        #expect(try await store.messageIDs(in: Self.channel).count == 20)
        #expect(try await store.messageIDs(in: Self.otherChannel).count == 10)
        #expect(try await store.checkpoint(for: Self.otherChannel)?.newestArchivedId == pages[2].messages.last?.id)
    }

    /// A fetcher at work (its next page on the way) from when `start()` returns until `finish()`.
    struct BusyFetcher {
        let task: Task<Void, any Error>
        let release: AsyncStream<Void>.Continuation

        static func start(on writer: PageGroupWriter) async -> BusyFetcher {
            let (entered, enter) = AsyncStream<Void>.makeStream()
            let (released, release) = AsyncStream<Void>.makeStream()
            let task = Task {
                try await writer.producing {
                    enter.yield()
                    for await _ in released { break }
                }
            }
            for await _ in entered { break }
            return BusyFetcher(task: task, release: release)
        }

        func finish() async throws {
            release.yield()
            release.finish()
            try await task.value
        }
    }

    /// Waits for the event "`count` pages are queued in `writer`", yielding between looks (no time passes).
    static func waitForQueuedPages(_ count: Int, in writer: PageGroupWriter) async {
        while await writer.waitingPages < count { await Task.yield() }
    }

    @Test func pageWaitsForTheLingerWhileAnotherFetcherWorks() async throws {
        let store = try SQLiteArchiveStore.inMemory()
        let clock = TestClock()
        let groups = Groups()
        let writer = Self.writer(store, clock: clock, groups: groups)
        let page = try Self.page(0..<10)
        let busy = await BusyFetcher.start(on: writer)
        let stored = Task { try await writer.producing { try await writer.store(page) } }
        // The page waits for the other fetcher's page: its linger timer sleeps on the virtual clock.
        await clock.waitForSleepers(1)
        #expect(await groups.sizes.isEmpty)
        #expect(try await store.messageIDs(in: Self.channel).isEmpty)
        clock.advance(by: Machine.Limits.standard.linger)
        #expect(try await stored.value == MessagePageResult(inserted: 10))
        #expect(await groups.sizes == [1])
        #expect(try await store.checkpoint(for: Self.channel)?.newestArchivedId == page.messages.last?.id)
        try await busy.finish()
    }

    @Test func failedGroupStoresEachPageOnItsOwn() async throws {
        let store = try SQLiteArchiveStore.inMemory()
        let clock = TestClock()
        let groups = Groups()
        let writer = Self.writer(store, clock: clock, groups: groups)
        let good = try Self.page(0..<10)
        let bad = try Self.page(10..<20, wrongMessage: true)
        let busy = await BusyFetcher.start(on: writer)
        let goodResult = Task { try await writer.producing { try await writer.store(good) } }
        let badResult = Task { try await writer.producing { try await writer.store(bad) } }
        await Self.waitForQueuedPages(2, in: writer)
        // The busy fetcher finishes: both waiting pages commit as one group, which fails on the bad page.
        try await busy.finish()
        #expect(try await goodResult.value == MessagePageResult(inserted: 10))
        await #expect(throws: ArchiveStoreError.self) { try await badResult.value }
        #expect(await groups.sizes == [2, 1, 1])
        #expect(try await store.messageIDs(in: Self.channel) == good.messages.map(\.id))
        #expect(try await store.checkpoint(for: Self.channel)?.newestArchivedId == good.messages.last?.id)
    }

    static func outcome(of ticket: PageGroupWriter.Ticket, in writer: PageGroupWriter) async -> Result<
        MessagePageResult, any Error
    > {
        do { return .success(try await writer.outcome(of: ticket)) } catch { return .failure(error) }
    }

    @Test func aLaneStoresNothingAfterItsFailedPage() async throws {
        let store = try SQLiteArchiveStore.inMemory()
        let clock = TestClock()
        let groups = Groups()
        let writer = Self.writer(store, clock: clock, groups: groups)
        let good = try Self.page(0..<10)
        let bad = try Self.page(10..<20, wrongMessage: true)
        let after = try Self.page(20..<30)
        let late = try Self.page(30..<40)
        let outcomes = try await writer.producing {
            let lane = await writer.newLane()
            // Three pages handed over ahead of their commits; the fetcher then waits for the oldest.
            var tickets = [
                await writer.handOver(good, in: lane), await writer.handOver(bad, in: lane),
                await writer.handOver(after, in: lane),
            ]
            var outcomes: [Result<MessagePageResult, any Error>] = []
            for ticket in tickets { outcomes.append(await Self.outcome(of: ticket, in: writer)) }
            // A page handed over after the lane failed is not stored either.
            tickets.append(await writer.handOver(late, in: lane))
            outcomes.append(await Self.outcome(of: tickets[3], in: writer))
            return outcomes
        }
        #expect(try outcomes[0].get() == MessagePageResult(inserted: 10))
        #expect(throws: ArchiveStoreError.self) { try outcomes[1].get() }
        #expect(throws: PageGroupWriter.EarlierPageFailed.self) { try outcomes[2].get() }
        #expect(throws: PageGroupWriter.EarlierPageFailed.self) { try outcomes[3].get() }
        // One group of three failed; the first two were stored again on their own, the third not at all.
        #expect(await groups.sizes == [3, 1, 1])
        #expect(try await store.messageIDs(in: Self.channel) == good.messages.map(\.id))
        #expect(try await store.checkpoint(for: Self.channel)?.newestArchivedId == good.messages.last?.id)
    }
}
