import DiscordModels
import Export
import Testing

/// An export of a guild the archive knows nothing of fails with the id and what to do, instead of writing no file
/// and reporting success (a mistyped id looked like an empty guild).
@Suite("Export of an unknown guild")
struct UnknownGuildExportTests {
    @Test func aGuildExportOfAnUnknownIdFailsAndNamesIt() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            let error = await #expect(throws: ExportError.self) {
                _ = try await DCEExporter(store: store, options: ExportHarness.utcOptions())
                    .exportGuild(Snowflake(1), to: dir + "/out")
            }
            #expect(error?.message.contains("guild 1 is not in the archive") == true)
        }
    }

    @Test func aWindowedGuildExportOfAnUnknownIdFailsAndNamesIt() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            let exporter = WindowedExporter(store: store, options: ExportHarness.utcOptions(), window: .day)
            let error = await #expect(throws: ExportError.self) {
                _ = try await exporter.exportableChannels(in: Snowflake(1))
            }
            #expect(error?.message.contains("skald archive --guild 1") == true)
            #expect(try await exporter.exportableChannels(in: nil).isEmpty)
        }
    }
}
