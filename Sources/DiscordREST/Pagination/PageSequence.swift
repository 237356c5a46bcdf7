/// Pages fetched one after another, each request's cursor derived from the previous page.
///
/// Iterating sends requests lazily: nothing is fetched before the first `next()`. An empty page ends the
/// sequence without being yielded.
///
/// ```swift
/// for try await page in client.messages(in: channel, after: Snowflake(0)) { store(page) }
/// ```
public struct PageSequence<Page: Sendable>: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = Page

    /// One fetched page and how to fetch the next (`nil`: this was the last).
    struct Step: Sendable {
        let page: Page
        let next: Fetch?
    }

    /// Fetches a page; `nil` means there are no more pages.
    typealias Fetch = @Sendable () async throws -> Step?

    private let first: Fetch

    init(first: @escaping Fetch) { self.first = first }

    /// A sequence driven by a cursor: `fetch(cursor)` returns the page (`nil` or empty ends) and the next cursor.
    static func cursor<Cursor: Sendable>(
        start: Cursor, fetch: @escaping @Sendable (Cursor) async throws -> (page: Page, isEmpty: Bool, next: Cursor?)
    ) -> PageSequence {
        @Sendable func step(_ cursor: Cursor) -> Fetch {
            {
                let result = try await fetch(cursor)
                if result.isEmpty { return nil }
                return Step(page: result.page, next: result.next.map { step($0) })
            }
        }
        return PageSequence(first: step(start))
    }

    /// Iterates the pages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var pending: Fetch?

        /// The next page, or `nil` after the last.
        public mutating func next() async throws -> Page? {
            guard let fetch = pending else { return nil }
            pending = nil
            guard let step = try await fetch() else { return nil }
            pending = step.next
            return step.page
        }
    }

    /// The iterator that reads the sequence.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pending: first) }
}
