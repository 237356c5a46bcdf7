import DiscordSimulator
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `skald export --media` downloads what DiscordChatExporter downloads (`ExportContext.ResolveAssetUrlAsync` at
/// 2.47): avatars, guild icons, custom emoji, stickers, embed media and attachments, each saved under DCE's name in
/// `{output file}_Files/` (or `--media-dir`) and its URL replaced by the file's path. Before, only the attachments
/// `skald archive --media` had downloaded were linked: every avatar, icon, emoji and sticker kept its CDN URL, and a
/// page opened offline showed broken images.
@Suite("export --media downloads the assets DCE downloads", .serialized) struct ExportMediaCLITests {
    /// Asset members of a DCE object with their key path (DCE's §14.1 set), in document order.
    static func assets(_ value: Any, path: [String] = [], urlIsAsset: Bool = false) -> [(path: String, text: String)] {
        if let object = value as? [String: Any] {
            var found: [(String, String)] = []
            for key in object.keys.sorted() {
                let child = object[key]!
                if let text = child as? String {
                    if ["avatarUrl", "iconUrl", "sourceUrl", "imageUrl"].contains(key) || (urlIsAsset && key == "url") {
                        found.append(((path + [key]).joined(separator: "/"), text))
                    }
                } else {
                    found += assets(
                        child, path: path + [key],
                        urlIsAsset: ["attachments", "thumbnail", "image", "video", "images"].contains(key))
                }
            }
            return found
        }
        if let array = value as? [Any] {
            return array.flatMap { assets($0, path: path, urlIsAsset: urlIsAsset) }
        }
        return []
    }

    static func document(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func file(in folder: String, endingWith suffix: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        return folder + "/" + (try #require(names.first { $0.hasSuffix(suffix) }, "no \(suffix) in \(names)"))
    }

    /// The bytes the simulator's CDN serves for a Discord CDN URL.
    static func simulatorBytes(_ url: String, sim: SimulatorServer) async throws -> Data {
        let address =
            url.hasPrefix(sim.baseURL) ? url : sim.cdnBase + "/" + url.dropFirst("https://cdn.discordapp.com/".count)
        let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: address)))
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(address)")
        return data
    }

    @Test func everyAssetOfAnArchivedChannelIsALocalFileWithTheSimulatorsBytes() async throws {
        try await ArchiveCLITests.withSimulator(channels: 2, messages: 150) { sim in
            try await withTemporaryFolder { folder in
                let archive = try await SkaldProcess.run(
                    ArchiveCLITests.archive(sim, ["--media", "--members", "--reaction-users"], db: "sqlite:a.sqlite"),
                    in: folder)
                #expect(archive.status == 0, "\(archive.output)")
                let guild = try #require(sim.guildIDs.first)
                let common = ["export", "--db", "sqlite:a.sqlite", "--guild", "\(guild)", "--utc"]
                let fromSim = ["--media", "--cdn", sim.cdnBase, "--discord-media-only"]
                let plain = try await SkaldProcess.run(common + ["--out", "out-plain"], in: folder)
                #expect(plain.status == 0, "\(plain.output)")
                let media = try await SkaldProcess.run(common + fromSim + ["--out", "out-media"], in: folder)
                #expect(media.status == 0, "\(media.output)")
                #expect(!media.output.contains("could not be downloaded"), "\(media.output)")
                var checked: [String: Int] = [:]
                var bytesBySimulator: [String: Data] = [:]
                for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/out-plain") {
                    let before = Self.assets(try Self.document(folder + "/out-plain/" + name))
                    let after = Self.assets(try Self.document(folder + "/out-media/" + name))
                    try #require(before.count == after.count, "\(name)")
                    for (remote, local) in zip(before, after) {
                        #expect(remote.path == local.path)
                        guard remote.text.hasPrefix("https://cdn.discordapp.com/") || remote.text.hasPrefix(sim.baseURL)
                        else {
                            // Twemoji and outside embeds are not asked with --discord-media-only.
                            #expect(local.text == remote.text, "\(local.path)")
                            continue
                        }
                        // Relative to the file's folder, inside DCE's `{output file}_Files/` (or the archive's copy
                        // of an attachment).
                        #expect(!local.text.hasPrefix("http"), "\(local.path): \(local.text)")
                        let file = local.text.hasPrefix("/") ? local.text : folder + "/out-media/" + local.text
                        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                        if bytesBySimulator[remote.text] == nil {
                            bytesBySimulator[remote.text] = try await Self.simulatorBytes(remote.text, sim: sim)
                        }
                        #expect(bytes == bytesBySimulator[remote.text], "\(local.path): \(file)")
                        let kind = local.path.split(separator: "/").suffix(2).joined(separator: "/")
                        checked[kind, default: 0] += 1
                    }
                }
                // Each kind of asset DCE resolves was met and linked.
                for kind in [
                    "author/avatarUrl", "guild/iconUrl", "emoji/imageUrl", "stickers/sourceUrl", "attachments/url",
                    "mentions/avatarUrl", "users/avatarUrl",
                ] {
                    #expect(checked[kind, default: 0] > 0, "no \(kind) linked: \(checked)")
                }
                // An avatar is named as DCE names it: `{hash}-{16 hex}.png`, in `{output file}_Files/`.
                let json = try Self.file(in: folder + "/out-media", endingWith: ".json")
                let avatar = try #require(
                    Self.assets(try Self.document(json)).first { $0.path.hasSuffix("author/avatarUrl") })
                let name = (json as NSString).lastPathComponent
                #expect(avatar.text.hasPrefix(name + "_Files/"), "\(avatar.text)")
                #expect(
                    avatar.text.range(of: #"_Files/[0-9a-f]{32}-[0-9a-f]{16}\.png$"#, options: .regularExpression)
                        != nil
                        || avatar.text.range(of: #"_Files/[0-5]-[0-9a-f]{16}\.png$"#, options: .regularExpression)
                            != nil,
                    "\(avatar.text)")

                let firstLinks = Self.assets(try Self.document(json)).map(\.text)
                // A rerun asks nothing: every file is reused by name (the CDN given is closed: a request would
                // fail and be reported), and the links are the same.
                let rerun = try await SkaldProcess.run(
                    common + ["--media", "--cdn", "http://127.0.0.1:9", "--discord-media-only", "--out", "out-media"],
                    in: folder)
                #expect(rerun.status == 0, "\(rerun.output)")
                #expect(!rerun.output.contains("could not be downloaded"), "\(rerun.output)")
                #expect(Self.assets(try Self.document(json)).map(\.text) == firstLinks)

                // HTML: no image is left on Discord's CDN; every local one is a file (links percent-encoded).
                let html = try await SkaldProcess.run(
                    common + fromSim + ["--format", "html-dark", "--out", "html"], in: folder)
                #expect(html.status == 0, "\(html.output)")
                let page = try String(
                    contentsOfFile: try Self.file(in: folder + "/html", endingWith: ".html"), encoding: .utf8)
                #expect(!page.contains("src=\"https://cdn.discordapp.com/"), "\(page.prefix(2000))")
                var images = 0
                for piece in page.components(separatedBy: "src=\"").dropFirst() {
                    let link = String(piece.prefix { $0 != "\"" })
                    guard !link.hasPrefix("http") else { continue }
                    let decoded = try #require(
                        link.replacingOccurrences(of: "file://", with: "").removingPercentEncoding)
                    let file = decoded.hasPrefix("/") ? decoded : folder + "/html/" + decoded
                    #expect(FileManager.default.fileExists(atPath: file), "\(link)")
                    images += 1
                }
                #expect(images > 0)
            }
        }
    }

    @Test func aFailedDownloadKeepsItsURLAndIsToldWithWhatToDo() async throws {
        try await ArchiveCLITests.withSimulator(channels: 1, messages: 40) { sim in
            try await withTemporaryFolder { folder in
                let archive = try await SkaldProcess.run(ArchiveCLITests.archive(sim), in: folder)
                #expect(archive.status == 0, "\(archive.output)")
                let guild = try #require(sim.guildIDs.first)
                let channel = try #require(sim.messageChannelIDs(guild: guild).first)
                // Nothing answers at this CDN: every asset keeps its URL, the files are complete, exit 0 (as DCE),
                // and stderr says how many and what to do.
                let export = try await SkaldProcess.run(
                    [
                        "export", "--db", "sqlite:a.sqlite", "--channel", "\(channel)", "--media", "--cdn",
                        "http://127.0.0.1:9", "--discord-media-only", "--out", "out",
                    ], in: folder)
                #expect(export.status == 0, "\(export.output)")
                #expect(export.output.contains("asset(s) could not be downloaded; the export keeps their URLs"))
                #expect(export.output.contains("run the same export again"), "\(export.output)")
                let document = try Self.document(try Self.file(in: folder + "/out", endingWith: ".json"))
                let avatars = Self.assets(document).filter { $0.path.hasSuffix("avatarUrl") }
                #expect(!avatars.isEmpty && avatars.allSatisfy { $0.text.hasPrefix("https://cdn.discordapp.com/") })
            }
        }
    }

    /// An imported DCE `--media` export, written again with `--media`: its avatar (copied by `import --media`) is a
    /// file in JSON and HTML, and its remote guild icon is downloaded as DCE would.
    @Test func anImportedMediaExportLinksItsAvatars() async throws {
        try await ArchiveCLITests.withSimulator(channels: 1, messages: 1) { sim in
            try await withTemporaryFolder { folder in
                let (json, _) = try ImportMediaCLITests.writeMediaExport(in: folder)
                let run = try await SkaldProcess.run(
                    ["import", "--db", "sqlite:a/a.sqlite", "--media", json], in: folder)
                #expect(run.status == 0, "\(run.output)")
                try FileManager.default.removeItem(atPath: folder + "/dce")
                for format in ["json", "html-dark"] {
                    let export = try await SkaldProcess.run(
                        [
                            "export", "--db", "sqlite:a/a.sqlite", "--channel", "1070284123668611072", "--media",
                            "--cdn", sim.cdnBase, "--format", format, "--out", "out-" + format,
                        ], in: folder)
                    #expect(export.status == 0, "\(export.output)")
                    #expect(!export.output.contains("could not be downloaded"), "\(export.output)")
                }
                let document = try Self.document(try Self.file(in: folder + "/out-json", endingWith: ".json"))
                let found = Dictionary(
                    Self.assets(document).map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
                let avatar = try #require(found["messages/author/avatarUrl"])
                #expect(FileManager.default.contents(atPath: avatar) == Data("avatar\n".utf8), "\(avatar)")
                let icon = try #require(found["guild/iconUrl"])
                #expect(!icon.hasPrefix("http"), "\(icon)")
                let iconBytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/out-json/" + icon))
                #expect(
                    iconBytes
                        == (try await Self.simulatorBytes("https://cdn.discordapp.com/embed/avatars/0.png", sim: sim)))
                let page = try String(
                    contentsOfFile: try Self.file(in: folder + "/out-html-dark", endingWith: ".html"), encoding: .utf8)
                #expect(page.contains("class=\"chatlog__avatar\" src=\"file://"), "\(page.suffix(3000))")
                #expect(!page.contains("src=\"https://cdn.discordapp.com/"), "\(page.suffix(3000))")
            }
        }
    }
}
