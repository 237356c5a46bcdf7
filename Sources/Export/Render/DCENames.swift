/// DCE's names for Discord's numeric kinds (.NET enum `ToString`: unnamed values as decimal strings).
enum DCENames {
    static func channelType(_ type: Int) -> String {
        switch type {
        case 0: "GuildTextChat"
        case 1: "DirectTextChat"
        case 2: "GuildVoiceChat"
        case 3: "DirectGroupTextChat"
        case 4: "GuildCategory"
        case 5: "GuildNews"
        case 10: "GuildNewsThread"
        case 11: "GuildPublicThread"
        case 12: "GuildPrivateThread"
        case 13: "GuildStageVoice"
        case 14: "GuildDirectory"
        case 15: "GuildForum"
        default: String(type)
        }
    }

    /// Parses a DCE channel type name (or digit string) back to Discord's number.
    static func channelTypeNumber(_ name: String) -> Int? {
        if let number = Int(name) { return number }
        return (0...15).first { channelType($0) == name }
    }

    static func messageType(_ type: Int) -> String {
        switch type {
        case 0: "Default"
        case 1: "RecipientAdd"
        case 2: "RecipientRemove"
        case 3: "Call"
        case 4: "ChannelNameChange"
        case 5: "ChannelIconChange"
        case 6: "ChannelPinnedMessage"
        case 7: "GuildMemberJoin"
        case 18: "ThreadCreated"
        case 19: "Reply"
        default: String(type)
        }
    }

    /// Parses a DCE message type name (or digit string) back to Discord's number.
    static func messageTypeNumber(_ name: String) -> Int? {
        if let number = Int(name) { return number }
        return [
            "Default": 0, "RecipientAdd": 1, "RecipientRemove": 2, "Call": 3, "ChannelNameChange": 4,
            "ChannelIconChange": 5, "ChannelPinnedMessage": 6, "GuildMemberJoin": 7, "ThreadCreated": 18, "Reply": 19,
        ][name]
    }

    static func stickerFormat(_ format: Int) -> String {
        switch format {
        case 1: "Png"
        case 2: "Apng"
        case 3: "Lottie"
        case 4: "Gif"
        default: String(format)
        }
    }

    /// `#RRGGBB`, uppercase.
    static func color(_ value: Int) -> String {
        let hex = String(value & 0xFF_FFFF, radix: 16, uppercase: true)
        return "#" + String(repeating: "0", count: 6 - hex.count) + hex
    }
}
