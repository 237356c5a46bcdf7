import DiscordModels
import Testing

@Suite struct PermissionCalculatorTests {
    let guildId: Snowflake<Guild> = "1000"
    let owner: Snowflake<User> = "1"
    let bot: Snowflake<User> = "2"
    let archiver: Snowflake<Role> = "3001"
    let muted: Snowflake<Role> = "3002"

    var calculator: PermissionCalculator {
        PermissionCalculator(
            guildId: guildId, ownerId: owner,
            roles: [
                Role(id: guildId.cast(), name: "@everyone", position: 0, permissions: Permissions(rawValue: 68672)),
                Role(id: archiver, name: "Archiver", position: 2, permissions: Permissions(rawValue: 536_903_680)),
                Role(id: muted, name: "Muted", position: 1, permissions: []),
            ])
    }

    var workedExampleChannel: Channel {
        var channel = Channel(id: "5000", type: .guildText, guildId: guildId, name: "archive-me")
        channel.permissionOverwrites = [
            PermissionOverwrite(id: guildId.cast(), type: 0, deny: .viewChannel),
            PermissionOverwrite(id: archiver.cast(), type: 0, allow: .viewChannel, deny: .readMessageHistory),
            PermissionOverwrite(id: muted.cast(), type: 0, deny: .sendMessages),
            PermissionOverwrite(id: bot.cast(), type: 1, allow: .readMessageHistory, deny: .addReactions),
        ]
        return channel
    }

    @Test func workedExampleFromTheReference() {
        let member = calculator.member(bot, roles: [archiver, muted])
        #expect(calculator.basePermissions(of: member).rawValue == 536_972_352)
        let raw = calculator.applyOverwrites(
            workedExampleChannel.permissionOverwrites ?? [], to: calculator.basePermissions(of: member), for: member)
        #expect(raw.rawValue == 536_970_240)
        let effective = calculator.permissions(of: member, in: workedExampleChannel)
        #expect(effective.contains([.viewChannel, .readMessageHistory, .manageWebhooks]))
        #expect(!effective.contains(.sendMessages))
        #expect(!effective.contains(.addReactions))
        #expect(!effective.contains(.attachFiles))  // moot without SEND_MESSAGES
        #expect(calculator.canReadHistory(of: member, in: workedExampleChannel))
    }

    @Test func ownerAndAdministratorHaveEverything() {
        #expect(calculator.permissions(of: calculator.member(owner, roles: []), in: workedExampleChannel) == .all)
        let admin = PermissionCalculator(
            guildId: guildId, ownerId: owner,
            roles: [
                Role(id: guildId.cast(), name: "@everyone", position: 0, permissions: []),
                Role(id: "9", name: "Admin", position: 1, permissions: .administrator),
            ])
        #expect(admin.permissions(of: admin.member(bot, roles: ["9"]), in: workedExampleChannel) == .all)
    }

    @Test func withoutViewChannelNothingElseCounts() {
        let member = calculator.member(bot, roles: [])  // no Archiver role: @everyone deny VIEW_CHANNEL wins
        var channel = workedExampleChannel
        channel.permissionOverwrites?.removeLast()
        #expect(calculator.permissions(of: member, in: channel) == [])
    }

    @Test func threadsUseTheParentsOverwritesAndThreadSendBit() {
        let member = calculator.member(bot, roles: [archiver, muted])
        let thread = Channel(id: "6000", type: .publicThread, guildId: guildId, name: "t")
        let inherited = calculator.permissions(of: member, in: thread, parent: workedExampleChannel)
        #expect(inherited.contains([.viewChannel, .readMessageHistory]))
        #expect(!inherited.contains(.sendMessages))  // no SEND_MESSAGES_IN_THREADS

        let privateThread = Channel(id: "6001", type: .privateThread, guildId: guildId, name: "p")
        #expect(calculator.permissions(of: member, in: privateThread, parent: workedExampleChannel) == [])
        #expect(
            calculator.canReadHistory(of: member, in: privateThread, parent: workedExampleChannel, isThreadMember: true)
        )
    }

    @Test func voiceNeedsConnect() {
        let member = calculator.member(bot, roles: [])
        var voice = Channel(id: "7000", type: .guildVoice, guildId: guildId, name: "v")
        voice.permissionOverwrites = []
        #expect(calculator.permissions(of: member, in: voice) == [])
        voice.permissionOverwrites = [PermissionOverwrite(id: guildId.cast(), type: 0, allow: .connect)]
        #expect(calculator.canReadHistory(of: member, in: voice))
    }

    @Test func timedOutMembersKeepOnlyViewAndHistory() {
        let member = calculator.member(bot, roles: [archiver], isTimedOut: true)
        var open = Channel(id: "8000", type: .guildText, guildId: guildId, name: "o")
        open.permissionOverwrites = []
        #expect(calculator.permissions(of: member, in: open) == [.viewChannel, .readMessageHistory])
    }
}
