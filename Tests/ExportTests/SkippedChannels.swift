import Export
import Foundation

/// The channels an export reported skipped (its callback is synchronous and `Sendable`).
final class SkippedChannels: @unchecked Sendable {
    private let lock = NSLock()
    private var skipped: [SkippedChannel] = []

    func add(_ channel: SkippedChannel) { lock.withLock { skipped.append(channel) } }

    var all: [SkippedChannel] { lock.withLock { skipped } }
}
