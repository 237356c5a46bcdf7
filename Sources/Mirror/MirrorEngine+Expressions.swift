import ArchiveStore
import AsyncHTTPClient
import DiscordREST
import Foundation

extension MirrorEngine {
    /// What the emoji and sticker step did.
    struct ExpressionOutcome: Sendable {
        var made = 0
        var recovered = 0
        /// Source emoji id → `name:id` on the target (for rewriting `<:name:id>` in messages).
        var emojis: [UInt64: String] = [:]
        /// Source sticker id → the copy's id on the target (sent as `sticker_ids` where the target takes them).
        var stickers: [UInt64: UInt64] = [:]
    }

    /// Re-uploads the plan's custom emojis and stickers (fluxer-api.md §3.4, §6): each image fetched from the
    /// source CDN, names fitted to the target's rules, an `intent:<kind>` row before each create and its mapping
    /// after (a rerun finds a create whose record was lost by name). One the target refuses (a cap, a format) is
    /// reported and skipped; a Lottie sticker is skipped (Fluxer takes PNG or GIF only; Discord takes Lottie only
    /// from verified or partnered servers). Discord takes stickers as a multipart form (``MirrorTarget/createSticker``).
    func mirrorExpressions(
        _ plan: MirrorPlan, mappings: [MirrorMapping], http: HTTPClient, progress: @Sendable (String) -> Void
    ) async throws -> ExpressionOutcome {
        var outcome = ExpressionOutcome()
        for mapping in mappings where mapping.kind == "emoji" {
            outcome.emojis[mapping.sourceId] = "\(mapping.extra ?? "emoji"):\(mapping.targetId)"
        }
        for mapping in mappings where mapping.kind == "sticker" {
            outcome.stickers[mapping.sourceId] = mapping.targetId
        }
        guard let sourceCDN else { return outcome }
        var intents: [String: Date] = [:]
        for mapping in mappings where mapping.kind == "intent:emoji" || mapping.kind == "intent:sticker" {
            intents["\(mapping.kind)/\(mapping.sourceId)"] = mapping.createdAt ?? .distantPast
        }
        var listed: [String: [MirrorTarget.Object]] = [:]
        var taken = Set(mappings.filter { $0.kind == "emoji" || $0.kind == "sticker" }.map(\.targetId))
        for item in plan.expressions where item.targetId == nil {
            try Task.checkCancellation()
            let name = Self.expressionName(item.name, kind: item.kind)
            if let since = intents["intent:\(item.kind)/\(item.sourceId)"] {
                if listed[item.kind] == nil { listed[item.kind] = try await target.expressions(item.kind) }
                if let found = Self.newest(
                    in: listed[item.kind]!, taken: taken, since: since, where: { $0.name == name })
                {
                    try await recordExpression(item, id: found.id, name: name, plan: plan, into: &outcome)
                    taken.insert(found.id)
                    outcome.recovered += 1
                    progress("\(item.kind) \"\(name)\" found on the target (made by an interrupted run)")
                    continue
                }
            }
            guard let path = item.imagePath else {
                progress("sticker \"\(item.name)\" skipped: a Lottie sticker (the target takes PNG, APNG or GIF)")
                continue
            }
            let image: Data
            do {
                image = try await fetchImage(path, from: sourceCDN, http: http)
            } catch {
                progress("\(item.kind) \"\(item.name)\" skipped: its image could not be fetched (\(error))")
                continue
            }
            let contentType = path.hasSuffix(".gif") ? "image/gif" : "image/png"
            // Fluxer [B]: 384 KiB emojis, 512 KiB stickers (fluxer-api.md §3.4); Discord: 256 KiB emojis.
            let maxBytes = item.kind == "emoji" ? (target.service == .discord ? 256 << 10 : 384 << 10) : 512 << 10
            guard image.count <= maxBytes else {
                progress("\(item.kind) \"\(item.name)\" skipped: \(image.count >> 10) KiB, over \(maxBytes >> 10) KiB")
                continue
            }
            try await store.recordMirrorMapping(
                MirrorMapping(target: plan.target, kind: "intent:\(item.kind)", sourceId: item.sourceId, targetId: 0))
            let id: UInt64
            do {
                if item.kind == "emoji" {
                    id = try await target.createEmoji(name: name, image: image, contentType: contentType)
                } else {
                    id = try await target.createSticker(
                        name: name, description: item.description, tags: Self.stickerTags(item.tags, name: name),
                        image: image, contentType: contentType)
                }
            } catch let error as DiscordRESTError where error.status == 400 {
                progress(
                    "\(item.kind) \"\(item.name)\" skipped: the target refused it (\(error.errorCodeName ?? "400"))")
                continue
            }
            try await afterWrite?(item.kind == "emoji" ? .emoji(item.sourceId) : .sticker(item.sourceId))
            try await recordExpression(item, id: id, name: name, plan: plan, into: &outcome)
            taken.insert(id)
            outcome.made += 1
            progress("\(item.kind) \"\(name)\" uploaded")
        }
        return outcome
    }

    private func recordExpression(
        _ item: MirrorPlan.ExpressionItem, id: UInt64, name: String, plan: MirrorPlan,
        into outcome: inout ExpressionOutcome
    ) async throws {
        try await store.recordMirrorMapping(
            MirrorMapping(target: plan.target, kind: item.kind, sourceId: item.sourceId, targetId: id, extra: name))
        if item.kind == "emoji" { outcome.emojis[item.sourceId] = "\(name):\(id)" }
        if item.kind == "sticker" { outcome.stickers[item.sourceId] = id }
    }

    /// The bytes of a source CDN asset (small: emojis and stickers are at most 512 KiB).
    private func fetchImage(_ path: String, from sourceCDN: String, http: HTTPClient) async throws -> Data {
        let response = try await http.execute(HTTPClientRequest(url: "\(sourceCDN)/\(path)"), timeout: .seconds(60))
        guard response.status.code == 200 else {
            throw MirrorError(message: "HTTP \(response.status.code)")
        }
        return Data(try await response.body.collect(upTo: 4 << 20).readableBytesView)
    }

    /// A name the target takes: an emoji's 2–32 characters of `[A-Za-z0-9_]`, a sticker's 2–30 characters.
    static func expressionName(_ name: String, kind: String) -> String {
        if kind == "emoji" {
            var out = String(
                name.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") }
                    .map(Character.init)
            ).prefix(32)
            while out.count < 2 { out += "_" }
            return String(out)
        }
        var out = String(name.prefix(30))
        while out.count < 2 { out += "_" }
        return out
    }

    /// A sticker's tags as Fluxer's array (≤ 10 of 1–30 characters); ``MirrorTarget/createSticker`` joins them
    /// again into Discord's one comma-separated string.
    static func stickerTags(_ tags: String?, name: String) -> [String] {
        let list = (tags ?? "").split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces).prefix(30)) }
            .filter { !$0.isEmpty }
        return Array((list.isEmpty ? [String(name.prefix(30))] : list).prefix(10))
    }
}
