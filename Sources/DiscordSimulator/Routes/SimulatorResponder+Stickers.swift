import DiscordModels
import Foundation
import Hummingbird

/// `POST /guilds/{g}/stickers` (the OpenAPI spec's `create_guild_sticker`; the docs' "Create Guild Sticker"): a
/// guild sticker from a `multipart/form-data` body of plain fields, not `payload_json`.
extension SimulatorResponder {
    /// Sticker slots by boost tier (the docs: five free, more with each boost level).
    static let stickerSlots = [5, 15, 30, 60]

    /// The boost tier every generated guild reports (`premium_tier` in the guild object).
    static let simulatedPremiumTier = 1

    /// `POST /guilds/{g}/stickers` `name` (2–30), `tags` (1–200, required), `description` (empty or 2–100),
    /// `file` (PNG, APNG, GIF or Lottie JSON, at most 512 KiB) → 201 with the sticker. Needs CREATE_ or
    /// MANAGE_GUILD_EXPRESSIONS. A Lottie file needs a VERIFIED or PARTNERED guild (the generated guilds are
    /// neither: 400); over 512 KiB 50045; another format 50046; every slot of the guild's tier taken 30039. The
    /// docs' 320×320 pixels and 5 seconds are not checked (the simulator's images are not real pictures).
    func createGuildSticker(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let base = botBasePermissions(api, guildIndex: index)
        guard !base.isDisjoint(with: [.createGuildExpressions, .manageGuildExpressions]) else {
            throw DiscordAPIError.missingPermissions()
        }
        var request = api.request
        let buffer = try await request.collectBody(upTo: 2 << 20)
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw DiscordAPIError.invalidForm(
                field: "file", code: "BASE_TYPE_REQUIRED", message: "This field is required")
        }
        guard let form = MultipartForm(body: buffer, contentType: contentType) else {
            throw DiscordAPIError.invalidFormBody()
        }
        func field(_ name: String) -> String? {
            form.parts.first { $0.name == name && $0.filename == nil }.map { String(decoding: $0.body, as: UTF8.self) }
        }
        let name = field("name") ?? ""
        guard (2...30).contains(name.count) else {
            throw DiscordAPIError.invalidForm(
                field: "name", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 2 and 30 in length.")
        }
        let tags = field("tags") ?? ""
        guard (1...200).contains(tags.count) else {
            throw DiscordAPIError.invalidForm(
                field: "tags", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 200 in length.")
        }
        let description = field("description") ?? ""
        guard description.isEmpty || (2...100).contains(description.count) else {
            throw DiscordAPIError.invalidForm(
                field: "description", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 2 and 100 in length.")
        }
        guard let file = form.parts.first(where: { $0.name == "file" }) else {
            throw DiscordAPIError.invalidForm(
                field: "file", code: "BASE_TYPE_REQUIRED", message: "This field is required")
        }
        guard file.body.count <= 512 << 10 else {
            throw DiscordAPIError(.badRequest, code: 50045, message: "File uploaded exceeds the maximum size")
        }
        guard let format = Self.stickerFormat(file.body) else {
            throw DiscordAPIError(.badRequest, code: 50046, message: "Invalid file uploaded")
        }
        guard format != 3 else {
            throw DiscordAPIError.invalidForm(
                field: "file", code: "STICKER_LOTTIE_NOT_ALLOWED",
                message: "Lottie stickers need a verified or partnered server.")
        }
        let slots = Self.stickerSlots[min(Self.simulatedPremiumTier, Self.stickerSlots.count - 1)]
        guard await state.stickers(index).count < slots else {
            throw DiscordAPIError(
                .badRequest, code: 30039, message: "Maximum number of stickers reached (\(slots))")
        }
        let guild = world.guilds[index]
        let sticker = SimSticker(
            id: await state.newId(), name: name, description: description.isEmpty ? nil : description, tags: tags,
            formatType: format, creatorIndex: guild.ownerIndex)
        await state.addSticker(sticker, guildIndex: index)
        // The docs: GUILD_STICKERS_UPDATE with the full list (it fired nothing).
        await emitStickersUpdate(guildIndex: index, baseURL: api.baseURL)
        var w = JSONWriter(capacity: 1024)
        renderContext(api).writeSticker(
            sticker, guild: guild, includeUser: canSeeExpressionCreators(api, guildIndex: index), into: &w)
        return APIResponse.json(w, status: .created)
    }

    /// A sticker file's `format_type` from its first bytes: 1 PNG, 2 APNG (an `acTL` chunk before `IDAT`), 3 Lottie
    /// (a JSON object), 4 GIF; nil for anything else.
    static func stickerFormat(_ bytes: [UInt8]) -> Int? {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if bytes.starts(with: png) {
            var offset = 8
            while offset + 8 <= bytes.count {
                let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
                let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
                if type == "acTL" { return 2 }
                if type == "IDAT" || length > bytes.count { break }
                offset += 12 + length
            }
            return 1
        }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return 4 }
        if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{"),
            (try? JSONSerialization.jsonObject(with: Data(bytes))) is [String: Any]
        {
            return 3
        }
        return nil
    }
}
