import Synchronization

/// Whether a channel may still wait for a fetch slot: what decides if a channel's last pages commit at once when it
/// ends (``ChannelArchiver``). A channel that ends frees its slot once its last pages commit; committing them at once
/// (a transaction of their own) lets a channel waiting for the slot start without waiting out the page group's
/// linger. When none waits and none can come any more (every channel queued has started, every guild's discovery is
/// done), the pages join the group the other channels fill: in the wide world the forty channels end within a few
/// seconds of one another, and thirty small commits of a few pages each rewrote the index leaves each of them touched
/// (12% of the run's WAL writes), where two groups do.
///
/// The engine updates it as its queue drains; it starts as wanted, and a worker (whose ranges come from leases
/// shared with other processes) keeps it wanted.
///
/// ```swift
/// let demand = ChannelSlotDemand()
/// demand.update(wanted: discovering > 0 || next < queue.count)
/// if demand.isWanted { /* commit the ending channel's pages at once */ }
/// ```
final class ChannelSlotDemand: Sendable {
    private let wanted: Mutex<Bool>

    /// A demand that starts as `wanted`.
    init(wanted: Bool = true) {
        self.wanted = Mutex(wanted)
    }

    /// Whether a channel waits for a slot, or may still be queued.
    var isWanted: Bool { wanted.withLock { $0 } }

    /// Records whether a channel waits for a slot, or may still be queued.
    func update(wanted value: Bool) {
        wanted.withLock { $0 = value }
    }
}
