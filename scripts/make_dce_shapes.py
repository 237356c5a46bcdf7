#!/usr/bin/env python3
"""Writes the DCE-shaped exports of Tests/ExportTests/Fixtures/shapes/: one file (or folder) per shape DCE's JSON
export can take that the three older fixtures do not (see shared/reference/dce-json.md, cited by section), each
written the way the named DCE version writes it (key order, escaping, timestamps, partitions, --media paths).

Everything in them (guild, people, messages, hashes, media bytes) is invented by the Skald project.

  every-shape-2.47.json        each message type, stickers of every format, each embed kind, inline emojis,
                               reactions with users, role/channel mentions, interactions, a reply to a deleted
                               message, a forward (Linux, --utc)
  local-offsets-2.47.json      the same channel exported without --utc in Europe/Berlin (+01:00 and +02:00)
  high-ids-2.47.json           guild, channel and messages with ids at and above 2^63 (ids of 2084 and later)
  thread-2.47.json             a private thread; forum-post-2.47.json: a forum post (thread of a forum)
  dm-2.47.json, group-dm-2.47.json   direct messages (pseudo-guild "0"), a call, the group system messages
  crlf-2.47.json               a Windows export: CRLF line endings
  parts/…                      one channel exported with --partition 3: `… [id].json`, `… [part 2].json`, …
  v2.25-dm.json, v2.33-thread.json, v2.40.1.json   the older versions' differences (§17, §18)
  media-2.36-windows/…         --media on Windows: `\\` paths into `… .json_Files`, a doubled separator, a missing file
  media-2.47-linux/…           --media on Linux: `/` paths in export/, and `@ROOT@/assets/…` absolute paths (2.41+: a
                               --media-dir outside the output folder), `@ROOT@` replaced by the tests with the folder
                               they copy media-2.47-linux/ to

Usage: scripts/make_dce_shapes.py [OUT_DIR]   (default Tests/ExportTests/Fixtures/shapes; deterministic)
"""
import os
import shutil
import sys
import unicodedata
from datetime import datetime, timedelta, timezone

EPOCH_MS = 1420070400000
UTC = timezone.utc
BERLIN_WINTER = timezone(timedelta(hours=1))
BERLIN_SUMMER = timezone(timedelta(hours=2))
CDN = "https://cdn.discordapp.com"
TWEMOJI = "https://cdn.jsdelivr.net/gh/twitter/twemoji@latest/assets/svg/"


def snowflake(when, sequence=0):
    ms = int(round(when.timestamp() * 1000))
    return str(((ms - EPOCH_MS) << 22) | (1 << 17) | sequence)


def stamp(when, zone=UTC):
    """§1.2: yyyy-MM-ddTHH:mm:ss[.fraction]±HH:MM, the fraction to 7 digits with trailing zeros removed. `zone` is
    a fixed zone or a function of the instant (a zone with daylight saving time)."""
    local = when.astimezone(zone(when) if callable(zone) else zone)
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = ("%06d0" % local.microsecond).rstrip("0")
    if fraction:
        text += "." + fraction
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return text + "%s%02d:%02d" % (sign, abs(minutes) // 60, abs(minutes) % 60)


def berlin(when):
    """Europe/Berlin's offset at an instant (DST from the last Sunday of March to the last Sunday of October)."""
    def last_sunday(month):
        day = datetime(when.year, month, 31, 1, tzinfo=UTC)
        return day - timedelta(days=(day.weekday() + 1) % 7)
    return BERLIN_SUMMER if last_sunday(3) <= when < last_sunday(10) else BERLIN_WINTER


# MARK: - People and the guild

GUILD_ID = snowflake(datetime(2023, 2, 1, 10, 0, tzinfo=UTC))
CATEGORY_ID = snowflake(datetime(2023, 2, 1, 10, 1, tzinfo=UTC))
CHANNEL_ID = snowflake(datetime(2023, 2, 1, 10, 2, tzinfo=UTC))
FORUM_ID = snowflake(datetime(2023, 2, 1, 10, 3, tzinfo=UTC))
VOICE_ID = snowflake(datetime(2023, 2, 1, 10, 4, tzinfo=UTC))
ROLE_MOD = {"id": snowflake(datetime(2023, 2, 1, 11, 0, tzinfo=UTC)), "name": "Moderator", "color": "#E67E22",
            "position": 4}
ROLE_CREW = {"id": snowflake(datetime(2023, 2, 1, 11, 1, tzinfo=UTC)), "name": "Crew", "color": None, "position": 2}
PEOPLE = {
    # key: (username, discriminator, nick, avatar hash or None, bot, roles)
    "ines": ("ines", "0000", "Ines", "5c2e9a0b1d3f4e6a7b8c9d0e1f2a3b4c", False, [ROLE_MOD, ROLE_CREW]),
    "tomas": ("tomas", "0000", "Tomás", None, False, [ROLE_CREW]),
    "wren": ("wren", "0042", "wren", "a_0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a", False, []),
    "tally": ("Tally", "0000", "Tally", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d", True, []),
}
IDS = {key: snowflake(datetime(2022, 6, 1 + i, 9, 0, tzinfo=UTC)) for i, key in enumerate(PEOPLE)}


def avatar(key):
    name, disc, _, hash_, _, _ = PEOPLE[key]
    if hash_:
        return "%s/avatars/%s/%s.%s?size=512" % (CDN, IDS[key], hash_, "gif" if hash_.startswith("a_") else "png")
    index = int(disc) % 5 if disc != "0000" else (int(IDS[key]) >> 22) % 6
    return "%s/embed/avatars/%d.png" % (CDN, index)


def user(key, roles=True, dm=False):
    """§6: roles for authors, mentions and interaction users; none for reaction users. DMs have no member data."""
    name, disc, nick, _, bot, member_roles = PEOPLE[key]
    member_roles = [] if dm else member_roles
    color = next((r["color"] for r in member_roles if r["color"]), None)
    body = {"id": IDS[key], "name": name, "discriminator": disc, "nickname": nick, "color": color, "isBot": bot}
    if roles:
        body["roles"] = [dict(r) for r in member_roles]
    body["avatarUrl"] = avatar(key)
    return body


def emoji(name, code, image, ident="", animated=False):
    return {"id": ident, "name": name, "code": code, "isAnimated": animated, "imageUrl": image}


def standard(chars, code, points):
    return emoji(chars, code, TWEMOJI + points + ".svg")


def custom(name, ident, animated=False):
    return emoji(name, name, "%s/emojis/%s.%s" % (CDN, ident, "gif" if animated else "png"), ident, animated)


KEKW = custom("kekw", snowflake(datetime(2022, 1, 2, tzinfo=UTC), 1))
PARTY = custom("partyparrot", snowflake(datetime(2022, 1, 3, tzinfo=UTC), 1), animated=True)
THUMBS = standard("\U0001F44D", "thumbsup", "1f44d")
HEART = standard("\u2764\ufe0f", "heart", "2764")
FAMILY = standard("\U0001F468\u200d\U0001F469\u200d\U0001F467", "family_man_woman_girl", "1f468-200d-1f469-200d-1f467")
KEYCAP = standard("1\ufe0f\u20e3", "one", "31-20e3")
HEART_FIRE = standard("\u2764\ufe0f\u200d\U0001F525", "heart_on_fire", "2764-fe0f-200d-1f525")


def message(when, kind, who, content, zone=UTC, dm=False, **extra):
    body = {
        "id": extra.pop("id", None) or snowflake(when, extra.pop("sequence", 0)), "type": kind,
        "timestamp": stamp(when, zone),
        "timestampEdited": extra.pop("edited", None), "callEndedTimestamp": extra.pop("call_ended", None),
        "isPinned": extra.pop("pinned", False), "content": content, "author": user(who, dm=dm),
        "attachments": extra.pop("attachments", []), "embeds": extra.pop("embeds", []),
        "stickers": extra.pop("stickers", []), "reactions": extra.pop("reactions", []),
        "mentions": [user(m, dm=dm) for m in extra.pop("mentions", [])],
    }
    for key in ("reference", "forwardedMessage", "interaction"):
        if key in extra:
            body[key] = extra.pop(key)
    body["inlineEmojis"] = extra.pop("inline", [])
    assert not extra, extra
    return body


def attachment(when, channel, name, size, sequence=9):
    ident = snowflake(when, sequence)
    return {"id": ident,
            "url": "%s/attachments/%s/%s/%s?ex=65e1c2d3&is=65cf4dd3&hm=%s&" % (CDN, channel, ident, name,
                                                                               ("%064x" % (int(ident) * 7919))[-64:]),
            "fileName": name, "fileSizeBytes": size}


def reference(message_id, channel=CHANNEL_ID, guild=GUILD_ID, kind="Default"):
    return {"type": kind, "messageId": message_id, "channelId": channel, "guildId": guild}


def document(guild, channel, messages, exported_at, after=None, before=None):
    return {"guild": guild, "channel": channel, "dateRange": {"after": after, "before": before},
            "exportedAt": exported_at, "messages": messages, "messageCount": len(messages)}


GUILD = {"id": GUILD_ID, "name": "Shapes Hall",
         "iconUrl": "%s/icons/%s/a_9f8e7d6c5b4a39281706f5e4d3c2b1a0.gif?size=512" % (CDN, GUILD_ID)}
CHANNEL = {"id": CHANNEL_ID, "type": "GuildTextChat", "categoryId": CATEGORY_ID, "category": "Text Channels",
           "name": "every-shape", "topic": "All the shapes \u2014 <b>not</b> HTML & friends"}
DM_GUILD = {"id": "0", "name": "Direct Messages", "iconUrl": CDN + "/embed/avatars/0.png"}


# MARK: - 2.47, every message shape (one guild channel)

def every_shape(zone=UTC):
    t = datetime(2024, 3, 31, 0, 50, 1, 123000, tzinfo=UTC)  # Berlin changes to summer time at 01:00 UTC
    step = iter(range(1, 10000))

    def at(minutes):
        return t + timedelta(minutes=minutes, seconds=next(step) * 3, milliseconds=next(step) * 7)

    messages = []
    add = messages.append
    first = at(0)
    add(message(first, "GuildMemberJoin", "tomas", "Joined the server.", zone))
    hello = message(at(1), "Default", "ines",
                    "Welcome @Tomás! Read #every-shape and #deleted-channel, ask @Moderator or @deleted-role. "
                    "Talk in #lounge [voice]. Kick-off: 31/03/2024 14:00. :kekw: \U0001F44D "
                    "\U0001F468\u200d\U0001F469\u200d\U0001F467 1\ufe0f\u20e3",
                    zone, mentions=["tomas"],
                    edited=stamp(at(2) + timedelta(microseconds=123456), zone),
                    inline=[KEKW, THUMBS, FAMILY, KEYCAP],
                    reactions=[
                        {"emoji": THUMBS, "count": 3, "users": [user("ines", roles=False), user("tomas", roles=False)]},
                        {"emoji": PARTY, "count": 1, "users": [user("wren", roles=False)]},
                        {"emoji": {"id": "", "name": "Unknown Emoji", "code": "Unknown Emoji", "isAnimated": False,
                                   "imageUrl": TWEMOJI + "556e6b6e6f776e20456d6f6a69.svg"}, "count": 1, "users": []},
                    ])
    add(hello)
    w = at(3)
    add(message(w, "Default", "wren", "two files", zone, attachments=[
        attachment(w, CHANNEL_ID, "photo.png", 48213, 1), attachment(w, CHANNEL_ID, "SPOILER_plot twist.txt", 12, 2)]))
    stickers = []
    for i, (fmt, ext) in enumerate((("Png", "png"), ("Apng", "png"), ("Lottie", "json"), ("Gif", "gif"))):
        ident = snowflake(datetime(2022, 3, 1 + i, tzinfo=UTC), 3)
        stickers.append({"id": ident, "name": "sticker-" + fmt.lower(), "format": fmt,
                         "sourceUrl": "%s/stickers/%s.%s" % (CDN, ident, ext)})
    add(message(at(4), "Default", "tomas", "", zone, stickers=stickers))
    # Embeds of each kind (§8): rich, link with thumbnail, image, video, gifv, a Twitter merge, no URL pairs.
    rich = {
        "title": "Release notes @Moderator", "url": "https://example.org/notes", "timestamp": stamp(at(5), zone),
        "description": "**Bold** claims <:kekw:%s> and \u2764\ufe0f" % KEKW["id"], "color": "#000000",
        "author": {"name": "Ines", "url": "https://example.org/ines",
                   "iconUrl": "https://images-ext-1.discordapp.net/external/abc/https/example.org/ines.png",
                   "iconCanonicalUrl": "https://example.org/ines.png"},
        "thumbnail": {"url": "https://images-ext-1.discordapp.net/external/t/https/example.org/t.png",
                      "canonicalUrl": "https://example.org/t.png", "width": 80, "height": 80},
        "image": {"url": "https://images-ext-1.discordapp.net/external/i/https/example.org/i.png",
                  "canonicalUrl": "https://example.org/i.png", "width": 1280, "height": 720},
        "footer": {"text": "Shapes Hall", "iconUrl": "https://images-ext-1.discordapp.net/external/f/f.png",
                   "iconCanonicalUrl": "https://example.org/f.png"},
        "images": [{"url": "https://images-ext-1.discordapp.net/external/i/https/example.org/i.png",
                    "canonicalUrl": "https://example.org/i.png", "width": 1280, "height": 720}],
        "fields": [{"name": "Who", "value": "@Ines", "isInline": True},
                   {"name": "Where", "value": "#every-shape", "isInline": True},
                   {"name": "Why", "value": "because", "isInline": False}],
        "inlineEmojis": [KEKW, HEART],
    }
    no_author_url = {"title": "", "url": None, "timestamp": None, "description": "", "author":
                     {"name": "Anonymous", "url": None}, "footer": {"text": "no icon"}, "images": [], "fields": [],
                     "inlineEmojis": []}
    video = {"title": "A video", "url": "https://video.example.org/v/1", "timestamp": None, "description": "",
             "color": "#FF0000",
             "thumbnail": {"url": "https://images-ext-2.discordapp.net/external/v/thumb.jpg",
                           "canonicalUrl": "https://video.example.org/thumb.jpg", "width": 1280, "height": 720},
             "video": {"url": "https://video.example.org/embed/1", "canonicalUrl": "https://video.example.org/embed/1",
                       "width": 1280, "height": 720},
             "images": [], "fields": [], "inlineEmojis": []}
    gifv = {"title": "", "url": "https://tenor.example.org/view/x", "timestamp": None, "description": "",
            "thumbnail": {"url": "https://media.example.org/x.png", "canonicalUrl": "https://media.example.org/x.png",
                          "width": 498, "height": 280},
            "video": {"url": "https://images-ext-1.discordapp.net/external/x.mp4",
                      "canonicalUrl": "https://media.example.org/x.mp4", "width": 498, "height": 280},
            "images": [], "fields": [], "inlineEmojis": []}
    image_only = {"title": "", "url": "https://example.org/pic.jpg", "timestamp": None, "description": "",
                  "thumbnail": {"width": None, "height": None}, "images": [], "fields": [], "inlineEmojis": []}
    twitter = {"title": "", "url": "https://twitter.com/skald/status/1", "timestamp": stamp(at(6), zone),
               "description": "four pictures", "color": "#1DA1F2",
               "author": {"name": "Skald (@skald)", "url": "https://twitter.com/skald"},
               "image": {"url": "https://pbs.example.org/1.jpg", "canonicalUrl": "https://pbs.example.org/1.jpg",
                         "width": 600, "height": 400},
               "footer": {"text": "Twitter", "iconUrl": "https://abs.example.org/icons/apple-touch-icon-192x192.png",
                          "iconCanonicalUrl": "https://abs.example.org/icons/apple-touch-icon-192x192.png"},
               "images": [{"url": "https://pbs.example.org/%d.jpg" % i, "canonicalUrl": "https://pbs.example.org/%d.jpg"
                           % i, "width": 600, "height": 400} for i in range(1, 5)],
               "fields": [], "inlineEmojis": []}
    add(message(at(7), "Default", "tally", "https://example.org/notes", zone,
                embeds=[rich, no_author_url, video, gifv, image_only, twitter]))
    replied = at(8)
    add(message(replied, "Reply", "tomas", "agreed \u2764\ufe0f\u200d\U0001F525", zone, mentions=["ines"],
                reference=reference(hello["id"]), inline=[HEART_FIRE]))
    # A reply to a message deleted before the export: the reference stays, the message is not in the file.
    gone = snowflake(replied - timedelta(hours=30), 5)
    add(message(at(9), "Reply", "wren", "what did it say?", zone, reference=reference(gone)))
    add(message(at(10), "ChannelPinnedMessage", "ines", "Pinned a message.", zone, reference=reference(hello["id"])))
    add(message(at(11), "8", "tomas", "", zone))  # a boost: types 8-17 keep the raw content
    add(message(at(12), "12", "ines", "Skald News #announcements", zone,
                reference=reference(snowflake(at(0), 2), channel=snowflake(at(0), 3), guild=snowflake(at(0), 4))))
    command = at(13)
    add(message(command, "20", "tally", "Rolled a **6**", zone,
                interaction={"id": snowflake(command, 1), "name": "roll", "user": user("wren")}))
    add(message(at(14), "23", "tally", "", zone,
                interaction={"id": snowflake(at(14), 1), "name": "", "user": user("tomas")}))
    thread_start = at(15)
    add(message(thread_start, "ThreadCreated", "wren", "Started a thread.", zone,
                reference=reference(None, channel=snowflake(thread_start, 1))))
    forwarded = at(16)
    add(message(forwarded, "Default", "ines", "", zone, reference=reference(
        snowflake(forwarded - timedelta(days=2), 1), channel=snowflake(forwarded, 4), kind="Forward"),
        forwardedMessage={"timestamp": stamp(forwarded - timedelta(days=2), zone),
                          "timestampEdited": None, "content": "forwarded text with @Tomás",
                          "attachments": [attachment(forwarded, CHANNEL_ID, "chart.svg", 3301, 4)],
                          "embeds": [], "stickers": []}))
    add(message(at(17), "Default", "wren", "pinned and edited", zone, pinned=True,
                edited=stamp(at(18), zone)))
    add(message(at(19), "46", "tomas", "", zone))  # a poll result: unnamed type, raw content
    add(message(at(20), "Default", "tomas",
                "Spaces:\u00a0nbsp,\u2028line sep, quotes \" and \\ backslash <tag> & 'apostrophe' + `tick`", zone))
    # exportedAt has 100 ns precision (§1.2): one digit more than a datetime holds.
    exported = stamp(datetime(2024, 4, 1, 8, 0, 0, 123456, tzinfo=UTC), zone)
    return document(GUILD, CHANNEL, messages, exported[:-6] + "7" + exported[-6:])


# MARK: - other channels

def high_ids():
    t = datetime(2084, 9, 6, 15, 47, 35, 552000, tzinfo=UTC)  # 2^63 >> 22 ms after the epoch is 2084-09-06T15:47:35.552Z
    guild = {"id": snowflake(t - timedelta(days=1)), "name": "Far Future",
             "iconUrl": CDN + "/embed/avatars/0.png"}
    channel = {"id": snowflake(t - timedelta(hours=1)), "type": "GuildTextChat", "categoryId": None,
               "category": None, "name": "late", "topic": None}
    messages = [message(t - timedelta(milliseconds=1), "Default", "ines", "just below 2^63"),
                message(t, "Default", "tomas", "exactly 2^63", id=str(1 << 63)),
                message(t + timedelta(days=3000), "Default", "wren", "far above 2^63"),
                message(t + timedelta(days=3001), "Reply", "ines", "the largest", id=str((1 << 64) - 1),
                        reference=reference(str(1 << 63), channel=channel["id"], guild=guild["id"]))]
    messages[-1]["timestamp"] = stamp(datetime.fromtimestamp((((1 << 64) - 1 >> 22) + EPOCH_MS) / 1000, UTC))
    return document(guild, channel, messages, "2099-01-01T00:00:00+00:00")


def thread(kind, name, parent_id, parent_name, start):
    tid = snowflake(start, 1)
    channel = {"id": tid, "type": kind, "categoryId": parent_id, "category": parent_name, "name": name,
               "topic": None}
    first = message(start + timedelta(seconds=5), "Default", "ines", "the first message of " + name)
    if kind == "GuildPublicThread" and parent_id == FORUM_ID:
        first["id"] = tid  # a forum post's starter message has the thread's id
    messages = [first,
                message(start + timedelta(minutes=1), "Reply", "tomas", "a reply in the thread", mentions=["ines"],
                        reference=reference(first["id"], channel=tid)),
                message(start + timedelta(minutes=2), "Default", "wren", "", attachments=[
                    attachment(start + timedelta(minutes=2), tid, "notes.pdf", 2048)])]
    return document(GUILD, channel, messages, "2024-04-01T08:00:00.5+00:00")


def direct_messages():
    start = datetime(2024, 2, 14, 20, 0, tzinfo=UTC)
    channel = {"id": snowflake(start - timedelta(days=30)), "type": "DirectTextChat", "categoryId": None,
               "category": None, "name": "tomas", "topic": None}
    call = start + timedelta(minutes=1)
    messages = [message(start, "Default", "ines", "call?", dm=True),
                message(call, "Call", "tomas", "Started a call that lasted 1,234 minutes.", dm=True,
                        call_ended=stamp(call + timedelta(minutes=1234, seconds=10))),
                message(start + timedelta(days=1), "Call", "ines", "Started a call that lasted 0 minutes.", dm=True),
                message(start + timedelta(days=1, minutes=3), "Reply", "tomas", "missed it", dm=True,
                        reference=reference(snowflake(start + timedelta(days=1)), channel=channel["id"], guild=None))]
    return document(DM_GUILD, channel, messages, "2024-04-01T08:00:00+00:00")


def group_dm():
    start = datetime(2024, 1, 5, 12, 0, tzinfo=UTC)
    cid = snowflake(start - timedelta(days=1))
    channel = {"id": cid, "type": "DirectGroupTextChat", "categoryId": None, "category": None,
               "name": "ines, tomas, wren", "topic": None,
               "iconUrl": "%s/channel-icons/%s/0a1b2c3d4e5f60718293a4b5c6d7e8f9.png?size=512" % (CDN, cid)}
    messages = [message(start, "RecipientAdd", "ines", "Added wren to the group.", dm=True, mentions=["wren"]),
                message(start + timedelta(minutes=1), "ChannelNameChange", "ines",
                        "Changed the channel name: plans \U0001F5FA\ufe0f", dm=True),
                message(start + timedelta(minutes=2), "ChannelIconChange", "tomas", "Changed the channel icon.", dm=True),
                message(start + timedelta(minutes=3), "RecipientRemove", "wren", "Left the group.", dm=True,
                        mentions=["wren"]),
                message(start + timedelta(minutes=4), "RecipientRemove", "ines", "Removed tomas from the group.",
                        dm=True, mentions=["tomas"])]
    return document(DM_GUILD, channel, messages, "2024-04-01T08:00:00+00:00")


def partitioned():
    """§15.1: --partition 3 of a channel with 7 messages: parts of 3, 3 and 1, each with its own messageCount."""
    start = datetime(2023, 11, 1, 7, 30, tzinfo=UTC)
    cid = snowflake(datetime(2023, 2, 1, 10, 5, tzinfo=UTC))
    channel = {"id": cid, "type": "GuildNews", "categoryId": CATEGORY_ID, "category": "Text Channels",
               "name": "news", "topic": "Announcements"}
    messages = [message(start + timedelta(hours=i), "Default", ("ines", "tomas", "wren")[i % 3], "news item %d" % i)
                for i in range(7)]
    base = "Shapes Hall - Text Channels - news [%s]" % cid
    parts = []
    for k, chunk in enumerate((messages[0:3], messages[3:6], messages[6:])):
        name = base + (" [part %d]" % (k + 1) if k else "") + ".json"
        parts.append((name, document(GUILD, channel, chunk, "2023-12-01T00:00:00+00:00")))
    return parts


# MARK: - older versions (§17, §18)

def user_225(key):
    name, disc, _, _, bot, _ = PEOPLE[key]
    return {"id": IDS[key], "name": name, "discriminator": disc, "isBot": bot,
            "avatarUrl": avatar(key).replace("?size=512", "")}


def v225_dm():
    """2.25: `@me`, no categoryId, no nickname, mention discriminators as numbers, a reply typed "19", null emoji
    ids, no stickers/reference; the default encoder escapes every non-ASCII character and "<>&'+ (§17, §18)."""
    start = datetime(2021, 3, 1, 18, 0, tzinfo=UTC)
    channel = {"id": snowflake(start - timedelta(days=9)), "type": "DirectTextChat", "category": "Private",
               "name": "tomas", "topic": None}
    ines, tomas = user_225("ines"), user_225("tomas")
    messages = [
        {"id": snowflake(start), "type": "Default", "timestamp": stamp(start), "timestampEdited": None,
         "callEndedTimestamp": None, "isPinned": False, "content": "Caf\u00e9 <3 & 'quotes' + \"more\"",
         "author": ines, "attachments": [], "embeds": [{"title": "Link", "url": "https://example.org", "timestamp": None,
                                                        "description": "", "color": "#1F8B4C", "fields": []}],
         "reactions": [{"emoji": {"id": None, "name": "\U0001F44D", "isAnimated": False,
                                  "imageUrl": "https://twemoji.maxcdn.com/2/72x72/1f44d.png"}, "count": 1}],
         "mentions": [{"id": IDS["tomas"], "name": "tomas", "discriminator": 0, "nickname": "tomas",
                       "isBot": False}]},
        {"id": snowflake(start + timedelta(minutes=1)), "type": "19", "timestamp": stamp(start + timedelta(minutes=1)),
         "timestampEdited": None, "callEndedTimestamp": None, "isPinned": False, "content": "\u00a1s\u00ed!",
         "author": tomas, "attachments": [], "embeds": [], "reactions": [], "mentions": []},
        {"id": snowflake(start + timedelta(minutes=5)), "type": "Call", "timestamp": stamp(start + timedelta(minutes=5)),
         "timestampEdited": None, "callEndedTimestamp": stamp(start + timedelta(minutes=47, seconds=50)),
         "isPinned": False, "content": "Started a call that lasted 42 minutes.", "author": tomas, "attachments": [],
         "embeds": [], "reactions": [], "mentions": []},
    ]
    guild = {"id": "@me", "name": "Direct Messages", "iconUrl": CDN + "/embed/avatars/0.png"}
    return {"guild": guild, "channel": channel, "dateRange": {"after": None, "before": None}, "messages": messages,
            "messageCount": len(messages)}


def v233_thread():
    """2.33: a thread typed "11", a thread starter "18" (<2.36), stickers PngAnimated and "4" on discord.com,
    reference without type, author nickname (nick ?? username), emoji ids "" (§17, §18)."""
    start = datetime(2022, 4, 2, 9, 0, tzinfo=UTC)
    tid = snowflake(start, 1)

    def author(key):
        name, disc, _, _, bot, _ = PEOPLE[key]
        return {"id": IDS[key], "name": name, "discriminator": disc, "nickname": name, "color": None, "isBot": bot,
                "avatarUrl": avatar(key).replace("?size=512", "?size=128")}

    def msg(when, kind, who, content, **extra):
        body = {"id": snowflake(when), "type": kind, "timestamp": stamp(when), "timestampEdited": None,
                "callEndedTimestamp": None, "isPinned": False, "content": content, "author": author(who),
                "attachments": [], "embeds": [], "stickers": extra.pop("stickers", []),
                "reactions": extra.pop("reactions", []), "mentions": []}
        body.update(extra)
        return body

    s1 = snowflake(datetime(2021, 8, 1, tzinfo=UTC), 1)
    s2 = snowflake(datetime(2021, 8, 2, tzinfo=UTC), 1)
    messages = [
        msg(start + timedelta(seconds=1), "18", "ines", "Started a thread.",
            reference={"messageId": None, "channelId": tid, "guildId": GUILD_ID}),
        msg(start + timedelta(minutes=1), "Default", "tomas", "", stickers=[
            {"id": s1, "name": "dance", "format": "PngAnimated", "sourceUrl": "https://discord.com/stickers/%s.png" % s1},
            {"id": s2, "name": "spin", "format": "4", "sourceUrl": "https://discord.com/stickers/%s.gif" % s2}]),
        msg(start + timedelta(minutes=2), "Reply", "wren", "nice", reactions=[
            {"emoji": {"id": "", "name": "\U0001F525", "isAnimated": False,
                       "imageUrl": "https://twemoji.maxcdn.com/2/svg/1f525.svg"}, "count": 2}],
            reference={"messageId": snowflake(start + timedelta(minutes=1)), "channelId": tid, "guildId": GUILD_ID}),
    ]
    channel = {"id": tid, "type": "11", "categoryId": CHANNEL_ID, "category": "every-shape", "name": "old thread",
               "topic": None}
    return {"guild": GUILD, "channel": channel, "dateRange": {"after": None, "before": None}, "messages": messages,
            "messageCount": len(messages)}


def v2401():
    """2.40.1: roles and exportedAt appear; a channel without a parent has categoryId null and category "Text";
    reaction users are not listed yet (2.40.4); no inlineEmojis (2.44), no canonicalUrl (2.46.1) (§17, §18)."""
    start = datetime(2023, 7, 10, 16, 0, tzinfo=UTC)
    cid = snowflake(datetime(2023, 2, 1, 10, 6, tzinfo=UTC))
    channel = {"id": cid, "type": "GuildTextChat", "categoryId": None, "category": "Text", "name": "no-parent",
               "topic": None}

    def msg(when, kind, who, content, **extra):
        body = message(when, kind, who, content, **extra)
        del body["inlineEmojis"]
        return body

    messages = [
        msg(start, "Default", "ines", "hello :kekw:", reactions=[{"emoji": KEKW, "count": 1}]),
        msg(start + timedelta(minutes=1), "Default", "tally", "", embeds=[
            {"title": "t", "url": None, "timestamp": None, "description": "d",
             "thumbnail": {"url": "https://images-ext-1.discordapp.net/x.png", "width": 10, "height": 10},
             "images": [], "fields": []}],
            interaction={"id": snowflake(start + timedelta(minutes=1), 1), "name": "ping", "user": user("ines")}),
    ]
    return {"guild": GUILD, "channel": channel, "dateRange": {"after": None, "before": None},
            "exportedAt": "2023-07-11T00:00:00+00:00", "messages": messages, "messageCount": len(messages)}


# MARK: - --media exports (§14)

def media_export(folder_style):
    """A --media export. `windows`: DCE 2.36 on Windows, `\\` paths relative to the output folder, 5-character
    uppercase hashes, one doubled separator, one file missing from the folder. `linux`: DCE 2.47 on Linux, `/`
    paths, 16-character hashes, and absolute `@ROOT@/…` paths for a --media-dir outside the output folder."""
    start = datetime(2023, 5, 6, 10, 0, tzinfo=UTC)
    cid = snowflake(datetime(2023, 2, 1, 10, 7, tzinfo=UTC))
    name = "Shapes Hall - Text Channels - pictures [%s].json" % cid
    files = name + "_Files"
    windows = folder_style == "windows"
    sep = "\\" if windows else "/"
    tag = (lambda i: "-%05X" % (0xA1B2C + i)) if windows else (lambda i: "-%016x" % (0x5eed0000 + i))
    assets = {}  # path inside the export folder -> bytes

    def local(stem, ext, i, doubled=False, missing=False, outside=False):
        file_name = stem + tag(i) + ext
        if outside:
            assets["assets/" + file_name] = ("%s %d\n" % (stem, i)).encode()
            return "@ROOT@/assets/" + file_name
        if not missing:
            assets[files + "/" + file_name] = ("%s %d\n" % (stem, i)).encode()
        return files + (sep * 2 if doubled else sep) + file_name

    def author(key, i, **kind):
        body = user(key)
        body["avatarUrl"] = local(PEOPLE[key][3] or "0", ".png", i, **kind)
        return body

    photo = {"id": snowflake(start, 2), "url": local("photo", ".png", 1), "fileName": "photo.png",
             "fileSizeBytes": len(b"photo 1\n")}
    clip = {"id": snowflake(start, 3), "url": local("clip", ".mp4", 2, outside=not windows), "fileName": "clip.mp4",
            "fileSizeBytes": len(b"clip 2\n")}
    gone = {"id": snowflake(start, 4), "url": local("gone", ".gif", 3, missing=True), "fileName": "gone.gif",
            "fileSizeBytes": 9}
    remote = attachment(start, cid, "failed-download.zip", 4096, 5)  # a failed download keeps its URL (§14.1)
    first = message(start, "Default", "ines", "media", attachments=[photo, clip, gone, remote])
    first["author"] = author("ines", 10)
    sticker_id = snowflake(datetime(2022, 3, 9, tzinfo=UTC), 3)
    second = message(start + timedelta(minutes=1), "Default", "wren", "", stickers=[
        {"id": sticker_id, "name": "wave", "format": "Png", "sourceUrl": local(sticker_id, ".png", 4)}],
        reactions=[{"emoji": dict(KEKW, imageUrl=local(KEKW["id"], ".png", 5)), "count": 1,
                    "users": [dict(user("tomas", roles=False), avatarUrl=local("0", ".png", 6))]}],
        embeds=[{"title": "", "url": "https://example.org/a.png", "timestamp": None, "description": "",
                 "thumbnail": {"url": local("a", ".png", 7), "canonicalUrl": "https://example.org/a.png",
                               "width": 16, "height": 16}, "images": [], "fields": [], "inlineEmojis": []}])
    second["author"] = author("wren", 11, doubled=windows)
    guild = dict(GUILD, iconUrl=local("a_9f8e7d6c5b4a39281706f5e4d3c2b1a0", ".gif", 12))
    channel = {"id": cid, "type": "GuildTextChat", "categoryId": CATEGORY_ID, "category": "Text Channels",
               "name": "pictures", "topic": None}
    doc = document(guild, channel, [first, second], "2023-05-07T00:00:00+00:00")
    if windows:  # 2.36 wrote no exportedAt, inlineEmojis or canonicalUrl
        del doc["exportedAt"]
        for m in doc["messages"]:
            del m["inlineEmojis"]
            for e in m["embeds"]:
                del e["inlineEmojis"]
                e["thumbnail"].pop("canonicalUrl", None)
    return name, doc, assets


# MARK: - writing

def string(text, legacy=False):
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\u0022' if legacy else '\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif code > 0xFFFF:
            code -= 0x10000
            out.append("\\u%04X\\u%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
        elif legacy and (code > 0x7E or ch in "<>&'+`"):
            out.append("\\u%04X" % code)
        elif code < 0x20 or code == 0xFEFF or (unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Co", "Cn")) or (
                unicodedata.category(ch) == "Zs" and ch != " "):
            out.append("\\u%04X" % code)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def render(value, depth=0, legacy=False, newline="\n"):
    pad = "  " * (depth + 1)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return string(value, legacy)
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [pad + render(v, depth + 1, legacy, newline) for v in value]
        return "[" + newline + ("," + newline).join(items) + newline + "  " * depth + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [pad + string(k, legacy) + ": " + render(v, depth + 1, legacy, newline) for k, v in value.items()]
        return "{" + newline + ("," + newline).join(items) + newline + "  " * depth + "}"
    raise TypeError(type(value))


def write(path, value, legacy=False, newline="\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(render(value, legacy=legacy, newline=newline))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "ExportTests",
                                                              "Fixtures", "shapes")
    if os.path.isdir(out):
        shutil.rmtree(out)
    write(os.path.join(out, "every-shape-2.47.json"), every_shape())
    write(os.path.join(out, "local-offsets-2.47.json"), every_shape(zone=berlin))
    write(os.path.join(out, "high-ids-2.47.json"), high_ids())
    write(os.path.join(out, "thread-2.47.json"),
          thread("GuildPrivateThread", "mods only", CHANNEL_ID, "every-shape", datetime(2024, 3, 2, tzinfo=UTC)))
    write(os.path.join(out, "forum-post-2.47.json"),
          thread("GuildPublicThread", "How do I export?", FORUM_ID, "help-forum", datetime(2024, 3, 3, tzinfo=UTC)))
    write(os.path.join(out, "dm-2.47.json"), direct_messages())
    write(os.path.join(out, "group-dm-2.47.json"), group_dm())
    crlf = thread("GuildNewsThread", "windows news", CHANNEL_ID, "every-shape", datetime(2024, 3, 4, tzinfo=UTC))
    write(os.path.join(out, "crlf-2.47.json"), crlf, newline="\r\n")
    for name, doc in partitioned():
        write(os.path.join(out, "parts", name), doc)
    write(os.path.join(out, "v2.25-dm.json"), v225_dm(), legacy=True)
    write(os.path.join(out, "v2.33-thread.json"), v233_thread())
    write(os.path.join(out, "v2.40.1.json"), v2401())
    for style in ("windows", "linux"):
        folder = os.path.join(out, "media-%s-%s" % ("2.36" if style == "windows" else "2.47", style))
        name, doc, assets = media_export(style)
        if style == "linux":  # the export in export/, its --media-dir outside it in assets/
            folder_of_json = os.path.join(folder, "export")
            assets = {(p if p.startswith("assets/") else "export/" + p): data for p, data in assets.items()}
        else:
            folder_of_json = folder
        write(os.path.join(folder_of_json, name), doc)
        for path, data in sorted(assets.items()):
            os.makedirs(os.path.dirname(os.path.join(folder, path)), exist_ok=True)
            with open(os.path.join(folder, path), "wb") as handle:
                handle.write(data)
    for root, _, names in sorted(os.walk(out)):
        for n in sorted(names):
            print("wrote", os.path.relpath(os.path.join(root, n), out))


if __name__ == "__main__":
    main()
