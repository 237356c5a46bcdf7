/// Gateway intent bits the simulator knows (Discord's table, §7).
enum GatewayIntent {
    static let guilds = 1 << 0
    static let guildMembers = 1 << 1
    static let guildModeration = 1 << 2
    static let guildExpressions = 1 << 3
    static let guildPresences = 1 << 8
    static let guildMessages = 1 << 9
    static let guildMessageReactions = 1 << 10
    static let directMessages = 1 << 12
    static let messageContent = 1 << 15
    static let guildScheduledEvents = 1 << 16

    /// Every defined intent bit; another bit closes the connection with 4013.
    static let defined: Int = {
        var bits = 0
        for bit in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 21, 24, 25] { bits |= 1 << bit }
        return bits
    }()
}
