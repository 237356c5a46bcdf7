import DiscordModels

extension RenderContext {
    /// Writes a guild channel or a thread.
    func writeChannel(_ channel: SimChannel, overlay: ChannelOverlay, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id")
        w.id(channel.id)
        w.key("type")
        w.int(channel.type.rawValue)
        w.key("last_message_id")
        w.id(lastMessageId(channel, overlay: overlay))
        w.key("flags")
        w.int(0)
        w.key("guild_id")
        w.id(channel.guildId)
        w.key("name")
        w.string(channel.name)
        w.key("parent_id")
        w.id(channel.parentId)
        w.key("rate_limit_per_user")
        w.int(channel.rateLimitPerUser)
        if let thread = channel.thread {
            w.key("bitrate")
            w.int(64000)
            w.key("user_limit")
            w.int(0)
            w.key("rtc_region")
            w.null()
            w.key("owner_id")
            w.id(thread.ownerId)
            let count = channel.timeline.count + overlay.appended.count
            w.key("message_count")
            w.int(max(0, count - 1 - overlay.deleted.count))
            // Discord stops counting at 50.
            w.key("member_count")
            w.int(min(50, world.threadMembers(channel).count))
            w.key("total_message_sent")
            w.int(max(0, count - 1))
            w.key("thread_metadata")
            w.beginObject()
            w.key("archived")
            w.bool(thread.archived)
            w.key("archive_timestamp")
            w.timestamp(thread.archiveMilliseconds)
            w.key("auto_archive_duration")
            w.int(thread.autoArchiveDuration)
            w.key("locked")
            w.bool(thread.locked)
            w.key("create_timestamp")
            w.timestamp(thread.createMilliseconds)
            if channel.type == .privateThread {
                w.key("invitable")
                w.bool(thread.invitable)
            }
            w.endObject()
            if thread.joinedBots.contains(viewerId) {
                w.key("member")
                writeThreadMember(channel, userId: viewerId, into: &w)
            }
            if world.channels[channel.parentId ?? 0]?.type == .guildForum {
                w.key("applied_tags")
                w.beginArray()
                w.endArray()
            }
        } else {
            w.key("position")
            w.int(channel.position)
            w.key("permission_overwrites")
            w.beginArray()
            for overwrite in overlay.overwrites ?? channel.overwrites {
                w.beginObject()
                w.key("id")
                w.id(overwrite.id.rawValue)
                w.key("type")
                w.int(overwrite.type)
                w.key("allow")
                w.string(String(overwrite.allow.rawValue))
                w.key("deny")
                w.string(String(overwrite.deny.rawValue))
                w.endObject()
            }
            w.endArray()
            w.key("nsfw")
            w.bool(channel.nsfw)
            switch channel.type {
            case .guildVoice, .guildStageVoice:
                w.key("bitrate")
                w.int(channel.bitrate ?? 64000)
                w.key("user_limit")
                w.int(channel.userLimit ?? 0)
                w.key("rtc_region")
                w.null()
            case .guildForum, .guildMedia:
                w.key("topic")
                w.string(channel.topic)
                w.key("available_tags")
                w.beginArray()
                for (k, name) in ["question", "solved"].enumerated() {
                    w.beginObject()
                    w.key("id")
                    w.id(channel.id + UInt64(k + 1))
                    w.key("name")
                    w.string(name)
                    w.key("moderated")
                    w.bool(k == 1)
                    w.key("emoji_id")
                    w.null()
                    w.key("emoji_name")
                    w.string(k == 0 ? "❓" : "✅")
                    w.endObject()
                }
                w.endArray()
                w.key("default_reaction_emoji")
                w.null()
                w.key("default_sort_order")
                w.null()
                w.key("default_forum_layout")
                w.int(0)
                w.key("default_thread_rate_limit_per_user")
                w.int(0)
            case .guildCategory:
                break
            default:
                w.key("topic")
                w.string(channel.topic)
                w.key("last_pin_timestamp")
                // Pins and unpins at runtime move it (it ignored them).
                w.timestamp(
                    ChannelView(channel: channel, overlay: overlay, parent: nil, parentOverlay: nil, factory: factory)
                        .lastPinMilliseconds)
            }
        }
        w.endObject()
    }

    /// A thread member; `joinMilliseconds` defaults to a bot's join time, `member` adds the guild member.
    /// `last_message_id`: the newest message ever posted, deleted or not (Discord does not roll it back on a
    /// delete); for forum and media channels the newest thread (post), per the docs' Channel object.
    func lastMessageId(_ channel: SimChannel, overlay: ChannelOverlay) -> UInt64? {
        if channel.type == .guildForum || channel.type == .guildMedia {
            let generated = world.guilds[channel.guildIndex].threadIds.filter {
                world.channels[$0]?.parentId == channel.id
            }.max()
            let newest = max(generated ?? 0, overlay.lastThreadId ?? 0)
            return newest == 0 ? nil : newest
        }
        return overlay.appended.last?.id ?? (channel.timeline.count > 0 ? channel.timeline.endId : nil)
    }

    func writeThreadMember(
        _ channel: SimChannel, userId: UInt64, joinMilliseconds: UInt64? = nil, member: SimGuild? = nil,
        into w: inout JSONWriter
    ) {
        w.beginObject()
        w.key("id")
        w.id(channel.id)
        w.key("user_id")
        w.id(userId)
        w.key("join_timestamp")
        w.timestamp(joinMilliseconds ?? (channel.thread?.createMilliseconds ?? 0) + 5_000)
        // Bots joined themselves (flags 1, notifications for all messages); others keep the default.
        w.key("flags")
        w.int(world.usersById[userId]?.isBot == true ? 1 : 0)
        if let member, let user = world.usersById[userId] {
            w.key("member")
            writeMember(user, guild: member, into: &w)
        }
        w.endObject()
    }

    // MARK: Guild

    func writeRole(_ role: Role, guild: SimGuild, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id")
        w.id(role.id.rawValue)
        w.key("name")
        w.string(role.name)
        w.key("description")
        w.null()
        w.key("permissions")
        w.string(String(role.permissions.rawValue))
        w.key("position")
        w.int(role.position)
        w.key("color")
        w.int(role.color ?? 0)
        w.key("colors")
        w.beginObject()
        w.key("primary_color")
        w.int(role.colors?.primaryColor ?? 0)
        w.key("secondary_color")
        w.null()
        w.key("tertiary_color")
        w.null()
        w.endObject()
        w.key("hoist")
        w.bool(role.hoist ?? false)
        w.key("managed")
        w.bool(role.managed ?? false)
        w.key("mentionable")
        w.bool(role.mentionable ?? false)
        w.key("icon")
        w.null()
        w.key("unicode_emoji")
        w.null()
        w.key("flags")
        w.int(role.flags ?? 0)
        w.endObject()
    }

    func writeEmoji(_ emoji: SimEmoji, includeUser: Bool, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id")
        w.id(emoji.id)
        w.key("name")
        w.string(emoji.name)
        w.key("roles")
        w.beginArray()
        w.endArray()
        if includeUser {
            w.key("user")
            writeUser(world.humans[emoji.creatorIndex], into: &w)
        }
        w.key("require_colons")
        w.bool(true)
        w.key("managed")
        w.bool(false)
        w.key("animated")
        w.bool(emoji.animated)
        w.key("available")
        w.bool(true)
        w.endObject()
    }

    func writeSticker(_ sticker: SimSticker, guild: SimGuild, includeUser: Bool, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id")
        w.id(sticker.id)
        w.key("name")
        w.string(sticker.name)
        w.key("tags")
        w.string(sticker.tags)
        w.key("type")
        w.int(2)
        w.key("format_type")
        w.int(sticker.formatType)
        w.key("description")
        w.string(sticker.description)
        w.key("asset")
        w.string("")
        w.key("available")
        w.bool(true)
        w.key("guild_id")
        w.id(guild.id)
        if includeUser {
            w.key("user")
            writeUser(world.humans[sticker.creatorIndex], into: &w)
        }
        w.endObject()
    }

    func writeEvent(_ event: SimEvent, guild: SimGuild, withUserCount: Bool, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id")
        w.id(event.id)
        w.key("guild_id")
        w.id(guild.id)
        w.key("channel_id")
        w.id(event.channelId)
        w.key("creator_id")
        w.id(world.humans[event.creatorIndex].id)
        w.key("name")
        w.string(event.name)
        w.key("description")
        w.string(event.description)
        w.key("scheduled_start_time")
        w.timestamp(event.startMilliseconds)
        w.key("scheduled_end_time")
        w.timestamp(event.endMilliseconds)
        w.key("privacy_level")
        w.int(2)
        w.key("status")
        w.int(event.status)
        w.key("entity_type")
        w.int(event.entityType)
        w.key("entity_id")
        w.null()
        w.key("entity_metadata")
        if let location = event.location {
            w.beginObject()
            w.key("location")
            w.string(location)
            w.endObject()
        } else {
            w.null()
        }
        w.key("sku_ids")
        w.beginArray()
        w.endArray()
        w.key("recurrence_rule")
        w.null()
        w.key("guild_scheduled_event_exceptions")
        w.beginArray()
        w.endArray()
        w.key("image")
        w.null()
        w.key("creator")
        writeUser(world.humans[event.creatorIndex], into: &w)
        if withUserCount {
            w.key("user_count")
            w.int(world.eventUsers(event).count)
        }
        w.endObject()
    }

    /// The generated profile of a member no runtime change touched.
    static func generatedProfile(of user: SimUser, in guild: SimGuild) -> MemberProfile {
        MemberProfile(
            nick: user.id % 6 == 1 ? user.username.capitalized + " the Bold" : nil,
            roleIds: user.roleIndices.filter { $0 < guild.roles.count }.map { guild.roles[$0].id.rawValue },
            joinedMilliseconds: max(guild.createdMilliseconds, Snowflake<AnyTag>(user.id).unixMilliseconds) + 3_600_000)
    }

    /// A guild member object; `profile` replaces the generated nick, roles and join time (a runtime change).
    func writeMember(_ user: SimUser, guild: SimGuild, profile: MemberProfile? = nil, into w: inout JSONWriter) {
        let profile = profile ?? Self.generatedProfile(of: user, in: guild)
        w.beginObject()
        w.key("avatar")
        w.null()
        w.key("banner")
        w.null()
        w.key("communication_disabled_until")
        w.null()
        w.key("flags")
        w.int(0)
        w.key("joined_at")
        w.timestamp(profile.joinedMilliseconds)
        w.key("nick")
        w.string(profile.nick)
        w.key("pending")
        w.bool(false)
        w.key("premium_since")
        w.null()
        w.key("roles")
        w.beginArray()
        for id in profile.roleIds { w.id(id) }
        w.endArray()
        w.key("user")
        writeUser(user, into: &w)
        w.key("mute")
        w.bool(false)
        w.key("deaf")
        w.bool(false)
        w.endObject()
    }

    func writeGuild(
        _ guild: SimGuild, roles: [Role], emojis: [SimEmoji], stickers: [SimSticker], withCounts: Bool,
        into w: inout JSONWriter
    ) {
        w.beginObject()
        w.key("id")
        w.id(guild.id)
        w.key("name")
        w.string(guild.name)
        w.key("icon")
        w.string(guild.iconHash)
        w.key("description")
        w.string(guild.index == 0 ? "Where sagas are kept." : nil)
        w.key("home_header")
        w.null()
        w.key("splash")
        w.null()
        w.key("discovery_splash")
        w.null()
        w.key("features")
        w.beginArray()
        w.string("COMMUNITY")
        w.string("NEWS")
        w.endArray()
        w.key("banner")
        w.null()
        w.key("owner_id")
        w.id(world.humans[guild.ownerIndex].id)
        w.key("application_id")
        w.null()
        w.key("region")
        w.string("deprecated")
        w.key("afk_channel_id")
        w.null()
        w.key("afk_timeout")
        w.int(300)
        w.key("system_channel_id")
        w.id(guild.systemChannelId)
        w.key("system_channel_flags")
        w.int(0)
        w.key("widget_enabled")
        w.bool(false)
        w.key("widget_channel_id")
        w.null()
        w.key("verification_level")
        w.int(1)
        w.key("roles")
        w.beginArray()
        for role in roles { writeRole(role, guild: guild, into: &w) }
        w.endArray()
        w.key("default_message_notifications")
        w.int(1)
        w.key("mfa_level")
        w.int(0)
        w.key("explicit_content_filter")
        w.int(2)
        w.key("max_presences")
        w.null()
        w.key("max_members")
        w.int(500_000)
        w.key("max_stage_video_channel_users")
        w.int(50)
        w.key("max_video_channel_users")
        w.int(25)
        w.key("vanity_url_code")
        w.null()
        w.key("premium_tier")
        w.int(1)
        w.key("premium_subscription_count")
        w.int(3)
        w.key("preferred_locale")
        w.string("en-US")
        w.key("rules_channel_id")
        w.null()
        w.key("safety_alerts_channel_id")
        w.null()
        w.key("public_updates_channel_id")
        w.null()
        w.key("premium_progress_bar_enabled")
        w.bool(false)
        w.key("nsfw")
        w.bool(false)
        w.key("nsfw_level")
        w.int(0)
        w.key("emojis")
        w.beginArray()
        for emoji in emojis { writeEmoji(emoji, includeUser: false, into: &w) }
        w.endArray()
        w.key("stickers")
        w.beginArray()
        for sticker in stickers { writeSticker(sticker, guild: guild, includeUser: false, into: &w) }
        w.endArray()
        w.key("incidents_data")
        w.null()
        if withCounts { Self.writeApproximateCounts(of: world, into: &w) }
        w.endObject()
    }

    /// A guild's `approximate_member_count` and `approximate_presence_count` members (`with_counts=true`).
    static func writeApproximateCounts(of world: World, into w: inout JSONWriter) {
        w.key("approximate_member_count")
        w.int(world.humans.count + world.bots.count)
        w.key("approximate_presence_count")
        w.int(world.humans.count / 3)
    }
}
