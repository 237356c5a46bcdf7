/// One migration of the archive schema: the identifier every backend records and its statements, applied in one
/// transaction.
public struct SchemaMigration: Sendable, Equatable {
    /// The identifier recorded once the migration is applied; never reused, never edited once shipped.
    public var identifier: String
    /// The statements, in order.
    public var statements: [SchemaStatement]

    /// A migration.
    public init(_ identifier: String, _ statements: [SchemaStatement]) {
        self.identifier = identifier
        self.statements = statements
    }
}
