import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordSimulator
import Foundation
import Live
import NIOCore
import SQLiteStore
import TestSupport
import Testing

/// The REST writes that change guild structure, seen live: the simulator sent no event for them (an emoji or a
/// sticker created, roles moved, a channel's overwrites edited), and live capture ignored scheduled events. Each now
/// reaches the archive while watching.
extension LiveCaptureTests {
    /// Sends `body` to the simulator's API as the bot (`method`: `POST`, `PATCH`…) and returns the status code.
    @discardableResult
    static func rest(
        _ sim: SimulatorServer, _ method: String, _ path: String, json: String? = nil,
        body: (bytes: [UInt8], contentType: String)? = nil
    ) async throws -> UInt {
        try await SimulatorAdmin.asBot(sim, method, path, json: json, body: body).status
    }

    /// A sticker upload (`multipart/form-data`: name, tags, a PNG file).
    static func stickerForm(name: String) -> (bytes: [UInt8], contentType: String) {
        let boundary = "skald-live-sticker-7f3"
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 200)
        var body: [UInt8] = []
        for (field, value) in [("name", name), ("tags", "ship")] {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.png\"\r\n".utf8)
        body +=
            Array("Content-Type: application/octet-stream\r\n\r\n".utf8) + png + Array("\r\n--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    @Test func structureWritesThroughRESTAndDeletedScheduledEventsReachTheArchiveLive() async throws {
        try await H.withSimulator(messages: 5) { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let guild = sim.guildIDs[0]
                let channel = sim.messageChannelIDs(guild: guild)[0]
                _ = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    func stored(_ kind: ObjectKind, containing text: String) async throws -> Bool {
                        try await store.objects(kind, in: guild).contains {
                            $0.deletedAt == nil && String(decoding: $0.json, as: UTF8.self).contains(text)
                        }
                    }

                    // GUILD_EMOJIS_UPDATE and GUILD_STICKERS_UPDATE (full lists).
                    let image =
                        "data:image/png;base64," + Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).base64EncodedString()
                    #expect(
                        try await Self.rest(
                            sim, "POST", "/guilds/\(guild)/emojis", json: #"{"name":"skald_rune","image":"\#(image)"}"#)
                            == 201)
                    #expect(
                        try await Self.rest(
                            sim, "POST", "/guilds/\(guild)/stickers", body: Self.stickerForm(name: "Longship")
                        ) == 201)
                    try await signal.waitUntil {
                        guard try await stored(.emoji, containing: "skald_rune") else { return false }
                        return try await stored(.sticker, containing: "Longship")
                    }

                    // GUILD_ROLE_UPDATE for each role moved (positions are renumbered 1…N above @everyone).
                    func position(_ role: StoredObject?) -> Int? {
                        role.flatMap { try? JSONSerialization.jsonObject(with: $0.json) as? [String: Any] }?["position"]
                            as? Int
                    }
                    let roles = try await store.objects(.role, in: guild).filter { $0.id.rawValue != guild.rawValue }
                    let moved = try #require(roles.first)
                    let wanted = position(moved) == 1 ? 2 : 1
                    #expect(
                        try await Self.rest(
                            sim, "PATCH", "/guilds/\(guild)/roles",
                            json: #"[{"id":"\#(moved.id)","position":\#(wanted)}]"#)
                            == 200)
                    try await signal.waitUntil { position(try await store.object(.role, id: moved.id)) == wanted }

                    // CHANNEL_UPDATE after an overwrite is edited.
                    let member = "424242424242424242"
                    #expect(
                        try await Self.rest(
                            sim, "PUT", "/channels/\(channel)/permissions/\(member)",
                            json: #"{"type":1,"allow":"0","deny":"2048"}"#) == 204)
                    try await signal.waitUntil {
                        let row = try await store.object(.channel, id: channel.cast())
                        return row.map { String(decoding: $0.json, as: UTF8.self).contains(member) } ?? false
                    }

                    // GUILD_SCHEDULED_EVENT_DELETE: the guild's events read again, the deleted one tombstoned.
                    let events = try await store.objects(.scheduledEvent, in: guild)
                    let deleted = try #require(events.first)
                    try await H.post(
                        sim, "/__sim/mutate", ["op": "deleteEvent", "guildId": "\(guild)", "eventId": "\(deleted.id)"])
                    try await signal.waitUntil {
                        try await store.object(.scheduledEvent, id: deleted.id)?.deletedAt != nil
                    }
                    let left = try await store.objects(.scheduledEvent, in: guild).filter { $0.deletedAt == nil }
                    #expect(left.count == events.count - 1)
                }
            }
        }
    }
}
