import Foundation
import SkaldConfiguration
import Testing

@Suite struct ConfigFileTests {
    /// Writes `text` to a fresh file and runs `body` with its path.
    @discardableResult
    func withConfig<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "skald-config-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try body(path)
    }

    @Test func readsTheDiscordArchiveConfigShape() throws {
        let file = try withConfig(
            #"""
            {"database_url": "postgresql+asyncpg://u:p@localhost:5432/discord_archive",
             "accounts": [{"name": "MyAccount", "token": "abc", "guilds": ["123456789012345678"]}]}
            """#
        ) { try ConfigFile.load(path: $0) }
        #expect(file.accounts.count == 1)
        #expect(file.accounts[0].guilds == ["123456789012345678"])
        #expect(file.databaseURL?.hasPrefix("postgresql+asyncpg://") == true)
    }

    @Test func malformedConfigNamesTheFileAndTheProblem() throws {
        try withConfig(#"{"accounts": [{"name": "x"}]}"#) { path in
            #expect {
                try ConfigFile.load(path: path)
            } throws: { error in
                "\(error)".contains(path) && "\(error)".contains("token")
            }
            #expect(throws: ConfigurationError.self) { try ConfigFile.load(path: path + ".missing") }
        }
    }

    @Test(arguments: [
        (#"{"accounts": [{"token": "abc", "gulids": ["1"]}]}"#, #"unknown key "gulids" in accounts[0]"#, "guilds"),
        (
            #"{"databse_url": "sqlite:x", "accounts": []}"#, #"unknown key "databse_url" in the top-level object"#,
            "database_url"
        ),
        (
            #"{"accounts": [{"token": "a"}, {"token": "b", "nmae": "x"}]}"#, #"unknown key "nmae" in accounts[1]"#,
            "name"
        ),
        (
            #"{"accounts": [], "store_commands": {"alow_users": ["1"]}}"#,
            #"unknown key "alow_users" in store_commands"#, "allow_users"
        ),
    ])
    func unknownKeysAreRefusedWithTheClosestKnownOne(text: String, problem: String, suggestion: String) throws {
        try withConfig(text) { path in
            #expect {
                try ConfigFile.load(path: path)
            } throws: { error in
                let message = "\(error)"
                return message.contains(problem) && message.contains("did you mean \"\(suggestion)\"?")
            }
        }
    }

    /// The store's channel-command allow-list had flags only (`--allow-user`, `--allow-role`), unlike every other
    /// setting a long-running command takes: a service restarted without them locked everyone allowed out.
    @Test func storeCommandsAllowListIsReadFromTheFile() throws {
        let file = try withConfig(
            #"{"accounts": [], "store_commands": {"allow_users": ["111"], "allow_roles": ["222", "333"]}}"#
        ) { try ConfigFile.load(path: $0) }
        #expect(file.storeCommands?.allowUsers == ["111"])
        #expect(file.storeCommands?.allowRoles == ["222", "333"])
        #expect(try withConfig(#"{"accounts": []}"#) { try ConfigFile.load(path: $0) }.storeCommands == nil)
    }

    /// Before, both were accepted, and what was said of "Main" could be either.
    @Test func twoAccountsWithOneNameAreRefusedNamingBoth() throws {
        let text =
            #"{"accounts": [{"name": "Main", "token": "aaaaaaaaaa"}, {"name": "Other", "token": "bbbbbbbbbb"}, "#
            + #"{"name": "Main", "token": "cccccccccc"}]}"#
        try withConfig(text) { path in
            #expect {
                try ConfigFile.load(path: path)
            } throws: { error in
                "\(error)".contains(#"accounts[0] and accounts[2] are both named "Main""#)
            }
        }
        let unnamed = #"{"accounts": [{"token": "aaaaaaaaaa"}, {"token": "bbbbbbbbbb"}]}"#
        #expect(try withConfig(unnamed) { try ConfigFile.load(path: $0) }.accounts.count == 2)
    }

    @Test func anUnrelatedUnknownKeyListsTheKnownOnes() throws {
        try withConfig(#"{"accounts": [], "colour": "blue"}"#) { path in
            #expect {
                try ConfigFile.load(path: path)
            } throws: { error in
                "\(error)".contains(#"unknown key "colour""#) && "\(error)".contains("database_url, accounts")
            }
        }
    }

    @Test func aFolderIsNotAConfigFile() throws {
        let folder = NSTemporaryDirectory() + "skald-config-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect {
            try ConfigFile.load(path: folder)
        } throws: { error in
            "\(error)".contains("is a folder") && !"\(error)".contains("NSCocoaErrorDomain")
        }
    }
}
