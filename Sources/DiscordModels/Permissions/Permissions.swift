/// Discord's permission bit set, carried on the wire as a decimal string.
///
/// ```swift
/// let everyone: Permissions = [.viewChannel, .sendMessages, .readMessageHistory, .addReactions]
/// everyone.rawValue  // 68672
/// ```
public struct Permissions: OptionSet, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let createInstantInvite = Permissions(rawValue: 1 << 0)
    public static let kickMembers = Permissions(rawValue: 1 << 1)
    public static let banMembers = Permissions(rawValue: 1 << 2)
    public static let administrator = Permissions(rawValue: 1 << 3)
    public static let manageChannels = Permissions(rawValue: 1 << 4)
    public static let manageGuild = Permissions(rawValue: 1 << 5)
    public static let addReactions = Permissions(rawValue: 1 << 6)
    public static let viewAuditLog = Permissions(rawValue: 1 << 7)
    public static let prioritySpeaker = Permissions(rawValue: 1 << 8)
    public static let stream = Permissions(rawValue: 1 << 9)
    public static let viewChannel = Permissions(rawValue: 1 << 10)
    public static let sendMessages = Permissions(rawValue: 1 << 11)
    public static let sendTTSMessages = Permissions(rawValue: 1 << 12)
    public static let manageMessages = Permissions(rawValue: 1 << 13)
    public static let embedLinks = Permissions(rawValue: 1 << 14)
    public static let attachFiles = Permissions(rawValue: 1 << 15)
    public static let readMessageHistory = Permissions(rawValue: 1 << 16)
    public static let mentionEveryone = Permissions(rawValue: 1 << 17)
    public static let useExternalEmojis = Permissions(rawValue: 1 << 18)
    public static let viewGuildInsights = Permissions(rawValue: 1 << 19)
    public static let connect = Permissions(rawValue: 1 << 20)
    public static let speak = Permissions(rawValue: 1 << 21)
    public static let muteMembers = Permissions(rawValue: 1 << 22)
    public static let deafenMembers = Permissions(rawValue: 1 << 23)
    public static let moveMembers = Permissions(rawValue: 1 << 24)
    public static let useVAD = Permissions(rawValue: 1 << 25)
    public static let changeNickname = Permissions(rawValue: 1 << 26)
    public static let manageNicknames = Permissions(rawValue: 1 << 27)
    public static let manageRoles = Permissions(rawValue: 1 << 28)
    public static let manageWebhooks = Permissions(rawValue: 1 << 29)
    public static let manageGuildExpressions = Permissions(rawValue: 1 << 30)
    public static let useApplicationCommands = Permissions(rawValue: 1 << 31)
    public static let requestToSpeak = Permissions(rawValue: 1 << 32)
    public static let manageEvents = Permissions(rawValue: 1 << 33)
    public static let manageThreads = Permissions(rawValue: 1 << 34)
    public static let createPublicThreads = Permissions(rawValue: 1 << 35)
    public static let createPrivateThreads = Permissions(rawValue: 1 << 36)
    public static let useExternalStickers = Permissions(rawValue: 1 << 37)
    public static let sendMessagesInThreads = Permissions(rawValue: 1 << 38)
    public static let useEmbeddedActivities = Permissions(rawValue: 1 << 39)
    public static let moderateMembers = Permissions(rawValue: 1 << 40)
    public static let viewCreatorMonetizationAnalytics = Permissions(rawValue: 1 << 41)
    public static let useSoundboard = Permissions(rawValue: 1 << 42)
    public static let createGuildExpressions = Permissions(rawValue: 1 << 43)
    public static let createEvents = Permissions(rawValue: 1 << 44)
    public static let useExternalSounds = Permissions(rawValue: 1 << 45)
    public static let sendVoiceMessages = Permissions(rawValue: 1 << 46)
    public static let sendPolls = Permissions(rawValue: 1 << 49)
    public static let useExternalApps = Permissions(rawValue: 1 << 50)
    public static let pinMessages = Permissions(rawValue: 1 << 51)
    public static let bypassSlowmode = Permissions(rawValue: 1 << 52)

    /// Every bit, what the owner and administrators have.
    public static let all = Permissions(rawValue: UInt64.max)

    public var description: String { String(rawValue) }

    /// Decodes a decimal string (a JSON number is tolerated).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = UInt64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad permissions: \(text)")
            }
            self.rawValue = value
        } else {
            self.rawValue = try container.decode(UInt64.self)
        }
    }

    /// Encodes as a decimal string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(rawValue))
    }
}
