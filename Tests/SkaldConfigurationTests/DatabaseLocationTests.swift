import Foundation
import PostgresStore
import SkaldConfiguration
import Testing

@Suite struct DatabaseLocationTests {
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

    @Test func queryParametersBecomeStoreSettings() throws {
        let text = "postgresql+asyncpg://u:p%40ss@db.example:6543/arch?pool_size=3&sslmode=require&schema=s1"
        guard case .postgres(let location) = try DatabaseLocation(parsing: text) else {
            Issue.record("not postgres")
            return
        }
        #expect(location.password == "p@ss")
        let configuration = PostgresArchiveStore.Configuration(location: location)
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "u")
        #expect(configuration.password == "p@ss")
        #expect(configuration.database == "arch")
        #expect(configuration.poolSize == 3)
        #expect(configuration.tls == .require)
        #expect(configuration.schema == "s1")
        guard case .postgres(let bare) = try DatabaseLocation(parsing: "postgres://h/db") else { return }
        let defaults = PostgresArchiveStore.Configuration(location: bare, defaultPoolSize: 5)
        #expect(defaults.poolSize == 5)
        #expect(defaults.tls == .disable)
        #expect(defaults.username == "postgres")
        #expect(defaults.port == 5432)
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
        #expect(throws: ConfigurationError.self) { try DatabaseLocation(parsing: "postgres://u:p@h/db?pool_size=0") }
        #expect(throws: ConfigurationError.self) { try DatabaseLocation(parsing: "postgres://u:p@h/db?sslmode=maybe") }
    }

    @Test func aBarePathIsShownTheFormItNeeds() {
        #expect {
            try DatabaseLocation(parsing: "archive/archive.sqlite")
        } throws: { error in
            "\(error)" == "bad database URL (archive/archive.sqlite): an SQLite archive is given as sqlite:PATH "
                + "(here sqlite:archive/archive.sqlite)"
        }
    }

    @Test func unknownURLParametersAreNamed() {
        #expect {
            try DatabaseLocation(parsing: "postgres://u:hunter2@h/db?pool_sise=4")
        } throws: { error in
            let text = "\(error)"
            return text.contains("\"pool_sise\"") && text.contains("did you mean \"pool_size\"")
                && !text.contains("hunter2")
        }
    }
}
