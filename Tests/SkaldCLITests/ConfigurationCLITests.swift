import Foundation
import Testing

/// Configuration mistakes are refused by name, with exit 1, before anything is archived.
@Suite("Configuration on the command line") struct ConfigurationCLITests {
    static let token = String(repeating: "x", count: 60)
    /// Nothing listens on the discard port: a run that got past its configuration would fail differently.
    static let nowhere = ["--api-base", "http://127.0.0.1:9/api/v10"]

    func writeConfig(_ text: String, in folder: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/c.json"))
    }

    @Test func aMisspelledAccountKeyIsRefusedWithTheClosestKnownOne() async throws {
        try await withTemporaryFolder { folder in
            try writeConfig(
                #"{"database_url":"sqlite:c.sqlite","accounts":[{"name":"a","token":"\#(Self.token)","gulids":["1"]}]}"#,
                in: folder)
            let run = try await SkaldProcess.run(["archive", "--config", "c.json"] + Self.nowhere, in: folder)
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains(#"unknown key "gulids" in accounts[0] — did you mean "guilds"?"#))
            #expect(!run.output.contains(Self.token))
            #expect(!FileManager.default.fileExists(atPath: folder + "/c.sqlite"))
        }
    }

    /// The accounts of `--config` are used though `DISCORD_TOKEN` is set: before, the token in the environment won
    /// and the config's accounts, with their guild lists, were dropped without a word (`bot --config` with
    /// `guilds: ["1"]` captured every guild the bot could see). Here the environment's token is implausible, so a
    /// run that took it would stop at once naming DISCORD_TOKEN; the config's goes on to the (unreachable) API.
    @Test func theConfigsAccountsWinOverATokenInTheEnvironment() async throws {
        try await withTemporaryFolder { folder in
            try writeConfig(
                #"{"database_url":"sqlite:c.sqlite","accounts":[{"name":"a","token":"\#(Self.token)","guilds":["1"]}]}"#,
                in: folder)
            let run = try await SkaldProcess.run(
                ["archive", "--config", "c.json"] + Self.nowhere, in: folder, environment: ["DISCORD_TOKEN": "short"])
            #expect(run.status == 1, "\(run.output)")
            #expect(!run.output.contains("DISCORD_TOKEN"), "\(run.output)")
            #expect(run.output.contains("127.0.0.1:9"), "\(run.output)")
        }
    }

    /// A live capture runs with one account: a config of several says so (before, the others were left out
    /// without a word).
    @Test func aLiveCaptureNamesTheOneAccountItRunsWith() async throws {
        try await withTemporaryFolder { folder in
            try writeConfig(
                #"{"database_url":"sqlite:c.sqlite","accounts":[{"name":"main","token":"\#(Self.token)"},"#
                    + #"{"name":"second","token":"\#(Self.token)y"}]}"#, in: folder)
            for command in [["watch"], ["bot", "--http", "127.0.0.1:0"]] {
                let run = try await SkaldProcess.run(command + ["--config", "c.json"] + Self.nowhere, in: folder)
                #expect(run.status == 1, "\(run.output)")
                #expect(
                    run.output.contains(
                        "\(command[0]): the config names 2 accounts; live capture runs with the first (main)"),
                    "\(run.output)")
            }
        }
    }

    @Test func aMisspelledTopLevelKeyIsRefused() async throws {
        try await withTemporaryFolder { folder in
            try writeConfig(#"{"databse_url":"sqlite:c.sqlite","accounts":[{"token":"\#(Self.token)"}]}"#, in: folder)
            let run = try await SkaldProcess.run(["stats", "--config", "c.json"], in: folder)
            #expect(run.status == 1)
            #expect(run.output.contains(#"unknown key "databse_url""#))
            #expect(run.output.contains(#"did you mean "database_url"?"#))
        }
    }

    @Test func aFolderAsConfigFileSaysSo() async throws {
        try await withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/conf", withIntermediateDirectories: true)
            let run = try await SkaldProcess.run(["archive", "--config", "conf"] + Self.nowhere, in: folder)
            #expect(run.status == 1)
            #expect(run.output.contains("error: cannot read config file conf: it is a folder"))
            #expect(!run.output.contains("NSCocoaErrorDomain"))
        }
    }

    @Test func anImplausiblyShortTokenIsAConfigurationError() async throws {
        try await withTemporaryFolder { folder in
            let run = try await SkaldProcess.run(["archive", "--token", "t"] + Self.nowhere, in: folder)
            #expect(run.status == 1)
            #expect(run.output.contains("the bot token from --token has 1 character(s)"))
            #expect(!run.output.contains("af<redacted>"))
        }
    }

    @Test func anUnreachableAPIBaseNamesTheHostAndTheCause() async throws {
        try await withTemporaryFolder { folder in
            let run = try await SkaldProcess.run(
                ["archive", "--token", Self.token, "--db", "sqlite:u.sqlite"] + Self.nowhere, in: folder)
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("127.0.0.1:9"))
            #expect(run.output.contains("refused") || run.output.contains("connection failed"), "\(run.output)")
            #expect(run.output.contains("--api-base"))
            #expect(run.output.filter { $0 == "(" }.count == run.output.filter { $0 == ")" }.count, "\(run.output)")
            #expect(!run.output.contains(Self.token))
        }
    }

    @Test func anUnknownURLParameterIsRefused() async throws {
        try await withTemporaryFolder { folder in
            let run = try await SkaldProcess.run(
                ["stats", "--db", "postgres://u:hunter2@127.0.0.1:9/db?pool_sise=3"], in: folder)
            #expect(run.status == 1)
            #expect(run.output.contains(#"did you mean "pool_size"?"#))
            #expect(!run.output.contains("hunter2"))
        }
    }

    @Test func anUnreachablePostgresServerIsNamedWithTheCause() async throws {
        try await withTemporaryFolder { folder in
            let run = try await SkaldProcess.run(["stats", "--db", "postgres://u:hunter2@127.0.0.1:9/db"], in: folder)
            #expect(run.status == 1)
            #expect(run.output.contains("127.0.0.1:9"), "\(run.output)")
            #expect(!run.output.contains("connectionError"), "\(run.output)")
            #expect(!run.output.contains("hunter2"))
        }
    }
}
