#!/usr/bin/env python3
"""Read a whole simulated server with discord.py (a client no one here wrote) over REST only, and compare with truth.

Usage:
    discordpy_check.py --api-base http://127.0.0.1:PORT/api/v10 --token TOKEN [--expect-guilds N] [--verbose]

Steps: point discord.http.Route.BASE at the simulator; log in (client.login: GET /users/@me, then
GET /oauth2/applications/@me - if the simulator lacks the latter, fall back to http.static_login and say so);
fetch_guilds(limit=None); guild.fetch_channels(); for every channel the simulator's truth endpoint
(GET /__sim/truth/guilds/{id}/channels) marks `readable` and that carries messages (text, announcement, voice, stage
and threads), read channel.history(limit=None, oldest_first=True) and compare its ids with the non-deleted ids of
GET /__sim/truth/channels/{id}/messages: exactly equal, same order, no duplicates. Channels that are not readable
must yield no message (403 or an empty list). No gateway connection is made.

Exit status 1 on any mismatch; the last line is "discordpy_check: N passed, N failed".
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
import traceback
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import discord
import discord.http

THREAD_TYPES = {10, 11, 12}
# Channel types whose messages can be read with channel.history (forum/media/category/directory carry none).
MESSAGE_CHANNEL_TYPES = {0, 2, 5, 13} | THREAD_TYPES


class RateLimitCounter(logging.Handler):
    """Counts discord.py's rate-limit warnings, to report how often the simulator's 429s were honoured."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "rate limit" in record.getMessage().lower():
            self.count += 1


class Checker:
    def __init__(self, api_base: str, token: str, verbose: bool, truth_origin: str | None = None) -> None:
        parts = urlsplit(api_base)
        self.origin = (truth_origin or f"{parts.scheme}://{parts.netloc}").rstrip("/")
        self.api_base = api_base.rstrip("/")
        self.token = token
        self.verbose = verbose
        self.passed = 0
        self.failed = 0
        self.notes: list[str] = []

    def ok(self, what: str) -> None:
        self.passed += 1
        if self.verbose:
            print(f"ok   {what}")

    def fail(self, what: str) -> None:
        self.failed += 1
        print(f"FAIL {what}")

    def truth(self, path: str) -> Any:
        request = urllib.request.Request(self.origin + path, headers={"Authorization": f"Bot {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    async def login(self, client: discord.Client) -> None:
        try:
            await client.login(self.token)
            self.ok("client.login (GET /users/@me + GET /oauth2/applications/@me)")
        except discord.NotFound as error:
            # client.login also fetches the application; a simulator without that route still supports the REST
            # archive path, so log in the lower-level way and record the gap.
            self.notes.append(f"client.login failed on the application lookup ({error.status} {error.text!r}); "
                              "continued with the user from GET /users/@me")
            if client.user is None:  # login fails after GET /users/@me succeeded, so normally the user is set
                data = await client.http.static_login(self.token)
                client._connection.user = discord.ClientUser(state=client._connection, data=data)  # noqa: SLF001
            self.ok("GET /users/@me via discord.py's static login")
        user = client.user
        print(f"logged in as {user} (id {user.id if user else '?'}, bot={user.bot if user else '?'})")

    async def run(self, expect_guilds: int | None) -> None:
        discord.http.Route.BASE = self.api_base
        intents = discord.Intents.none()
        intents.guilds = True
        async with discord.Client(intents=intents) as client:
            await self.login(client)
            guilds = [guild async for guild in client.fetch_guilds(limit=None)]
            ids = [g.id for g in guilds]
            if len(ids) != len(set(ids)):
                self.fail(f"fetch_guilds returned duplicates: {ids}")
            elif expect_guilds is not None and len(ids) != expect_guilds:
                self.fail(f"fetch_guilds returned {len(ids)} guilds, expected {expect_guilds}")
            else:
                self.ok(f"fetch_guilds: {len(ids)} guilds")
            total_messages = 0
            for guild in guilds:
                total_messages += await self.check_guild(client, guild)
            print(f"read {total_messages} messages with channel.history")

    async def check_guild(self, client: discord.Client, guild: discord.Guild) -> int:
        truth_channels = self.truth(f"/__sim/truth/guilds/{guild.id}/channels")
        by_id = {int(c["id"]): c for c in truth_channels}
        channels = await guild.fetch_channels()
        fetched_ids = {c.id for c in channels}
        truth_top = {cid for cid, c in by_id.items() if int(c["type"]) not in THREAD_TYPES}
        if fetched_ids != truth_top:
            self.fail(f"guild {guild.id}: fetch_channels ids differ from truth: missing "
                      f"{sorted(truth_top - fetched_ids)}, extra {sorted(fetched_ids - truth_top)}")
        else:
            self.ok(f"guild {guild.id}: fetch_channels lists the {len(fetched_ids)} truth channels (no threads)")
        fetched = {c.id: c for c in channels}
        read = 0
        for cid, info in sorted(by_id.items()):
            ctype = int(info["type"])
            if ctype not in MESSAGE_CHANNEL_TYPES:
                continue
            channel = fetched.get(cid)
            if channel is None:
                try:
                    channel = await client.fetch_channel(cid)
                except discord.HTTPException as error:
                    if info.get("readable"):
                        self.fail(f"channel {cid} (type {ctype}): fetch_channel failed: {error.status} {error.text}")
                    else:
                        self.ok(f"channel {cid} (type {ctype}, not readable): fetch_channel refused ({error.status})")
                    continue
            read += await self.check_history(channel, cid, ctype, bool(info.get("readable")))
        return read

    async def check_history(self, channel: Any, cid: int, ctype: int, readable: bool) -> int:
        label = f"channel {cid} (type {ctype}, {getattr(channel, 'name', '?')})"
        started = time.monotonic()
        try:
            got = [m.id async for m in channel.history(limit=None, oldest_first=True)]
        except discord.Forbidden as error:
            if readable:
                self.fail(f"{label}: history raised 403 {error.text!r} but truth says readable")
            else:
                self.ok(f"{label}: not readable, history 403")
            return 0
        except discord.HTTPException as error:
            self.fail(f"{label}: history failed: {error.status} {error.text!r}")
            return 0
        if not readable:
            if got:
                self.fail(f"{label}: not readable per truth, yet history returned {len(got)} messages")
            else:
                self.ok(f"{label}: not readable, history empty")
            return len(got)
        truth = self.truth(f"/__sim/truth/channels/{cid}/messages")
        expected = [int(m["id"]) for m in truth if not m.get("deleted")]
        problems = []
        if len(got) != len(set(got)):
            dupes = sorted({i for i in got if got.count(i) > 1})
            problems.append(f"{len(got) - len(set(got))} duplicates (e.g. {dupes[:3]})")
        if got != sorted(got):
            problems.append("not in ascending id order")
        missing = set(expected) - set(got)
        extra = set(got) - set(expected)
        if missing:
            problems.append(f"{len(missing)} missing (e.g. {sorted(missing)[:3]})")
        if extra:
            problems.append(f"{len(extra)} extra (e.g. {sorted(extra)[:3]})")
        if not problems and got != expected:
            problems.append("same ids, different order")
        elapsed = time.monotonic() - started
        if problems:
            self.fail(f"{label}: history has {len(got)} ids, truth {len(expected)}: {'; '.join(problems)}")
        else:
            self.ok(f"{label}: history == truth ({len(got)} messages, {elapsed:.2f}s)")
        return len(got)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-base", required=True, help="e.g. http://127.0.0.1:PORT/api/v10")
    parser.add_argument("--token", required=True)
    parser.add_argument("--expect-guilds", type=int)
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--truth-origin", help="the simulator's origin for /__sim/truth when --api-base is another "
                        "server reading its archive (skald serve); default: the origin of --api-base")
    args = parser.parse_args(argv)

    counter = RateLimitCounter()
    logging.basicConfig(level=logging.WARNING, format="discord.py %(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord").addHandler(counter)
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # "PyNaCl is not installed": no voice needed

    checker = Checker(args.api_base, args.token, args.verbose, args.truth_origin)
    started = time.monotonic()
    try:
        asyncio.run(checker.run(args.expect_guilds))
    except Exception as error:  # noqa: BLE001 - any crash of the client is a fidelity failure to report
        traceback.print_exc()
        checker.fail(f"discord.py raised {type(error).__name__}: {error}")
    for note in checker.notes:
        print(f"note: {note}")
    print(f"discord.py {discord.__version__}: {time.monotonic() - started:.1f}s, "
          f"{counter.count} rate-limit warnings from discord.py")
    print(f"discordpy_check: {checker.passed} passed, {checker.failed} failed")
    return 1 if checker.failed or not checker.passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
