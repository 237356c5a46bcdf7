import Foundation

/// A flag set once from any task (a stop requested before the watch connected).
final class LiveFlag: @unchecked Sendable {
    // @unchecked Sendable: `value` is only read and written while holding `lock`.
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}
