#!/usr/bin/env python3
"""Skald's benchmark driver (run it through `scripts/bench`, which builds the release binary and the venv).

Scenarios, each against a fresh `skald sim` process (one guild, no threads, so the counts are what they say):
  wide    40 readable channels x 5,000 messages, Discord's rate limits, 40 ms latency   (Skald and discord.py)
  deep    1 channel x 20,000 messages, 250 ms latency, messages bucket 20/1s            (Skald and discord.py)
  deep2   the deep scenario with two workers and two tokens: two `skald archive --worker` processes share the ranges
          of the one channel on a PostgreSQL archive (--postgres URL, or SKALD_BENCH_POSTGRES_URL or
          SKALD_TEST_POSTGRES_URL; a fresh schema per run); msg/s against twice the single-token reactive bound,
          message requests per token (Skald only; skipped without PostgreSQL)
  deep2ch 2 channels x 20,000 messages at once, one token, 250 ms latency, messages bucket 20/1s: two split channels
          share the token's global limit; msg/s against the latency-bound ("reactive") figure (Skald only)
  hostile the wide world behind a hostile Discord: lying message-history headers, an unannounced per-token limit of
          20 message requests per second, 3% faults (`--lying-headers --hidden-limit 20 --fault-rate 0.03`):
          invalid requests per 100 and msg/s against the hidden limit's ceiling (Skald only)
  cpu     4 channels x 250,000 messages, rate limits off, no latency: CPU s per 1M messages, peak RSS, DB bytes
          per message against the raw JSON bytes per message
  export  the cpu archive: DCE JSON export, then import into a fresh archive: messages/s, CPU s and peak RSS
          (`--export-archive PATH`: of a kept cpu archive instead of a new one, so the full size, 1M messages, is
          archived once and exported again and again)
  serve   the cpu archive through `skald serve`: p50/p95/p99 of channel pages around random messages, /api/v10 message
          pages, searches for a common word, a rare word and `from: has: before:`, Discord's guild search for the
          rare word and (three requests) the common one; the server's peak RSS
          (`--serve-postgres URL`: also on a copy of the archive in that empty PostgreSQL database; `--serve-archive
          PATH`: on a kept archive instead of a new one)
  live    `skald watch` on SQLite while the simulator emits 1,000 MESSAGE_CREATE/s for 60 s (POST
          /__sim/gateway/emit): events stored/s, p50/p99 lag from emit (the message's snowflake time) to commit
          (its archived_at), CPU s and peak RSS of the watch process
  bot     `skald bot` on SQLite while the simulator emits 1,000 MESSAGE_CREATE/s for 60 s, each carrying a clip (a
          Streamable link and a video attachment in turn): clips recorded (all of them?), clips/s, p50/p99 lag from
          emit (the message's snowflake time) to the clip's record (its detected_at), CPU s and peak RSS of the bot,
          its exit code on SIGTERM
  store   `skald store put` then `get` of a 1 GiB file (quick: 128 MiB; sparse, made with truncate), plain and
          encrypted, against Discord's limits (10 MiB per attachment, 25 MiB per request, message create 5 per 5 s):
          MiB/s against the ceiling those limits set, CPU s and peak RSS of each skald process; then (full run,
          or --store-large-mib N) a plain round trip of a 2 GiB sparse file with its peak RSS

The simulator hides the last two channels of a guild from the bot (no VIEW_CHANNEL, no READ_MESSAGE_HISTORY), so
each scenario asks for two more; the readable channels and their message counts come from /__sim/truth.

Ceiling: 100 messages per page x min(global requests/s, readable channels x bucket limit / bucket window).
The simulator opens a bucket window at the first request it admits and adds the latency *before* admitting, so a
client that sends only after it has seen a reset loses one latency per window; the "reactive bound",
100 x min(global, channels x limit / (window + latency)), is reported beside the ceiling for that reason.
Both are scaled by how full the fewest possible pages are (ceil(n / 100) requests for a channel of n messages): a
channel of 250 messages needs 3 requests whatever the client does, so its bound counts 250 messages, not 300.

CPU seconds and peak RSS are those of the measured process only (os.wait4 on it); the simulator's CPU is reported
separately (it shares the machine's cores). 429s by scope are the simulator's counters, reset before each run.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HIDDEN_CHANNELS = 2  # the simulator's last channel lacks VIEW_CHANNEL, the one before READ_MESSAGE_HISTORY
GLOBAL_PER_SECOND = 50  # SimulatorConfiguration.globalLimitPerSecond (not a CLI flag)
DEFAULT_MESSAGES_BUCKET = (5, 5.0)  # RateLimitTable.defaults["messages"]
PAGE = 100
MESSAGE_TYPES = {0, 2, 5, 13}  # text, voice, announcement, stage


# Flags every `skald sim` of the run gets (`--no-compression`: identity answers, as before the simulator compressed).
SIM_FLAGS: list[str] = []


@dataclass
class Scenario:
    name: str
    channels: int  # readable message channels wanted
    messages: int  # per channel
    latency_ms: int
    rate_limits: str  # discord | off
    buckets: list[str] = field(default_factory=list)
    peer: bool = False
    hidden_limit: int | None = None  # --hidden-limit: unannounced message requests per second per token
    hostile: list[str] = field(default_factory=list)  # further `skald sim` flags (lying headers, faults)
    workers: int = 1  # `skald archive --worker` processes, each with its own token, on one PostgreSQL archive

    def tokens(self) -> list[str]:
        return ["bench-token"] + [f"bench-token-{n + 1}" for n in range(1, self.workers)]

    def sim_args(self, seed: int) -> list[str]:
        # With fewer than 3 (4) channels the simulator hides none (one); ask for what makes `channels` readable.
        asked = self.channels + (HIDDEN_CHANNELS if self.channels >= 2 else 0)
        args = ["sim", "--port", "0", "--seed", str(seed), "--guilds", "1", "--channels", str(asked),
                "--messages", str(self.messages), "--threads", "0", "--latency-ms", str(self.latency_ms),
                "--rate-limits", self.rate_limits]
        for token in self.tokens():
            args += ["--token", token]
        for bucket in self.buckets:
            args += ["--bucket", bucket]
        if self.hidden_limit:
            args += ["--hidden-limit", str(self.hidden_limit)]
        return args + self.hostile + SIM_FLAGS

    def profile(self) -> dict:
        limit, window = DEFAULT_MESSAGES_BUCKET
        for bucket in self.buckets:
            name, _, value = bucket.partition("=")
            if name == "messages":
                n, _, w = value.partition("/")
                limit, window = int(n), parse_seconds(w)
        return {"rateLimits": self.rate_limits, "globalRequestsPerSecond": GLOBAL_PER_SECOND,
                "messagesBucket": {"limit": limit, "windowSeconds": window}, "latencyMs": self.latency_ms,
                "messagesPerPage": PAGE, "guilds": 1, "threads": 0, "messagesPerChannel": self.messages,
                "bucketOverrides": self.buckets, "hiddenLimitPerSecond": self.hidden_limit,
                "hostileFlags": self.hostile, "workers": self.workers}


def parse_seconds(text: str) -> float:
    if text.endswith("ms"):
        return float(text[:-2]) / 1000
    return float(text.rstrip("s"))


HOSTILE = ["--lying-headers", "--fault-rate", "0.03"]


def scenarios(quick: bool) -> dict[str, Scenario]:
    if quick:
        return {
            "wide": Scenario("wide", 10, 1_000, 40, "discord", peer=True),
            "hostile": Scenario("hostile", 40, 250, 40, "discord", hidden_limit=20, hostile=HOSTILE),
            "deep": Scenario("deep", 1, 4_000, 250, "discord", ["messages=20/1s"], peer=True),
            "deep2": Scenario("deep2", 1, 4_000, 250, "discord", ["messages=20/1s"], workers=2),
            "deep2ch": Scenario("deep2ch", 2, 4_000, 250, "discord", ["messages=20/1s"]),
            "cpu": Scenario("cpu", 4, 25_000, 0, "off"),
        }
    return {
        "wide": Scenario("wide", 40, 5_000, 40, "discord", peer=True),
        "hostile": Scenario("hostile", 40, 5_000, 40, "discord", hidden_limit=20, hostile=HOSTILE),
        "deep": Scenario("deep", 1, 20_000, 250, "discord", ["messages=20/1s"], peer=True),
        "deep2": Scenario("deep2", 1, 20_000, 250, "discord", ["messages=20/1s"], workers=2),
        "deep2ch": Scenario("deep2ch", 2, 20_000, 250, "discord", ["messages=20/1s"]),
        "cpu": Scenario("cpu", 4, 250_000, 0, "off"),
    }


# ---------------------------------------------------------------------------------------------------------- helpers

def http_json(url: str, method: str = "GET") -> object:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=120) as response:
        body = response.read()
    return json.loads(body) if body else None


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a running process (Linux /proc), for the simulator's share of the machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


@dataclass
class Measured:
    exit_code: int
    seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    stdout: str
    stderr: str


def measure(argv: list[str], log: Path) -> Measured:
    """Runs argv to completion; CPU and peak RSS of that process (and its children) only, via wait4."""
    with open(log, "w") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT)
        stdout = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
        out.write(f"$ {' '.join(argv)}\n{stdout}\n--- stderr ---\n{stderr}\n")
    return Measured(process.returncode, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
                    stdout, stderr)


class Simulator:
    """One `skald sim` process for one measured run."""

    def __init__(self, skald: str, scenario: Scenario, seed: int, log: Path) -> None:
        self.log = open(log, "w")
        self.process = subprocess.Popen([skald, *scenario.sim_args(seed)], stdout=subprocess.PIPE,
                                        stderr=self.log, text=True, start_new_session=True)
        line = self.process.stdout.readline() if self.process.stdout else ""
        match = re.match(r"skald-sim listening on (\S+) token=(\S+)", line)
        if not match:
            self.stop()
            raise RuntimeError(f"skald sim did not start (got {line!r}); see {log}")
        self.base, self.token = match.group(1), match.group(2)
        self.api = self.base + "/api/v10"

    def readable_channels(self) -> tuple[str, list[dict]]:
        guilds = http_json(self.base + "/__sim/truth/guilds")
        guild = guilds[0]["id"]
        channels = http_json(f"{self.base}/__sim/truth/guilds/{guild}/channels")
        return guild, [c for c in channels if c["readable"] and int(c["type"]) in MESSAGE_TYPES]

    def reset_stats(self) -> None:
        http_json(self.base + "/__sim/stats/reset", method="POST")

    def stats(self) -> dict:
        return http_json(self.base + "/__sim/stats")

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def ceilings(scenario: Scenario, readable: list[dict]) -> tuple[float | None, float | None]:
    if scenario.rate_limits == "off":
        return None, None
    profile = scenario.profile()
    limit = profile["messagesBucket"]["limit"]
    window = profile["messagesBucket"]["windowSeconds"]
    per_second = min(GLOBAL_PER_SECOND, scenario.hidden_limit or GLOBAL_PER_SECOND)
    # Each token has its own buckets and global limit: workers with their own tokens multiply the bound.
    ceiling = scenario.workers * PAGE * min(per_second, len(readable) * limit / window)
    reactive = scenario.workers * PAGE * min(per_second, len(readable) * limit / (window + scenario.latency_ms / 1000))
    # No client fetches a channel of n messages in fewer than ceil(n / 100) requests: a last partial page carries
    # fewer messages, so the bound is scaled by how full the fewest possible pages are (1.0 for whole pages).
    fill = pages_fill(readable)
    return ceiling * fill, reactive * fill


def pages_fill(readable: list[dict]) -> float:
    """Messages per request of the fewest requests that can fetch every readable channel, over a full page."""
    counts = [int(c.get("messageCount", 0)) for c in readable]
    requests = sum(max(1, -(-n // PAGE)) for n in counts)
    return sum(counts) / (PAGE * requests) if requests and sum(counts) else 1.0


def result_row(messages: int, measured: Measured, ceiling: float | None, reactive: float | None, stats: dict,
               sim_cpu: float) -> dict:
    limited = stats.get("rateLimited", {})
    rate = messages / measured.seconds if measured.seconds > 0 else 0.0
    return {
        "messages": messages,
        "seconds": round(measured.seconds, 3),
        "messagesPerSecond": round(rate, 1),
        "ceilingMessagesPerSecond": None if ceiling is None else round(ceiling, 1),
        "reactiveBoundMessagesPerSecond": None if reactive is None else round(reactive, 1),
        "percentOfCeiling": None if not ceiling else round(100 * rate / ceiling, 1),
        "percentOfReactiveBound": None if not reactive else round(100 * rate / reactive, 1),
        "rateLimited": {k: int(limited.get(k, 0)) for k in ("user", "global", "shared", "hidden",
                                                            "despiteRemaining")},
        "invalidRequests": int(stats.get("invalidRequests", 0)),
        "invalidPer100Requests": round(100 * int(stats.get("invalidRequests", 0))
                                       / max(int(stats.get("requests", 0)), 1), 2),
        "cpuSeconds": round(measured.cpu_seconds, 3),
        "peakRssBytes": measured.peak_rss_bytes,
        "requests": int(stats.get("requests", 0)),
        "messageRequests": int(stats.get("byRoute", {}).get("GET /channels/{channel.id}/messages", 0)),
        "byRoute": stats.get("byRoute", {}),
        "duplicatePages": sum(1 for v in stats.get("pages", {}).values() if v > 1),
        "duplicateMessagePages": sum(1 for k, v in stats.get("pages", {}).items()
                                     if v > 1 and k.startswith("GET /channels/{channel.id}/messages|")),
        # The round trip of the first message page (the simulator counts 1 for a request sent before any answer).
        "firstMessageRoundTrip": stats.get("firstRoundTrip", {}).get("GET /channels/{channel.id}/messages"),
        "simulatorCpuSeconds": round(sim_cpu, 3),
        "exitCode": measured.exit_code,
    }


# ---------------------------------------------------------------------------------------------------------- runs

def run_skald(skald: str, scenario: Scenario, work: Path, seed: int, concurrency: int | None) -> tuple[dict, dict]:
    db = work / f"{scenario.name}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    sim = Simulator(skald, scenario, seed, work / f"{scenario.name}-skald-sim.log")
    try:
        guild, readable = sim.readable_channels()
        expected = sum(int(c["messageCount"]) for c in readable)
        sim.reset_stats()
        sim_cpu0 = sim.cpu_seconds()
        argv = [skald, "archive", "--token", sim.token, "--api-base", sim.api, "--db", f"sqlite:{db}"]
        if concurrency:
            argv += ["--concurrency", str(concurrency)]
        measured = measure(argv, work / f"{scenario.name}-skald-archive.log")
        sim_cpu = sim.cpu_seconds() - sim_cpu0
        stats = sim.stats()
    finally:
        sim.stop()
    archived = json.loads(subprocess.run([skald, "stats", "--json", "--db", f"sqlite:{db}"], check=True,
                                         capture_output=True, text=True, cwd=ROOT).stdout)
    messages = int(archived["messages"])
    ceiling, reactive = ceilings(scenario, readable)
    row = result_row(messages, measured, ceiling, reactive, stats, sim_cpu)
    row["expectedMessages"] = expected
    row["readableChannels"] = len(readable)
    row["databaseBytes"] = checkpointed_size(db)
    row["rawJsonBytes"] = raw_json_bytes(db)
    if measured.exit_code != 0:
        print(f"warning: skald archive exited {measured.exit_code} in {scenario.name}; see "
              f"{work / (scenario.name + '-skald-archive.log')}", file=sys.stderr)
    return row, {"guild": guild, "db": db}


def run_skald_workers(skald: str, scenario: Scenario, work: Path, seed: int, concurrency: int | None,
                      postgres: str) -> tuple[dict, dict]:
    """`scenario.workers` processes of `skald archive --worker`, one per token, on one fresh PostgreSQL schema; the
    time is from the first start to the last exit, CPU and peak RSS those of all workers (summed, largest)."""
    schema = f"skald_bench_{scenario.name}_{os.getpid()}"
    db = postgres + ("&" if "?" in postgres else "?") + f"schema={schema}"
    sim = Simulator(skald, scenario, seed, work / f"{scenario.name}-skald-sim.log")
    try:
        guild, readable = sim.readable_channels()
        expected = sum(int(c["messageCount"]) for c in readable)
        sim.reset_stats()
        sim_cpu0 = sim.cpu_seconds()
        started = time.monotonic()
        processes = []
        for index, token in enumerate(scenario.tokens()):
            argv = [skald, "archive", "--token", token, "--api-base", sim.api, "--db", db, "--worker",
                    "--worker-name", f"bench-{index}"]
            if concurrency:
                argv += ["--concurrency", str(concurrency)]
            log = open(work / f"{scenario.name}-skald-archive-{index}.log", "w")
            processes.append((subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT), log))
        exit_code, cpu, peak = 0, 0.0, 0
        for process, log in processes:
            _, status, usage = os.wait4(process.pid, 0)
            log.close()
            exit_code = exit_code or os.waitstatus_to_exitcode(status)
            cpu += usage.ru_utime + usage.ru_stime
            peak = max(peak, usage.ru_maxrss * 1024)
        measured = Measured(exit_code, time.monotonic() - started, cpu, peak, "", "")
        sim_cpu = sim.cpu_seconds() - sim_cpu0
        stats = sim.stats()
    finally:
        sim.stop()
    archived = json.loads(subprocess.run([skald, "stats", "--json", "--db", db], check=True, capture_output=True,
                                         text=True, cwd=ROOT).stdout)
    if shutil.which("psql"):
        subprocess.run(["psql", postgres, "-q", "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE"],
                       capture_output=True)
    ceiling, reactive = ceilings(scenario, readable)
    row = result_row(int(archived["messages"]), measured, ceiling, reactive, stats, sim_cpu)
    row["expectedMessages"] = expected
    row["readableChannels"] = len(readable)
    row["workers"] = scenario.workers
    route = "GET /channels/{channel.id}/messages"
    by_token = stats.get("byToken", {})
    row["messageRequestsByToken"] = [int(by_token.get(str(n), {}).get(route, 0)) for n in range(scenario.workers)]
    if measured.exit_code != 0:
        print(f"warning: a skald archive --worker exited {measured.exit_code} in {scenario.name}; see "
              f"{work / (scenario.name + '-skald-archive-0.log')}", file=sys.stderr)
    return row, {"guild": guild}


def checkpointed_size(db: Path) -> int:
    """The archive's size once its WAL is checkpointed into the main file (a WAL left behind, e.g. by a reader that
    was open when Skald exited, holds pages the main file will hold: counting both counted them twice)."""
    try:
        with sqlite3.connect(str(db)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error as error:
        print(f"warning: could not checkpoint {db}: {error}", file=sys.stderr)
    return sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists())


def raw_json_bytes(db: Path) -> int:
    """The bytes of the messages' JSON exactly as Discord sent it (what the database is measured against)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            try:
                # A row may keep its author object once in author_json (`null` in its place in the row).
                return int(connection.execute(
                    "SELECT coalesce(sum(length(CAST(m.json AS BLOB)) + coalesce((SELECT length(CAST(a.json AS BLOB))"
                    " - 4 FROM author_json a WHERE a.id = m.author_ref), 0)), 0) FROM message m").fetchone()[0])
            except sqlite3.OperationalError:
                return int(connection.execute("SELECT coalesce(sum(length(CAST(json AS BLOB))), 0) FROM message")
                           .fetchone()[0])
    except sqlite3.Error:
        return 0


class BackendSampler:
    """The CPU of the PostgreSQL backends serving one database, read from /proc while they live: every half second
    the backends connected to `database` (pg_stat_activity, through psql on the admin URL) are listed and the
    utime + stime of each is noted; a backend's last reading counts (at most half a second of it may be missed).
    Background processes shared by every database (WAL writer, checkpointer) are not counted."""

    def __init__(self, admin_url: str, database: str) -> None:
        self.admin_url = admin_url
        self.database = database
        self.seconds: dict[int, float] = {}
        self.stopping = False
        import threading
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        listed = subprocess.run(
            ["psql", self.admin_url, "-At", "-c",
             f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.database}'"],
            capture_output=True, text=True)
        for line in listed.stdout.split():
            pid = int(line)
            used = process_cpu_seconds(pid)
            if used == used:  # not NaN
                self.seconds[pid] = max(self.seconds.get(pid, 0.0), used)

    def run(self) -> None:
        while not self.stopping:
            self.sample()
            time.sleep(0.5)

    def stop(self) -> float:
        self.stopping = True
        self.thread.join()
        return sum(self.seconds.values())


def psql(admin_url: str, sql: str) -> str:
    return subprocess.run(["psql", admin_url, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def run_skald_postgres(skald: str, scenario: Scenario, work: Path, seed: int, concurrency: int | None,
                       admin_url: str) -> dict:
    """The cpu scenario into a fresh PostgreSQL database made on the server of `admin_url` (and dropped after):
    Skald's CPU, the server backends' CPU (/proc), the database's size against the raw JSON."""
    database = f"skald_bench_cpu_{os.getpid()}"
    base, _, _ = admin_url.rpartition("/")
    url = f"{base}/{database}"
    psql(admin_url, f"DROP DATABASE IF EXISTS {database}")
    psql(admin_url, f"CREATE DATABASE {database}")
    try:
        sim = Simulator(skald, scenario, seed, work / f"{scenario.name}-postgres-sim.log")
        try:
            _, readable = sim.readable_channels()
            sim.reset_stats()
            sim_cpu0 = sim.cpu_seconds()
            argv = [skald, "archive", "--token", sim.token, "--api-base", sim.api, "--db", url]
            if concurrency:
                argv += ["--concurrency", str(concurrency)]
            sampler = BackendSampler(admin_url, database)
            measured = measure(argv, work / f"{scenario.name}-postgres-skald-archive.log")
            server_cpu = sampler.stop()
            sim_cpu = sim.cpu_seconds() - sim_cpu0
            stats = sim.stats()
        finally:
            sim.stop()
        messages = int(psql(url, "SELECT count(*) FROM message"))
        try:
            # A row may keep its author object once in author_json (`null` in its place in the row).
            raw = int(psql(url, "SELECT coalesce(sum(octet_length(m.json::text) + coalesce((SELECT"
                                " octet_length(a.json) - 4 FROM author_json a WHERE a.id = m.author_ref), 0)), 0)"
                                " FROM message m"))
        except subprocess.CalledProcessError:
            raw = int(psql(url, "SELECT coalesce(sum(octet_length(json::text)), 0) FROM message"))
        size = int(psql(url, "SELECT pg_database_size(current_database())"))
        # What each table costs: its heap (with TOAST) and its indexes, the largest first.
        tables = {}
        for line in psql(url, "SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c"
                              " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
                              " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                              " ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8").splitlines():
            name, heap, indexes = line.split("|")
            tables[name] = {"tableBytes": int(heap), "indexBytes": int(indexes)}
        empty = int(psql(admin_url, "SELECT pg_database_size('template1')"))
    finally:
        psql(admin_url, f"DROP DATABASE IF EXISTS {database}")
    ceiling, reactive = ceilings(scenario, readable)
    row = result_row(messages, measured, ceiling, reactive, stats, sim_cpu)
    row["serverCpuSeconds"] = round(server_cpu, 2)
    per_million = 1e6 / max(messages, 1)
    row["cpuSecondsPerMillion"] = round(measured.cpu_seconds * per_million, 3)
    row["serverCpuSecondsPerMillion"] = round(server_cpu * per_million, 3)
    row["databaseBytes"] = size - empty
    row["dbBytesPerMessage"] = round((size - empty) / max(messages, 1), 1)
    row["rawJsonBytesPerMessage"] = round(raw / max(messages, 1), 1)
    row["dbToRawJson"] = round((size - empty) / max(raw, 1), 3)
    row["tables"] = tables
    if measured.exit_code != 0:
        print(f"warning: skald archive exited {measured.exit_code} into PostgreSQL; see "
              f"{work / (scenario.name + '-postgres-skald-archive.log')}", file=sys.stderr)
    return row


def run_discordpy(python: str, skald: str, scenario: Scenario, work: Path, seed: int) -> dict:
    sim = Simulator(skald, scenario, seed, work / f"{scenario.name}-discordpy-sim.log")
    try:
        _, readable = sim.readable_channels()
        sim.reset_stats()
        sim_cpu0 = sim.cpu_seconds()
        argv = [python, str(ROOT / "scripts" / "bench_discordpy.py"), "--api-base", sim.api, "--token", sim.token]
        for channel in readable:
            argv += ["--channel", str(channel["id"])]
        measured = measure(argv, work / f"{scenario.name}-discordpy.log")
        sim_cpu = sim.cpu_seconds() - sim_cpu0
        stats = sim.stats()
    finally:
        sim.stop()
    try:
        report = json.loads(measured.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise RuntimeError(f"discord.py run failed; see {work / (scenario.name + '-discordpy.log')}") from None
    ceiling, reactive = ceilings(scenario, readable)
    row = result_row(int(report["messages"]), measured, ceiling, reactive, stats, sim_cpu)
    row["readableChannels"] = len(readable)
    row["discordpyVersion"] = report.get("discordpy")
    return row


def run_export(skald: str, db: Path, guild: str, messages: int, work: Path) -> dict:
    out = work / "export"
    shutil.rmtree(out, ignore_errors=True)
    exported = measure([skald, "export", "--db", f"sqlite:{db}", "--guild", guild, "--format", "json",
                        "--out", str(out)], work / "export.log")
    if exported.exit_code != 0:
        raise RuntimeError(f"skald export failed; see {work / 'export.log'}")
    match = re.search(r"exported (\d+) message", exported.stdout)
    exported_messages = int(match.group(1)) if match else messages
    fresh = work / "import.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(fresh) + suffix).unlink(missing_ok=True)
    imported = measure([skald, "import", "--db", f"sqlite:{fresh}", str(out)], work / "import.log")
    if imported.exit_code != 0:
        raise RuntimeError(f"skald import failed; see {work / 'import.log'}")
    imported_messages = sum(int(n) for n in re.findall(r": (\d+) message\(s\)", imported.stdout))
    export_bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "messages": exported_messages,
        "exportSeconds": round(exported.seconds, 3),
        "exportMessagesPerSecond": round(exported_messages / exported.seconds, 1),
        "exportCpuSeconds": round(exported.cpu_seconds, 3),
        "exportPeakRssBytes": exported.peak_rss_bytes,
        "exportBytes": export_bytes,
        "importedMessages": imported_messages,
        "importSeconds": round(imported.seconds, 3),
        "importMessagesPerSecond": round(imported_messages / imported.seconds, 1),
        "importCpuSeconds": round(imported.cpu_seconds, 3),
        "importPeakRssBytes": imported.peak_rss_bytes,
        "peakRssBytes": max(exported.peak_rss_bytes, imported.peak_rss_bytes),
    }


def run_import_postgres(skald: str, work: Path, admin_url: str) -> dict:
    """`skald import` of the export scenario's files into a fresh PostgreSQL database made on the server of
    `admin_url` (and dropped after): Skald's CPU and the server backends' CPU (/proc), as the cpu scenario's."""
    out = work / "export"
    database = f"skald_bench_import_{os.getpid()}"
    base, _, _ = admin_url.rpartition("/")
    url = f"{base}/{database}"
    psql(admin_url, f"DROP DATABASE IF EXISTS {database}")
    psql(admin_url, f"CREATE DATABASE {database}")
    try:
        sampler = BackendSampler(admin_url, database)
        imported = measure([skald, "import", "--db", url, str(out)], work / "import-postgres.log")
        server_cpu = sampler.stop()
        if imported.exit_code != 0:
            raise RuntimeError(f"skald import into PostgreSQL failed; see {work / 'import-postgres.log'}")
        stored = int(psql(url, "SELECT count(*) FROM imported_message"))
    finally:
        psql(admin_url, f"DROP DATABASE IF EXISTS {database}")
    messages = sum(int(n) for n in re.findall(r": (\d+) message\(s\)", imported.stdout))
    return {
        "messages": messages,
        "storedMessages": stored,
        "seconds": round(imported.seconds, 3),
        "messagesPerSecond": round(messages / imported.seconds, 1),
        "cpuSeconds": round(imported.cpu_seconds, 3),
        "serverCpuSeconds": round(server_cpu, 2),
        "peakRssBytes": imported.peak_rss_bytes,
    }


# ---------------------------------------------------------------------------------------------------------- output

def mb(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e6:.0f} MB"


def fmt(x: float | None, digits: int = 0) -> str:
    return "-" if x is None else f"{x:,.{digits}f}"


def print_table(result: dict) -> None:
    rows = [("scenario", "client", "messages", "seconds", "msg/s", "ceiling", "% ceil", "429 u/g/s", "CPU s",
             "peak RSS", "sim CPU s", "Skald/peer")]
    for name in ("wide", "hostile", "deep", "deep2", "deep2ch", "cpu"):
        for client in ("skald", "discordpy"):
            s = result[client].get(name)
            if not isinstance(s, dict) or "messagesPerSecond" not in s:
                continue
            ratio = ""
            if client == "skald" and name in result["discordpy"]:
                peer = result["discordpy"][name]
                ratio = f"{s['messagesPerSecond'] / peer['messagesPerSecond']:.2f}x msg/s, " \
                        f"{s['cpuSeconds'] / peer['cpuSeconds']:.2f}x CPU" if peer["messagesPerSecond"] else ""
            limited = s["rateLimited"]
            rows.append((name, "skald" if client == "skald" else "discord.py", f"{s['messages']:,}",
                         fmt(s["seconds"], 1), fmt(s["messagesPerSecond"]), fmt(s["ceilingMessagesPerSecond"]),
                         fmt(s["percentOfCeiling"], 1), f"{limited['user']}/{limited['global']}/{limited['shared']}",
                         fmt(s["cpuSeconds"], 2), mb(s.get("peakRssBytes")), fmt(s.get("simulatorCpuSeconds"), 1),
                         ratio))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        print("  ".join(str(v).rjust(widths[i]) if 1 < i < 11 else str(v).ljust(widths[i])
                        for i, v in enumerate(row)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    hostile = result["skald"].get("hostile", {})
    if "invalidPer100Requests" in hostile:
        print(f"\nhostile: {hostile['invalidRequests']} invalid of {hostile['requests']:,} requests "
              f"({hostile['invalidPer100Requests']:.2f} per 100; {hostile['rateLimited']['hidden']} from the hidden "
              f"limit, {hostile['rateLimited']['despiteRemaining']} despite Remaining > 0)")
    for name in ("wide", "deep", "deep2", "deep2ch"):
        row = result["skald"].get(name, {})
        if row.get("reactiveBoundMessagesPerSecond"):
            per_token = row.get("messageRequestsByToken")
            split = f" ({' + '.join(f'{n:,}' for n in per_token)} by token)" if per_token else ""
            print(f"{name}: {row['messagesPerSecond']:,.0f} msg/s, {row['percentOfReactiveBound']}% of the reactive "
                  f"bound ({row['reactiveBoundMessagesPerSecond']:,.0f} msg/s), {row['messageRequests']:,} message "
                  f"requests{split}, {row['duplicateMessagePages']} message pages fetched twice, first message "
                  f"page in round trip {row.get('firstMessageRoundTrip')}")
    cpu = result["skald"].get("cpu", {})
    if "cpuSecondsPerMillion" in cpu:
        print(f"\ncpu:    {cpu['cpuSecondsPerMillion']:.2f} CPU s per 1M messages archived, peak RSS "
              f"{mb(cpu['peakRssBytes'])}, {cpu['dbBytesPerMessage']:.0f} database bytes per message against "
              f"{cpu.get('rawJsonBytesPerMessage', 0):.0f} raw JSON bytes ({cpu.get('dbToRawJson', 0):.2f}x)")
    pg = result["skald"].get("cpuPostgres", {})
    if "cpuSecondsPerMillion" in pg:
        print(f"cpu (PostgreSQL): {pg['cpuSecondsPerMillion']:.2f} CPU s per 1M messages archived by Skald, "
              f"{pg['serverCpuSecondsPerMillion']:.2f} by the server's backends, {pg['messages']:,} messages in "
              f"{pg['seconds']:.1f} s, {pg['dbBytesPerMessage']:.0f} database bytes per message "
              f"({pg['dbToRawJson']:.2f}x the raw JSON)")
    for name in ("serve", "servePostgres"):
        serve = result["skald"].get(name, {})
        if "channelPage" not in serve:
            continue
        label = "serve" if name == "serve" else "serve (PostgreSQL)"
        for key in ("channelPage", "apiMessages", "searchCommon", "searchRare", "searchOperators", "apiGuildSearchRare",
                    "apiGuildSearchCommon"):
            if key not in serve:
                continue
            row = serve[key]
            query = f" ({row['query']})" if "query" in row else ""
            print(f"{label}: {key}{query}: p50 {row['p50Ms']} ms, p95 {row['p95Ms']} ms, p99 {row['p99Ms']} ms")
        print(f"{label}: peak RSS {mb(serve['peakRssBytes'])} over {serve['messages']:,} messages")
    export = result["skald"].get("export", {})
    if "exportMessagesPerSecond" in export:
        print(f"export: DCE JSON export {export['exportMessagesPerSecond']:,.0f} msg/s "
              f"({export['exportCpuSeconds']:.1f} CPU s, peak RSS {mb(export['exportPeakRssBytes'])}), import "
              f"{export['importMessagesPerSecond']:,.0f} msg/s ({export['importCpuSeconds']:.1f} CPU s, peak RSS "
              f"{mb(export['importPeakRssBytes'])}), {export['messages']:,} messages")
    imported = result["skald"].get("importPostgres", {})
    if "messagesPerSecond" in imported:
        print(f"import (PostgreSQL): {imported['messagesPerSecond']:,.0f} msg/s, {imported['cpuSeconds']} CPU s by "
              f"Skald and {imported['serverCpuSeconds']} by the server's backends for {imported['messages']:,} "
              f"messages ({imported['storedMessages']:,} stored), peak RSS {mb(imported['peakRssBytes'])}")
    live = result["skald"].get("live", {})
    if "eventsStored" in live:
        print(f"live:   {live['eventsStored']:,}/{live['eventsEmitted']:,} events stored, "
              f"{live['storedPerSecond']} stored/s, lag p50 {live['lagP50Ms']} ms p99 {live['lagP99Ms']} ms, "
              f"CPU {live['cpuSeconds']} s, peak RSS {mb(live['peakRssBytes'])}")
    bot = result["skald"].get("bot", {})
    if "clipsSaved" in bot:
        print(f"bot:    {bot['clipsSaved']:,}/{bot['clipsEmitted']:,} clips saved, {bot['clipsPerSecond']} clips/s, "
              f"lag p50 {bot['lagP50Ms']} ms p99 {bot['lagP99Ms']} ms, CPU {bot['cpuSeconds']} s, "
              f"peak RSS {mb(bot['peakRssBytes'])}, exit {bot['exitCodeOnSigterm']} on SIGTERM")
    store = result["skald"].get("store", {})
    for label in ("plain", "encrypted", "large"):
        row = store.get(label)
        if row:
            print(f"store:  {label:9} {row.get('fileBytes', 0) >> 20} MiB put {row['putMiBPerSecond']} MiB/s ({row['putPercentOfCeiling']}% of "
                  f"{store['ceilingMiBPerSecond']} MiB/s), get {row['getMiBPerSecond']} MiB/s, CPU "
                  f"{row['putCpuSeconds']}/{row['getCpuSeconds']} s, peak RSS {mb(row['putPeakRssBytes'])}/"
                  f"{mb(row['getPeakRssBytes'])}, identical: {row['roundTripIdentical']}")
    if "simulatorCpuSeconds" in store:
        print(f"store:  simulator CPU {store['simulatorCpuSeconds']} s over the four runs (it shares the cores)")
    mirror = result["skald"].get("mirror", {})
    if "messagesPerSecond" in mirror:
        print(f"mirror: {mirror['messages']:,}/{mirror['archivedMessages']:,} messages in {mirror['seconds']} s, "
              f"{mirror['messagesPerSecond']} msg/s of a {mirror['ceilingMessagesPerSecond']} msg/s ceiling "
              f"({mirror['percentOfCeiling']}%), 429 user/global {mirror['rateLimited']['user']}/"
              f"{mirror['rateLimited']['global']}, CPU {mirror['cpuSeconds']} s, peak RSS {mb(mirror['peakRssBytes'])}")
    print()
    for line in result["targets"]:
        print(line)


def targets(result: dict) -> list[str]:
    lines = []

    def check(ok: bool, text: str) -> None:
        lines.append(f"[{'met ' if ok else 'MISS'}] {text}")

    sk, dp = result["skald"], result["discordpy"]
    for name in ("wide", "deep"):
        s = sk.get(name)
        if s:
            # The target: 95% of the reactive bound (a client timing its sends to the reset may pass 100%).
            check((s["percentOfReactiveBound"] or 0) >= 95 and s["rateLimited"]["user"] == 0
                  and s["rateLimited"]["global"] == 0,
                  f"{name}: >= 95% of the reactive bound with no user/global 429 ({s['percentOfReactiveBound']}%, "
                  f"{s['rateLimited']['user']} user, {s['rateLimited']['global']} global)")
    hostile = sk.get("hostile")
    if hostile:
        check(hostile["invalidPer100Requests"] <= 1 and (hostile["percentOfCeiling"] or 0) >= 90,
              f"hostile: <= 1 invalid per 100 requests ({hostile['invalidPer100Requests']}) and >= 90% of the "
              f"hidden limit's ceiling ({hostile['percentOfCeiling']}%)")
    if "deep" in sk and "deep" in dp:
        ratio = sk["deep"]["messagesPerSecond"] / max(dp["deep"]["messagesPerSecond"], 1e-9)
        check(ratio >= 3, f"deep: >= 3x discord.py's msg/s ({ratio:.2f}x)")
    if "wide" in sk and "wide" in dp:
        ratio = sk["wide"]["messagesPerSecond"] / max(dp["wide"]["messagesPerSecond"], 1e-9)
        cpu = sk["wide"]["cpuSeconds"] / max(dp["wide"]["cpuSeconds"], 1e-9)
        check(ratio >= 1 and cpu <= 0.2, f"wide: >= discord.py's msg/s ({ratio:.2f}x) with <= 1/5 of its CPU "
                                         f"({cpu:.2f}x)")
    cpu = sk.get("cpu", {})
    if "cpuSecondsPerMillion" in cpu:
        check(cpu["cpuSecondsPerMillion"] <= 10, f"cpu: <= 10 CPU s per 1M messages ({cpu['cpuSecondsPerMillion']:.2f})")
        if cpu.get("dbToRawJson"):
            check(cpu["dbToRawJson"] <= 1.3, f"cpu: database <= 1.3x the raw JSON ({cpu['dbToRawJson']:.2f}x)")
    pg = sk.get("cpuPostgres", {})
    if "cpuSecondsPerMillion" in pg:
        check(pg["cpuSecondsPerMillion"] <= 20,
              f"cpu (PostgreSQL): <= 20 CPU s per 1M messages ({pg['cpuSecondsPerMillion']:.2f})")
        peak = max([cpu["peakRssBytes"]] + [sk[n]["peakRssBytes"] for n in ("wide", "deep") if n in sk]
                   + [sk.get("export", {}).get("peakRssBytes", 0)])
        check(peak <= 200e6, f"peak RSS <= 200 MB in every Skald run ({mb(peak)})")
    # The gateway loads: every item through, p99 lag within the limit, RSS, a clean SIGTERM.
    for name, done, emitted, what, lag_limit in (("live", "eventsStored", "eventsEmitted", "event stored", 100),
                                                 ("bot", "clipsSaved", "clipsEmitted", "clip saved", 1000)):
        load = sk.get(name, {})
        if done in load:
            check(load[done] == load[emitted] and (load["lagP99Ms"] or 1e9) <= lag_limit
                  and load["peakRssBytes"] <= 200e6 and load["exitCodeOnSigterm"] == 0,
                  f"{name}: every {what} ({load[done]:,}/{load[emitted]:,}), p99 lag <= {lag_limit} ms "
                  f"({load['lagP99Ms']} ms), RSS <= 200 MB ({mb(load['peakRssBytes'])}), SIGTERM exits 0")
    serve = sk.get("serve", {})
    if "channelPage" in serve:
        check(serve["channelPage"]["p95Ms"] <= 20, f"serve: channel page p95 <= 20 ms ({serve['channelPage']['p95Ms']} ms)")
        worst = max(serve[k]["p95Ms"] for k in ("searchCommon", "searchRare", "searchOperators"))
        check(worst <= 100, f"serve: searches p95 <= 100 ms (worst {worst} ms)")
        check(serve["peakRssBytes"] <= 200e6, f"serve: peak RSS <= 200 MB ({mb(serve['peakRssBytes'])})")
    export = sk.get("export", {})
    if "exportMessagesPerSecond" in export:
        check(export["exportMessagesPerSecond"] >= 100_000 and export["importMessagesPerSecond"] >= 100_000,
              f"export/import >= 100,000 msg/s ({export['exportMessagesPerSecond']:,.0f} / "
              f"{export['importMessagesPerSecond']:,.0f})")
    store = sk.get("store", {})
    for label in ("plain", "encrypted"):
        row = store.get(label)
        if row:
            peak = max(row["putPeakRssBytes"], row["getPeakRssBytes"])
            check(row["roundTripIdentical"] and row["putPercentOfCeiling"] >= 90 and peak <= 200e6,
                  f"store {label}: identical round trip, put >= 90% of the ceiling ({row['putPercentOfCeiling']}%), "
                  f"RSS <= 200 MB ({mb(peak)})")
    mirror = sk.get("mirror", {})
    if "messagesPerSecond" in mirror:
        check((mirror["percentOfCeiling"] or 0) >= 90 and mirror["peakRssBytes"] <= 200e6
              and mirror["rateLimited"]["user"] == 0 and mirror["rateLimited"]["global"] == 0
              and mirror["messages"] == mirror["archivedMessages"],
              f"mirror: >= 90% of fluxer-sim's ceiling ({mirror['percentOfCeiling']}%), every message sent "
              f"({mirror['messages']}/{mirror['archivedMessages']}), no user/global 429, RSS <= 200 MB "
              f"({mb(mirror['peakRssBytes'])})")
    return lines


def run_live(skald: str, work: Path, seed: int, quick: bool) -> dict:
    """`skald watch` under a steady gateway load; figures from the archive itself after a clean SIGTERM."""
    result = run_gateway_load(
        skald, work, seed, quick, "live", clips=False,
        command=lambda sim, db: [skald, "watch", "--token", sim.token, "--api-base", sim.api, "--db", f"sqlite:{db}"],
        # The emitted messages and when each was committed.
        rows="SELECT timestamp, archived_at FROM message WHERE content LIKE 'load %'")
    return {"eventsEmitted": result["emitted"], "eventsStored": result["done"], **result["figures"]}


def run_bot(skald: str, work: Path, seed: int, quick: bool) -> dict:
    """`skald bot` while every emitted message carries a clip (a link or a video attachment, in turn): clips recorded,
    from the message's snowflake time to the clip's `detected_at`."""
    result = run_gateway_load(
        skald, work, seed, quick, "bot", clips=True,
        command=lambda sim, db: [skald, "bot", "--token", sim.token, "--api-base", sim.api, "--db", f"sqlite:{db}",
                                 "--http", "127.0.0.1:0"],
        rows="""SELECT m.timestamp, c.detected_at FROM clip c
                JOIN message m ON m.channel_id = c.channel_id AND m.id = c.message_id
                WHERE m.content LIKE 'load %'""")
    figures = result["figures"]
    return {"clipsEmitted": result["emitted"], "clipsSaved": result["done"],
            "clipsPerSecond": figures.pop("storedPerSecond"), **figures}


def run_gateway_load(skald: str, work: Path, seed: int, quick: bool, name: str, clips: bool, command, rows: str) -> dict:
    """Runs `command(sim, db)` (a `skald watch` or `skald bot` on SQLite) until it is ready, has the simulator emit
    1,000 MESSAGE_CREATE/s into one channel for 60 s (quick: 10 s), waits until `rows` (pairs of the message's
    snowflake time and the instant its row was written) counts every message, then sends SIGTERM: the rows' count,
    rate and lag percentiles, CPU s and peak RSS of the process, its exit code."""
    import sqlite3
    from datetime import datetime

    rate, seconds = 1000, (10 if quick else 60)
    scenario = Scenario(name, 1, 200, 0, "off")
    sim = Simulator(skald, scenario, seed, work / f"{name}-skald-sim.log")
    db = work / f"{name}.sqlite"
    if db.exists():
        db.unlink()
    log = open(work / f"{name}-skald-{name}.log", "w")
    try:
        _, readable = sim.readable_channels()
        channel = readable[0]["id"]
        process = subprocess.Popen(command(sim, db), stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT)
        while True:
            line = process.stdout.readline() if process.stdout else ""
            if not line:
                raise RuntimeError(f"skald {name} exited before it was ready; see {log.name}")
            log.write(line)
            if line.startswith("skald-watch ready"):
                break
        request = urllib.request.Request(
            sim.base + "/__sim/gateway/emit", method="POST", headers={"content-type": "application/json"},
            data=json.dumps({"channelId": channel, "rate": rate, "seconds": seconds, "clips": clips}).encode())
        urllib.request.urlopen(request, timeout=30).read()
        started = time.monotonic()
        total = rate * seconds
        count = f"SELECT count(*) FROM ({rows})"
        while time.monotonic() - started < seconds + 120:
            time.sleep(1)
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
                if connection.execute(count).fetchone()[0] >= total:
                    break
        process.send_signal(signal.SIGTERM)
        rest = process.stdout.read() if process.stdout else ""
        log.write(rest)
        _, status, usage = os.wait4(process.pid, 0)
        exit_code = os.waitstatus_to_exitcode(status)
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            pairs = connection.execute(rows).fetchall()
        lags = sorted((datetime.fromisoformat(a) - datetime.fromisoformat(t)).total_seconds() for t, a in pairs)
        first = min((datetime.fromisoformat(t) for t, _ in pairs), default=None)
        last = max((datetime.fromisoformat(a) for _, a in pairs), default=None)
        span = (last - first).total_seconds() if first and last else float("nan")

        def pct(p: float) -> float | None:
            return round(lags[min(len(lags) - 1, int(p * len(lags)))] * 1000, 1) if lags else None

        return {"emitted": total, "done": len(pairs), "figures": {
            "emitRatePerSecond": rate, "emitSeconds": seconds,
            "storedPerSecond": round(len(pairs) / span, 1) if span == span and span > 0 else None,
            "lagP50Ms": pct(0.50), "lagP99Ms": pct(0.99), "lagMaxMs": pct(1.0),
            "cpuSeconds": round(usage.ru_utime + usage.ru_stime, 2), "peakRssBytes": usage.ru_maxrss * 1024,
            "exitCodeOnSigterm": exit_code, "simulatorCpuSeconds": round(sim.cpu_seconds(), 2)}}
    finally:
        log.close()
        sim.stop()


STORE_ATTACHMENT = 10 * 1024 * 1024  # Discord's bot attachment limit (skald store --chunk-limit default)
STORE_REQUEST = 25 * 1024 * 1024  # Discord's bytes per request
STORE_BUCKET = (5, 5.0)  # RateLimitTable.defaults["messageCreate"]: 5 posts per 5 s per channel


def run_store(skald: str, work: Path, seed: int, mib: int, large_mib: int = 0) -> dict:
    """`skald store put` and `get` of one sparse file, plain then encrypted, each process measured with wait4; then,
    when `large_mib` is set, a plain round trip of a sparse file that large (its peak RSS shows memory stays flat)."""
    scenario = Scenario("store", 1, 10, 0, "discord")
    sim = Simulator(skald, scenario, seed, work / "store-skald-sim.log")
    source = work / "store-source.bin"
    large = work / "store-large.bin"
    size = mib * 1024 * 1024
    # The ceiling: one message per bucket slot, each carrying as many whole chunks as fit in a request.
    chunks_per_message = min(10, (STORE_REQUEST - 64 * 1024) // STORE_ATTACHMENT)
    limit, window = STORE_BUCKET
    ceiling = chunks_per_message * STORE_ATTACHMENT * limit / window / 1048576
    rows: dict = {"fileBytes": size, "ceilingMiBPerSecond": round(ceiling, 2), "chunksPerMessage": chunks_per_message}
    try:
        _, readable = sim.readable_channels()
        channel = readable[0]["id"]
        runs = [("plain", source, mib, []), ("encrypted", source, mib, ["--passphrase-env", "SKALD_BENCH_PASSPHRASE"])]
        if large_mib:
            runs.append(("large", large, large_mib, []))
        for label, source, mib, extra in runs:
            size = mib * 1024 * 1024
            with open(source, "wb") as handle:
                handle.truncate(size)
            db = work / f"store-{label}.sqlite"
            out = work / f"store-{label}-out"
            for path in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
                path.unlink(missing_ok=True)
            shutil.rmtree(out, ignore_errors=True)
            os.environ["SKALD_BENCH_PASSPHRASE"] = "bench passphrase"
            common = ["--token", sim.token, "--api-base", sim.api, "--db", f"sqlite:{db}", *extra]
            put = measure([skald, "store", "put", str(source), "--channel", channel, *common],
                          work / f"store-{label}-put.log")
            get = measure([skald, "store", "get", source.name, "--out", str(out), *common],
                          work / f"store-{label}-get.log")
            got = out / source.name
            same = got.exists() and got.stat().st_size == size and put.exit_code == 0 and get.exit_code == 0
            if same:
                with open(got, "rb") as handle:
                    same = all(not any(block) for block in iter(lambda: handle.read(1 << 20), b""))
            shutil.rmtree(out, ignore_errors=True)
            rows[label] = {
                "putSeconds": round(put.seconds, 2), "putMiBPerSecond": round(mib / put.seconds, 2),
                "putPercentOfCeiling": round(100 * mib / put.seconds / ceiling, 1),
                "putCpuSeconds": round(put.cpu_seconds, 2), "putPeakRssBytes": put.peak_rss_bytes,
                "getSeconds": round(get.seconds, 2), "getMiBPerSecond": round(mib / get.seconds, 2),
                "getCpuSeconds": round(get.cpu_seconds, 2), "getPeakRssBytes": get.peak_rss_bytes,
                "exitCodes": [put.exit_code, get.exit_code], "roundTripIdentical": same, "fileBytes": size,
            }
            source.unlink(missing_ok=True)
        stats = sim.stats()
        rows["rateLimited"] = stats.get("rateLimited", {})
        rows["simulatorCpuSeconds"] = round(sim.cpu_seconds(), 2)
    finally:
        sim.stop()
        source.unlink(missing_ok=True)
        large.unlink(missing_ok=True)
    return rows


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run_serve(skald: str, db: str, guild: str | None, messages: int, work: Path, requests: int = 200) -> dict:
    """`skald serve` on the cpu archive (`db`: its URL, SQLite or PostgreSQL): p50/p95/p99 latency of channel pages
    around random messages, of Discord API message pages, of a search for a common and a rare word and an
    operator-heavy one; the server's peak RSS."""
    import http.client
    import random
    import urllib.parse

    log = open(work / "serve.log", "w")
    process = subprocess.Popen([skald, "serve", "--db", db, "--port", "0"], stdout=subprocess.PIPE,
                               stderr=log, text=True, start_new_session=True)
    line = process.stdout.readline() if process.stdout else ""
    match = re.search(r"skald-serve listening on http://([^:/]+):(\d+)", line)
    if not match:
        process.kill()
        raise RuntimeError(f"skald serve did not start (got {line!r}); see {work / 'serve.log'}")
    connection = http.client.HTTPConnection(match.group(1), int(match.group(2)), timeout=120)

    def get(path: str) -> tuple[float, bytes]:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
        return elapsed, body

    try:
        rng = random.Random(7)
        guild = guild or json.loads(get("/skald/api/guilds")[1])[0]["id"]
        channels = [c["id"] for c in json.loads(get(f"/skald/api/guilds/{guild}/channels")[1])
                    if not c["isThread"] and c["channel"].get("type") in MESSAGE_TYPES]
        bounds = {}
        for channel in channels:
            newest = json.loads(get(f"/api/v10/channels/{channel}/messages?limit=1")[1])
            oldest = json.loads(get(f"/api/v10/channels/{channel}/messages?after=0&limit=1")[1])
            if newest and oldest:
                bounds[channel] = (int(oldest[0]["id"]), int(newest[0]["id"]))
        channels = list(bounds)

        def random_point() -> tuple[str, int]:
            channel = rng.choice(channels)
            low, high = bounds[channel]
            return channel, rng.randint(low, high)

        # Words: counted over pages read at random points; the most frequent is "common", one seen once "rare".
        counts: dict[str, int] = {}
        authors: list[str] = []
        for _ in range(20):
            channel, point = random_point()
            for message in json.loads(get(f"/api/v10/channels/{channel}/messages?around={point}&limit=100")[1]):
                authors.append(message["author"]["username"])
                for word in re.findall(r"[a-z]{4,}", message["content"].lower()):
                    counts[word] = counts.get(word, 0) + 1
        ranked = sorted(counts, key=lambda w: (-counts[w], w))
        common = ranked[0] if ranked else "message"
        rare = "zzzz"
        for word in [w for w in reversed(ranked) if counts[w] == 1 and w not in ("http", "https")][:40]:
            found = json.loads(get(f"/skald/api/search?q={urllib.parse.quote(word)}&limit=25")[1])
            if found["next"] is None:  # fewer than 25 messages in the whole archive
                rare = word
                break
        author = max(set(authors), key=authors.count) if authors else "nobody"
        operator_query = f"from:{author} has:link before:2100"

        def timed(paths: list[str]) -> dict:
            latencies = [get(path)[0] for path in paths]
            return {"requests": len(latencies), "p50Ms": round(percentile(latencies, 0.5), 2),
                    "p95Ms": round(percentile(latencies, 0.95), 2), "p99Ms": round(percentile(latencies, 0.99), 2)}

        def search(query: str) -> list[str]:
            return [f"/skald/api/search?q={urllib.parse.quote(query)}&limit=25"] * max(requests // 4, 10)

        result = {"messages": messages}
        pages = [random_point() for _ in range(requests)]
        result["channelPage"] = timed([f"/channels/{c}?around={p}" for c, p in pages])
        result["apiMessages"] = timed([f"/api/v10/channels/{c}/messages?before={p}&limit=100" for c, p in pages])
        result["searchCommon"] = {"query": common, **timed(search(common))}
        result["searchRare"] = {"query": rare, **timed(search(rare))}
        result["searchOperators"] = {"query": operator_query, **timed(search(operator_query))}
        # Discord's Search Guild Messages route, served from the archive (newest first, 25 a page). It counts every
        # match (`total_results`) by reading it, so a common word costs seconds at 1M messages: three requests only.
        def guild_search(word: str) -> str:
            return f"/api/v10/guilds/{guild}/messages/search?content={urllib.parse.quote(word)}"
        result["apiGuildSearchRare"] = {"query": rare, **timed([guild_search(rare)] * max(requests // 4, 10))}
        result["apiGuildSearchCommon"] = {"query": common, **timed([guild_search(common)] * 3)}
        status = Path(f"/proc/{process.pid}/status").read_text()
        hwm = re.search(r"VmHWM:\s+(\d+) kB", status)
        result["peakRssBytes"] = int(hwm.group(1)) * 1024 if hwm else 0
        return result
    finally:
        connection.close()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def run_mirror(skald: str, work: Path, seed: int, quick: bool) -> dict:
    """`skald mirror` of an archived guild into `skald fluxer-sim` with Fluxer's limits: one webhook per channel,
    60 executes per 60 s each (fluxer-api.md §2), channels in parallel. The ceiling is what those limits allow for the
    archive's per-channel counts: a channel of n messages needs at least 60 * floor((n - 1) / 60) s."""
    channels, per_channel = (4, 70) if quick else (8, 300)
    scenario = Scenario("mirror", channels, per_channel, 0, "off")
    sim = Simulator(skald, scenario, seed, work / "mirror-skald-sim.log")
    db = work / "mirror.sqlite"
    if db.exists():
        db.unlink()
    fluxer = subprocess.Popen([skald, "fluxer-sim", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=open(work / "mirror-fluxer-sim.log", "w"), text=True, start_new_session=True)
    try:
        archived = measure([skald, "archive", "--api-base", sim.api, "--token", sim.token, "--db", f"sqlite:{db}"],
                           work / "mirror-archive.log")
        if archived.exit_code != 0:
            raise RuntimeError("skald archive failed; see mirror-archive.log")
        line = fluxer.stdout.readline() if fluxer.stdout else ""
        match = re.match(r"fluxer-sim listening on (\S+) token=(\S+)", line)
        if not match:
            raise RuntimeError(f"fluxer-sim did not start (got {line!r})")
        base, token = match.group(1), match.group(2)
        target = http_json(base + "/__fluxer/truth")["guild"]["id"]
        # Emoji and sticker images come from the simulator's CDN (the default, cdn.discordapp.com, is not reachable
        # offline: each fetch waited out a DNS timeout, 90 s of a quick run).
        argv = [skald, "mirror", "--to", "fluxer", "--target-api", base, "--target-token", token, "--target-guild",
                target, "--db", f"sqlite:{db}", "--source-cdn", sim.base + "/cdn"]
        plan = measure(argv + ["--dry-run"], work / "mirror-plan.log")
        counts = [int(m.group(1)) for m in re.finditer(r'^  \+ text "[^"]*": (\d+) of', plan.stdout, re.M)]
        creates = len(re.findall(r"^  \+ (?:category|text|voice) ", plan.stdout, re.M))  # 10 per 60 s
        bound = max([60 * ((n - 1) // 60) for n in counts if n > 0] or [0]) + 60 * max(0, (creates - 1) // 10)
        measured = measure(argv + ["--yes"], work / "mirror-run.log")
        stats = http_json(base + "/__fluxer/stats")
        truth = http_json(base + "/__fluxer/truth")["guild"]
        sent = sum(len(c.get("messages", [])) for c in truth["channels"])
        rate = sent / measured.seconds if measured.seconds else 0.0
        ceiling = sum(counts) / bound if bound else None
        return {"exitCode": measured.exit_code, "messages": sent, "archivedMessages": sum(counts),
                "seconds": round(measured.seconds, 2), "messagesPerSecond": round(rate, 2),
                "ceilingMessagesPerSecond": round(ceiling, 2) if ceiling else None,
                "percentOfCeiling": round(100 * rate / ceiling, 1) if ceiling else None,
                "cpuSeconds": round(measured.cpu_seconds, 2), "peakRssBytes": measured.peak_rss_bytes,
                "rateLimited": stats["rateLimited"], "requests": stats["requests"]}
    finally:
        fluxer.send_signal(signal.SIGTERM)
        try:
            fluxer.wait(timeout=20)
        except subprocess.TimeoutExpired:
            fluxer.kill()
        sim.stop()


def serve_archive(args: argparse.Namespace, result: dict, db: str, guild: str | None, messages: int,
                  work: Path) -> None:
    """The serve scenario on an SQLite archive, then (`--serve-postgres`) on its copy in PostgreSQL."""
    print("skald-bench: serve: channel pages, API pages and searches ...", file=sys.stderr)
    result["skald"]["serve"] = run_serve(args.skald, db, guild, messages, work)
    if args.serve_postgres:
        print("skald-bench: serve: skald migrate-store into PostgreSQL, then the same on it ...", file=sys.stderr)
        subprocess.run([args.skald, "migrate-store", "--from", db, "--to", args.serve_postgres], check=True,
                       stdout=subprocess.DEVNULL)
        result["skald"]["servePostgres"] = run_serve(args.skald, args.serve_postgres, guild, messages, work)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skald", required=True, help="the skald binary (release build)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter with discord.py")
    parser.add_argument("--json", dest="json_path", help="write the figures as one JSON object here")
    parser.add_argument("--quick", action="store_true", help="scaled-down scenarios (a smoke run of a few minutes)")
    parser.add_argument("--only", action="append",
                        choices=["wide", "hostile", "deep", "deep2", "deep2ch", "cpu", "export", "live", "bot", "serve", "store",
                                 "mirror"],
                        help="run only these scenarios (repeatable; export and serve need cpu)")
    parser.add_argument("--no-peer", action="store_true", help="skip discord.py")
    parser.add_argument("--no-compression", action="store_true",
                        help="run `skald sim --no-compression`: answers uncompressed although the client asks for gzip "
                             "(Discord compresses them; the default measures the client's inflate too)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--concurrency", type=int, help="pass --concurrency to skald archive")
    parser.add_argument("--postgres", default=os.environ.get("SKALD_BENCH_POSTGRES_URL")
                        or os.environ.get("SKALD_TEST_POSTGRES_URL"),
                        help="PostgreSQL server for deep2's workers (a fresh schema per run; default "
                             "SKALD_BENCH_POSTGRES_URL, then SKALD_TEST_POSTGRES_URL)")
    parser.add_argument("--work", help="folder for archives, exports and logs (default: a temporary folder)")
    parser.add_argument("--cpu-postgres", metavar="ADMIN_URL",
                        help="also run the cpu scenario into PostgreSQL: a fresh database is made (and dropped) on "
                             "the server of ADMIN_URL (e.g. the tests' postgres://skald:skald@127.0.0.1:55432/"
                             "skald_test; the role needs CREATEDB); the server backends' CPU is read from /proc; with "
                             "the export scenario, its import also runs into a fresh database there")
    parser.add_argument("--serve-archive", metavar="PATH",
                        help="serve: measure this SQLite archive (a cpu archive kept with --work) instead of "
                             "archiving a new one")
    parser.add_argument("--serve-postgres", metavar="URL",
                        help="serve: also copy the cpu archive into this empty PostgreSQL database (skald "
                             "migrate-store) and measure the same requests on it")
    parser.add_argument("--export-archive", metavar="PATH",
                        help="export: export (and import) this SQLite archive (a cpu archive kept with --work, e.g. "
                             "WORK/cpu.sqlite of a full run: 1M messages) instead of archiving a new one")
    parser.add_argument("--store-mib", type=int, help="file size of the store scenario in MiB (default 1024, quick 128)")
    parser.add_argument("--store-large-mib", type=int,
                        help="size of the store scenario's extra plain sparse round trip (default 2048, quick none)")
    args = parser.parse_args(argv)
    if args.no_compression:
        SIM_FLAGS.append("--no-compression")

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="skald-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only or ["wide", "hostile", "deep", "deep2", "deep2ch", "cpu", "export", "live", "bot", "serve",
                               "store", "mirror"])
    if ("export" in wanted and not args.export_archive) or ("serve" in wanted and not args.serve_archive):
        wanted.add("cpu")
    plan = scenarios(args.quick)
    version = subprocess.run([args.skald, "--version"], capture_output=True, text=True).stdout.strip()
    result: dict = {
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "loadAverageAtStart": [round(x, 2) for x in os.getloadavg()]},
        "quick": args.quick,
        "skaldVersion": version or None,
        "git": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip() or None,
        "simulator": {name: s.profile() for name, s in plan.items() if name in wanted},
        "skald": {}, "discordpy": {},
        "workFolder": str(work),
    }
    print(f"skald-bench: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, work folder {work}"
          f"{' (quick)' if args.quick else ''}", file=sys.stderr)
    for name in ("wide", "hostile", "deep", "deep2", "deep2ch", "cpu"):
        if name not in wanted:
            continue
        scenario = plan[name]
        if scenario.workers > 1 and not args.postgres:
            print(f"skald-bench: {name}: skipped (needs --postgres URL)", file=sys.stderr)
            continue
        print(f"skald-bench: {name}: skald archive ...", file=sys.stderr)
        if scenario.workers > 1:
            row, extra = run_skald_workers(args.skald, scenario, work, args.seed, args.concurrency, args.postgres)
        else:
            row, extra = run_skald(args.skald, scenario, work, args.seed, args.concurrency)
        result["simulator"][name]["readableChannels"] = row["readableChannels"]
        if name == "cpu":
            messages = max(row["messages"], 1)
            row["cpuSecondsPerMillion"] = round(row["cpuSeconds"] * 1e6 / messages, 3)
            row["dbBytesPerMessage"] = round(row["databaseBytes"] / messages, 1)
            row["rawJsonBytesPerMessage"] = round(row["rawJsonBytes"] / messages, 1)
            row["dbToRawJson"] = round(row["databaseBytes"] / max(row["rawJsonBytes"], 1), 3)
        result["skald"][name] = row
        print(f"skald-bench: {name}: skald {row['messages']:,} messages in {row['seconds']:.1f}s", file=sys.stderr)
        if scenario.peer and not args.no_peer:
            print(f"skald-bench: {name}: discord.py ...", file=sys.stderr)
            peer = run_discordpy(args.python, args.skald, scenario, work, args.seed)
            result["discordpy"][name] = peer
            print(f"skald-bench: {name}: discord.py {peer['messages']:,} messages in {peer['seconds']:.1f}s",
                  file=sys.stderr)
            row["ratioToDiscordpy"] = {
                "messagesPerSecond": round(row["messagesPerSecond"] / max(peer["messagesPerSecond"], 1e-9), 3),
                "cpuSeconds": round(row["cpuSeconds"] / max(peer["cpuSeconds"], 1e-9), 3)}
        if name == "cpu" and args.cpu_postgres:
            print("skald-bench: cpu: skald archive into PostgreSQL ...", file=sys.stderr)
            result["skald"]["cpuPostgres"] = run_skald_postgres(args.skald, scenario, work, args.seed,
                                                                args.concurrency, args.cpu_postgres)
        if name == "cpu" and "export" in wanted:
            print("skald-bench: export: skald export / skald import ...", file=sys.stderr)
            result["skald"]["export"] = run_export(args.skald, extra["db"], extra["guild"], row["messages"], work)
            if args.cpu_postgres:
                print("skald-bench: export: skald import into PostgreSQL ...", file=sys.stderr)
                result["skald"]["importPostgres"] = run_import_postgres(args.skald, work, args.cpu_postgres)
        if name == "cpu" and "serve" in wanted:
            serve_archive(args, result, f"sqlite:{extra['db']}", extra["guild"], row["messages"], work)
    if "export" in wanted and args.export_archive:
        archived = json.loads(subprocess.run([args.skald, "stats", "--json", "--db", f"sqlite:{args.export_archive}"],
                                             check=True, capture_output=True, text=True).stdout)
        with sqlite3.connect(f"file:{args.export_archive}?mode=ro", uri=True) as kept:
            guild = str(kept.execute("SELECT id FROM guild ORDER BY id LIMIT 1").fetchone()[0])
        print(f"skald-bench: export: skald export / skald import of {args.export_archive} ...", file=sys.stderr)
        result["skald"]["export"] = run_export(args.skald, Path(args.export_archive), guild,
                                               int(archived["messages"]), work)
    if "serve" in wanted and args.serve_archive:
        stats = json.loads(subprocess.run([args.skald, "stats", "--json", "--db", f"sqlite:{args.serve_archive}"],
                                          check=True, capture_output=True, text=True).stdout)
        serve_archive(args, result, f"sqlite:{args.serve_archive}", None, int(stats["messages"]), work)
    if "live" in wanted:
        print("skald-bench: live: skald watch under 1,000 events/s ...", file=sys.stderr)
        result["skald"]["live"] = run_live(args.skald, work, args.seed, args.quick)
    if "bot" in wanted:
        print("skald-bench: bot: skald bot under 1,000 clips/s ...", file=sys.stderr)
        result["skald"]["bot"] = run_bot(args.skald, work, args.seed, args.quick)
    if "store" in wanted:
        mib = args.store_mib or (128 if args.quick else 1024)
        print(f"skald-bench: store: skald store put/get of {mib} MiB, plain and encrypted ...", file=sys.stderr)
        large_mib = args.store_large_mib if args.store_large_mib is not None else (0 if args.quick else 2048)
        result["skald"]["store"] = run_store(args.skald, work, args.seed, mib, large_mib)
    if "mirror" in wanted:
        print("skald-bench: mirror: skald mirror into fluxer-sim ...", file=sys.stderr)
        result["skald"]["mirror"] = run_mirror(args.skald, work, args.seed, args.quick)
    result["machine"]["loadAverageAtEnd"] = [round(x, 2) for x in os.getloadavg()]
    result["targets"] = targets(result)
    print_table(result)
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nwrote {args.json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
