#!/usr/bin/env python3
"""Writes the project's own DiscordChatExporter (DCE) sample exports used by Tests/ExportTests:
general.json and thread.json, in the shape DCE 2.36 wrote with --media (pre-2.38 user objects, no exportedAt,
interaction or inlineEmojis; Windows asset paths ending in an uppercase 5-character hash; non-BMP characters
escaped as uppercase surrogate pairs, other characters literal UTF-8; 2-space indentation; no final newline).

Everything in them (guild, people, messages, hashes) is invented by the Skald project. They exercise what an
importer meets in real files, including the signs of hand editing such samples show (an emoji id that does not
match its file name, a 31-character avatar hash, a doubled path separator, replies typed "Default").

Usage: scripts/make_dce_fixtures.py [OUT_DIR]   (default Tests/ExportTests/Fixtures)
"""
import os
import sys
from datetime import datetime, timedelta, timezone

EPOCH_MS = 1420070400000
START = datetime(2023, 3, 4, 9, 15, 0, 125000, tzinfo=timezone.utc)


def snowflake(when, sequence=0):
    ms = int(when.timestamp() * 1000)
    return str(((ms - EPOCH_MS) << 22) | (1 << 17) | sequence)


def stamp(when, trim=False):
    text = when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    if trim:  # DCE trims trailing zeros of the fraction
        text = text.rstrip("0").rstrip(".")
    return text + "+00:00"


GUILD_ID = snowflake(datetime(2022, 8, 1, 12, 0, tzinfo=timezone.utc))
CATEGORY_ID = snowflake(datetime(2022, 8, 1, 12, 1, tzinfo=timezone.utc))
CHANNEL_ID = snowflake(datetime(2022, 8, 1, 12, 2, tzinfo=timezone.utc))
FILES = "Skald Fixture Hall - Text Channels - lobby [%s].json_Files" % CHANNEL_ID


def asset(name, sep="\\"):
    return FILES + sep + name


PEOPLE = {
    "ada": ("Ada", "4821", "3f6a2c9e1b7d4e08a5c3f2d1e0b9a876", "0C1A2"),
    "bram": ("Bram", "0007", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "5D3E9"),
    "cleo": ("Cleo", "0311", "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4", "B7F10"),  # 31 hex digits (hand edit)
    "dov": ("Dov", "1290", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "27AC4"),
    "echo": ("Echo Bot", "0000", "77aa88bb99cc00dd11ee22ff33004411", "E0E0E"),
}
IDS = {key: snowflake(datetime(2021, 5, 1 + i, 8, 0, tzinfo=timezone.utc)) for i, key in enumerate(PEOPLE)}


def author(key, sep="\\"):
    name, disc, avatar, tag = PEOPLE[key]
    return {
        "id": IDS[key], "name": name, "discriminator": disc, "nickname": name, "color": None,
        "isBot": key == "echo", "avatarUrl": asset("%s-%s.png" % (avatar, tag), sep),
    }


def mention(key):
    name, disc, _, _ = PEOPLE[key]
    return {"id": IDS[key], "name": name, "discriminator": disc, "nickname": name, "isBot": key == "echo"}


def message(when, kind, who, content, sequence=0, **extra):
    trim = extra.pop("trim", False)
    if trim:  # a fraction with trailing zeros, which DCE trims (".350" is written ".35")
        when = when.replace(microsecond=(when.microsecond // 100000) * 100000 + 50000)
    body = {
        "id": snowflake(when, sequence), "type": kind, "timestamp": stamp(when, trim),
        "timestampEdited": extra.pop("edited", None), "callEndedTimestamp": None, "isPinned": extra.pop("pinned", False),
        "content": content, "author": author(who, extra.pop("sep", "\\")),
        "attachments": extra.pop("attachments", []), "embeds": extra.pop("embeds", []),
        "stickers": extra.pop("stickers", []), "reactions": extra.pop("reactions", []),
        "mentions": extra.pop("mentions", []),
    }
    if "reference" in extra:
        body["reference"] = extra.pop("reference")
    assert not extra, extra
    return body


def attachment(when, name, size):
    stem, dot, ext = name.rpartition(".")
    return {"id": snowflake(when, 7), "url": asset("%s-%s.%s" % (stem, "%05X" % (size % 0xFFFFF), ext)),
            "fileName": name, "fileSizeBytes": size}


def general():
    t = START
    step = iter(range(1, 1000))

    def at(minutes):
        return t + timedelta(minutes=minutes, seconds=next(step) * 7, milliseconds=next(step) * 13)

    thread_when = at(200)
    thread_id = snowflake(thread_when, 3)
    messages = []
    add = messages.append
    add(message(at(0), "Default", "ada", "Welcome to the **Skald Fixture Hall**, the lobby where test data lives!"))
    add(message(at(3), "GuildMemberJoin", "bram", "Joined the server."))
    add(message(at(4), "GuildMemberJoin", "cleo", "Joined the server."))
    add(message(at(6), "GuildMemberJoin", "dov", "Joined the server."))
    add(message(at(8), "Default", "ada", "@Bram make yourself at home", mentions=[mention("bram")]))
    hello = message(at(9), "Default", "bram", "thanks \U0001F44F glad to be here")
    add(hello)
    add(message(at(11), "Default", "cleo", "", stickers=[{
        "id": snowflake(at(1), 2), "name": "wavey", "format": "Png",
        "sourceUrl": asset("%s-1C0DE.png" % snowflake(at(1), 2))}]))
    custom_emoji = snowflake(datetime(2022, 9, 9, 9, 9, tzinfo=timezone.utc), 5)
    add(message(at(12), "Default", "dov", "this place is :partyblob:", reactions=[
        {"emoji": {"id": "", "name": "\U0001F440", "isAnimated": False, "imageUrl": asset("1f440-1DC0B.svg")},
         "count": 2},
        # The file name's id differs from the emoji id (hand edit).
        {"emoji": {"id": custom_emoji, "name": "partyblob", "isAnimated": True,
                   "imageUrl": asset("%s-4E21A.gif" % snowflake(datetime(2022, 9, 10, tzinfo=timezone.utc), 5))},
         "count": 1},
        {"emoji": {"id": "", "name": "\u2b50", "isAnimated": False, "imageUrl": asset("2b50-0AB12.svg")}, "count": 3},
    ]))
    add(message(at(15), "Default", "ada", "The manual: https://example.org/skald/manual", embeds=[{
        "title": "Skald manual \u00b7 getting started", "url": "https://example.org/skald/manual", "timestamp": None,
        "description": "How to archive a community, export it and read it back.", "color": "#2B2D31",
        "thumbnail": {"url": asset("manual-3C4D5"), "width": 1200, "height": 630}, "images": [], "fields": []}]))
    add(message(at(17), "Default", "bram", "https://example.org/media/confetti.gif", embeds=[{
        "title": "", "url": "https://example.org/media/confetti.gif", "timestamp": None, "description": "",
        "thumbnail": {"url": asset("confetti-9A8B7.jpg"), "width": 480, "height": 270}, "images": [],
        "fields": []}]))
    w = at(20)
    add(message(w, "Default", "cleo", "floor plan", attachments=[attachment(w, "floor-plan.png", 48213)]))
    w = at(22)
    add(message(w, "Default", "dov", "", attachments=[attachment(w, "spinning-logo.gif", 230117)]))
    w = at(24)
    add(message(w, "Default", "ada", "the opening, recorded", attachments=[attachment(w, "opening.mp4", 1843320)]))
    w = at(26)
    add(message(w, "Default", "bram", "and the jingle", attachments=[attachment(w, "jingle.mp3", 96044)]))
    w = at(28)
    add(message(w, "Default", "cleo", "don't open before Friday",
                attachments=[attachment(w, "SPOILER_surprise.png", 15372)]))
    edited_when = at(31)
    add(message(edited_when, "Default", "dov", "I fixed the typo in this message",
                edited=stamp(edited_when + timedelta(minutes=2, milliseconds=411))))
    add(message(at(33), "Default", "ada", "**bold**, __underline__, ~~strike~~ and ||a secret||"))
    add(message(at(35), "Default", "bram", "```swift\nlet skald = Archive()\ntry await skald.run()\n```"))
    add(message(at(37), "Default", "cleo", "> quoted\nand *italic* `code`"))
    # Replies typed "Default" with a reference (hand edit: real replies are typed "Reply").
    add(message(at(40), "Default", "dov", "same here \U0001F642", mentions=[mention("bram")],
                reference={"messageId": hello["id"], "channelId": CHANNEL_ID, "guildId": GUILD_ID}))
    add(message(at(42), "Default", "ada", "welcome, Dov", mentions=[mention("dov")],
                reference={"messageId": messages[3]["id"], "channelId": CHANNEL_ID, "guildId": GUILD_ID}))
    add(message(at(45), "Default", "echo", "Reminder: the archive runs every night at 02:00 UTC.", pinned=True))
    add(message(at(50), "Default", "cleo", "\U0001F44D\U0001F44D", trim=True))
    for i, (who, text) in enumerate([
        ("dov", "who brought the snacks?"), ("bram", "me, they're by the door"), ("ada", "legend"),
        ("cleo", "is the projector working?"), ("dov", "after a restart, yes"), ("bram", "ok starting in 5"),
        ("ada", "recording now"), ("cleo", "lights down please"), ("dov", "that was great"),
    ]):
        add(message(at(60 + 10 * i), "Default", who, text, trim=(i % 3 == 0)))
    add(message(at(155), "Default", "cleo", "Caf\u00e9 au lait \u2615 for everyone"))
    add(message(at(170), "Default", "dov", "one more: \U0001F680"))
    add(message(thread_when, "ThreadCreated", "ada", "Started a thread.",
                reference={"messageId": None, "channelId": thread_id, "guildId": GUILD_ID}))
    assert len(messages) == 35, len(messages)
    doc = {
        "guild": {"id": GUILD_ID, "name": "Skald Fixture Hall", "iconUrl": asset("0-1CA11.png")},
        "channel": {"id": CHANNEL_ID, "type": "GuildTextChat", "categoryId": CATEGORY_ID, "category": "Text Channels",
                    "name": "lobby", "topic": "Welcome to the Skald Fixture Hall!"},
        "dateRange": {"after": None, "before": None},
        "messages": messages,
        "messageCount": len(messages),
    }
    return doc, thread_when, thread_id, hello


def thread(thread_when, thread_id, hello):
    t = thread_when + timedelta(seconds=30)
    first = message(t, "Default", "ada", "Notes from the opening go here \U0001F642", sep="\\\\")  # doubled separator
    messages = [
        first,
        message(t + timedelta(seconds=41, milliseconds=250), "Reply", "bram", "the jingle was too loud",
                mentions=[mention("ada")],
                reference={"messageId": first["id"], "channelId": thread_id, "guildId": GUILD_ID}),
        message(t + timedelta(minutes=2, milliseconds=5), "Reply", "dov", "agreed, -6 dB next time",
                reference={"messageId": first["id"], "channelId": thread_id, "guildId": GUILD_ID}),
        message(t + timedelta(minutes=4), "Default", "cleo", "slides attached",
                attachments=[attachment(t + timedelta(minutes=4), "slides.pdf", 512000)]),
        message(t + timedelta(minutes=6, milliseconds=500), "Reply", "ada", "thanks all!",
                reference={"messageId": hello["id"], "channelId": CHANNEL_ID, "guildId": GUILD_ID}),
    ]
    return {
        "guild": {"id": GUILD_ID, "name": "Skald Fixture Hall", "iconUrl": asset("0-1CA11.png")},
        "channel": {"id": thread_id, "type": "GuildPublicThread", "categoryId": CHANNEL_ID, "category": "lobby",
                    "name": "Opening notes", "topic": None},
        "dateRange": {"after": None, "before": None},
        "messages": messages,
        "messageCount": len(messages),
    }


# The writer (DCE's 2-space layout and escaping) is make_dce_shapes.py's.
from make_dce_shapes import render  # noqa: E402


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "ExportTests",
                                                              "Fixtures")
    doc, thread_when, thread_id, hello = general()
    for name, value in (("general.json", doc), ("thread.json", thread(thread_when, thread_id, hello))):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(render(value))
        print("wrote", os.path.join(out, name))


if __name__ == "__main__":
    main()
