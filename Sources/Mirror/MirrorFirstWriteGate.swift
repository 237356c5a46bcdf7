/// Lets one sender at a time make the first write of a run on a webhook (the channels of a forum, or a channel and
/// its threads, share their host's webhook and its bucket).
///
/// A rerun's limiter knows nothing of a webhook an earlier run spent, and once it has learned the execute route's
/// bucket on one webhook it lets a new webhook start from that limit. So the first write on each webhook goes
/// alone (after ``MirrorWarmStart``'s wait): its answer's headers tell the limiter how much of the bucket is left,
/// and the other senders on that webhook follow only then.
actor MirrorFirstWriteGate {
    private var opened: Set<UInt64> = []
    private var held: Set<UInt64> = []
    private var waiting: [UInt64: [CheckedContinuation<Void, Never>]] = [:]

    /// Whether the caller makes the first write on `webhook` (it must then call ``leave(_:)`` once that write is
    /// answered or failed); otherwise returns once the first write on it was answered.
    func enter(_ webhook: UInt64) async -> Bool {
        if opened.contains(webhook) { return false }
        if !held.contains(webhook) {
            held.insert(webhook)
            return true
        }
        await withCheckedContinuation { waiting[webhook, default: []].append($0) }
        return false
    }

    /// Opens `webhook` to every sender (its first write was answered, or failed).
    func leave(_ webhook: UInt64) {
        held.remove(webhook)
        opened.insert(webhook)
        for continuation in waiting.removeValue(forKey: webhook) ?? [] { continuation.resume() }
    }
}
