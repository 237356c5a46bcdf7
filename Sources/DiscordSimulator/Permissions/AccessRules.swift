import DiscordModels

/// Who may do what in one guild of the simulated world, stated as Discord's documentation states it (reference §5)
/// and written independently of DiscordModels' `PermissionCalculator`, which the archiver uses. The simulator serves
/// and reports its ground truth (`truthChannel`, `/__sim/truth/...`) by these rules, so a bug in the archiver's
/// permission code shows up as a difference instead of passing unseen. Only the bit values are shared.
///
/// The documentation's procedure is kept as data: the overwrite layers in their order (``layers``) and the implicit
/// rules in theirs (``implicitRules``). The simulator's bots are never timed out.
struct AccessRules: Sendable {
    /// The bit values of reference §5.
    enum Bit {
        static let administrator: UInt64 = 1 << 3
        static let viewChannel: UInt64 = 1 << 10
        static let sendMessages: UInt64 = 1 << 11
        static let sendTTSMessages: UInt64 = 1 << 12
        static let embedLinks: UInt64 = 1 << 14
        static let attachFiles: UInt64 = 1 << 15
        static let mentionEveryone: UInt64 = 1 << 17
        static let connect: UInt64 = 1 << 20
        static let manageThreads: UInt64 = 1 << 34
        static let sendMessagesInThreads: UInt64 = 1 << 38
    }

    /// Whose overwrite a layer reads.
    enum Layer: CaseIterable {
        /// The overwrite for @everyone (the role whose id is the guild's).
        case everyone
        /// The overwrites for the member's roles together: their denies, then their allows (allow beats deny).
        case memberRoles
        /// The overwrite for the member.
        case member
    }

    /// The overwrite layers, applied in this order; each removes its deny bits, then adds its allow bits.
    static let layers: [Layer] = [.everyone, .memberRoles, .member]

    /// What an implicit rule looks at.
    struct Place {
        var isThread: Bool
        var isPrivateThread: Bool
        var isThreadMember: Bool
        /// The channel, or for a thread its parent, is a voice channel.
        var isVoice: Bool
    }

    /// An implicit rule: its statement and what it leaves of the permissions after the overwrites.
    struct ImplicitRule: Sendable {
        var statement: String
        var apply: @Sendable (UInt64, Place) -> UInt64
    }

    /// The implicit rules, applied in this order after the overwrites.
    static let implicitRules: [ImplicitRule] = [
        ImplicitRule(statement: "in voice, no CONNECT means nothing") { bits, place in
            place.isVoice && bits & Bit.connect == 0 ? 0 : bits
        },
        ImplicitRule(statement: "no VIEW_CHANNEL means nothing") { bits, _ in
            bits & Bit.viewChannel == 0 ? 0 : bits
        },
        ImplicitRule(statement: "a private thread is visible only to its members and MANAGE_THREADS holders") {
            bits, place in
            place.isPrivateThread && !place.isThreadMember && bits & Bit.manageThreads == 0 ? 0 : bits
        },
        ImplicitRule(statement: "in a thread, SEND_MESSAGES_IN_THREADS stands in for SEND_MESSAGES") { bits, place in
            guard place.isThread else { return bits }
            return bits & Bit.sendMessagesInThreads != 0 ? bits | Bit.sendMessages : bits & ~Bit.sendMessages
        },
        ImplicitRule(statement: "no SEND_MESSAGES makes MENTION_EVERYONE, TTS, ATTACH_FILES and EMBED_LINKS moot") {
            bits, _ in
            bits & Bit.sendMessages != 0
                ? bits : bits & ~(Bit.mentionEveryone | Bit.sendTTSMessages | Bit.attachFiles | Bit.embedLinks)
        },
    ]

    /// Every permission (the owner's and an administrator's).
    static let everything = Permissions.all.rawValue

    let guildId: UInt64
    let ownerId: UInt64
    /// Each role's permission bits, by role id.
    let roleBits: [UInt64: UInt64]

    init(guildId: UInt64, ownerId: UInt64, roleBits: [UInt64: UInt64]) {
        self.guildId = guildId
        self.ownerId = ownerId
        self.roleBits = roleBits
    }

    /// The rules of a generated guild.
    init(guild: SimGuild, ownerId: UInt64) {
        self.init(
            guildId: guild.id, ownerId: ownerId,
            roleBits: Dictionary(
                guild.roles.map { ($0.id.rawValue, $0.permissions.rawValue) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Guild-level permissions: the owner has everything; otherwise @everyone's bits and the member's roles' bits,
    /// and everything with ADMINISTRATOR.
    func base(of userId: UInt64, roles: [UInt64]) -> Permissions {
        Permissions(rawValue: baseBits(of: userId, roles: roles))
    }

    /// Permissions in a channel or thread. For a thread, `overwrites` are its parent's, and `place.isVoice` says
    /// whether the parent is a voice channel.
    func permissions(of userId: UInt64, roles: [UInt64], overwrites: [PermissionOverwrite], place: Place)
        -> Permissions
    {
        let base = baseBits(of: userId, roles: roles)
        if base == Self.everything { return .all }
        var bits = base
        for layer in Self.layers {
            let (allow, deny) = Self.overwriteBits(layer, overwrites, guildId: guildId, userId: userId, roles: roles)
            bits = (bits & ~deny) | allow
        }
        for rule in Self.implicitRules { bits = rule.apply(bits, place) }
        return Permissions(rawValue: bits)
    }

    private func baseBits(of userId: UInt64, roles: [UInt64]) -> UInt64 {
        if userId == ownerId { return Self.everything }
        let bits = ([guildId] + roles).reduce(UInt64(0)) { $0 | (roleBits[$1] ?? 0) }
        return bits & Bit.administrator != 0 ? Self.everything : bits
    }

    /// The allow and deny bits a layer contributes (type 0 = role, 1 = member).
    private static func overwriteBits(
        _ layer: Layer, _ overwrites: [PermissionOverwrite], guildId: UInt64, userId: UInt64, roles: [UInt64]
    ) -> (allow: UInt64, deny: UInt64) {
        let chosen: [PermissionOverwrite]
        switch layer {
        case .everyone:
            chosen = overwrites.first { $0.type == 0 && $0.id.rawValue == guildId }.map { [$0] } ?? []
        case .memberRoles:
            chosen = overwrites.filter { $0.type == 0 && $0.id.rawValue != guildId && roles.contains($0.id.rawValue) }
        case .member:
            chosen = overwrites.first { $0.type == 1 && $0.id.rawValue == userId }.map { [$0] } ?? []
        }
        return chosen.reduce((UInt64(0), UInt64(0))) { ($0.0 | $1.allow.rawValue, $0.1 | $1.deny.rawValue) }
    }
}
