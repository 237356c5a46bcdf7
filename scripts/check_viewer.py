#!/usr/bin/env python3
"""The viewer of `skald serve` in a real browser (headless Chromium): a small archive made from the simulator
(a markdown message, an edited one, downloaded media) and DCE exports imported into it (one with `import --media`),
then the channel view jumped to a message, the search page, a message's edit history, a guild's channel list and the
imported channels (the copied photo drawn from /media/), each screenshotted to .build/screens/NAME.png.

Chromium is driven over the DevTools protocol (on a pipe, standard library only). Fails when a page throws or logs
an error (a JavaScript exception, a Content-Security-Policy refusal, a failed request to the server), when a page
lacks what it must show (the jumped-to message highlighted with its markdown, results, channels, the earlier
version), when scrolling up does not load older messages, or when a screenshot is blank.

Usage: scripts/check-viewer [--skald PATH] [--out DIR]   (installs the Debian package `chromium` when missing)
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    print("check-viewer: installing chromium (Debian package)", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL, check=True)
        subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=True)
    found = shutil.which("chromium")
    if not found:
        raise SystemExit("check-viewer: chromium is not installed and could not be")
    return found


class Process:
    """A long-running skald command; waits for the line that says it listens."""

    def __init__(self, argv: list[str], pattern: str, log: Path) -> None:
        self.log = open(log, "w")
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log, text=True,
                                        start_new_session=True)
        line = self.process.stdout.readline() if self.process.stdout else ""
        self.match = re.search(pattern, line)
        if not self.match:
            self.stop()
            raise SystemExit(f"check-viewer: {argv[1]} did not start (got {line!r}); see {log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def http_json(url: str, body: dict | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


MARKDOWN = ("**The viewer** renders _markdown_: ~~strike~~, __underline__, ||a spoiler||, `inline code`,\n"
            "> a quote with a [masked link](https://example.com)\n"
            "- a list item\n- another one\n"
            "```swift\nlet archive = \"safe\"\n```")


# A DCE export (made with --media: its attachments are paths) whose channel (35 messages) the archive knows only
# from `skald import`.
IMPORTED_FILE = ROOT / "Tests/ExportTests/Fixtures/general.json"
IMPORTED_CHANNEL = json.loads(IMPORTED_FILE.read_text(encoding="utf-8"))["channel"]

# A DCE export made with --media whose downloaded files sit beside it (Windows paths), imported with `import --media`:
# its photo is copied into the archive's media folder and must load in the viewer from /media/.
MEDIA_EXPORT = ROOT / "Tests/ExportTests/Fixtures/shapes/media-2.36-windows"
MEDIA_FILE = "Shapes Hall - Text Channels - pictures [1070284123668611072].json"
MEDIA_PHOTO = MEDIA_FILE + "_Files/photo-A1B2D.png"


def png(width: int, height: int) -> bytes:
    """A real PNG of one colour (the fixture's files are a few placeholder bytes, which no browser draws)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + b"\x58\x65\xf2" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def make_archive(skald: str, work: Path) -> tuple[str, str]:
    """The archive's path and the id of the channel the markdown and edited messages are in."""
    sim = Process([skald, "sim", "--port", "0", "--seed", "23", "--guilds", "1", "--channels", "3", "--messages",
                   "150", "--threads", "2", "--rate-limits", "off"],
                  r"skald-sim listening on (\S+) token=(\S+)", work / "sim.log")
    base, token = sim.match.group(1), sim.match.group(2)
    db = work / "archive.sqlite"
    try:
        guild = http_json(base + "/__sim/truth/guilds")[0]["id"]
        channels = http_json(f"{base}/__sim/truth/guilds/{guild}/channels")
        channel = [c["id"] for c in channels if c.get("readable") and c.get("type") == 0][0]
        mutate = base + "/__sim/mutate"
        forums = [c["id"] for c in channels if c.get("type") == 15]
        if forums:
            http_json(mutate, {"op": "createThread", "channelId": forums[0], "name": "A forum post", "type": 11})
        http_json(mutate, {"op": "create", "channelId": channel, "content": MARKDOWN})
        draft = http_json(mutate, {"op": "create", "channelId": channel, "content": "a first draft of the plan"})
        archive = [skald, "archive", "--api-base", base + "/api/v10", "--token", token, "--db", f"sqlite:{db}",
                   "--media"]
        subprocess.run(archive, stdout=subprocess.DEVNULL, stderr=open(work / "archive.log", "w"), check=True)
        http_json(mutate, {"op": "edit", "channelId": channel, "messageId": str(draft.get("id", "")),
                           "content": "the **final** plan, edited"})
        subprocess.run(archive + ["--recheck", "3650"], stdout=subprocess.DEVNULL,
                       stderr=open(work / "recheck.log", "w"), check=True)
        # History imported from a DiscordChatExporter file, which the viewer shows beside the archived guild.
        subprocess.run([skald, "import", str(IMPORTED_FILE), "--db", f"sqlite:{db}"], stdout=subprocess.DEVNULL,
                       stderr=open(work / "import.log", "w"), check=True)
        media_export = work / "media-export"
        shutil.copytree(MEDIA_EXPORT, media_export)
        (media_export / MEDIA_PHOTO).write_bytes(png(48, 32))
        subprocess.run([skald, "import", "--media", str(media_export / MEDIA_FILE), "--db", f"sqlite:{db}"],
                       stdout=subprocess.DEVNULL, stderr=open(work / "import-media.log", "w"), check=True)
    finally:
        sim.stop()
    return str(db), channel


def png_is_blank(data: bytes) -> bool:
    """Whether a screenshot is (nearly) one color: fewer than 8 distinct byte values in its pixel rows."""
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return len(set(pixels[::7])) < 8


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON messages ended
    by NUL, commands on fd 3, answers and events on fd 4). `--screenshot` cannot be used: it draws a scrolled page
    blank, and a jump to a message scrolls."""

    def __init__(self, binary: str, work: Path) -> None:
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def wire() -> None:
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=open(work / "chromium.log", "w"), preexec_fn=wire, close_fds=False)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.call(method, session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=True)

    def read(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise SystemExit("check-viewer: chromium closed its pipe (see chromium.log)")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        self.next_id += 1
        command = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(command).encode() + b"\0")
        while True:
            message = self.read()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise SystemExit(f"check-viewer: {method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(e.get("method") == event for e in self.events):
                return
            self.call("Runtime.evaluate", {"expression": "1"}, session=True)
            time.sleep(0.1)
        raise SystemExit(f"check-viewer: no {event} within {seconds} s")

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=True)
        return result.get("result", {}).get("value")

    def open(self, url: str) -> None:
        # From a blank page: navigating to the same URL with a fragment would only scroll, with no load event.
        self.events.clear()
        self.call("Page.navigate", {"url": "about:blank"}, session=True)
        self.wait_for("Page.loadEventFired", 60)
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for("Page.loadEventFired", 60)
        self.settle()

    def settle(self) -> None:
        """Lets the page's fetches finish: waits until no new event arrived for a second (10 s at most)."""
        deadline = time.monotonic() + 10
        seen = -1
        while time.monotonic() < deadline and seen != len(self.events):
            seen = len(self.events)
            time.sleep(1)
            self.evaluate("1")

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"])

    def problems(self, own_origin: str) -> list[str]:
        """JavaScript exceptions, console errors and the browser's error log (a CSP refusal, a failed request to the
        server); resources elsewhere (Discord's CDN, unreachable offline) are not the page's fault."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append("exception: " + params.get("exceptionDetails", {}).get("text", "?"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                found.append("console." + params["type"] + ": " + " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Log.entryAdded":
                entry = params.get("entry", {})
                external = entry.get("source") == "network" and not entry.get("url", "").startswith(own_origin)
                if entry.get("level") == "error" and not external:
                    found.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
        return found

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except SystemExit:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skald", default=str(ROOT / ".build/debug/skald"))
    parser.add_argument("--out", default=str(ROOT / ".build/screens"))
    args = parser.parse_args(argv)
    browser_binary = chromium()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="skald-viewer-"))
    failures: list[str] = []
    pages: dict[str, tuple[str, str]] = {}
    try:
        db, channel = make_archive(args.skald, work)
        serve = Process([args.skald, "serve", "--db", f"sqlite:{db}", "--port", "0"],
                        r"skald-serve listening on (\S+)", work / "serve.log")
        try:
            url = serve.match.group(1)
            found = http_json(f"{url}/skald/api/search?q=viewer%20renders")["results"]
            target = found[0]["message"]["id"] if found else None
            edited = http_json(f"{url}/skald/api/search?q=plan%20edited:true")["results"]
            guild = http_json(f"{url}/skald/api/guilds")[0]["id"]
            # Each page with a check of what it must show once loaded (a JavaScript expression).
            pages = {
                "channel": (f"{url}/channels/{channel}?around={target}#m{target}",
                            "document.querySelector('.msg.target strong') !== null"
                            " && document.querySelector('.md-codeblock') !== null"),
                "search": (f"{url}/search?q=plan", "document.querySelectorAll('ol.results li').length > 0"),
                "guild": (f"{url}/guilds/{guild}", "document.querySelectorAll('ul.channels a').length > 2"),
                "imported": (f"{url}/channels/{IMPORTED_CHANNEL['id']}",
                             "document.querySelectorAll('.msg').length >= 35"
                             f" && document.title.includes({json.dumps(IMPORTED_CHANNEL['name'])})"),
                # The photo `import --media` copied, served from the archive's media folder and drawn.
                "imported-media": (f"{url}/channels/1070284123668611072",
                                   "[...document.images].some(i => i.getAttribute('src').startsWith('/media/')"
                                   " && i.complete && i.naturalWidth === 48)"),
            }
            forums = [c["id"] for c in http_json(f"{url}/skald/api/guilds/{guild}/channels")
                      if c["channel"].get("type") == 15]
            if forums:
                pages["forum"] = (f"{url}/channels/{forums[0]}", "document.querySelectorAll('ul.threads li a').length > 0")
            if edited:
                message = edited[0]["message"]["id"]
                pages["history"] = (f"{url}/channels/{channel}/history/{message}",
                                    "document.body.innerText.includes('first draft')"
                                    " && document.querySelector('strong')?.textContent === 'final'")
            else:
                failures.append("the edited message was not found by edited:true")
            if not target:
                failures.append("the markdown message was not found by search")
            browser = Browser(browser_binary, work)
            try:
                for name, (page, marker) in pages.items():
                    browser.open(page)
                    if not browser.evaluate(marker):
                        failures.append(f"{name}: the page lacks what its scripts and links should show ({marker})")
                    if name == "channel":
                        # Infinite scroll: at the top, older messages arrive in place.
                        before = browser.evaluate("document.querySelectorAll('.msg').length")
                        browser.evaluate("window.scrollTo(0, 0)")
                        browser.settle()
                        after = browser.evaluate("document.querySelectorAll('.msg').length")
                        if not (isinstance(before, int) and isinstance(after, int) and after > before):
                            failures.append(f"channel: scrolling up loaded no older messages ({before} -> {after})")
                        else:
                            print(f"check-viewer: channel: scrolling up loaded older messages ({before} -> {after})")
                        browser.open(page)
                    failures += [f"{name}: {problem}" for problem in browser.problems(url)]
                    png = browser.screenshot()
                    (out / f"{name}.png").write_bytes(png)
                    if png_is_blank(png):
                        failures.append(f"{name}: the screenshot is blank")
                    else:
                        print(f"check-viewer: {name}: {out / (name + '.png')} ({len(png):,} bytes)")
            finally:
                browser.close()
        finally:
            serve.stop()
    finally:
        if not failures:
            shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print(f"check-viewer: FAIL {failure}", file=sys.stderr)
    if failures:
        print(f"check-viewer: logs in {work}", file=sys.stderr)
        return 1
    print(f"check-viewer: {len(pages)} pages ({', '.join(pages)}) render in Chromium with no error")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
