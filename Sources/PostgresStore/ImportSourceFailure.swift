/// The error an import source threw inside a transaction, kept so the caller sees it as it is.
final class ImportSourceFailure: @unchecked Sendable {
    // Written only inside the one write transaction, read after it ended.
    var error: (any Error)?

    /// Runs a call into the source, remembering what it throws.
    func catching<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            self.error = error
            throw error
        }
    }
}
