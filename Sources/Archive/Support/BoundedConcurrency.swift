/// Runs work items with at most a given number in flight: the one task-group loop the engine (channels), guild
/// discovery (archived-thread listings) and the media downloader (files) share.
///
/// ```swift
/// try await BoundedConcurrency.forEach(plans, width: 8) { plan in
///     try await archive(plan)
/// } collect: { plan, report in
///     reports.append(report)   // on the caller's task, one result at a time, in completion order
/// }
/// ```
public enum BoundedConcurrency {
    /// Runs `work` for every item, at most `width` (at least 1) at once, starting them in order, and hands each
    /// result to `collect` as it completes. The first error thrown (by `work` or `collect`) cancels the rest and is
    /// rethrown.
    public static func forEach<Item: Sendable, Result: Sendable>(
        _ items: [Item], width: Int, work: @escaping @Sendable (Item) async throws -> Result,
        collect: (Item, Result) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            func launch() {
                guard next < items.count else { return }
                let index = next
                let item = items[index]
                next += 1
                group.addTask { (index, try await work(item)) }
            }
            for _ in 0..<max(1, width) { launch() }
            while let (index, result) = try await group.next() {
                try await collect(items[index], result)
                launch()
            }
        }
    }
}
