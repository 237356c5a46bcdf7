import Archive
import Foundation
import Testing

@Suite struct ConfigurationTests {
    @Test(arguments: [
        ("sqlite:skald-archive/archive.sqlite", "skald-archive/archive.sqlite"),
        ("sqlite:///var/lib/skald.sqlite", "/var/lib/skald.sqlite"),
        ("sqlite:/tmp/a.sqlite", "/tmp/a.sqlite"),
    ])
    func sqliteLocations(text: String, path: String) throws {
        #expect(try DatabaseLocation(parsing: text) == .sqlite(path: path))
    }

    @Test(arguments: [
        "postgres://archiver:s3cret@db.example:5433/discord_archive",
        "postgresql://archiver:s3cret@db.example:5433/discord_archive",
        "postgresql+asyncpg://archiver:s3cret@db.example:5433/discord_archive",
    ])
    func postgresLocations(text: String) throws {
        guard case .postgres(let location) = try DatabaseLocation(parsing: text) else {
            Issue.record("not postgres")
            return
        }
        #expect(location.host == "db.example")
        #expect(location.port == 5433)
        #expect(location.username == "archiver")
        #expect(location.password == "s3cret")
        #expect(location.database == "discord_archive")
        #expect(!location.description.contains("s3cret"))
    }

    @Test func badURLsSayWhatIsAccepted() {
        #expect {
            try DatabaseLocation(parsing: "mysql://x:hunter2@h/db")
        } throws: { error in
            let text = "\(error)"
            return text.contains("sqlite:PATH") && !text.contains("hunter2")
        }
        #expect(throws: ConfigurationError.self) { try DatabaseLocation(parsing: "postgres://u:p@h:99999/db") }
        #expect(throws: ConfigurationError.self) { try DatabaseLocation(parsing: "postgres://u:p@h:5432/") }
    }

    @Test func readsTheDiscordArchiveConfigShape() throws {
        let path = NSTemporaryDirectory() + "skald-config-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(
            #"""
            {"database_url": "postgresql+asyncpg://u:p@localhost:5432/discord_archive",
             "accounts": [{"name": "MyAccount", "token": "abc", "guilds": ["123456789012345678"]}],
             "something_else": true}
            """#.utf8
        ).write(to: URL(fileURLWithPath: path))
        let file = try ConfigFile.load(path: path)
        #expect(file.accounts.count == 1)
        #expect(file.accounts[0].guilds == ["123456789012345678"])
        #expect(file.databaseURL?.hasPrefix("postgresql+asyncpg://") == true)
    }

    @Test func malformedConfigNamesTheFileAndTheProblem() throws {
        let path = NSTemporaryDirectory() + "skald-config-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"accounts": [{"name": "x"}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try ConfigFile.load(path: path)
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("token")
        }
        #expect(throws: ConfigurationError.self) { try ConfigFile.load(path: path + ".missing") }
    }
}
