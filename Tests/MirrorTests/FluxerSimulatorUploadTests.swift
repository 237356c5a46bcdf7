import FluxerSimulator
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// fluxer-sim's multipart uploads (fluxer-api.md §3.6, §7 item 23).
@Suite("fluxer-sim uploads")
struct FluxerSimulatorUploadTests {
    /// A multipart body: `payload_json` and `files[index]` parts.
    static func multipart(payload: String, files: [(index: Int, name: String, bytes: Data)]) -> (Data, String) {
        let boundary = "b-\(UUID().uuidString)"
        var data = Data()
        data.append(
            Data(
                ("--\(boundary)\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
                    + "Content-Type: application/json\r\n\r\n\(payload)\r\n").utf8))
        for file in files {
            data.append(
                Data(
                    ("--\(boundary)\r\nContent-Disposition: form-data; name=\"files[\(file.index)]\"; "
                        + "filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n").utf8))
            data.append(file.bytes)
            data.append(Data("\r\n".utf8))
        }
        data.append(Data("--\(boundary)--\r\n".utf8))
        return (data, "multipart/form-data; boundary=\(boundary)")
    }

    /// One raw request: status and JSON answer.
    static func send(_ fluxer: FluxerSimulatorServer, _ path: String, body: Data, contentType: String) async throws
        -> (Int, [String: Any])
    {
        var request = URLRequest(url: URL(string: fluxer.baseURL + "/v1" + path)!)
        request.httpMethod = "POST"
        request.setValue("Bot \(fluxer.token)", forHTTPHeaderField: "Authorization")
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    static func generalChannel(_ fluxer: FluxerSimulatorServer) async throws -> String {
        var request = URLRequest(url: URL(string: fluxer.baseURL + "/v1/guilds/\(fluxer.guildID)/channels")!)
        request.setValue("Bot \(fluxer.token)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        let channels = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try #require(channels.first { $0["type"] as? Int == 0 }?["id"] as? String)
    }

    @Test func filesNeedMatchingAttachmentEntriesAndFitTheCap() async throws {
        var configuration = FluxerSimulatorConfiguration()
        configuration.maxFileBytes = 1000
        configuration.newerBotMaxFileBytes = 1000
        try await FluxerSimulatorServer.withRunning(configuration) { fluxer in
            let channel = try await Self.generalChannel(fluxer)
            let path = "/channels/\(channel)/messages"
            let bytes = Data("hello".utf8)

            let (good, goodType) = Self.multipart(
                payload: #"{"content":"x","attachments":[{"id":0,"filename":"my notes.txt"}]}"#,
                files: [(0, "my notes.txt", bytes)])
            let (status, message) = try await Self.send(fluxer, path, body: good, contentType: goodType)
            #expect(status == 200)
            let attachment = try #require((message["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["filename"] as? String == "my_notes.txt")
            #expect(attachment["size"] as? Int == 5)
            let truth = await fluxer.attachments()
            #expect(truth.map(\.sha256) == ["2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"])

            let (unnamed, unnamedType) = Self.multipart(payload: #"{"content":"x"}"#, files: [(0, "a.txt", bytes)])
            let (missing, missingBody) = try await Self.send(fluxer, path, body: unnamed, contentType: unnamedType)
            #expect(missing == 400 && missingBody["code"] as? String == "INVALID_FORM_BODY")

            let (tenth, tenthType) = Self.multipart(
                payload: #"{"content":"x","attachments":[{"id":10,"filename":"a.txt"}]}"#, files: [(10, "a.txt", bytes)]
            )
            #expect(try await Self.send(fluxer, path, body: tenth, contentType: tenthType).0 == 400)

            let (large, largeType) = Self.multipart(
                payload: #"{"attachments":[{"id":0,"filename":"big.bin"}]}"#,
                files: [(0, "big.bin", Data(repeating: 7, count: 1001))])
            let (tooLarge, tooLargeBody) = try await Self.send(fluxer, path, body: large, contentType: largeType)
            #expect(tooLarge == 400 && tooLargeBody["code"] as? String == "FILE_SIZE_TOO_LARGE")
            #expect(await fluxer.attachments().count == 1)
        }
    }
}

/// fluxer-sim's emoji and sticker rules (fluxer-api.md §3.4, §7 item 26).
@Suite("fluxer-sim expressions")
struct FluxerSimulatorExpressionTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 1, count: 64))
    static let gif = Data(Array("GIF89a".utf8) + [UInt8](repeating: 2, count: 64))
    static let jpeg = Data([0xFF, 0xD8, 0xFF] + [UInt8](repeating: 3, count: 64))

    static func post(_ fluxer: FluxerSimulatorServer, _ path: String, _ body: Any) async throws -> (Int, Any?) {
        let data = try JSONSerialization.data(withJSONObject: body)
        var request = URLRequest(url: URL(string: fluxer.baseURL + "/v1/guilds/\(fluxer.guildID)" + path)!)
        request.httpMethod = "POST"
        request.setValue("Bot \(fluxer.token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = data
        let (answer, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONSerialization.jsonObject(with: answer))
    }

    static func code(_ answer: (Int, Any?)) -> String? { (answer.1 as? [String: Any])?["code"] as? String }

    @Test func emojiAndStickerRules() async throws {
        var configuration = FluxerSimulatorConfiguration()
        configuration.flavour = .baseline
        configuration.maxEmojis = 2
        configuration.maxStickers = 1
        try await FluxerSimulatorServer.withRunning(configuration) { fluxer in
            func uri(_ data: Data, _ type: String = "image/png") -> String {
                "data:\(type);base64,\(data.base64EncodedString())"
            }
            #expect(try await Self.post(fluxer, "/emojis", ["name": "ok_1", "image": uri(Self.png)]).0 == 201)
            let animated = try await Self.post(
                fluxer, "/emojis", ["name": "spin", "image": uri(Self.gif, "image/gif")])
            #expect((animated.1 as? [String: Any])?["animated"] as? Bool == true)
            #expect(
                Self.code(try await Self.post(fluxer, "/emojis", ["name": "a", "image": uri(Self.png)]))
                    == "INVALID_FORM_BODY")
            #expect(
                Self.code(try await Self.post(fluxer, "/emojis", ["name": "bad-name", "image": uri(Self.png)]))
                    == "INVALID_FORM_BODY")
            #expect(
                Self.code(try await Self.post(fluxer, "/emojis", ["name": "txt", "image": uri(Data("hello".utf8))]))
                    == "INVALID_FORM_BODY")
            let big = Data(Self.png + Data(repeating: 0, count: 384 << 10))
            #expect(
                Self.code(try await Self.post(fluxer, "/emojis", ["name": "big", "image": uri(big)]))
                    == "INVALID_FORM_BODY"
            )
            #expect(Self.code(try await Self.post(fluxer, "/emojis", ["name": "jpg", "image": uri(Self.jpeg)])) == nil)
            #expect(
                Self.code(try await Self.post(fluxer, "/emojis", ["name": "third", "image": uri(Self.png)]))
                    == "MAX_EMOJIS"
            )
            let bulk = try await Self.post(
                fluxer, "/emojis/bulk",
                ["emojis": [["name": "spin2", "image": uri(Self.gif)], ["name": "spin3", "image": uri(Self.gif)]]])
            let answer = try #require(bulk.1 as? [String: Any])
            #expect((answer["success"] as? [Any])?.count == 1)
            #expect((answer["failed"] as? [[String: Any]])?.first?["error"] as? String == "MAX_ANIMATED_EMOJIS")

            #expect(
                Self.code(
                    try await Self.post(fluxer, "/stickers", ["name": "Wave", "tags": ["hi"], "image": uri(Self.jpeg)]))
                    == "INVALID_FORM_BODY")
            #expect(
                Self.code(
                    try await Self.post(fluxer, "/stickers", ["name": "Wave", "tags": "hi", "image": uri(Self.png)]))
                    == "INVALID_FORM_BODY")
            #expect(
                Self.code(
                    try await Self.post(
                        fluxer, "/stickers",
                        ["name": "Wave", "tags": Array(repeating: "t", count: 11), "image": uri(Self.png)]))
                    == "INVALID_FORM_BODY")
            #expect(
                try await Self.post(fluxer, "/stickers", ["name": "Wave", "tags": ["hi"], "image": uri(Self.png)]).0
                    == 201)
            #expect(
                Self.code(
                    try await Self.post(fluxer, "/stickers", ["name": "Dance", "tags": ["hi"], "image": uri(Self.gif)]))
                    == "MAX_STICKERS")
        }
    }
}
