import Archive
import ArchiveStore
import DiscordModels
import DiscordSimulator
import SQLiteStore
import Testing

/// `--channel` and `--exclude-channel` with a category's id, as DiscordChatExporter's `-c` reads one: everything
/// inside the category (its channels and their threads). Before, `--channel CATEGORY` archived nothing and said
/// "Archive complete", and `--exclude-channel CATEGORY` left nothing out.
@Suite struct CategorySelectionTests {
    /// The channels that hold messages, by where they sit: inside `category` (directly, or a thread of a channel
    /// inside it) or not.
    static func split(_ channels: [TruthChannel], category: Snowflake<DiscordModels.Channel>)
        -> (inside: Set<Snowflake<DiscordModels.Channel>>, outside: Set<Snowflake<DiscordModels.Channel>>)
    {
        let byId = Dictionary(channels.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var inside: Set<Snowflake<DiscordModels.Channel>> = []
        var outside: Set<Snowflake<DiscordModels.Channel>> = []
        for channel in channels where channel.readable && channel.type != .guildCategory {
            let holder = channel.type.isThread ? channel.parentId.flatMap { byId[$0] } : channel
            if holder?.parentId == category { inside.insert(channel.id) } else { outside.insert(channel.id) }
        }
        return (inside, outside)
    }

    /// The channels of `store` that hold at least one message.
    static func channelsWithMessages(_ store: SQLiteArchiveStore) async throws -> Set<Snowflake<DiscordModels.Channel>>
    {
        var found: Set<Snowflake<DiscordModels.Channel>> = []
        for channel in try await store.channels(in: nil)
        where !(try await store.messages(in: channel.id, after: nil, limit: 1)).isEmpty {
            found.insert(channel.id)
        }
        return found
    }

    /// A mistyped `--exclude-channel` is refused before anything is archived (Discord answers 10003 Unknown Channel
    /// for it). Before, the run archived every channel, the one meant to be left out included, and only then said
    /// the id was unknown.
    @Test func anUnknownExcludedChannelIsRefusedBeforeAnythingIsArchived() async throws {
        let config = SimulatorConfiguration.testWorld(seed: 43, channels: 2, messages: 5)
        try await ArchiveHarness.withSimulator(config) { sim in
            var configuration = ArchiveHarness.configuration(for: sim)
            configuration.excludedChannels = [Snowflake(1)]
            let store = try SQLiteArchiveStore.inMemory()
            await #expect {
                try await ArchiveHarness.archive(configuration, into: store)
            } throws: { error in
                "\(error)".contains("channel 1 was not found") && "\(error)".contains("--exclude-channel")
            }
            #expect(try await Self.channelsWithMessages(store).isEmpty)
            #expect(try await store.channels(in: nil).isEmpty)
        }
    }

    @Test func aCategorySelectsAndExcludesWhatIsInsideIt() async throws {
        let config = SimulatorConfiguration.testWorld(seed: 41, channels: 12, messages: 12, threads: 6)
        try await ArchiveHarness.withSimulator(config) { sim in
            let channels = await sim.truthGuildChannels(sim.guildIDs[0])
            // A category with readable channels inside it while others are outside.
            let category = try #require(
                channels.filter { $0.type == .guildCategory }.first {
                    let split = Self.split(channels, category: $0.id)
                    return !split.inside.isEmpty && !split.outside.isEmpty
                }
            ).id
            let (inside, outside) = Self.split(channels, category: category)
            #expect(!inside.isEmpty && !outside.isEmpty)

            var only = ArchiveHarness.configuration(for: sim)
            only.channels = [category]
            let selected = try SQLiteArchiveStore.inMemory()
            let summary = try await ArchiveHarness.archive(only, into: selected)
            #expect(!summary.isPartial)
            let stored = try await Self.channelsWithMessages(selected)
            var expected: Set<Snowflake<DiscordModels.Channel>> = []
            for channel in inside where await sim.truthMessageCount(channel: channel) > 0 { expected.insert(channel) }
            #expect(!expected.isEmpty)
            #expect(stored == expected)

            var except = ArchiveHarness.configuration(for: sim)
            except.excludedChannels = [category]
            let rest = try SQLiteArchiveStore.inMemory()
            _ = try await ArchiveHarness.archive(except, into: rest)
            let kept = try await Self.channelsWithMessages(rest)
            #expect(kept.isDisjoint(with: inside))
            #expect(!kept.isEmpty)
        }
    }
}
