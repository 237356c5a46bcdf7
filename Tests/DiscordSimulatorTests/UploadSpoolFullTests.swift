import DiscordModels
import Foundation
import Testing

@testable import DiscordSimulator

/// An upload the simulator cannot keep (its spool's disk full; here its folder is gone, so every write fails) is
/// refused with a 500 and creates no message, as Discord never acknowledges a file it did not keep. Before, the
/// message was created and its attachment answered 404 on the CDN later.
@Suite(.serialized) struct UploadSpoolFullTests {
    @Test func anUploadThatCannotBeKeptIsRefusedAndCreatesNoMessage() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let before = try await http.get("/channels/\(channel)/messages?limit=100").array.count
            let spool = await sim.state.uploads
            spool.removeFolder()

            let reply = try await http.multipart(
                "/channels/\(channel)/messages", payload: #"{"content":"no room"}"#,
                files: [("files[0]", "a.bin", "application/octet-stream", [UInt8](repeating: 7, count: 1000))])
            #expect(reply.status == 500, "\(reply.object)")
            let after = try await http.get("/channels/\(channel)/messages?limit=100").array
            #expect(after.count == before)
            #expect(!after.contains { $0["content"] as? String == "no room" })
            #expect(spool.counts.attachments == 0)
            // A message without files still goes through.
            let plain = try await http.send(.POST, "/channels/\(channel)/messages", json: #"{"content":"text"}"#)
            #expect(plain.status == 200)
        }
    }
}
