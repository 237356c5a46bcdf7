#!/usr/bin/env python3
"""Walk a running simulator's REST API and write every exchange as JSONL for openapi_validate.py.

Usage:
    capture_exchanges.py --api-base http://127.0.0.1:PORT/api/v10 --token TOKEN --out exchanges.jsonl [--no-writes]

Walks: /users/@me, /users/@me/guilds (paged), /gateway, /gateway/bot; per guild the guild (plain and with_counts),
channels, roles, emojis, stickers, scheduled events (+ users), members, active threads; per channel the channel,
every message page (before-paging and after-paging, limit 100), around, one single message, pins (new route, paged,
and the old route), reaction users of a few reacted messages (type 0 and 1), webhooks, archived threads (public,
private, joined-private, paged); per thread the thread and its first message page. Then error cases (unknown
channel/guild/message/event/webhook, bad limits, unknown route, bad token) and, unless --no-writes, create message
(JSON and multipart), create webhook + execute (wait=false and wait=true), create channel, create role, and a
permission overwrite; last, GET /gateway/bot until one 429 (recorded, not retried). Requests run one at a time; a
429 is recorded, then honoured (sleep retry_after) and retried.

Each line: {"method", "path", "status", "body"|"raw", "content_type", "headers", "expect_status"?, "expect_code"?,
"note"?}. Bounded: at most --max-requests requests and --deadline seconds.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.request
import uuid
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

USER_AGENT = "DiscordBot (https://github.com/skald/skald, 0.1) skald-fidelity-capture"
THREAD_TYPES = {10, 11, 12}
MESSAGE_CHANNEL_TYPES = {0, 2, 5, 13}
THREAD_PARENT_TYPES = {0, 5, 15, 16}
KEPT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-reset-after",
                "x-ratelimit-bucket", "x-ratelimit-scope", "x-ratelimit-global", "retry-after", "via")


class BudgetExhausted(Exception):
    pass


class Capture:
    def __init__(self, api_base: str, token: str, out: Any, max_requests: int, deadline: float) -> None:
        self.api_base = api_base.rstrip("/")
        self.prefix = urlsplit(self.api_base).path  # "/api/v10"
        self.token = token
        self.out = out
        self.max_requests = max_requests
        self.deadline = time.monotonic() + deadline
        self.requests = 0
        self.rate_limited = 0
        self.statuses: dict[str, int] = {}
        self.unimplemented: set[str] = set()

    # -- HTTP ----------------------------------------------------------------------------------------------------------

    def call(self, method: str, path: str, *, query: dict[str, Any] | None = None, json_body: Any = None,
             multipart: tuple[bytes, str] | None = None, auth: bool = True, token: str | None = None,
             expect_status: int | None = None, expect_code: int | None = None, note: str | None = None,
             retry_429: bool = True) -> Any:
        """Sends one request (retrying after a 429), records it, and returns the parsed body (or None)."""
        full_path = self.prefix + path + (f"?{urlencode(query)}" if query else "")
        while True:
            if self.requests >= self.max_requests or time.monotonic() > self.deadline:
                raise BudgetExhausted(f"{self.requests} requests")
            self.requests += 1
            headers = {"User-Agent": USER_AGENT}
            if auth:
                headers["Authorization"] = f"Bot {token or self.token}"
            data = None
            if json_body is not None:
                data = json.dumps(json_body).encode()
                headers["Content-Type"] = "application/json"
            elif multipart is not None:
                data, headers["Content-Type"] = multipart
            request = urllib.request.Request(self.api_base.removesuffix(self.prefix) + full_path, data=data,
                                             headers=headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, raw, response_headers = response.status, response.read(), response.headers
            except urllib.error.HTTPError as error:
                status, raw, response_headers = error.code, error.read(), error.headers
            record: dict[str, Any] = {"method": method, "path": full_path, "status": status}
            body = None
            if raw:
                try:
                    body = json.loads(raw)
                    record["body"] = body
                except ValueError:
                    record["raw"] = raw[:500].decode("utf-8", "replace")
            record["content_type"] = response_headers.get("Content-Type")
            record["headers"] = {name: response_headers[name] for name in KEPT_HEADERS if name in response_headers}
            if status != 429:
                if expect_status is not None:
                    record["expect_status"] = expect_status
                if expect_code is not None:
                    record["expect_code"] = expect_code
            if note:
                record["note"] = note
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if status == 404 and body == {"message": "404: Not Found", "code": 0} and expect_code != 0:
                self.unimplemented.add(f"{method} {path}")
            key = f"{method} {status}"
            self.statuses[key] = self.statuses.get(key, 0) + 1
            if status == 429:
                self.rate_limited += 1
                if not retry_429:
                    return body
                retry_after = body.get("retry_after", 1.0) if isinstance(body, dict) else 1.0
                time.sleep(min(float(retry_after), 10.0))
                continue
            return body if 200 <= status < 300 else None

    def get(self, path: str, **query: Any) -> Any:
        return self.call("GET", path, query={k: v for k, v in query.items() if v is not None} or None)

    # -- walk ----------------------------------------------------------------------------------------------------------

    def walk(self, writes: bool) -> None:
        self.call("GET", "/users/@me", expect_status=200)
        self.call("GET", "/gateway", auth=False, expect_status=200)
        self.call("GET", "/gateway/bot", expect_status=200)
        guilds = self.page_guilds()
        channels_by_guild: dict[str, list[dict[str, Any]]] = {}
        for guild in guilds:
            channels_by_guild[guild["id"]] = self.walk_guild(guild["id"])
        for guild in guilds:
            self.walk_channels(guild["id"], channels_by_guild[guild["id"]])
        first_guild = guilds[0]["id"] if guilds else "0"
        text_channels = [c for cs in channels_by_guild.values() for c in cs if c.get("type") == 0]
        self.errors(first_guild, text_channels[0]["id"] if text_channels else "0")
        if writes and guilds and text_channels:
            self.writes(first_guild, text_channels[0]["id"])
        self.provoke_rate_limit()

    def provoke_rate_limit(self) -> None:
        """Calls GET /gateway/bot until it answers 429 (at most 12 calls), so one real 429 gets validated."""
        for _ in range(12):
            before = self.rate_limited
            self.call("GET", "/gateway/bot", retry_429=False, note="rate-limit probe")
            if self.rate_limited > before:
                return
        print("capture_exchanges: note: 12 calls to GET /gateway/bot drew no 429 (bucket widened?)", file=sys.stderr)

    def page_guilds(self) -> list[dict[str, Any]]:
        guilds: list[dict[str, Any]] = []
        after = "0"
        for _ in range(50):
            page = self.call("GET", "/users/@me/guilds", query={"limit": 1, "after": after}, expect_status=200) or []
            new = [g for g in page if g["id"] not in {known["id"] for known in guilds}]
            guilds.extend(new)
            if len(page) < 1 or not new:  # a page of nothing new: stop (the validator judges the pages)
                break
            after = page[-1]["id"]
        self.call("GET", "/users/@me/guilds", query={"with_counts": "true"}, expect_status=200)
        return guilds

    def walk_guild(self, g: str) -> list[dict[str, Any]]:
        self.call("GET", f"/guilds/{g}", expect_status=200)
        self.call("GET", f"/guilds/{g}", query={"with_counts": "true"}, expect_status=200)
        channels = self.call("GET", f"/guilds/{g}/channels", expect_status=200) or []
        self.call("GET", f"/guilds/{g}/roles", expect_status=200)
        emojis = self.call("GET", f"/guilds/{g}/emojis", expect_status=200) or []
        for emoji in emojis[:2]:
            self.get(f"/guilds/{g}/emojis/{emoji['id']}")
        self.call("GET", f"/guilds/{g}/stickers", expect_status=200)
        events = self.call("GET", f"/guilds/{g}/scheduled-events", query={"with_user_count": "true"},
                           expect_status=200) or []
        self.get(f"/guilds/{g}/scheduled-events")
        for event in events[:3]:
            self.get(f"/guilds/{g}/scheduled-events/{event['id']}")
            self.get(f"/guilds/{g}/scheduled-events/{event['id']}/users", limit=100, with_member="true")
        after = "0"
        for _ in range(20):
            members = self.get(f"/guilds/{g}/members", limit=1000, after=after)
            if not members or len(members) < 1000:
                break
            after = members[-1]["user"]["id"]
        self.get(f"/guilds/{g}/members")
        active = self.call("GET", f"/guilds/{g}/threads/active", expect_status=200) or {}
        for thread in (active.get("threads") or [])[:4]:
            self.walk_thread(thread["id"])
        # Search Guild Messages (documented 2026-03-19): words, a filter oldest first further on, by relevance.
        search = f"/guilds/{g}/messages/search"
        self.call("GET", search, query={"content": "saga", "limit": 25}, expect_status=200)
        self.call("GET", search, query={"has": "image", "sort_order": "asc", "offset": 25}, expect_status=200)
        self.call("GET", search, query={"sort_by": "relevance", "content": "raven storm"}, expect_status=200)
        # The 202 of a guild whose index is not built yet (the simulator's admin switch makes one).
        admin = urllib.request.Request(
            self.api_base.removesuffix(self.prefix) + "/__sim/mutate", method="POST",
            data=json.dumps({"op": "searchIndex", "guildId": g, "pending": 1}).encode(),
            headers={"Content-Type": "application/json"})
        urllib.request.urlopen(admin, timeout=30).read()
        self.call("GET", search, query={"content": "saga"}, expect_status=202, expect_code=110000,
                  note="index not yet available")
        return channels

    def walk_thread(self, t: str) -> None:
        self.get(f"/channels/{t}")
        self.get(f"/channels/{t}/messages", limit=100)
        self.get(f"/channels/{t}/thread-members")

    def walk_channels(self, g: str, channels: list[dict[str, Any]]) -> None:
        for channel in channels:
            c, ctype = channel["id"], channel.get("type")
            self.get(f"/channels/{c}")
            if ctype in MESSAGE_CHANNEL_TYPES:
                self.walk_messages(c)
            if ctype in THREAD_PARENT_TYPES:
                seen_threads = self.walk_archived(c)
                for t in seen_threads[:2]:
                    self.walk_thread(t)
        webhook_channel = next((c["id"] for c in channels if c.get("type") == 0), None)
        if webhook_channel:
            self.get(f"/channels/{webhook_channel}/webhooks")

    def walk_messages(self, c: str) -> None:
        messages: list[dict[str, Any]] = []
        before = None
        for _ in range(100):
            page = self.get(f"/channels/{c}/messages", limit=100, before=before)
            if not page:
                break
            messages.extend(page)
            if len(page) < 100:
                break
            before = page[-1]["id"]
        after = "0"
        for _ in range(100):
            page = self.get(f"/channels/{c}/messages", limit=100, after=after)
            if not page or len(page) < 100:
                break
            after = page[0]["id"]
        self.get(f"/channels/{c}/messages")  # default limit
        if messages:
            middle = messages[len(messages) // 2]["id"]
            self.get(f"/channels/{c}/messages", around=middle, limit=10)
            self.call("GET", f"/channels/{c}/messages/{middle}", expect_status=200)
        pins_before = None
        for _ in range(20):
            pins = self.get(f"/channels/{c}/messages/pins", limit=2, before=pins_before)
            if not isinstance(pins, dict) or not pins.get("has_more") or not pins.get("items"):
                break
            pins_before = pins["items"][-1]["pinned_at"]
        self.get(f"/channels/{c}/pins")
        reacted = [m for m in messages if m.get("reactions")][:3]
        for message in reacted:
            for reaction in message["reactions"][:3]:
                emoji = reaction.get("emoji") or {}
                name = emoji.get("name") or ""
                key = f"{name}:{emoji['id']}" if emoji.get("id") else name
                path = f"/channels/{c}/messages/{message['id']}/reactions/{quote(key, safe='')}"
                self.get(path, limit=100, type=0)
                if (reaction.get("count_details") or {}).get("burst", 0) > 0:
                    self.get(path, limit=100, type=1)

    def walk_archived(self, c: str) -> list[str]:
        threads: list[str] = []
        for route, cursor in (("threads/archived/public", "ts"), ("threads/archived/private", "ts"),
                              ("users/@me/threads/archived/private", "id")):
            before = None
            for _ in range(20):
                page = self.get(f"/channels/{c}/{route}", limit=2, before=before)
                if not isinstance(page, dict):
                    break
                page_threads = page.get("threads") or []
                threads.extend(t["id"] for t in page_threads)
                if not page.get("has_more") or not page_threads:
                    break
                last = page_threads[-1]
                before = last["thread_metadata"]["archive_timestamp"] if cursor == "ts" else last["id"]
        return threads

    def errors(self, g: str, c: str) -> None:
        unknown = "1"
        self.call("GET", f"/channels/{unknown}", expect_status=404, expect_code=10003, note="unknown channel")
        self.call("GET", f"/guilds/{unknown}", expect_status=404, expect_code=10004, note="unknown guild")
        self.call("GET", f"/channels/{c}/messages/{unknown}", expect_status=404, expect_code=10008,
                  note="unknown message")
        self.call("GET", f"/guilds/{g}/scheduled-events/{unknown}/users", note="unknown scheduled event (10070)")
        self.call("POST", f"/webhooks/{unknown}/nope", auth=False, json_body={"content": "x"}, expect_status=404,
                  expect_code=10015, note="unknown webhook")
        self.call("GET", f"/channels/{c}/messages", query={"limit": 0}, expect_status=400, expect_code=50035,
                  note="limit 0")
        self.call("GET", f"/channels/{c}/messages", query={"limit": 101}, expect_status=400, expect_code=50035,
                  note="limit 101")
        self.call("GET", f"/guilds/{g}/messages/search", query={"limit": 26}, expect_status=400, expect_code=50035,
                  note="search limit 26")
        self.call("GET", "/definitely/not/a/route", expect_status=404, expect_code=0, note="unknown route")
        self.call("GET", "/users/@me", token="not-a-valid-token", expect_status=401, expect_code=0,
                  note="bad token")

    def writes(self, g: str, c: str) -> None:
        nonce = uuid.uuid4().hex[:20]
        self.call("POST", f"/channels/{c}/messages", json_body={
            "content": "fidelity probe", "allowed_mentions": {"parse": []}, "nonce": nonce, "enforce_nonce": True},
            expect_status=200, note="create message")
        boundary = uuid.uuid4().hex
        payload = json.dumps({"content": "fidelity probe with a file",
                              "attachments": [{"id": 0, "filename": "probe.txt", "description": "probe"}]})
        parts = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
                 f"Content-Type: application/json\r\n\r\n{payload}\r\n"
                 f"--{boundary}\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"probe.txt\"\r\n"
                 f"Content-Type: text/plain\r\n\r\nhello from the fidelity harness\n\r\n--{boundary}--\r\n")
        self.call("POST", f"/channels/{c}/messages", multipart=(parts.encode(), f"multipart/form-data; "
                                                                               f"boundary={boundary}"),
                  expect_status=200, note="create message with a file")
        webhook = self.call("POST", f"/channels/{c}/webhooks", json_body={"name": "Fidelity Hook"},
                            expect_status=200, note="create webhook")
        self.call("POST", f"/channels/{c}/webhooks", json_body={"name": "my discord hook"}, expect_status=400,
                  expect_code=50035, note="webhook name containing 'discord'")
        if isinstance(webhook, dict) and webhook.get("token"):
            hook = f"/webhooks/{webhook['id']}/{webhook['token']}"
            self.call("POST", hook, auth=False, json_body={"content": "via webhook", "username": "Replay"},
                      expect_status=204, note="execute webhook")
            self.call("POST", hook, auth=False, query={"wait": "true"},
                      json_body={"content": "via webhook, wait", "username": "Replay",
                                 "allowed_mentions": {"parse": []}}, expect_status=200, note="execute webhook wait")
            self.call("POST", f"/webhooks/{webhook['id']}/wrong-token", auth=False, json_body={"content": "x"},
                      expect_status=401, expect_code=50027, note="execute webhook with a bad token")
        created = self.call("POST", f"/guilds/{g}/channels", json_body={"name": "fidelity-probe", "type": 0},
                            expect_status=201, note="create channel")
        role = self.call("POST", f"/guilds/{g}/roles", json_body={"name": "fidelity-probe", "permissions": "0",
                                                                   "hoist": False, "mentionable": False},
                         expect_status=200, note="create role")
        if isinstance(created, dict) and isinstance(role, dict):
            self.call("PUT", f"/channels/{created['id']}/permissions/{role['id']}",
                      json_body={"type": 0, "allow": "1024", "deny": "0"}, expect_status=204,
                      note="edit channel permissions")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--no-writes", action="store_true")
    parser.add_argument("--max-requests", type=int, default=3000)
    parser.add_argument("--deadline", type=float, default=180.0, help="seconds")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with open(args.out, "w", encoding="utf-8") as out:
        capture = Capture(args.api_base, args.token, out, args.max_requests, args.deadline)
        try:
            capture.walk(writes=not args.no_writes)
        except BudgetExhausted as error:
            print(f"capture_exchanges: budget exhausted after {error}", file=sys.stderr)
            return 1
    if capture.unimplemented:
        templates = sorted({re.sub(r"/\d+(?=/|$)", "/{id}", p) for p in capture.unimplemented})
        print(f"capture_exchanges: routes answered as unknown (404 code 0): {', '.join(templates)}")
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(capture.statuses.items()))
    print(f"capture_exchanges: {capture.requests} requests in {time.monotonic() - started:.1f}s "
          f"({capture.rate_limited} rate limited) -> {args.out} [{statuses}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
