import ArchiveStore
import DiscordModels
import Foundation
import Testing

/// Imports of incremental exports, on every backend: when two files disagree about a message the later state wins
/// and the other version is kept as a revision, in either import order.
@Suite struct ImportMergeTests {
    static let at = Date(timeIntervalSince1970: 1_700_000_000)
    static let id = Fixture.messageID(1)

    /// A DCE message object for ``id``.
    static func version(_ content: String, edited: String?) -> String {
        let edit = edited.map { "\"\($0)\"" } ?? "null"
        return #"{"id":"\#(id)","type":"Default","timestampEdited":\#(edit),"content":"\#(content)"}"#
    }

    /// Imports one file holding `json`, exported at `exportedAt`: staged and committed, or (`direct`) through
    /// ``ImportStore/importDirectly(_:)``.
    @discardableResult
    static func importFile(
        _ json: String, exportedAt: Date? = nil, direct: Bool = false, into store: any ArchiveStore
    ) async throws -> ImportResult {
        let message = ImportedMessage(
            id: id, channelId: Fixture.channel, guildId: nil, timestamp: nil, json: Data(json.utf8))
        let header = ImportedChannel(
            channelId: Fixture.channel, guildId: nil, guildJSON: Data("null".utf8),
            channelJSON: Data(#"{"id":"\#(Fixture.channel)"}"#.utf8), source: "export.json", importedAt: at,
            exportedAt: exportedAt)
        if direct {
            return try #require(try await store.importDirectly(OneMessageFile(message: message, header: header)))
        }
        let stage = UUID()
        try await store.stageImportedMessages([message], stage: stage)
        return try await store.commitImport(stage: stage, channel: header)
    }

    /// A file of one message, read by ``ImportStore/importDirectly(_:)``.
    final class OneMessageFile: ImportMessageSource, @unchecked Sendable {
        let message: ImportedMessage
        let header: ImportedChannel
        // Read only inside the store's one transaction.
        var read = false

        init(message: ImportedMessage, header: ImportedChannel) {
            self.message = message
            self.header = header
        }

        var source: String { header.source }
        var exportedAt: Date? { header.exportedAt }

        func nextBatch() throws -> [ImportedMessage]? {
            defer { read = true }
            return read ? nil : [message]
        }

        func channelHeader() throws -> ImportedChannel { header }
    }

    static func current(_ store: any ArchiveStore) async throws -> String? {
        try await store.importedMessages(in: Fixture.channel, after: nil, limit: 10).first.map {
            String(decoding: $0.json, as: UTF8.self)
        }
    }

    static func revisions(_ store: any ArchiveStore) async throws -> [String] {
        try await store.importedRevisions(of: id, in: Fixture.channel).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Pairs (earlier state, later state).
    static let pairs: [(String, String)] = [
        // Edited beats unedited.
        (version("first", edited: nil), version("second", edited: "2026-02-28T10:00:00.000+00:00")),
        // A later edit beats an earlier one, by instant (the later one's text sorts first: its offset differs).
        (
            version("second", edited: "2026-02-28T10:00:00.000+00:00"),
            version("third", edited: "2026-02-28T09:30:00.0000000-02:00")
        ),
    ]

    /// `pair`: an index of ``pairs``, plus 2 for imports through ``ImportStore/importDirectly(_:)``.
    @Test(arguments: StoreBackend.all, [0, 1, 2, 3]) func laterStateWinsInEitherOrder(
        _ backend: StoreBackend, pair: Int
    ) async throws {
        let (earlier, later) = Self.pairs[pair % 2]
        let direct = pair >= 2
        try await backend.withStore { store in
            // In order: the later version replaces the earlier one, which becomes a revision.
            let first = try await Self.importFile(earlier, direct: direct, into: store)
            #expect(first.inserted == 1)
            let second = try await Self.importFile(later, direct: direct, into: store)
            #expect(second.updated == 1 && second.older == 0)
            #expect(try await Self.current(store) == later)
            #expect(try await Self.revisions(store) == [earlier])
        }
        try await backend.withStore { store in
            // Out of order: the older file changes nothing shown and is kept as a revision, once.
            try await Self.importFile(later, direct: direct, into: store)
            let second = try await Self.importFile(earlier, direct: direct, into: store)
            #expect(second.older == 1 && second.updated == 0 && second.inserted == 0)
            try await Self.importFile(earlier, direct: direct, into: store)
            #expect(try await Self.current(store) == later)
            #expect(try await Self.revisions(store) == [earlier])
            let stats = try await store.stats()
            #expect(stats.messages == 1)
            #expect(stats.importedOnlyMessages == 1)
        }
    }

    @Test(arguments: StoreBackend.all, [false, true]) func equalEditStateIsDecidedByExportTime(
        _ backend: StoreBackend, direct: Bool
    ) async throws {
        let older = Self.version("reactions: 1", edited: nil)
        let newer = Self.version("reactions: 2", edited: nil)
        try await backend.withStore { store in
            try await Self.importFile(newer, exportedAt: Self.at.addingTimeInterval(60), direct: direct, into: store)
            let result = try await Self.importFile(older, exportedAt: Self.at, direct: direct, into: store)
            #expect(result.older == 1)
            #expect(try await Self.current(store) == newer)
            try await Self.importFile(
                older, exportedAt: Self.at.addingTimeInterval(120), direct: direct, into: store)
            #expect(try await Self.current(store) == older)
            #expect(try await Self.revisions(store) == [older, newer])
        }
    }

    @Test func thePolicyComparesInstantsAndTreatsNoEditAsEarliest() {
        typealias V = ImportedMessageMerge.Version
        let plain = V(json: Self.version("a", edited: nil), exportedAt: 5)
        let edited = V(json: Self.version("b", edited: "2026-01-01T00:00:00+00:00"), exportedAt: nil)
        let laterByOffset = V(json: Self.version("c", edited: "2025-12-31T23:00:00-02:00"), exportedAt: nil)
        #expect(ImportedMessageMerge.decide(stored: nil, incoming: plain) == .new)
        #expect(ImportedMessageMerge.decide(stored: plain, incoming: plain) == .unchanged)
        #expect(ImportedMessageMerge.decide(stored: plain, incoming: edited) == .replace)
        #expect(ImportedMessageMerge.decide(stored: edited, incoming: plain) == .keepStored)
        #expect(ImportedMessageMerge.decide(stored: edited, incoming: laterByOffset) == .replace)
        #expect(ImportedMessageMerge.decide(stored: laterByOffset, incoming: edited) == .keepStored)
    }
}
