extension SimulatorServer {
    /// Lets the next `after` message history pages that continue a channel (a request with `before`, `after` or
    /// `around`) through and holds every later one until ``releaseMessagePages(drop:)``: a test's way to kill a
    /// client while it is in the middle of a channel, its earlier pages fetched and the next one in flight.
    public func holdMessagePages(after: Int) async { await state.pageHold.hold(after: after) }

    /// Waits until `count` pages have been held since ``holdMessagePages(after:)`` (or the hold is released).
    public func waitUntilMessagePagesHeld(_ count: Int = 1) async { await state.pageHold.waitUntilHeld(count) }

    /// Ends the hold: held pages are answered, or with `drop` their connections are cut (as when the client died
    /// waiting). Returns how many were held.
    @discardableResult
    public func releaseMessagePages(drop: Bool) async -> Int { await state.pageHold.release(drop: drop) }

    /// Pages held since ``holdMessagePages(after:)`` (released ones included).
    public func messagePagesHeld() async -> Int { await state.pageHold.counts.total }

    /// Lets the next `after` attachment downloads (generated or uploaded) through whole and holds every later one halfway through
    /// its body until ``releaseAttachmentDownloads(drop:)``: a test's way to kill a client in the middle of a
    /// media download.
    public func holdAttachmentDownloads(after: Int) async { await state.downloadHold.hold(after: after) }

    /// Waits until `count` downloads have been held since ``holdAttachmentDownloads(after:)`` (or the hold is
    /// released).
    public func waitUntilAttachmentDownloadsHeld(_ count: Int = 1) async {
        await state.downloadHold.waitUntilHeld(count)
    }

    /// Ends the hold: held downloads finish, or with `drop` their connections are cut. Returns how many were held.
    @discardableResult
    public func releaseAttachmentDownloads(drop: Bool) async -> Int { await state.downloadHold.release(drop: drop) }

    /// Downloads held since ``holdAttachmentDownloads(after:)`` (released ones included).
    public func attachmentDownloadsHeld() async -> Int { await state.downloadHold.counts.total }
}
