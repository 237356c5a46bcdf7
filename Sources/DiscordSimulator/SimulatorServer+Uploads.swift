extension SimulatorServer {
    /// Bytes and attachments uploaded so far (a post repeated with the same `enforce_nonce` nonce counts once).
    public func uploadCounts() -> (bytes: Int, attachments: Int) { state.uploads.counts }
}
