import DiscordGateway
import DiscordModels
import Foundation
import Live
import Testing

/// Dispatch frames into archive events: pure, exact payload bytes kept.
@Suite("Live event translator")
struct LiveEventTranslatorTests {
    static func dispatch(_ name: String, _ payload: String, sequence: Int = 5) -> GatewayDispatch {
        GatewayDispatch(
            name: name, sequence: sequence,
            frame: Data("{\"t\":\"\(name)\",\"s\":\(sequence),\"op\":0,\"d\":\(payload)}".utf8),
            receivedAt: Date())
    }

    static let message = """
        {"id":"200","channel_id":"100","guild_id":"10","content":"hi","timestamp":"2024-01-01T00:00:00.000000+00:00",\
        "edited_timestamp":null,"author":{"id":"7","username":"a"},"mentions":[],"mention_roles":[],"attachments":[],\
        "embeds":[],"type":0,"member":{"roles":[]},"channel_type":0}
        """

    @Test func messagesKeepTheirExactBytesAndGuild() throws {
        guard
            case .messageCreated(let created, let guild) = try LiveEventTranslator.translate(
                Self.dispatch("MESSAGE_CREATE", Self.message))
        else {
            Issue.record("not a create")
            return
        }
        #expect(created.value.id == Snowflake(200) && created.value.channelId == Snowflake(100))
        #expect(guild == Snowflake(10))
        #expect(String(decoding: created.json, as: UTF8.self) == Self.message)
        guard case .messageUpdated = try LiveEventTranslator.translate(Self.dispatch("MESSAGE_UPDATE", Self.message))
        else {
            Issue.record("not an update")
            return
        }
        // A partial update (no timestamp) is not a message to store: the message is read again.
        guard
            case .messageChanged(let id, let channel, _) = try LiveEventTranslator.translate(
                Self.dispatch("MESSAGE_UPDATE", "{\"id\":\"200\",\"channel_id\":\"100\",\"embeds\":[]}"))
        else {
            Issue.record("a partial update was not read again")
            return
        }
        #expect(id == Snowflake(200) && channel == Snowflake(100))
    }

    /// CHANNEL_PINS_UPDATE `{guild_id?, channel_id, last_pin_timestamp?}` (reference §7): the channel's pins are read
    /// again, with or without the optional keys. It was ignored.
    @Test func aPinsUpdateNamesItsChannel() throws {
        for payload in [
            #"{"guild_id":"10","channel_id":"100","last_pin_timestamp":"2024-01-01T00:00:00.000000+00:00"}"#,
            #"{"channel_id":"100","last_pin_timestamp":null}"#, #"{"channel_id":"100"}"#,
        ] {
            guard
                case .pinsChanged(let channel, let guild) = try LiveEventTranslator.translate(
                    Self.dispatch("CHANNEL_PINS_UPDATE", payload))
            else {
                Issue.record("not a pins change: \(payload)")
                continue
            }
            #expect(channel == Snowflake(100))
            #expect(guild == (payload.contains("guild_id") ? Snowflake(10) : nil))
        }
    }

    /// Events that name an object without carrying it whole (reference §7, "Events the archiver consumes").
    @Test func reactionRemovalsRoleDeletionsAndThreadListSyncs() throws {
        for name in ["MESSAGE_REACTION_REMOVE", "MESSAGE_REACTION_REMOVE_ALL", "MESSAGE_REACTION_REMOVE_EMOJI"] {
            let payload = """
                {"user_id":"7","channel_id":"100","message_id":"200","guild_id":"10",\
                "emoji":{"id":"300","name":null},"burst":false,"type":0}
                """
            guard
                case .messageChanged(let id, let channel, let guild) = try LiveEventTranslator.translate(
                    Self.dispatch(name, payload))
            else {
                Issue.record("\(name) does not refresh the message")
                continue
            }
            #expect(id == Snowflake(200) && channel == Snowflake(100) && guild == Snowflake(10))
        }
        guard
            case .rolesChanged(let guild) = try LiveEventTranslator.translate(
                Self.dispatch("GUILD_ROLE_DELETE", "{\"guild_id\":\"10\",\"role_id\":\"11\"}"))
        else {
            Issue.record("GUILD_ROLE_DELETE")
            return
        }
        #expect(guild == Snowflake(10))
        let thread = """
            {"id":"500","type":11,"guild_id":"10","parent_id":"100","name":"t","thread_metadata":\
            {"archived":false,"auto_archive_duration":60,"archive_timestamp":"2024-01-01T00:00:00+00:00","locked":false}}
            """
        for ids in ["", "\"channel_ids\":[\"100\"],"] {
            guard
                case .threadsSynced(let threads, let guild) = try LiveEventTranslator.translate(
                    Self.dispatch(
                        "THREAD_LIST_SYNC", "{\"guild_id\":\"10\",\(ids)\"threads\":[\(thread)],\"members\":[]}"))
            else {
                Issue.record("THREAD_LIST_SYNC")
                continue
            }
            #expect(threads.map(\.value.id) == [Snowflake(500)] && guild == Snowflake(10))
        }
    }

    @Test func deletionsChannelsAndGuilds() throws {
        guard
            case .messagesDeleted(let one, let channel, _) = try LiveEventTranslator.translate(
                Self.dispatch("MESSAGE_DELETE", "{\"id\":\"5\",\"channel_id\":\"9\",\"guild_id\":\"1\"}"))
        else {
            Issue.record("delete")
            return
        }
        #expect(one == [Snowflake(5)] && channel == Snowflake(9))
        guard
            case .messagesDeleted(let many, _, _) = try LiveEventTranslator.translate(
                Self.dispatch("MESSAGE_DELETE_BULK", "{\"ids\":[\"5\",\"6\"],\"channel_id\":\"9\"}"))
        else {
            Issue.record("bulk delete")
            return
        }
        #expect(many == [Snowflake(5), Snowflake(6)])
        guard
            case .channelDeleted(let gone, _) = try LiveEventTranslator.translate(
                Self.dispatch("THREAD_DELETE", "{\"id\":\"77\",\"guild_id\":\"1\",\"parent_id\":\"9\",\"type\":11}"))
        else {
            Issue.record("thread delete")
            return
        }
        #expect(gone == Snowflake(77))
        // GUILD_DELETE with unavailable is an outage, without it a removal.
        guard
            case .ignored = try LiveEventTranslator.translate(
                Self.dispatch("GUILD_DELETE", "{\"id\":\"1\",\"unavailable\":true}"))
        else {
            Issue.record("an outage was taken for a removal")
            return
        }
        guard
            case .guildLeft(let left) = try LiveEventTranslator.translate(
                Self.dispatch("GUILD_DELETE", "{\"id\":\"1\"}"))
        else {
            Issue.record("removal")
            return
        }
        #expect(left == Snowflake(1))
        guard
            case .ready(let guilds) = try LiveEventTranslator.translate(
                Self.dispatch(
                    "READY", "{\"v\":10,\"session_id\":\"s\",\"guilds\":[{\"id\":\"1\",\"unavailable\":true}]}"))
        else {
            Issue.record("ready")
            return
        }
        #expect(guilds == [Snowflake(1)])
        guard case .ignored = try LiveEventTranslator.translate(Self.dispatch("TYPING_START", "{\"channel_id\":\"9\"}"))
        else {
            Issue.record("typing is not archived")
            return
        }
    }

    @Test func emojiUpdatesAreFullListingsAndRolesAreUpserts() throws {
        let emojis =
            "{\"guild_id\":\"1\",\"emojis\":[{\"id\":\"50\",\"name\":\"owl\"},{\"id\":\"51\",\"name\":\"raven\"}]}"
        guard
            case .structureChanged(let steps, let guild) = try LiveEventTranslator.translate(
                Self.dispatch("GUILD_EMOJIS_UPDATE", emojis))
        else {
            Issue.record("emojis")
            return
        }
        #expect(guild == Snowflake(1))
        #expect(steps.count == 3)
        guard case .tombstoneMissing(.emoji, _, let keeping, _) = steps.last else {
            Issue.record("the listing does not tombstone what it lacks")
            return
        }
        #expect(keeping == [50, 51])
        let role =
            "{\"guild_id\":\"1\",\"role\":{\"id\":\"60\",\"name\":\"Keeper\",\"permissions\":\"0\",\"position\":1,\"color\":0}}"
        guard
            case .structureChanged(let roleSteps, _) = try LiveEventTranslator.translate(
                Self.dispatch("GUILD_ROLE_CREATE", role))
        else {
            Issue.record("role")
            return
        }
        #expect(roleSteps.count == 1)
    }
}
