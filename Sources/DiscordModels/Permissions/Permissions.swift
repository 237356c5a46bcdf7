/// Discord's permission bit set, carried on the wire as a decimal string.
///
/// ```swift
/// let everyone: Permissions = [.viewChannel, .sendMessages, .readMessageHistory, .addReactions]
/// everyone.rawValue  // 68672
/// ```
public struct Permissions: OptionSet, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The raw value.
    public let rawValue: UInt64
    /// Makes a value from its raw value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The `CREATE_INSTANT_INVITE` permission.
    public static let createInstantInvite = Permissions(rawValue: 1 << 0)
    /// The `KICK_MEMBERS` permission.
    public static let kickMembers = Permissions(rawValue: 1 << 1)
    /// The `BAN_MEMBERS` permission.
    public static let banMembers = Permissions(rawValue: 1 << 2)
    /// The `ADMINISTRATOR` permission.
    public static let administrator = Permissions(rawValue: 1 << 3)
    /// The `MANAGE_CHANNELS` permission.
    public static let manageChannels = Permissions(rawValue: 1 << 4)
    /// The `MANAGE_GUILD` permission.
    public static let manageGuild = Permissions(rawValue: 1 << 5)
    /// The `ADD_REACTIONS` permission.
    public static let addReactions = Permissions(rawValue: 1 << 6)
    /// The `VIEW_AUDIT_LOG` permission.
    public static let viewAuditLog = Permissions(rawValue: 1 << 7)
    /// The `PRIORITY_SPEAKER` permission.
    public static let prioritySpeaker = Permissions(rawValue: 1 << 8)
    /// The `STREAM` permission.
    public static let stream = Permissions(rawValue: 1 << 9)
    /// The `VIEW_CHANNEL` permission.
    public static let viewChannel = Permissions(rawValue: 1 << 10)
    /// The `SEND_MESSAGES` permission.
    public static let sendMessages = Permissions(rawValue: 1 << 11)
    /// The `SEND_TTS_MESSAGES` permission.
    public static let sendTTSMessages = Permissions(rawValue: 1 << 12)
    /// The `MANAGE_MESSAGES` permission.
    public static let manageMessages = Permissions(rawValue: 1 << 13)
    /// The `EMBED_LINKS` permission.
    public static let embedLinks = Permissions(rawValue: 1 << 14)
    /// The `ATTACH_FILES` permission.
    public static let attachFiles = Permissions(rawValue: 1 << 15)
    /// The `READ_MESSAGE_HISTORY` permission.
    public static let readMessageHistory = Permissions(rawValue: 1 << 16)
    /// The `MENTION_EVERYONE` permission.
    public static let mentionEveryone = Permissions(rawValue: 1 << 17)
    /// The `USE_EXTERNAL_EMOJIS` permission.
    public static let useExternalEmojis = Permissions(rawValue: 1 << 18)
    /// The `VIEW_GUILD_INSIGHTS` permission.
    public static let viewGuildInsights = Permissions(rawValue: 1 << 19)
    /// The `CONNECT` permission.
    public static let connect = Permissions(rawValue: 1 << 20)
    /// The `SPEAK` permission.
    public static let speak = Permissions(rawValue: 1 << 21)
    /// The `MUTE_MEMBERS` permission.
    public static let muteMembers = Permissions(rawValue: 1 << 22)
    /// The `DEAFEN_MEMBERS` permission.
    public static let deafenMembers = Permissions(rawValue: 1 << 23)
    /// The `MOVE_MEMBERS` permission.
    public static let moveMembers = Permissions(rawValue: 1 << 24)
    /// The `USE_VAD` permission.
    public static let useVAD = Permissions(rawValue: 1 << 25)
    /// The `CHANGE_NICKNAME` permission.
    public static let changeNickname = Permissions(rawValue: 1 << 26)
    /// The `MANAGE_NICKNAMES` permission.
    public static let manageNicknames = Permissions(rawValue: 1 << 27)
    /// The `MANAGE_ROLES` permission.
    public static let manageRoles = Permissions(rawValue: 1 << 28)
    /// The `MANAGE_WEBHOOKS` permission.
    public static let manageWebhooks = Permissions(rawValue: 1 << 29)
    /// The `MANAGE_GUILD_EXPRESSIONS` permission.
    public static let manageGuildExpressions = Permissions(rawValue: 1 << 30)
    /// The `USE_APPLICATION_COMMANDS` permission.
    public static let useApplicationCommands = Permissions(rawValue: 1 << 31)
    /// The `REQUEST_TO_SPEAK` permission.
    public static let requestToSpeak = Permissions(rawValue: 1 << 32)
    /// The `MANAGE_EVENTS` permission.
    public static let manageEvents = Permissions(rawValue: 1 << 33)
    /// The `MANAGE_THREADS` permission.
    public static let manageThreads = Permissions(rawValue: 1 << 34)
    /// The `CREATE_PUBLIC_THREADS` permission.
    public static let createPublicThreads = Permissions(rawValue: 1 << 35)
    /// The `CREATE_PRIVATE_THREADS` permission.
    public static let createPrivateThreads = Permissions(rawValue: 1 << 36)
    /// The `USE_EXTERNAL_STICKERS` permission.
    public static let useExternalStickers = Permissions(rawValue: 1 << 37)
    /// The `SEND_MESSAGES_IN_THREADS` permission.
    public static let sendMessagesInThreads = Permissions(rawValue: 1 << 38)
    /// The `USE_EMBEDDED_ACTIVITIES` permission.
    public static let useEmbeddedActivities = Permissions(rawValue: 1 << 39)
    /// The `MODERATE_MEMBERS` permission.
    public static let moderateMembers = Permissions(rawValue: 1 << 40)
    /// The `VIEW_CREATOR_MONETIZATION_ANALYTICS` permission.
    public static let viewCreatorMonetizationAnalytics = Permissions(rawValue: 1 << 41)
    /// The `USE_SOUNDBOARD` permission.
    public static let useSoundboard = Permissions(rawValue: 1 << 42)
    /// The `CREATE_GUILD_EXPRESSIONS` permission.
    public static let createGuildExpressions = Permissions(rawValue: 1 << 43)
    /// The `CREATE_EVENTS` permission.
    public static let createEvents = Permissions(rawValue: 1 << 44)
    /// The `USE_EXTERNAL_SOUNDS` permission.
    public static let useExternalSounds = Permissions(rawValue: 1 << 45)
    /// The `SEND_VOICE_MESSAGES` permission.
    public static let sendVoiceMessages = Permissions(rawValue: 1 << 46)
    /// The `SEND_POLLS` permission.
    public static let sendPolls = Permissions(rawValue: 1 << 49)
    /// The `USE_EXTERNAL_APPS` permission.
    public static let useExternalApps = Permissions(rawValue: 1 << 50)
    /// The `PIN_MESSAGES` permission.
    public static let pinMessages = Permissions(rawValue: 1 << 51)
    /// The `BYPASS_SLOWMODE` permission.
    public static let bypassSlowmode = Permissions(rawValue: 1 << 52)

    /// Every bit, what the owner and administrators have.
    public static let all = Permissions(rawValue: UInt64.max)

    /// A textual representation.
    public var description: String { String(rawValue) }

    /// Decodes a decimal string (a JSON number is tolerated).
    public init(from decoder: any Decoder) throws {
        rawValue = try DecimalString.decode(from: decoder, what: "permissions")
    }

    /// Encodes as a decimal string.
    public func encode(to encoder: any Encoder) throws {
        try DecimalString.encode(rawValue, to: encoder)
    }
}
