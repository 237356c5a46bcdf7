/// A channel's kind. Unknown values decode to `.unknown` and survive a round trip.
public enum ChannelType: OpenEnum {
    case guildText, dm, guildVoice, groupDM, guildCategory, guildAnnouncement
    case announcementThread, publicThread, privateThread, guildStageVoice, guildDirectory, guildForum, guildMedia
    case unknown(Int)

    /// Makes a value from its raw value.
    public init(rawValue: Int) {
        switch rawValue {
        case 0: self = .guildText
        case 1: self = .dm
        case 2: self = .guildVoice
        case 3: self = .groupDM
        case 4: self = .guildCategory
        case 5: self = .guildAnnouncement
        case 10: self = .announcementThread
        case 11: self = .publicThread
        case 12: self = .privateThread
        case 13: self = .guildStageVoice
        case 14: self = .guildDirectory
        case 15: self = .guildForum
        case 16: self = .guildMedia
        default: self = .unknown(rawValue)
        }
    }

    /// The raw value.
    public var rawValue: Int {
        switch self {
        case .guildText: 0
        case .dm: 1
        case .guildVoice: 2
        case .groupDM: 3
        case .guildCategory: 4
        case .guildAnnouncement: 5
        case .announcementThread: 10
        case .publicThread: 11
        case .privateThread: 12
        case .guildStageVoice: 13
        case .guildDirectory: 14
        case .guildForum: 15
        case .guildMedia: 16
        case .unknown(let value): value
        }
    }

    /// Threads (types 10, 11, 12).
    public var isThread: Bool { self == .announcementThread || self == .publicThread || self == .privateThread }

    /// Channels whose archived threads are listed: text, announcement, forum and media.
    public var hasThreads: Bool {
        self == .guildText || self == .guildAnnouncement || self == .guildForum || self == .guildMedia
    }

    /// Channels that hold messages directly (voice and stage channels have text chats).
    public var holdsMessages: Bool {
        switch self {
        case .guildText, .guildAnnouncement, .guildVoice, .guildStageVoice, .announcementThread, .publicThread,
            .privateThread, .dm, .groupDM:
            true
        default: false
        }
    }

    /// A type Discord added after this build (tolerated, kept as its raw value).
    public var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }

    /// Voice-like channels, where reading history also needs CONNECT.
    public var isVoice: Bool { self == .guildVoice || self == .guildStageVoice }
}
