import DiscordModels
import Hummingbird
import NIOCore

extension SimulatorResponder {
    /// Serves `/cdn/...` and `/media/...`: signed attachments (403 on a bad signature, 404 once expired) and
    /// unsigned assets (avatars, icons, emojis, stickers) that never expire.
    func cdn(_ request: Request) async -> Response {
        let path = request.uri.path
        let prefixLength = path.hasPrefix("/cdn/") ? 4 : 6
        let assetPath = String(path.dropFirst(prefixLength))
        let segments = assetPath.split(separator: "/")
        if segments.first == "attachments" || segments.first == "ephemeral-attachments" {
            guard segments.count == 4, let channelId = UInt64(segments[1]), let attachmentId = UInt64(segments[2])
            else {
                return Self.cdnText(.notFound, "404: Not Found")
            }
            let query = request.uri.queryParameters
            switch signer.verify(
                path: assetPath, ex: query.get("ex"), issued: query.get("is"), hm: query.get("hm"), now: UInt64(now()))
            {
            case .badSignature: return Self.cdnText(.forbidden, "This content is no longer available.")
            case .expired: return Self.cdnText(.notFound, "This content is no longer available.")
            case .valid: break
            }
            if let bytes = await state.upload(attachmentId) {
                if await state.downloadHold.isSet {
                    return Self.heldBytesResponse(bytes, contentType: "application/octet-stream", state)
                }
                return Self.bytesResponse(bytes, contentType: "application/octet-stream")
            }
            guard let attachment = await generatedAttachment(channelId: channelId, attachmentId: attachmentId) else {
                return Self.cdnText(.notFound, "404: Not Found")
            }
            let bytes = Self.deterministicBytes(
                seed: world.seed, id: attachmentId, size: attachment.size, png: attachment.contentType == "image/png")
            let contentType = attachment.contentType ?? "application/octet-stream"
            if await state.downloadHold.isSet { return Self.heldBytesResponse(bytes, contentType: contentType, state) }
            return Self.bytesResponse(bytes, contentType: contentType)
        }
        let known = [
            "avatars", "icons", "banners", "splashes", "emojis", "stickers", "embed", "guilds", "role-icons",
            "guild-events",
        ]
        guard let first = segments.first, known.contains(String(first)) else {
            return Self.cdnText(.notFound, "404: Not Found")
        }
        // discord-api.md §6: `?size=` takes a power of 2 from 16 to 4096 (the status of a refusal is not documented;
        // 400 is assumed). Before, any size and any hash were answered with an image.
        if let size = request.uri.queryParameters.get("size") {
            guard let pixels = Int(size), (16...4096).contains(pixels), pixels & (pixels - 1) == 0 else {
                return Self.cdnText(.badRequest, "400: Bad Request (size must be a power of 2 from 16 to 4096)")
            }
        }
        guard await assetExists(segments.map(String.init)) else {
            return Self.cdnText(.notFound, "404: Not Found")
        }
        let name = segments.last.map(String.init) ?? ""
        let contentType =
            name.hasSuffix(".gif")
            ? "image/gif"
            : name.hasSuffix(".webp")
                ? "image/webp"
                : name.hasSuffix(".json") ? "application/json" : name.hasSuffix(".jpg") ? "image/jpeg" : "image/png"
        var hash: UInt64 = 0xA55E7
        for byte in assetPath.utf8 { hash = Mix.hash(hash, UInt64(byte)) }
        let size = 1024 + Int(hash % 3072)
        var bytes = Self.deterministicBytes(seed: world.seed, id: hash, size: size, png: contentType == "image/png")
        // A GIF asset (an animated emoji or a GIF sticker) starts as a GIF does, so a reader can tell its format.
        if contentType == "image/gif" { bytes.replaceSubrange(0..<6, with: Array("GIF89a".utf8)) }
        return Self.bytesResponse(bytes, contentType: contentType)
    }

    /// Whether an unsigned asset path names what the world holds, in a format the docs give for it (discord-api.md
    /// §6): a user's avatar or a guild's icon by its current hash (`.png`, `.jpg`, `.jpeg`, `.webp`; `.gif` only for
    /// an animated `a_` hash), a default avatar 0–5, a guild's emoji (`.png`, `.jpg`, `.jpeg`, `.webp`, `.gif`), a
    /// sticker in its own format (PNG and APNG `.png`, Lottie `.json`, GIF `.gif`). No generated member, role or
    /// guild has a member avatar, role icon, banner or splash; event covers are not modelled and always answered.
    /// The docs put GIF stickers on `media.discordapp.net` only; DCE (and the mirror) ask `cdn.discordapp.com`
    /// for them, and this simulator answers both hosts alike (not checked against the real CDN).
    func assetExists(_ segments: [String]) async -> Bool {
        guard let last = segments.last, let dot = last.lastIndex(of: ".") else { return false }
        let stem = String(last[..<dot])
        let ext = String(last[last.index(after: dot)...]).lowercased()
        let still = ["png", "jpg", "jpeg", "webp"]
        func hashMatches(_ hash: String?) -> Bool {
            guard let hash, hash == stem else { return false }
            return still.contains(ext) || (ext == "gif" && hash.hasPrefix("a_"))
        }
        switch segments.first {
        case "avatars":
            guard segments.count == 3, let id = UInt64(segments[1]) else { return false }
            return hashMatches(world.usersById[id]?.avatarHash)
        case "icons":
            guard segments.count == 3, let id = UInt64(segments[1]) else { return false }
            return hashMatches(world.guild(id)?.iconHash)
        case "embed":
            guard segments.count == 3, segments[1] == "avatars", ext == "png", let index = Int(stem) else {
                return false
            }
            return (0...5).contains(index)
        case "emojis":
            guard segments.count == 2, let id = UInt64(stem), still.contains(ext) || ext == "gif" else { return false }
            for index in world.guilds.indices where await state.emojis(index).contains(where: { $0.id == id }) {
                return true
            }
            return false
        case "stickers":
            guard segments.count == 2, let id = UInt64(stem) else { return false }
            for index in world.guilds.indices {
                guard let sticker = await state.stickers(index).first(where: { $0.id == id }) else { continue }
                switch sticker.formatType {
                case 3: return ext == "json"
                case 4: return ext == "gif"
                default: return ext == "png"
                }
            }
            return false
        case "guild-events":
            return true
        default:
            return false
        }
    }

    func generatedAttachment(channelId: UInt64, attachmentId: UInt64) async -> SimAttachment? {
        guard let view = await state.view(channelId) else { return nil }
        let ms = Snowflake<AnyTag>(attachmentId).unixMilliseconds
        guard let index = view.channel.timeline.index(atMilliseconds: ms) else { return nil }
        return view.factory.message(in: view.channel, at: index).attachments.first { $0.id == attachmentId }
    }

    static func deterministicBytes(seed: UInt64, id: UInt64, size: Int, png: Bool) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        var random = SeededRandom(seed: Mix.hash(seed, 0xB17E5, id))
        var index = 0
        while index < size {
            var value = random.next()
            for _ in 0..<8 where index < size {
                bytes[index] = UInt8(truncatingIfNeeded: value)
                value >>= 8
                index += 1
            }
        }
        if png {
            let magic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            for (offset, byte) in magic.enumerated() where offset < size { bytes[offset] = byte }
        }
        return bytes
    }

    static func bytesResponse(_ bytes: [UInt8], contentType: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.cacheControl] = "public, max-age=31536000"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `bytes` sent in two halves with a test's hold between them (``SimulatorServer/holdAttachmentDownloads(after:)``):
    /// a held download has its head and half its body; dropped, its connection is cut there.
    static func heldBytesResponse(_ bytes: [UInt8], contentType: String, _ state: SimulatorState) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.contentLength] = "\(bytes.count)"
        let half = bytes.count / 2
        return Response(
            status: .ok, headers: fields,
            body: ResponseBody(contentLength: bytes.count) { writer in
                try await writer.write(ByteBuffer(bytes: bytes[..<half]))
                guard await state.downloadHold.admit() else { throw FaultInjected() }
                try await writer.write(ByteBuffer(bytes: bytes[half...]))
                try await writer.finish(nil)
            })
    }

    static func cdnText(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
