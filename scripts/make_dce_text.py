#!/usr/bin/env python3
"""Writes what DiscordChatExporter 2.47 writes as CSV and plain text for the messages of a 2.47 JSON export, from
its writers (`CsvMessageWriter`, `PlainTextMessageWriter`, `ExportContext.FormatDate`, `User.FullName`,
`Channel.GetHierarchicalName`), read at the tag 2.47. Both formats are written from the same message objects as the
JSON, so every value is taken from the JSON DCE wrote (content already formatted, system messages already given
their text, asset URLs already resolved). Culture: en-US (DCE in Docker); the JSON's timestamps carry the export's
offset.

Usage: scripts/make_dce_text.py EXPORT.json OUT_STEM   (writes OUT_STEM.txt and OUT_STEM.csv; deterministic)
"""
import json
import sys
from datetime import datetime


def parse_time(text):
    """A DCE timestamp: the instant's fields and its offset text, the fraction kept to 7 digits."""
    main, offset = text[:-6], text[-6:]
    if "." in main:
        main, fraction = main.split(".")
    else:
        fraction = ""
    return datetime.strptime(main, "%Y-%m-%dT%H:%M:%S"), (fraction + "0000000")[:7], offset


def date_g(text):
    """.NET `g` in en-US: `M/d/yyyy h:mm tt`."""
    when, _, _ = parse_time(text)
    hour = when.hour % 12 or 12
    return f"{when.month}/{when.day}/{when.year} {hour}:{when.minute:02d} {'AM' if when.hour < 12 else 'PM'}"


def date_o(text):
    """.NET `o`: the fraction always 7 digits."""
    when, fraction, offset = parse_time(text)
    return when.strftime("%Y-%m-%dT%H:%M:%S") + "." + fraction + offset


def full_name(author):
    """`User.FullName`: `name#dddd`, or `name` for users without a discriminator (`0000` in the JSON)."""
    discriminator = author.get("discriminator") or "0000"
    return author["name"] if discriminator == "0000" else f"{author['name']}#{discriminator}"


def blank(text):
    """.NET `string.IsNullOrWhiteSpace`."""
    return text is None or text.strip() == "" or all(c.isspace() for c in text)


def n0(value):
    return f"{value:,}"


def csv_encode(text):
    return '"' + text.replace('"', '""') + '"'


def write_csv(export, newline="\n"):
    out = ["AuthorID,Author,Date,Content,Attachments,Reactions" + newline]
    for message in export["messages"]:
        fields = [
            message["author"]["id"],
            full_name(message["author"]),
            date_o(message["timestamp"]),
            message["content"],
            ",".join(a["url"] for a in message["attachments"]),
            ",".join(f"{r['emoji']['name']} ({r['count']})" for r in message["reactions"]),
        ]
        out.append(",".join(csv_encode(f) for f in fields) + newline)
    return "".join(out)


def write_text(export, newline="\n"):
    out = []

    def line(text=""):
        out.append(text + newline)

    def attachments(items):
        if not items:
            return
        line("{Attachments}")
        for a in items:
            line(a["url"])
        line()

    def embeds(items):
        for e in items:
            line("{Embed}")
            author = (e.get("author") or {}).get("name")
            if not blank(author):
                line(author)
            if not blank(e.get("url")):
                line(e["url"])
            if not blank(e.get("title")):
                line(e["title"])
            if not blank(e.get("description")):
                line(e["description"])
            for field in e.get("fields") or []:
                if not blank(field.get("name")):
                    line(field["name"])
                if not blank(field.get("value")):
                    line(field["value"])
            thumbnail = (e.get("thumbnail") or {}).get("url")
            if not blank(thumbnail):
                line(thumbnail)
            for image in e.get("images") or []:
                if not blank(image.get("url")):
                    line(image["url"])
            footer = (e.get("footer") or {}).get("text")
            if not blank(footer):
                line(footer)
            line()

    def stickers(items):
        if not items:
            return
        line("{Stickers}")
        for s in items:
            line(s["sourceUrl"])
        line()

    channel = export["channel"]
    rule = "=" * 62
    line(rule)
    line(f"Guild: {export['guild']['name']}")
    parents = [channel["category"]] if channel.get("category") else []
    line("Channel: " + " / ".join(parents + [channel["name"]]))
    if not blank(channel.get("topic")):
        line(f"Topic: {channel['topic']}")
    if export["dateRange"]["after"]:
        line(f"After: {date_g(export['dateRange']['after'])}")
    if export["dateRange"]["before"]:
        line(f"Before: {date_g(export['dateRange']['before'])}")
    line(rule)
    line()
    for message in export["messages"]:
        header = f"[{date_g(message['timestamp'])}] {full_name(message['author'])}"
        if message["isPinned"]:
            header += " (pinned)"
        line(header)
        line(message["content"])
        line()
        forwarded = message.get("forwardedMessage")
        if forwarded is not None:
            line("{Forwarded Message}")
            if not blank(forwarded["content"]):
                line(forwarded["content"])
            line(f"Originally sent: {date_g(forwarded['timestamp'])}")
            attachments(forwarded["attachments"])
            embeds(forwarded["embeds"])
            stickers(forwarded["stickers"])
            line()
        attachments(message["attachments"])
        embeds(message["embeds"])
        stickers(message["stickers"])
        if message["reactions"]:
            line("{Reactions}")
            parts = [
                r["emoji"]["name"] + (f" ({r['count']})" if r["count"] > 1 else "") for r in message["reactions"]
            ]
            line(" ".join(parts))
        line()
    line(rule)
    line(f"Exported {n0(len(export['messages']))} message(s)")
    line(rule)
    return "".join(out)


def main():
    source, stem = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        export = json.load(f)
    with open(stem + ".txt", "w", encoding="utf-8", newline="") as f:
        f.write(write_text(export))
    with open(stem + ".csv", "w", encoding="utf-8", newline="") as f:
        f.write(write_csv(export))


if __name__ == "__main__":
    main()
