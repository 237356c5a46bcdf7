import ArchiveStore
import DiscordModels
import Export
import Foundation
import Testing

/// Imports of exports DCE made with `--media` (§14.1, §18.11): their assets are local paths relative to the export
/// file's folder (Windows `\`, a doubled separator, `/`) or absolute (2.41+). Before, the import kept them as
/// written and the export wrote them again relative to a folder they were never relative to: every link broke.
@Suite("DCE --media exports: import → export")
struct DCEMediaImportTests {
    static let assetKeys: Set<String> = ["avatarUrl", "iconUrl", "sourceUrl", "imageUrl", "url"]

    /// A copy of a `--media` fixture folder in `dir` (its `@ROOT@` paths made absolute there); the export's path.
    static func copyFixture(_ name: String, into dir: String) throws -> String {
        let source = try DCEShapesRoundTripTests.shape(name)
        let copy = dir + "/" + name
        try FileManager.default.copyItem(atPath: source, toPath: copy)
        let files = try FileManager.default.subpathsOfDirectory(atPath: copy)
        let file = try #require(files.first { $0.hasSuffix(".json") && !$0.contains("_Files/") })
        let path = copy + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "@ROOT@", with: copy).utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every local path in the asset members of `value` (attachments, avatars, icons, stickers, emoji, embed media).
    static func localLinks(_ value: JSONValue, key: String? = nil) -> [String] {
        switch value {
        case .object(let members): return members.flatMap { localLinks($0.value, key: $0.key) }
        case .array(let elements): return elements.flatMap { localLinks($0, key: key) }
        case .string(let text):
            guard let key, assetKeys.contains(key), !text.isEmpty, !text.contains("://") else { return [] }
            return [text]
        default: return []
        }
    }

    /// Imports `export` into a fresh archive (copying media into `mediaRoot` when given) and exports it into `out`.
    static func importAndExport(
        _ export: String, mediaRoot: String?, out: String, in dir: String
    ) async throws -> (outcome: DCEImporter.Outcome, file: String) {
        let store = try ExportHarness.store(in: dir, name: UUID().uuidString + ".sqlite")
        var importer = DCEImporter(store: store)
        importer.mediaRoot = mediaRoot
        let outcome = try #require(try await importer.importPaths([export]).first)
        #expect(outcome.error == nil, "\(outcome.error ?? "")")
        var options = try DCEShapesRoundTripTests.options(like: export)
        options.mediaRoot = mediaRoot
        let files = try await DCEExporter(store: store, options: options)
            .exportChannels([Snowflake(try DCEShapesRoundTripTests.channelId(of: export))], to: out)
        return (outcome, try #require(files.first).path)
    }

    /// Windows paths (`\`, one doubled) exported elsewhere: each link leads from the new file to the same bytes;
    /// the one file missing from the export's folder is reported and kept as written.
    @Test func windowsPathsAreFoundFromTheNewFile() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let export = try Self.copyFixture("media-2.36-windows", into: dir)
            let exportFolder = (export as NSString).deletingLastPathComponent
            let (outcome, file) = try await Self.importAndExport(
                export, mediaRoot: nil, out: dir + "/elsewhere", in: dir)
            #expect(outcome.media.missing.count == 1 && outcome.media.missing[0].hasSuffix("\\gone-A1B2F.gif"))
            #expect(outcome.media.linked == 10 && outcome.media.copied == 0)
            let original = try JSONValue.parse(ExportHarness.bytes(export))
            let exported = try JSONValue.parse(ExportHarness.bytes(file))
            let before = Self.localLinks(original)
            let after = Self.localLinks(exported)
            #expect(before.count == after.count && after.count == 10)
            for (old, new) in zip(before, after) {
                let resolved = new.hasPrefix("/") ? new : dir + "/elsewhere/" + new
                let expected = exportFolder + "/" + old.split(separator: "\\").joined(separator: "/")
                if old.contains("gone-") {
                    #expect(new == old, "a missing file's link is kept as written")
                    continue
                }
                #expect(
                    FileManager.default.contents(atPath: resolved) == FileManager.default.contents(atPath: expected),
                    "\(old) → \(new)")
            }
            // Everything else is as the file had it.
            let stripped = { (value: JSONValue) in
                DCEShapesRoundTripTests.replacingLocalLinks(value)
            }
            #expect(stripped(original)["messages"] == stripped(exported)["messages"])
        }
    }

    /// A 2.47 Linux export written again into its own folder gives its own bytes back: relative paths inside the
    /// folder, absolute ones (a `--media-dir` outside it) as they were.
    @Test func linuxPathsComeBackByteForByteInTheirFolder() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let export = try Self.copyFixture("media-2.47-linux", into: dir)
            let original = try ExportHarness.bytes(export)
            #expect(String(decoding: original, as: UTF8.self).contains("\"url\": \"\(dir)/media-2.47-linux/assets/"))
            let folder = (export as NSString).deletingLastPathComponent
            let (outcome, file) = try await Self.importAndExport(export, mediaRoot: nil, out: folder, in: dir)
            #expect(outcome.media.missing.count == 1 && outcome.media.linked == 10, "\(outcome.media)")
            #expect(file == export)
            #expect(try ExportHarness.bytes(file) == original)
        }
    }

    /// With `--media` the files are copied into the archive's media folder (named by content) and the export links
    /// them there, even once the export's own folder is gone.
    @Test func copiedMediaOutlivesTheExportFolder() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let export = try Self.copyFixture("media-2.36-windows", into: dir)
            let originalLinks = Self.localLinks(try JSONValue.parse(ExportHarness.bytes(export)))
            let exportFolder = (export as NSString).deletingLastPathComponent
            var contents: [String: Data] = [:]
            for link in originalLinks {
                let path = exportFolder + "/" + link.split(separator: "\\").joined(separator: "/")
                contents[link] = FileManager.default.contents(atPath: path)
            }
            let media = dir + "/archive/media"
            let store = try ExportHarness.store(in: dir, name: "copy.sqlite")
            var importer = DCEImporter(store: store)
            importer.mediaRoot = media
            let outcome = try #require(try await importer.importPaths([export]).first)
            #expect(outcome.media.copied == 9 && outcome.media.missing.count == 1, "\(outcome.media)")
            // Stored: paths inside the media folder, `ab/<sha256>.<ext>`.
            let stored = try await store.importedMessages(
                in: Snowflake(try DCEShapesRoundTripTests.channelId(of: export)), after: nil, limit: 10)
            let storedLinks = try stored.flatMap { Self.localLinks(try JSONValue.parse($0.json)) }
            // (The guild's icon is in the channel header, not in a message.)
            #expect(storedLinks.filter(MediaPath.isContentAddressed).count == 8, "\(storedLinks)")
            let channel = Snowflake<Channel>(try DCEShapesRoundTripTests.channelId(of: export))
            try FileManager.default.removeItem(atPath: exportFolder)
            var options = ExportHarness.utcOptions()
            options.mediaRoot = media
            let files = try await DCEExporter(store: store, options: options)
                .exportChannels(
                    [channel], to: dir + "/archive/out")
            let exported = Self.localLinks(try JSONValue.parse(ExportHarness.bytes(try #require(files.first).path)))
            #expect(exported.count == originalLinks.count)
            for (old, new) in zip(originalLinks, exported) where !old.contains("gone-") {
                // Outside the export's folder: absolute, as DCE 2.41+ writes such a path.
                #expect(new.hasPrefix(media + "/"), "\(new)")
                let resolved = new.hasPrefix("/") ? new : dir + "/archive/out/" + new
                #expect(FileManager.default.contents(atPath: resolved) == contents[old], "\(old) → \(new)")
            }
        }
    }
}

extension DCEShapesRoundTripTests {
    /// `value` with every local asset path replaced by `"local"` (to compare what is not a path).
    static func replacingLocalLinks(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(
                members.map { member in
                    if case .string(let text) = member.value, DCEMediaImportTests.assetKeys.contains(member.key),
                        !text.isEmpty, !text.contains("://")
                    {
                        return JSONValue.Member(member.key, .string("local"))
                    }
                    return JSONValue.Member(member.key, replacingLocalLinks(member.value))
                })
        case .array(let elements): return .array(elements.map(replacingLocalLinks))
        default: return value
        }
    }
}
