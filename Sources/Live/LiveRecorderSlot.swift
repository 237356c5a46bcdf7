import Foundation

/// The recorder of a running watch, for ``LiveCapture/stop()`` to reach.
final class LiveRecorderSlot: @unchecked Sendable {
    // @unchecked Sendable: `recorder` is only read and written while holding `lock`.
    private let lock = NSLock()
    private var recorder: LiveRecorder?

    var value: LiveRecorder? { lock.withLock { recorder } }

    func set(_ recorder: LiveRecorder) { lock.withLock { self.recorder = recorder } }
}
