import ArchiveStore
import Foundation

/// A file's reader run on a thread of its own, a few batches ahead of the store that writes them: parsing the next
/// batch and inserting this one use both cores of the machine. It hands the store the reader's batches in their
/// order, then what the reader threw at the point it threw it (the store rolls back as it would have), or the end.
///
/// Call ``finish()`` once the store is done (whether it threw): it stops the thread and waits for it, so the file
/// is never read after the caller moves on.
final class ReadAheadSource: ImportMessageSource, @unchecked Sendable {
    /// One step of the reader: a batch, the end, or what it threw.
    private enum Step {
        case batch([ImportedMessage])
        case end
        case failed(any Error)
    }

    let source: String
    /// The file's `exportedAt` as its header gave it (the store reads it before the first batch).
    let exportedAt: Date?
    private let reader: DCEFileReader
    /// Batches read and not yet handed over, at most ``depth``; guarded by ``condition``.
    private var ready: [Step] = []
    private var stopped = false
    private var finished = false
    private let condition = NSCondition()
    private let depth: Int
    /// Whether the thread was started (by the first ``nextBatch()``).
    private var started = false

    /// A source over `reader` (its header read already) that reads `depth` batches ahead on a thread of its own,
    /// started by the first ``nextBatch()`` (a store that does not import directly never starts it).
    init(_ reader: DCEFileReader, depth: Int = 2) {
        self.reader = reader
        self.source = reader.source
        self.exportedAt = reader.exportedAt
        self.depth = max(1, depth)
    }

    /// The reader's loop: one batch at a time, waiting while ``depth`` are ready.
    private func run() {
        while true {
            let step: Step
            do {
                step = try reader.nextBatch().map(Step.batch) ?? .end
            } catch {
                step = .failed(error)
            }
            condition.lock()
            while ready.count >= depth && !stopped { condition.wait() }
            let stop = stopped
            if !stop { ready.append(step) }
            if stop || !Self.continues(step) { finished = true }
            condition.broadcast()
            condition.unlock()
            if stop || !Self.continues(step) { return }
        }
    }

    private static func continues(_ step: Step) -> Bool {
        if case .batch = step { return true }
        return false
    }

    func nextBatch() throws -> [ImportedMessage]? {
        condition.lock()
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "skald-import-reader"
            thread.start()
        }
        while ready.isEmpty { condition.wait() }
        let step = ready.removeFirst()
        // After the end (or a failure) nothing more is read: hand the same answer again if asked.
        if !Self.continues(step) { ready.insert(step, at: 0) }
        condition.broadcast()
        condition.unlock()
        switch step {
        case .batch(let batch): return batch
        case .end: return nil
        case .failed(let error): throw error
        }
    }

    /// The reader's channel header, once ``nextBatch()`` returned `nil` (the thread has ended then).
    func channelHeader() throws -> ImportedChannel { try reader.channelHeader() }

    /// Stops the thread (reading no further batch) and waits until it has ended.
    func finish() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while started && !finished { condition.wait() }
        condition.unlock()
    }
}
