import Testing

@testable import DiscordREST

/// Who takes a binding route limit's free slot (``RouteSlotQueue``): the counter with the most work left among those
/// due to ask, for a grace; after it, whoever asks.
@Suite struct RouteSlotQueueTests {
    let grace = Duration.milliseconds(25)
    let a = BucketKey(hash: "history", major: "channel:a")
    let b = BucketKey(hash: "history", major: "channel:b")

    @Test func aFreeSlotWaitsForACounterWithMoreWorkLeftThatIsDue() {
        var queue = RouteSlotQueue(grace: grace)
        queue.heldBack(a, priority: 40, asksAt: .milliseconds(100))
        // b has less left: it leaves the slot to a until a's grace ends.
        #expect(queue.yieldsUntil(b, priority: 30, now: .milliseconds(100)) == .milliseconds(125))
        // a has the most: it takes it, and its claim is spent.
        #expect(queue.yieldsUntil(a, priority: 40, now: .milliseconds(101)) == nil)
        queue.sent(a)
        #expect(queue.yieldsUntil(b, priority: 30, now: .milliseconds(101)) == nil)
    }

    @Test func aClaimNotYetDueOrPastItsGraceTakesNothing() {
        var queue = RouteSlotQueue(grace: grace)
        queue.heldBack(a, priority: 40, asksAt: .milliseconds(200))
        // Not due yet: a waits for a later slot, this one is b's.
        #expect(queue.yieldsUntil(b, priority: 30, now: .milliseconds(150)) == nil)
        // a did not come within its grace (woken late, cancelled): the slot is whoever's asks.
        #expect(queue.yieldsUntil(b, priority: 30, now: .milliseconds(226)) == nil)
        #expect(queue.count == 0)
    }

    @Test func onlyCountersOfTheSameHashWithMoreLeftCount() {
        var queue = RouteSlotQueue(grace: grace)
        queue.heldBack(BucketKey(hash: "other", major: "channel:c"), priority: 90, asksAt: .zero)
        queue.heldBack(a, priority: 30, asksAt: .zero)
        #expect(queue.yieldsUntil(b, priority: 30, now: .milliseconds(5)) == nil)  // equal work: no yield
        #expect(queue.yieldsUntil(b, priority: 29, now: .milliseconds(5)) == .milliseconds(25))
    }
}
