import DiscordModels
import Foundation
import Hummingbird

extension SimulatorResponder {
    /// The JSON payload and files of a write: JSON body, or multipart with `payload_json` and `files[n]`.
    func readPayload(_ api: APIRequest) async throws -> ([String: Any], [Int: MultipartForm.Part]) {
        var request = api.request
        let buffer = try await request.collectBody(upTo: 26 * 1024 * 1024)
        let contentType = request.headers[.contentType] ?? ""
        var files: [Int: MultipartForm.Part] = [:]
        // The body's bytes are copied with `memcpy`, never walked one by one (an upload is up to 25 MiB).
        var json = Data()
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let form = MultipartForm(body: buffer, contentType: contentType) else {
                throw DiscordAPIError.invalidFormBody()
            }
            json = Data("{}".utf8)
            for part in form.parts {
                if part.name == "payload_json" {
                    json = Data(part.body)
                } else if part.name.hasPrefix("files["), part.name.hasSuffix("]"),
                    let n = Int(part.name.dropFirst(6).dropLast())
                {
                    files[n] = part
                } else if part.name.hasPrefix("file") {
                    files[files.count] = part
                }
            }
        } else if !contentType.lowercased().hasPrefix("application/json") && buffer.readableBytes > 0 {
            throw DiscordAPIError.invalidFormBody()
        } else {
            json = buffer.withUnsafeReadableBytes { Data($0) }
        }
        if json.isEmpty { json = Data("{}".utf8) }
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw DiscordAPIError(.badRequest, code: 50109, message: "The request body contains invalid JSON.")
        }
        return (object, files)
    }

    /// Validates a message body per §8 items 25–26 and builds the message (id filled in later); `stickers` are the
    /// ones `sticker_ids` may name (the channel's guild's).
    func buildMessage(
        _ payload: [String: Any], files: [Int: MultipartForm.Part], view: ChannelView, authorId: UInt64,
        stickers guildStickers: [SimSticker] = []
    ) throws -> (SimMessage, [Int: [UInt8]]) {
        let content = payload["content"] as? String ?? ""
        if content.count > 2000 {
            throw DiscordAPIError.invalidForm(
                field: "content", code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length.")
        }
        let embeds = payload["embeds"] as? [[String: Any]] ?? []
        if embeds.count > 10 {
            throw DiscordAPIError.invalidForm(
                field: "embeds", code: "BASE_TYPE_MAX_LENGTH", message: "Must be 10 or fewer in length.")
        }
        var embedChars = 0
        for embed in embeds {
            for key in ["title", "description"] { embedChars += (embed[key] as? String)?.count ?? 0 }
            embedChars += ((embed["footer"] as? [String: Any])?["text"] as? String)?.count ?? 0
            embedChars += ((embed["author"] as? [String: Any])?["name"] as? String)?.count ?? 0
            for field in embed["fields"] as? [[String: Any]] ?? [] {
                embedChars += ((field["name"] as? String)?.count ?? 0) + ((field["value"] as? String)?.count ?? 0)
            }
        }
        if embedChars > 6000 {
            throw DiscordAPIError.invalidForm(
                field: "embeds", code: "MAX_EMBED_SIZE_EXCEEDED",
                message: "Embed size exceeds maximum size of 6000")
        }
        if files.count > 10 {
            throw DiscordAPIError(
                .badRequest, code: 30015, message: "Maximum number of attachments in a message reached (10)")
        }
        for file in files.values where file.body.count > configuration.uploadLimit {
            throw DiscordAPIError(.contentTooLarge, code: 40005, message: "Request entity too large")
        }
        let stickers = payload["sticker_ids"] as? [Any] ?? []
        let poll = payload["poll"] as? [String: Any]
        if content.isEmpty && embeds.isEmpty && files.isEmpty && stickers.isEmpty && poll == nil {
            throw DiscordAPIError(.badRequest, code: 50006, message: "Cannot send an empty message")
        }
        var message = SimMessage(
            id: 0, channelId: view.channel.id, guildId: view.channel.guildId, authorId: authorId, content: content,
            timestampMilliseconds: 0)
        message.embeds = embeds.compactMap { embed in
            var copy = embed
            if copy["type"] == nil { copy["type"] = "rich" }
            guard let data = try? JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys]) else {
                return nil
            }
            return SimEmbed(rawJSON: String(decoding: data, as: UTF8.self))
        }
        message.nonce = (payload["nonce"] as? String) ?? (payload["nonce"] as? Int).map(String.init)
        message.flags = (payload["flags"] as? Int ?? 0) & (1 << 2 | 1 << 12 | 1 << 13 | 1 << 15)
        message.tts = payload["tts"] as? Bool ?? false
        if let reference = payload["message_reference"] as? [String: Any],
            let idText = reference["message_id"] as? String, let target = UInt64(idText)
        {
            guard view.message(id: target) != nil else {
                throw DiscordAPIError.invalidForm(
                    field: "message_reference", code: "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                    message: "Unknown message")
            }
            message.type = 19
            message.reference = SimReference(
                messageId: target, channelId: view.channel.id, guildId: view.channel.guildId)
        }
        if let poll, let question = (poll["question"] as? [String: Any])?["text"] as? String {
            let answers = (poll["answers"] as? [[String: Any]] ?? []).compactMap {
                ($0["poll_media"] as? [String: Any])?["text"] as? String
            }
            message.poll = SimPoll(
                question: question, answers: answers, counts: answers.map { _ in 0 },
                expiryMilliseconds: UInt64(Date().timeIntervalSince1970 * 1000) + 86_400_000,
                multiselect: poll["allow_multiselect"] as? Bool ?? false, finalized: false)
        }
        // Discord: at most 3 (50035 "Must be 3 or fewer in length."), each a sticker the sender may use
        // (50081 "Invalid sticker sent"); the message shows each sticker as it was when sent.
        if stickers.count > 3 {
            throw DiscordAPIError.invalidForm(
                field: "sticker_ids", code: "BASE_TYPE_MAX_LENGTH", message: "Must be 3 or fewer in length.")
        }
        message.stickers = try stickers.map { value in
            let id = (value as? String).flatMap { UInt64($0) } ?? (value as? Int).map { UInt64($0) }
            guard let id, let sticker = guildStickers.first(where: { $0.id == id }) else {
                throw DiscordAPIError(.badRequest, code: 50081, message: "Invalid sticker sent")
            }
            return SimStickerItem(sticker)
        }
        let described = payload["attachments"] as? [[String: Any]] ?? []
        var uploads: [Int: [UInt8]] = [:]
        for (slot, n) in files.keys.sorted().enumerated() {
            guard let file = files[n] else { continue }
            let meta = described.first { ($0["id"] as? Int) == n || ($0["id"] as? String) == String(n) }
            let filename = (meta?["filename"] as? String) ?? file.filename ?? "file\(n)"
            message.attachments.append(
                SimAttachment(
                    id: 0, filename: filename, size: file.body.count, contentType: file.contentType,
                    description: meta?["description"] as? String))
            uploads[slot] = file.body
        }
        return (message, uploads)
    }

    func createMessage(_ api: APIRequest) async throws -> Response {
        let view: ChannelView = try await viewableChannel(api)
        guard view.channel.type.holdsMessages else {
            throw DiscordAPIError(.badRequest, code: 50008, message: "Cannot send messages in a non-text channel")
        }
        let permissions = permissions(of: api.botId, in: view)
        guard permissions.contains(.sendMessages) else { throw DiscordAPIError.missingPermissions() }
        let (payload, files): ([String: Any], [Int: MultipartForm.Part]) = try await readPayload(api)
        if !files.isEmpty && !permissions.contains(.attachFiles) { throw DiscordAPIError.missingPermissions() }
        // A test may hold uploads here (`/__sim/uploads/hold`); a dropped one is cut off before anything exists.
        if !files.isEmpty, !(await state.uploadHold.admit()) { return Self.faultResponse(.connectionReset) }
        let built: (SimMessage, [Int: [UInt8]]) = try buildMessage(
            payload, files: files, view: view, authorId: api.botId,
            stickers: await state.stickers(view.channel.guildIndex))
        let enforce = payload["enforce_nonce"] as? Bool ?? false
        let template = built.0
        guard
            let (message, created) = try await state.appendMessage(
                channelId: view.channel.id, nonce: template.nonce, enforceNonce: enforce, authorId: api.botId,
                make: { _ in template }, uploads: built.1)
        else { throw DiscordAPIError.unknownChannel() }
        if !files.isEmpty { await state.uploadHold.completed() }
        guard let fresh = await state.view(view.channel.id) else { throw DiscordAPIError.unknownChannel() }
        if created {
            await emitMessage("MESSAGE_CREATE", messageId: message.id, channelId: view.channel.id, baseURL: api.baseURL)
        }
        var w = JSONWriter(capacity: 2048)
        renderContext(api).writeMessage(message, view: fresh, into: &w)
        return APIResponse.json(w)
    }

    func deleteMessage(_ api: APIRequest) async throws -> Response {
        let view: ChannelView = try await viewableChannel(api)
        guard api.ids.count > 1, let message = view.message(id: api.ids[1]) else {
            throw DiscordAPIError.unknownMessage()
        }
        if message.authorId != api.botId && !permissions(of: api.botId, in: view).contains(.manageMessages) {
            throw DiscordAPIError.missingPermissions()
        }
        if [1, 2, 3, 4, 5, 21].contains(message.type) {
            throw DiscordAPIError(.badRequest, code: 50021, message: "Cannot execute action on a system message")
        }
        if await state.deleteMessage(channelId: view.channel.id, messageId: message.id) {
            await emitMessageDelete(ids: [message.id], channelId: view.channel.id)
        }
        return APIResponse.noContent()
    }
}
