import ArchiveStore
import Testing

/// The one schema description and its two renderings (the backends' store suites apply them to real databases).
@Suite struct ArchiveSchemaTests {
    @Test func rendersOneTableInEachDialect() {
        let table = SchemaTable(
            "message", primaryKey: ["channel_id", "id"],
            columns: [
                .required("id", .snowflake), .required("channel_id", .snowflake),
                .required("pinned", .boolean, default: .boolean(false)), .required("json", .json),
                .required("counts", .text, default: .text("it's")),
            ],
            foreignKeys: [SchemaForeignKey(["channel_id"], references: "channel", ["id"])],
            sqliteRowIDAlias: "row_id")
        #expect(
            SchemaDialect.sqlite.render(.table(table)) == [
                """
                CREATE TABLE message (
                    row_id INTEGER PRIMARY KEY,
                    id INTEGER NOT NULL,
                    channel_id INTEGER NOT NULL,
                    pinned INTEGER NOT NULL DEFAULT 0,
                    json TEXT NOT NULL,
                    counts TEXT NOT NULL DEFAULT 'it''s',
                    UNIQUE (channel_id, id),
                    FOREIGN KEY (channel_id) REFERENCES channel (id)
                )
                """
            ])
        #expect(
            SchemaDialect.postgresql.render(.table(table)) == [
                """
                CREATE TABLE message (
                    id bigint NOT NULL,
                    channel_id bigint NOT NULL,
                    pinned boolean NOT NULL DEFAULT false,
                    json json NOT NULL,
                    counts text NOT NULL DEFAULT 'it''s',
                    PRIMARY KEY (channel_id, id),
                    FOREIGN KEY (channel_id) REFERENCES channel (id)
                )
                """
            ])
    }

    @Test func rendersKeysAndDialectOnlyDetails() {
        let history = SchemaTable(
            "history", columns: [.required("id", .identity), .optional("note", .text)], postgresInsertionOrder: "seq")
        #expect(
            SchemaDialect.sqlite.render(.table(history)) == [
                "CREATE TABLE history (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    note TEXT\n)"
            ])
        #expect(
            SchemaDialect.postgresql.render(.table(history)) == [
                "CREATE TABLE history (\n    seq bigint GENERATED ALWAYS AS IDENTITY,\n"
                    + "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    note text\n)"
            ])
        let member = SchemaTable(
            "member", primaryKey: ["guild_id"], columns: [.optional("guild_id", .snowflake)], sqliteWithoutRowID: true)
        #expect(
            SchemaDialect.sqlite.render(.table(member)) == [
                "CREATE TABLE member (\n    guild_id INTEGER PRIMARY KEY\n) WITHOUT ROWID"
            ])
        #expect(
            SchemaDialect.postgresql.render(.table(member)) == [
                "CREATE TABLE member (\n    guild_id bigint PRIMARY KEY\n)"
            ])
        let index = SchemaStatement.index(SchemaIndex("pending", on: "attachment", ["id"], where: "sha256 IS NULL"))
        for dialect in [SchemaDialect.sqlite, .postgresql] {
            #expect(dialect.render(index) == ["CREATE INDEX pending ON attachment (id) WHERE sha256 IS NULL"])
        }
        #expect(
            SchemaDialect.postgresql.render(.addColumn(table: "message", .optional("source", .text)))
                == ["ALTER TABLE message ADD COLUMN source text"])
    }

    @Test func bothBackendsApplyTheSameMigrationsInOrder() {
        let identifiers = ArchiveSchema.migrations.map(\.identifier)
        #expect(identifiers.first == "v1-guild-structure")
        #expect(Set(identifiers).count == identifiers.count)
        for migration in ArchiveSchema.migrations {
            #expect(!SchemaDialect.sqlite.statements(for: migration).isEmpty)
            #expect(!SchemaDialect.postgresql.statements(for: migration).isEmpty)
        }
    }
}
