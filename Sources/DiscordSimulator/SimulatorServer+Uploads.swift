extension SimulatorServer {
    /// Bytes and attachments uploaded so far (a post repeated with the same `enforce_nonce` nonce counts once).
    public func uploadCounts() -> (bytes: Int, attachments: Int) { state.uploads.counts }

    /// Lets the next `after` message posts carrying files through and holds every later one (its body received,
    /// nothing created) until ``releaseUploads(drop:)``: a test's way to kill a client while an upload is in flight.
    public func holdUploads(after: Int) async { await state.uploadHold.hold(after: after) }

    /// Waits until `count` upload posts have been held since ``holdUploads(after:)`` (or the hold is released).
    public func waitUntilUploadsHeld(_ count: Int = 1) async { await state.uploadHold.waitUntilHeld(count) }

    /// Waits until `count` upload posts have created their message since ``holdUploads(after:)`` (those let
    /// through and those released to go on).
    public func waitUntilUploadsCreated(_ count: Int) async { await state.uploadHold.waitUntilCompleted(count) }

    /// Ends the hold: held posts go on, or with `drop` are cut off with no message created (as when the client died
    /// mid-upload). Returns how many were held.
    @discardableResult
    public func releaseUploads(drop: Bool) async -> Int { await state.uploadHold.release(drop: drop) }
}
