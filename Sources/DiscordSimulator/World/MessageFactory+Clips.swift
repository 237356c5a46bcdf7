/// Clip links in generated messages, from their own hash stream (seed, 34, channel, index) so that the rest of a
/// message (its words, attachments, embeds, reactions) is what it was before clips were generated. About one
/// message in nineteen gets a clip link; a third of those got it in an edit (an edited timestamp is added when the
/// message had none). Video attachments (`clip_N.mp4`) come from the attachment generator as before.
extension MessageFactory {
    /// The link forms, with the kind and provider clip detection must report. `%` is replaced by a seeded code.
    static let clipForms: [(template: String, kind: String, provider: String, embed: Bool)] = [
        ("https://www.youtube.com/watch?v=%", "link", "youtube", true),
        ("https://youtu.be/%", "link", "youtube", true),
        ("https://youtube.com/shorts/%", "link", "youtube", false),
        ("https://www.youtube.com/clip/%", "link", "youtube", false),
        ("https://clips.twitch.tv/%", "link", "twitch", false),
        ("https://www.twitch.tv/skaldstream/clip/%", "link", "twitch", false),
        ("https://twitch.tv/clip/%", "link", "twitch", false),
        ("https://medal.tv/clips/%", "link", "medal", false),
        ("https://medal.tv/games/valheim/clips/%", "link", "medal", false),
        ("https://streamable.com/%", "link", "streamable", false),
        ("https://steamcommunity.com/id/skald/clips/%", "link", "steam", false),
        ("https://files.example.com/raids/%.mp4", "link", "direct", false),
        ("https://files.example.com/raids/%.webm", "link", "direct", false),
        ("https://tenor.com/view/raven-dance-%", "embed", "tenor", true),
    ]

    func addClip(to message: inout SimMessage, channel: SimChannel, index: Int, ms: UInt64) {
        guard message.type == 0 || message.type == 19 else { return }
        let h = Mix.hash(world.seed, 34, channel.id, UInt64(index))
        guard h % 19 == 0 else { return }
        let form = Self.clipForms[Int((h >> 8) % UInt64(Self.clipForms.count))]
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var code = ""
        var bits = h >> 16
        for _ in 0..<11 {
            code.append(alphabet[Int(bits % UInt64(alphabet.count))])
            bits /= UInt64(alphabet.count)
            if bits == 0 { bits = Mix.hash(h, UInt64(code.count)) }
        }
        let url = form.template.replacingOccurrences(of: "%", with: code)
        message.content += (message.content.isEmpty ? "" : " ") + url
        message.clip = SimClip(url: url, kind: form.kind, provider: form.provider)
        if form.embed {
            let gifv = form.kind == "embed"
            var embed = SimEmbed(url: url)
            embed.type = gifv ? "gifv" : "video"
            embed.providerName = gifv ? "Tenor" : "YouTube"
            embed.videoURL = gifv ? "https://media.tenor.com/\(code).mp4" : "https://www.youtube.com/embed/\(code)"
            message.embeds.append(embed)
        }
        if (h >> 60) % 3 == 0, message.editedMilliseconds == nil {
            message.editedMilliseconds = ms + 60_000 + (h >> 20) % 86_400_000
        }
    }
}
