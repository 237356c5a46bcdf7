/// A message's kind. The named cases are those Skald treats specially; every other value, known to Discord
/// or not, is carried by `other` and survives a round trip.
public enum MessageType: OpenEnum {
    case `default`, recipientAdd, recipientRemove, call, channelNameChange, channelIconChange
    case channelPinnedMessage, userJoin, guildBoost, guildBoostTier1, guildBoostTier2, guildBoostTier3
    case channelFollowAdd, threadCreated, reply, chatInputCommand, threadStarterMessage, contextMenuCommand
    case autoModerationAction, pollResult
    case other(Int)

    /// Makes a value from its raw value.
    public init(rawValue: Int) {
        switch rawValue {
        case 0: self = .default
        case 1: self = .recipientAdd
        case 2: self = .recipientRemove
        case 3: self = .call
        case 4: self = .channelNameChange
        case 5: self = .channelIconChange
        case 6: self = .channelPinnedMessage
        case 7: self = .userJoin
        case 8: self = .guildBoost
        case 9: self = .guildBoostTier1
        case 10: self = .guildBoostTier2
        case 11: self = .guildBoostTier3
        case 12: self = .channelFollowAdd
        case 18: self = .threadCreated
        case 19: self = .reply
        case 20: self = .chatInputCommand
        case 21: self = .threadStarterMessage
        case 23: self = .contextMenuCommand
        case 24: self = .autoModerationAction
        case 46: self = .pollResult
        default: self = .other(rawValue)
        }
    }

    /// The raw value.
    public var rawValue: Int {
        switch self {
        case .default: 0
        case .recipientAdd: 1
        case .recipientRemove: 2
        case .call: 3
        case .channelNameChange: 4
        case .channelIconChange: 5
        case .channelPinnedMessage: 6
        case .userJoin: 7
        case .guildBoost: 8
        case .guildBoostTier1: 9
        case .guildBoostTier2: 10
        case .guildBoostTier3: 11
        case .channelFollowAdd: 12
        case .threadCreated: 18
        case .reply: 19
        case .chatInputCommand: 20
        case .threadStarterMessage: 21
        case .contextMenuCommand: 23
        case .autoModerationAction: 24
        case .pollResult: 46
        case .other(let value): value
        }
    }
}
