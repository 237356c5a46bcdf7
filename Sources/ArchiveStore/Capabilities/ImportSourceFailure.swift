/// The error an import source threw inside a backend's write transaction, kept so the caller sees it as it is
/// (not as the database's rollback error). One per import; written only inside that transaction, read after it.
public final class ImportSourceFailure: @unchecked Sendable {
    /// What the source threw, if it threw.
    public var error: (any Error)?

    /// An empty record.
    public init() {}

    /// Runs a call into the source, remembering what it throws.
    public func catching<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            self.error = error
            throw error
        }
    }
}
