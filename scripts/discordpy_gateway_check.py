#!/usr/bin/env python3
"""discord.py 2.7 against the simulator's gateway: a real third-party client, not written here.

Steps: point discord.py at the simulator (REST through discord.http.Route.BASE; the gateway through
DiscordWebSocket.DEFAULT_GATEWAY, which a plain Client uses instead of GET /gateway/bot, and which it reconnects to
after op 9); start the client and wait for on_ready; create, edit and delete a message through /__sim/mutate and
wait for on_message, on_message_edit and on_raw_message_delete; force a disconnect (POST /__sim/gateway/disconnect)
and create another message: discord.py must resume (the simulator counts the RESUME) and receive it.
Exit status 0 when every step happened, 1 otherwise (with what was missing).
"""
import argparse
import asyncio
import json
import sys
import urllib.request

import discord
import discord.gateway
import discord.http
import yarl


def post(base, path, body=None):
    request = urllib.request.Request(
        base + path, data=json.dumps(body or {}).encode(), headers={"content-type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode() or "{}"
    return json.loads(text)


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.loads(response.read().decode())


async def check(base, token):
    api = base + "/api/v10"
    discord.http.Route.BASE = api
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(base.replace("http://", "ws://") + "/gateway")
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = True
    seen = {"ready": asyncio.Event(), "message": {}, "edit": {}, "delete": {}}
    loop = asyncio.get_running_loop()

    def waiter(kind, key):
        return seen[kind].setdefault(key, loop.create_future())

    client = discord.Client(intents=intents)

    @client.event
    async def on_ready():
        seen["ready"].set()

    @client.event
    async def on_message(message):
        waiter("message", str(message.id)).done() or waiter("message", str(message.id)).set_result(message.content)

    @client.event
    async def on_message_edit(before, after):
        waiter("edit", str(after.id)).done() or waiter("edit", str(after.id)).set_result(after.content)

    @client.event
    async def on_raw_message_delete(payload):
        key = str(payload.message_id)
        waiter("delete", key).done() or waiter("delete", key).set_result(True)

    failures = []
    runner = asyncio.create_task(client.start(token))
    try:
        await asyncio.wait_for(seen["ready"].wait(), 30)
        print("on_ready: ok")
        guild = get(base, "/__sim/truth/guilds")[0]["id"]
        channels = get(base, f"/__sim/truth/guilds/{guild}/channels")
        channel = [c["id"] for c in channels if c.get("readable") and c.get("type") == 0][0]
        created = post(base, "/__sim/mutate", {"op": "create", "channelId": channel, "content": "from the gateway"})["id"]
        content = await asyncio.wait_for(waiter("message", created), 15)
        print(f"on_message: ok ({content!r})") if content == "from the gateway" else failures.append("on_message content")
        post(base, "/__sim/mutate", {"op": "edit", "channelId": channel, "messageId": created, "content": "edited"})
        edited = await asyncio.wait_for(waiter("edit", created), 15)
        print(f"on_message_edit: ok ({edited!r})") if edited == "edited" else failures.append("on_message_edit")
        post(base, "/__sim/mutate", {"op": "delete", "channelId": channel, "messageId": created})
        await asyncio.wait_for(waiter("delete", created), 15)
        print("on_raw_message_delete: ok")
        resumes_before = get(base, "/__sim/stats")["gateway"]["resumes"]
        post(base, "/__sim/gateway/disconnect")
        after = post(base, "/__sim/mutate", {"op": "create", "channelId": channel, "content": "after the disconnect"})["id"]
        await asyncio.wait_for(waiter("message", after), 30)
        resumes = get(base, "/__sim/stats")["gateway"]["resumes"]
        if resumes > resumes_before:
            print(f"resume after a forced disconnect: ok ({resumes} resumes)")
        else:
            failures.append("discord.py did not RESUME after the forced disconnect")
    except asyncio.TimeoutError:
        failures.append("timed out waiting for a gateway event")
    finally:
        await client.close()
        runner.cancel()
        try:
            await runner
        except (asyncio.CancelledError, Exception):
            pass
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="simulator root, http://127.0.0.1:PORT")
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    failures = asyncio.run(check(args.base, args.token))
    if failures:
        print("discordpy_gateway_check: FAILED: " + "; ".join(failures))
        sys.exit(1)
    print("discordpy_gateway_check: discord.py saw on_ready, on_message, on_message_edit, on_raw_message_delete and resumed")


if __name__ == "__main__":
    main()
