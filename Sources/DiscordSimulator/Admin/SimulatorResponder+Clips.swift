extension SimulatorResponder {
    /// `GET /__sim/truth/clips`: every clip of the live messages in the channels and threads `botId` can read,
    /// `[{"messageId","channelId","kind","provider"}]`: video attachments (`video/*`), and the clip links the
    /// generator wrote (kind `link`, or `embed` for a link that is a clip only through its gifv embed), as long as
    /// the message still contains the link. Messages created through `/__sim/mutate` have no clip truth.
    func truthClips(botId: UInt64) async -> JSONWriter {
        var w = JSONWriter(capacity: 4096)
        w.beginArray()
        for guildIndex in world.guilds.indices {
            let channels = await state.guildChannels(guildIndex) + state.guildThreads(guildIndex)
            for (channel, _) in channels {
                guard let view = await state.view(channel.id),
                    permissions(of: botId, in: view).isSuperset(of: [.viewChannel, .readMessageHistory])
                else { continue }
                for position in view.positionsAscending(from: 0, limit: Int.max) {
                    let message = view.message(at: position)
                    var clips: [(kind: String, provider: String)] = []
                    for attachment in message.attachments
                    where attachment.contentType?.hasPrefix("video/") == true {
                        clips.append(("attachment", "discord"))
                    }
                    if let clip = message.clip, message.content.contains(clip.url) {
                        clips.append((clip.kind, clip.provider))
                    }
                    for clip in clips {
                        w.beginObject()
                        w.key("messageId")
                        w.id(message.id)
                        w.key("channelId")
                        w.id(message.channelId)
                        w.key("kind")
                        w.string(clip.kind)
                        w.key("provider")
                        w.string(clip.provider)
                        w.endObject()
                    }
                }
            }
        }
        w.endArray()
        return w
    }
}
