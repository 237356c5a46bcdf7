#!/usr/bin/env python3
"""The peer of `scripts/bench`: read every given channel's full history with discord.py, over REST only.

Usage:
    bench_discordpy.py --api-base http://127.0.0.1:PORT/api/v10 --token TOKEN --channel ID [--channel ID ...]

Points discord.http.Route.BASE at the simulator, logs in (GET /users/@me, GET /oauth2/applications/@me; no gateway),
fetches the guilds and their channels, then reads each given channel with
`channel.history(limit=None, oldest_first=True)`, all channels at once with `asyncio.gather` — the way a discord.py
user would write an archiver. Prints one JSON line: {"messages", "seconds", "channels", "rateLimitWarnings"}.
The bench driver measures this process's CPU time and peak RSS from outside (wait4).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time

import discord
import discord.http


class RateLimitCounter(logging.Handler):
    """Counts discord.py's rate-limit log lines (its own view of the 429s it honoured)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "rate limit" in record.getMessage().lower():
            self.count += 1


async def read_all(api_base: str, token: str, wanted: set[int]) -> dict:
    discord.http.Route.BASE = api_base.rstrip("/")
    intents = discord.Intents.none()
    intents.guilds = True
    async with discord.Client(intents=intents) as client:
        try:
            await client.login(token)
        except discord.NotFound:  # a simulator without GET /oauth2/applications/@me: log in the lower-level way
            if client.user is None:
                data = await client.http.static_login(token)
                client._connection.user = discord.ClientUser(state=client._connection, data=data)  # noqa: SLF001
        started = time.monotonic()
        channels = []
        async for guild in client.fetch_guilds(limit=None):
            for channel in await guild.fetch_channels():
                if channel.id in wanted:
                    channels.append(channel)

        async def history(channel) -> int:
            count = 0
            async for _ in channel.history(limit=None, oldest_first=True):
                count += 1
            return count

        counts = await asyncio.gather(*(history(channel) for channel in channels))
        return {"messages": sum(counts), "seconds": time.monotonic() - started, "channels": len(channels)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--channel", action="append", type=int, default=[])
    args = parser.parse_args(argv)
    counter = RateLimitCounter()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("discord").addHandler(counter)
    logging.getLogger("discord").setLevel(logging.WARNING)
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # "PyNaCl is not installed": no voice needed
    result = asyncio.run(read_all(args.api_base, args.token, set(args.channel)))
    result["rateLimitWarnings"] = counter.count
    result["discordpy"] = discord.__version__
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
