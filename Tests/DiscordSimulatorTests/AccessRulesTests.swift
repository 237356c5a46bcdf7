import DiscordModels
import Testing

@testable import DiscordSimulator

/// The simulator's own statement of who may read what (reference §5), checked row by row against the
/// documentation, never against the archiver's `PermissionCalculator`.
@Suite struct AccessRulesTests {
    static let guild: UInt64 = 100
    static let owner: UInt64 = 1
    static let bot: UInt64 = 2
    static let archiver: UInt64 = 200
    static let muted: UInt64 = 201
    static let moderators: UInt64 = 202
    static let everyoneBits: UInt64 = 68672  // VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | ADD_REACTIONS
    static let rules = AccessRules(
        guildId: guild, ownerId: owner,
        roleBits: [guild: everyoneBits, archiver: 536_903_680, muted: 0, moderators: 1 << 34 | 1 << 10])

    static func role(_ id: UInt64, allow: UInt64 = 0, deny: UInt64 = 0) -> PermissionOverwrite {
        PermissionOverwrite(
            id: AnySnowflake(id), type: 0, allow: Permissions(rawValue: allow), deny: Permissions(rawValue: deny))
    }

    static func member(_ id: UInt64, allow: UInt64 = 0, deny: UInt64 = 0) -> PermissionOverwrite {
        PermissionOverwrite(
            id: AnySnowflake(id), type: 1, allow: Permissions(rawValue: allow), deny: Permissions(rawValue: deny))
    }

    static let text = AccessRules.Place(isThread: false, isPrivateThread: false, isThreadMember: false, isVoice: false)
    static let voice = AccessRules.Place(isThread: false, isPrivateThread: false, isThreadMember: false, isVoice: true)
    static let privateThread = AccessRules.Place(
        isThread: true, isPrivateThread: true, isThreadMember: false, isVoice: false)
    static let joinedPrivateThread = AccessRules.Place(
        isThread: true, isPrivateThread: true, isThreadMember: true, isVoice: false)

    /// One row: who, their roles, the overwrites, the place, and whether they may view and read the history.
    struct Row: Sendable, CustomTestStringConvertible {
        var statement: String
        var user: UInt64
        var roles: [UInt64]
        var overwrites: [PermissionOverwrite]
        var place: AccessRules.Place
        var view: Bool
        var read: Bool
        var testDescription: String { statement }
    }

    static let table: [Row] = [
        Row(
            statement: "no overwrite: @everyone's bits", user: bot, roles: [archiver], overwrites: [], place: text,
            view: true, read: true),
        Row(
            statement: "@everyone denied VIEW_CHANNEL hides the channel", user: bot, roles: [archiver],
            overwrites: [role(guild, deny: 1024)], place: text, view: false, read: false),
        Row(
            statement: "a role allow beats the @everyone deny", user: bot, roles: [archiver],
            overwrites: [role(guild, deny: 1024), role(archiver, allow: 1024)], place: text, view: true, read: true),
        Row(
            statement: "an allow on a role the member lacks does nothing", user: bot, roles: [archiver],
            overwrites: [role(guild, deny: 1024), role(moderators, allow: 1024)], place: text, view: false,
            read: false),
        Row(
            statement: "across roles, allow beats deny", user: bot, roles: [archiver, muted],
            overwrites: [role(archiver, deny: 65536), role(muted, allow: 65536)], place: text, view: true, read: true),
        Row(
            statement: "@everyone denied READ_MESSAGE_HISTORY: visible, not readable", user: bot, roles: [archiver],
            overwrites: [role(guild, deny: 65536)], place: text, view: true, read: false),
        Row(
            statement: "the member overwrite comes last", user: bot, roles: [archiver],
            overwrites: [role(guild, deny: 65536), member(bot, allow: 65536)], place: text, view: true, read: true),
        Row(
            statement: "the member's own deny beats a role allow", user: bot, roles: [archiver],
            overwrites: [role(archiver, allow: 1024), member(bot, deny: 1024)], place: text, view: false, read: false),
        Row(
            statement: "the owner sees everything whatever the overwrites", user: owner, roles: [],
            overwrites: [role(guild, deny: 1024), member(owner, deny: 1024)], place: text, view: true, read: true),
        Row(
            statement: "in voice, no CONNECT means nothing", user: bot, roles: [archiver], overwrites: [],
            place: voice, view: false, read: false),
        Row(
            statement: "a private thread is hidden from a non-member without MANAGE_THREADS", user: bot,
            roles: [archiver], overwrites: [], place: privateThread, view: false, read: false),
        Row(
            statement: "a private thread is visible to its members", user: bot, roles: [archiver], overwrites: [],
            place: joinedPrivateThread, view: true, read: true),
        Row(
            statement: "a private thread is visible to MANAGE_THREADS holders", user: bot,
            roles: [archiver, moderators], overwrites: [], place: privateThread, view: true, read: true),
    ]

    @Test(arguments: table) func whoMayReadWhat(_ row: Row) {
        let permissions = Self.rules.permissions(
            of: row.user, roles: row.roles, overwrites: row.overwrites, place: row.place)
        #expect(permissions.contains(.viewChannel) == row.view)
        #expect(permissions.isSuperset(of: [.viewChannel, .readMessageHistory]) == row.read)
    }

    /// Reference §5's worked example, step values included.
    @Test func workedExample() {
        let overwrites = [
            Self.role(Self.guild, deny: 1024), Self.role(Self.archiver, allow: 1024, deny: 65536),
            Self.role(Self.muted, deny: 2048), Self.member(Self.bot, allow: 65536, deny: 64),
        ]
        #expect(Self.rules.base(of: Self.bot, roles: [Self.archiver, Self.muted]).rawValue == 536_972_352)
        let result = Self.rules.permissions(
            of: Self.bot, roles: [Self.archiver, Self.muted], overwrites: overwrites, place: Self.text)
        // 536970240 after the overwrites; without SEND_MESSAGES, ATTACH_FILES is moot.
        #expect(result.rawValue == 536_970_240 & ~(1 << 15))
        #expect(result.isSuperset(of: [.viewChannel, .readMessageHistory, .manageWebhooks]))
        #expect(result.isDisjoint(with: [.sendMessages, .addReactions]))
    }
}
