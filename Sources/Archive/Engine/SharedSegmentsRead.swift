import ArchiveStore

/// One worker's reads of a channel's segments, shared by its fetchers: each range reads where it ends before every
/// request (another worker may have split it), so eight ranges in flight asked the database eight times a round
/// trip. A read asked for while another is in flight joins it instead of starting its own; the answer is then at
/// most one read older than the question, far less than the pages a split leaves its holder (see
/// ``SegmentPlanner/splitMargin``).
actor SharedSegmentsRead {
    private let read: @Sendable () async throws -> [ChannelSegment]
    private var inFlight: Task<[ChannelSegment], any Error>?

    /// Shares the reads `read` makes.
    init(_ read: @escaping @Sendable () async throws -> [ChannelSegment]) { self.read = read }

    /// The segments as a read started now, or one in flight, finds them.
    func segments() async throws -> [ChannelSegment] {
        if let inFlight { return try await inFlight.value }
        // An unstructured task by necessity: several callers wait for the one read.
        let task = Task { [read] in try await read() }
        inFlight = task
        defer { inFlight = nil }
        return try await task.value
    }
}
