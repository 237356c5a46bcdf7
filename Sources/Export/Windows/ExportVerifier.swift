import ArchiveStore
import DiscordModels
import Foundation

/// Checks a windowed export: every listed file exists with its hash and message count, owned ranges do not
/// overlap, and (given an archive) the owned files together hold exactly the archive's messages up to the
/// high-water mark.
public struct ExportVerifier: Sendable {
    /// The root.
    public let root: String
    /// The store.
    public let store: (any ArchiveStore)?
    /// Whether tombstoned archive messages are expected in the files (as exported with `--include-deleted`).
    public var includeDeleted = false

    /// A verifier of the export under `root`, comparing with `store` when given.
    public init(root: String, store: (any ArchiveStore)?) {
        self.root = root
        self.store = store
    }

    /// The channels with a manifest under `root`.
    public func channels() throws -> [UInt64] {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return items.compactMap { $0.hasPrefix("channel=") ? UInt64($0.dropFirst(8)) : nil }.sorted()
    }

    /// The problems found for a channel (empty: the export is sound).
    public func verify(channel: UInt64) async throws -> [String] {
        let directory = WindowedExporter.channelDirectory(root, channel: channel)
        guard let manifest = try ExportManifest.load(channelDirectory: directory) else {
            return [
                "no manifest at \(ExportManifest.path(channelDirectory: directory)) (not exported with --window here?)"
            ]
        }
        var problems: [String] = []
        for entry in manifest.files {
            if let missing = entry.missingFile(channelDirectory: directory) {
                problems.append(missing)
                continue
            }
            // The file is read once: its messages counted and its hash taken as they are read (the hash, said first,
            // read again only for a file that is no document).
            do {
                var scanner = try DCEFileScanner(path: directory + "/" + entry.path, hashing: true)
                defer { scanner.close() }
                var count = 0
                while try scanner.next() != nil { count += 1 }
                if let facts = try scanner.readToEnd(),
                    let problem = entry.fileProblem(sha256: facts.hash, bytes: facts.bytes)
                {
                    problems.append(problem)
                }
                if count != entry.messageCount || scanner.declaredCount != entry.messageCount {
                    problems.append(
                        "\(entry.path): holds \(count) messages (messageCount \(scanner.declaredCount.map(String.init) ?? "missing")), "
                            + "the manifest says \(entry.messageCount)")
                }
            } catch let error as ExportError {
                if let problem = try entry.fileProblem(channelDirectory: directory) { problems.append(problem) }
                problems.append("\(entry.path): \(error.message)")
            }
        }
        // Owned ranges must not overlap: each message has exactly one owner.
        let owned = manifest.files.filter(\.owns).compactMap { entry -> (ExportManifest.Entry, UInt64, UInt64)? in
            guard let low = entry.minId.flatMap(UInt64.init), let high = entry.maxId.flatMap(UInt64.init) else {
                return nil
            }
            return (entry, low, high)
        }.sorted { $0.1 < $1.1 }
        for (a, b) in zip(owned, owned.dropFirst()) where b.1 <= a.2 {
            problems.append("\(a.0.path) and \(b.0.path) both own messages \(b.1)…\(min(a.2, b.2))")
        }
        if let store, problems.isEmpty {
            problems += try await compareWithArchive(
                store, channel: channel, directory: directory, owned: owned.map(\.0))
        }
        return problems
    }

    private func compareWithArchive(
        _ store: any ArchiveStore, channel: UInt64, directory: String, owned: [ExportManifest.Entry]
    ) async throws -> [String] {
        let state = try ExportState.load(channelDirectory: directory)
        let upper = state?.highWaterMark.flatMap(UInt64.init) ?? 0
        let lower = state?.after.flatMap(UInt64.init) ?? 0
        var expected = Set(
            try await store.messageIDs(in: Snowflake(channel), includeDeleted: includeDeleted).map(\.rawValue))
        var cursor: Snowflake<Message>?
        while true {
            let batch = try await store.importedMessages(in: Snowflake(channel), after: cursor, limit: 1000)
            expected.formUnion(batch.map(\.id.rawValue))
            guard batch.count == 1000, let last = batch.last else { break }
            cursor = last.id
        }
        expected = expected.filter { $0 > lower && $0 <= upper }
        var found = Set<UInt64>()
        var problems: [String] = []
        for entry in owned {
            var scanner = try DCEFileScanner(path: directory + "/" + entry.path)
            defer { scanner.close() }
            while let message = try scanner.next() {
                guard let id = message["id"]?.uint64 else { continue }
                if !found.insert(id).inserted { problems.append("message \(id) is held by more than one owned file") }
            }
        }
        let missing = expected.subtracting(found)
        let extra = found.subtracting(expected)
        if !missing.isEmpty {
            problems.append(
                "\(missing.count) archived message(s) are in no owned file, e.g. \(missing.sorted().prefix(5))")
        }
        if !extra.isEmpty {
            problems.append(
                "\(extra.count) message(s) in owned files are not in the archive, e.g. \(extra.sorted().prefix(5))")
        }
        return problems
    }

    /// What to do about files that are missing or differ from the manifest: the export that writes them again.
    public static func repairAdvice(root: String, channel: UInt64) -> String {
        let state = try? ExportState.load(channelDirectory: WindowedExporter.channelDirectory(root, channel: channel))
        return "to write damaged or missing files again from the archive: `skald export --window "
            + "\(state?.window.rawValue ?? "…") --out \(root) --channel \(channel) --repair` (with the archive's --db)"
    }
}
