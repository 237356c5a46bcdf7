#!/usr/bin/env python3
"""Drive the simulator's guild-cloner writes with discord.py (a client no one here wrote), REST only.

Usage:
    discordpy_clone_check.py --api-base http://127.0.0.1:PORT/api/v10 --token TOKEN [--verbose]

In the last guild the bot sees (the clone target), through discord.py's own calls:
  guild.create_role + guild.edit_role_positions (PATCH /guilds/{g}/roles), guild.create_custom_emoji
  (POST /guilds/{g}/emojis), guild.create_sticker (POST /guilds/{g}/stickers, multipart), guild.create_text_channel,
  channel.create_webhook, webhook.send(wait=True) with a file (multipart execute), channel.create_thread
  (POST /channels/{c}/threads) and webhook.send(thread=...), message.pin (PUT /channels/{c}/messages/pins/{m}),
  guild.create_forum + webhook.send(thread_name=...) (a forum post).
Each answer is checked as discord.py parsed it and against the simulator's truth (GET /__sim/truth/...).
The webhook execute fields Discord does not take (message_reference, sticker_ids) are sent raw and must be ignored.

Exit status 1 on any mismatch; the last line is "discordpy_clone_check: N passed, N failed".
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
import traceback
import uuid
from typing import Any

import aiohttp
import discord
import discord.http

from discordpy_check import Checker as SimulatorChecker

# A PNG signature and an IHDR chunk are all discord.py looks at (it picks the MIME type from the first bytes).
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(200)


class Checker(SimulatorChecker):
    """The fidelity check's bookkeeping (counts, the simulator's truth routes) with one pass-or-fail call."""

    def check(self, condition: bool, what: str) -> None:
        if condition:
            self.ok(what)
        else:
            self.fail(what)

    def truth_message(self, channel_id: int, message_id: int) -> dict[str, Any]:
        messages = self.truth(f"/__sim/truth/channels/{channel_id}/messages?limit=1000")
        if isinstance(messages, dict):
            messages = messages.get("messages", [])
        return next((m for m in messages if str(m.get("id")) == str(message_id)), {})

    async def run(self) -> None:
        discord.http.Route.BASE = self.api_base
        async with discord.Client(intents=discord.Intents.none()) as client:
            try:
                await client.login(self.token)
            except discord.NotFound:
                data = await client.http.static_login(self.token)
                client._connection.user = discord.ClientUser(state=client._connection, data=data)  # noqa: SLF001
            guilds = [guild async for guild in client.fetch_guilds(limit=None)]
            guild = await client.fetch_guild(guilds[-1].id)
            print(f"clone target: guild {guild.name} ({guild.id})")
            tag = uuid.uuid4().hex[:6]
            await self.roles(guild, tag)
            await self.expressions(guild, tag)
            await self.messages(client, guild, tag)

    async def roles(self, guild: discord.Guild, tag: str) -> None:
        low = await guild.create_role(name=f"low-{tag}")
        high = await guild.create_role(name=f"high-{tag}")
        await guild.edit_role_positions({high: 2, low: 1})
        roles = {role.id: role for role in await guild.fetch_roles()}
        self.check(roles[low.id].position == 1 and roles[high.id].position == 2,
                   f"edit_role_positions: low at {roles[low.id].position}, high at {roles[high.id].position}")

    async def expressions(self, guild: discord.Guild, tag: str) -> None:
        emoji = await guild.create_custom_emoji(name=f"rune_{tag}", image=PNG)
        self.check(emoji.name == f"rune_{tag}" and not emoji.animated, f"create_custom_emoji: {emoji.name}")
        sticker = await guild.create_sticker(
            name=f"Wave {tag}", description="A waving skald", emoji="wave",
            file=discord.File(io.BytesIO(PNG), filename="wave.png"))
        self.check(sticker.name == f"Wave {tag}" and sticker.format == discord.StickerFormatType.png,
                   f"create_sticker: {sticker.name}, {sticker.format}")
        self.check(sticker.emoji == "wave", f"create_sticker tags: {sticker.emoji!r}")
        listed = await guild.fetch_stickers()
        self.check(any(s.id == sticker.id for s in listed), "fetch_stickers lists the new sticker")
        try:
            await guild.create_sticker(name="x", description="", emoji="x",
                                       file=discord.File(io.BytesIO(PNG), filename="x.png"))
            self.check(False, "create_sticker with a one-character name was accepted")
        except discord.HTTPException as error:
            self.check(error.status == 400 and error.code == 50035, f"create_sticker short name: {error.code}")

    async def messages(self, client: discord.Client, guild: discord.Guild, tag: str) -> None:
        channel = await guild.create_text_channel(f"clone-{tag}")
        webhook = await channel.create_webhook(name="Skald mirror")
        self.check(webhook.token is not None, "create_webhook returns a token")
        sent = await webhook.send(
            "first copy", username="Old Author", file=discord.File(io.BytesIO(b"rune text\n"), filename="notes.txt"),
            wait=True)
        self.check(sent.author.name == "Old Author" and sent.webhook_id == webhook.id,
                   f"webhook.send author {sent.author.name!r}")
        self.check([a.filename for a in sent.attachments] == ["notes.txt"] and sent.attachments[0].size == 10,
                   f"webhook.send file: {[(a.filename, a.size) for a in sent.attachments]}")
        truth = self.truth_message(channel.id, sent.id)
        self.check([f.get("filename") for f in truth.get("files", [])] == ["notes.txt"], "truth has the uploaded file")

        thread = await channel.create_thread(name=f"thread {tag}", type=discord.ChannelType.public_thread)
        self.check(thread.parent_id == channel.id and thread.type == discord.ChannelType.public_thread,
                   f"create_thread: {thread.type}")
        in_thread = await webhook.send("in the thread", username="Old Author", thread=thread, wait=True)
        self.check(in_thread.channel.id == thread.id, "webhook.send(thread=) posts into the thread")

        message = await channel.fetch_message(sent.id)
        await message.pin()
        self.check(self.truth_message(channel.id, sent.id).get("pinned") is True, "message.pin pins it")
        pins = [pinned async for pinned in channel.pins()]
        self.check([m.id for m in pins] == [sent.id], f"channel.pins: {[m.id for m in pins]}")

        forum = await guild.create_forum(f"forum-{tag}")
        forum_hook = await forum.create_webhook(name="Skald mirror")
        post = await forum_hook.send("a post", username="Old Author", thread_name=f"post {tag}", wait=True)
        self.check(post.channel.id == post.id, "webhook.send(thread_name=) starts a forum post with this message")

        # Fields the execute body does not have (the OpenAPI spec's IncomingWebhookRequestPartial) are ignored.
        url = f"{self.api_base}/webhooks/{webhook.id}/{webhook.token}?wait=true"
        stickers = await guild.fetch_stickers()
        body = {"content": "a reply?", "message_reference": {"message_id": str(sent.id)},
                "sticker_ids": [str(stickers[0].id)]}
        async with aiohttp.ClientSession() as session:
            async with session.post(url, json=body, headers={"User-Agent": "DiscordBot (check, 1)"}) as response:
                answer = await response.json()
        self.check(response.status == 200 and answer.get("type") == 0 and "message_reference" not in answer
                   and not answer.get("sticker_items"),
                   f"webhook execute ignores message_reference and sticker_ids ({response.status}, type "
                   f"{answer.get('type')})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api-base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    checker = Checker(args.api_base, args.token, args.verbose)
    try:
        asyncio.run(checker.run())
    except Exception:  # noqa: BLE001 - any exception is a failed check, reported with its traceback
        traceback.print_exc()
        checker.failed += 1
    print(f"discordpy_clone_check: {checker.passed} passed, {checker.failed} failed")
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main())
