import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `skald import` of an export DCE made with `--media` on Windows (`\` paths into its `… .json_Files` folder), as
/// the user runs it: the import says what it linked and what is missing, `--media` copies the files into the
/// archive's media folder, `skald export` links them from its own file and `skald serve` serves them under
/// `/media/`. Before, the paths were kept as written: relative to a folder the archive does not know, so every link
/// in the re-export broke (and nothing was said).
@Suite("Import of --media exports on the command line", .serialized) struct ImportMediaCLITests {
    /// A DCE 2.47 `--media` export in `folder/dce/`: one message whose attachment and author avatar are files of its
    /// `… .json_Files` folder, and a sticker whose file is missing; Windows separators.
    static func writeMediaExport(in folder: String) throws -> (json: String, photo: Data) {
        let name = "Hall - Text Channels - pics [1070284123668611072].json"
        let files = folder + "/dce/" + name + "_Files"
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        let photo = Data("not really a png\n".utf8)
        try photo.write(to: URL(fileURLWithPath: files + "/photo-0123456789abcdef.png"))
        try Data("avatar\n".utf8).write(to: URL(fileURLWithPath: files + "/0-fedcba9876543210.png"))
        let link = { (file: String) in "\(name)_Files\\\\\(file)" }
        let text = """
            {
              "guild": {
                "id": "1070284123668611000",
                "name": "Hall",
                "iconUrl": "https://cdn.discordapp.com/embed/avatars/0.png"
              },
              "channel": {
                "id": "1070284123668611072",
                "type": "GuildTextChat",
                "categoryId": null,
                "category": null,
                "name": "pics",
                "topic": null
              },
              "dateRange": {
                "after": null,
                "before": null
              },
              "exportedAt": "2024-01-01T00:00:00+00:00",
              "messages": [
                {
                  "id": "1070284123668611073",
                  "type": "Default",
                  "timestamp": "2023-02-01T10:07:00+00:00",
                  "timestampEdited": null,
                  "callEndedTimestamp": null,
                  "isPinned": false,
                  "content": "a photo",
                  "author": {
                    "id": "981482235494531072",
                    "name": "ines",
                    "discriminator": "0000",
                    "nickname": "Ines",
                    "color": null,
                    "isBot": false,
                    "roles": [],
                    "avatarUrl": "\(link("0-fedcba9876543210.png"))"
                  },
                  "attachments": [
                    {
                      "id": "1070284123668611074",
                      "url": "\(link("photo-0123456789abcdef.png"))",
                      "fileName": "photo.png",
                      "fileSizeBytes": \(photo.count)
                    }
                  ],
                  "embeds": [],
                  "stickers": [
                    {
                      "id": "950905759334531075",
                      "name": "wave",
                      "format": "Png",
                      "sourceUrl": "\(link("950905759334531075-00000000deadbeef.png"))"
                    }
                  ],
                  "reactions": [],
                  "mentions": [],
                  "inlineEmojis": []
                }
              ],
              "messageCount": 1
            }
            """
        let json = folder + "/dce/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: json))
        return (json, photo)
    }

    @Test func copiedMediaIsFoundByExportAndServe() async throws {
        try await withTemporaryFolder { folder in
            let (json, photo) = try Self.writeMediaExport(in: folder)
            let run = try await SkaldProcess.run(["import", "--db", "sqlite:a/a.sqlite", "--media", json], in: folder)
            #expect(run.status == 0, "\(run.output)")
            #expect(
                run.output.contains("3 local media file(s) linked (a --media export): 2 found, 2 copied"),
                "\(run.output)")
            #expect(run.output.contains("1 linked media file(s) are missing"), "\(run.output)")
            #expect(run.output.contains("950905759334531075-00000000deadbeef.png"), "\(run.output)")
            // The export's own folder may go: the archive keeps its copies.
            try FileManager.default.removeItem(atPath: folder + "/dce")
            let export = try await SkaldProcess.run(
                ["export", "--db", "sqlite:a/a.sqlite", "--channel", "1070284123668611072", "--out", "a/out"],
                in: folder)
            #expect(export.status == 0, "\(export.output)")
            let out = folder + "/a/out"
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + file)))
                    as? [String: Any])
            let message = try #require((object["messages"] as? [[String: Any]])?.first)
            let url = try #require((message["attachments"] as? [[String: Any]])?.first?["url"] as? String)
            // a/out → a/media: outside the new file's folder, so absolute (as DCE 2.41+ writes such a path).
            #expect(url.hasPrefix("/") && url.contains("/a/media/"), "\(url)")
            #expect(FileManager.default.contents(atPath: url) == photo, "\(url)")
            // serve: the copy under /media/, at the path the archive links it by.
            let media = folder + "/a/media"
            let stored = try #require(
                FileManager.default.subpaths(atPath: media)?.first { $0.hasSuffix(".png") && $0.contains("/") })
            let process = try SkaldProcess(["serve", "--db", "sqlite:a/a.sqlite", "--port", "0"], in: folder)
            let started = try #require(await process.waitForOutput(containing: "\n"), "serve printed nothing")
            let line = try #require(started.split(separator: "\n").first.map(String.init))
            let base = String(line.dropFirst("skald-serve listening on ".count))
            var served: [Data] = []
            for path in FileManager.default.subpaths(atPath: media) ?? [] where path.hasSuffix(".png") {
                let (data, response) = try await URLSession.shared.data(
                    from: try #require(URL(string: base + "/media/" + path)))
                #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(path)")
                served.append(data)
            }
            #expect(served.contains(photo), "\(stored)")
            process.send(SIGTERM)
            let result = await process.finish(prefix: started)
            #expect(result.status == 0, "\(result.output)")
        }
    }

    /// Without `--media` the links point at the files where they are: an export elsewhere still finds them.
    @Test func linksResolveAgainstTheExportFolderWithoutCopying() async throws {
        try await withTemporaryFolder { folder in
            let (json, photo) = try Self.writeMediaExport(in: folder)
            let run = try await SkaldProcess.run(["import", "--db", "sqlite:a/a.sqlite", json], in: folder)
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("3 local media file(s) linked (a --media export): 2 found\n"), "\(run.output)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/a/media"))
            let export = try await SkaldProcess.run(
                ["export", "--db", "sqlite:a/a.sqlite", "--channel", "1070284123668611072", "--out", "dce/again"],
                in: folder)
            #expect(export.status == 0, "\(export.output)")
            let out = folder + "/dce/again"
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first)
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let message = try #require((object["messages"] as? [[String: Any]])?.first)
            let url = try #require((message["attachments"] as? [[String: Any]])?.first?["url"] as? String)
            // dce/again → dce/X.json_Files: outside the new file's folder, so absolute (as DCE 2.41+ writes it).
            #expect(url.hasPrefix("/"), "\(url)")
            #expect(FileManager.default.contents(atPath: url) == photo, "\(url)")
        }
    }
}
