/// The id windows through which a newest-first search yields one channel's matches oldest first, a bounded batch
/// at a time: a window holding more matches than a batch is halved and asked again, a sparse one is followed by a
/// wider one. Pure: the caller runs each ``window``'s search and reports what it found.
///
/// ```swift
/// var windows = AscendingWindows(low: 0, high: newest + 1)
/// while let window = windows.window {
///     let found = search(window, limit: 501)  // newest first
///     if windows.found(found.count, limit: 500) { emit(found.reversed()) }
/// }
/// ```
struct AscendingWindows: Sendable, Equatable {
    /// The lowest id not yet walked (inclusive).
    private(set) var low: UInt64
    /// The end of the walk (exclusive).
    let high: UInt64
    /// The width of the next window.
    private(set) var width: UInt64

    /// Windows over `low..<high`, the first of them the whole range (a channel with few matches costs one search).
    init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
        width = high > low ? high - low : 0
    }

    /// The ids the next search covers (`lowerBound` inclusive, `upperBound` exclusive), or `nil` at the end.
    var window: (lowerBound: UInt64, upperBound: UInt64)? {
        guard low < high else { return nil }
        return (low, low + min(width, high - low))
    }

    /// Records that the search of ``window``, asked for `limit + 1` matches, found `count`. Returns whether they
    /// are all of the window's matches (then the walk moves past it; else the window is halved and asked again).
    mutating func found(_ count: Int, limit: Int) -> Bool {
        guard let (lower, upper) = window else { return false }
        if count > limit, upper - lower > 1 {
            width = (upper - lower) / 2
            return false
        }
        low = upper
        if count < limit / 4 { width = width > UInt64.max / 2 ? UInt64.max : width * 2 }
        return true
    }
}
