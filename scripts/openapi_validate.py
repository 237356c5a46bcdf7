#!/usr/bin/env python3
"""Validate captured Discord REST exchanges against the official OpenAPI 3.1 spec.

Usage:
    openapi_validate.py [--spec discord-openapi.json] EXCHANGES.jsonl [--verbose]
    openapi_validate.py [--spec discord-openapi.json] --self-test

Each line of EXCHANGES.jsonl is one exchange:
    {"method": "GET", "path": "/api/v10/channels/123/messages?limit=100", "status": 200, "body": [...]}
Optional keys: "expect_status" / "expect_code" (a different HTTP status / body `code` is a failure), "raw" (the body
text when it was not JSON; then "body" is absent), "content_type" (must be exactly application/json for JSON bodies),
"headers" (lower-case names; X-RateLimit-* and Retry-After are checked), "note" (free text, printed with failures).
A missing "body" means an empty body.

For every exchange the script finds the OpenAPI operation (path template + method; literal segments beat
parameters, so /messages/pins beats /messages/{message_id}), picks the response for the status (exact code,
then "4XX"-style range, then "default"), resolves $refs through a `referencing` registry holding the whole spec as a
draft 2020-12 resource, and validates the body. Where Discord's documentation and the spec
disagree ("spec: ..."), the docs win: see KNOWN_DIVERGENCES below. Exchanges whose path matches no operation fail
too, unless the route is in DOCUMENTED_NOT_IN_SPEC.

Output: one line per failing exchange (JSON path of the first error, schema location, count of further errors),
a table of failure kinds, the divergences that were tolerated, and a summary line. Exit status 1 on any failure.
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime
import json
import os
import re
import sys
from collections import Counter, defaultdict
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:discord-openapi"
API_PREFIX = re.compile(r"^/api(/v\d+)?(?=/)")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The spec travels with the repository (third_party/discord-api-spec, MIT: see its LICENSE and NOTICES).
DEFAULT_SPEC_CANDIDATES = [
    os.environ.get("SKALD_OPENAPI_SPEC", ""),
    os.path.join(REPO_ROOT, "third_party", "discord-api-spec", "discord-openapi.json"),
]

# Message types listed in discord-api.md §4 "Types" (the spec adds 55 and lacks 44).
DOCUMENTED_MESSAGE_TYPES = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27, 28, 29, 31, 32, 36, 37, 38, 39, 44, 46,
}


# ---------------------------------------------------------------------------------------------------------------------
# Known divergences between the spec and the docs (discord-api.md §1-§4). The docs win. Each entry names the schema
# location of the failing keyword (JSON pointer into the spec + "/" + keyword) and a predicate on the error, so that
# only the documented difference is tolerated and everything else at that location still fails.
# ---------------------------------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Divergence:
    """One tolerated spec/docs disagreement."""

    location: str  # e.g. "/components/schemas/MessageResponse/required"
    reason: str  # quoted or paraphrased from discord-api.md
    applies: Callable[["ErrorInfo"], bool]

    @property
    def key(self) -> str:
        return f"{self.location} [{self.reason}]"


@dataclasses.dataclass
class ErrorInfo:
    """What a divergence predicate may look at."""

    error: jsonschema.ValidationError
    location: str
    operation: str  # "GET /channels/{channel_id}/messages"
    status: int

    @property
    def missing(self) -> str | None:
        """For a `required` error, the missing property name."""
        if self.error.validator != "required":
            return None
        match = re.match(r"^'(.+)' is a required property$", self.error.message)
        return match.group(1) if match else None


def _missing_in(*names: str) -> Callable[[ErrorInfo], bool]:
    return lambda info: info.missing in names


def _instance_is_null(info: ErrorInfo) -> bool:
    return info.error.instance is None


KNOWN_DIVERGENCES: list[Divergence] = [
    # §4 Message: "flags?, components? | spec: both required". The same message shape is used for referenced and
    # snapshot messages, so the other message schemas get the same treatment.
    *[
        Divergence(f"/components/schemas/{schema}/required",
                   "§4 Message: `flags?`, `components?` are optional (spec: both required)",
                   _missing_in("flags", "components"))
        for schema in ("MessageResponse", "BasicMessageResponse", "MinimalContentMessageResponse")
    ],
    # §4 Types: "spec: adds 55 and lacks 44, so tolerate unknown values" - we accept the documented list only.
    Divergence("/components/schemas/MessageType/oneOf",
               "§4 Message types: docs list 44 PURCHASE_NOTIFICATION etc. (spec: adds 55 and lacks 44)",
               lambda info: info.error.instance in DOCUMENTED_MESSAGE_TYPES),
    # §4 Message reference: "type? (... absent means 0)" / "spec: `type` and `channel_id` are required, and the enum
    # has only 0". channel_id is "always present in responses", so only `type` may be missing.
    Divergence("/components/schemas/MessageReferenceResponse/required",
               "§4 Message reference: `type?` is optional, absent means 0 (spec: required)",
               _missing_in("type")),
    Divergence("/components/schemas/MessageReferenceType/oneOf",
               "§4 Message reference: type 1 FORWARD exists (spec: the enum has only 0)",
               lambda info: info.error.instance == 1),
    # §4 Attachment: "height?, width? | ?int (spec: not nullable)".
    *[
        Divergence(f"/components/schemas/MessageAttachmentResponse/properties/{field}/type",
                   f"§4 Attachment: `{field}?` is a nullable int (spec: not nullable)",
                   _instance_is_null)
        for field in ("height", "width")
    ],
    # §4 Embed: "type? (spec: required)".
    Divergence("/components/schemas/MessageEmbedResponse/required",
               "§4 Embed: `type?` is optional (spec: required)",
               _missing_in("type")),
    # §4 User: "flags?, public_flags?, primary_guild?. spec: the last three are required". /users/@me uses
    # UserPIIResponse, which requires flags and public_flags the same way.
    Divergence("/components/schemas/UserResponse/required",
               "§4 User: `flags?`, `public_flags?`, `primary_guild?` are optional (spec: required)",
               _missing_in("flags", "public_flags", "primary_guild")),
    Divergence("/components/schemas/UserPIIResponse/required",
               "§4 User: `flags?`, `public_flags?` are optional (spec: required)",
               _missing_in("flags", "public_flags", "primary_guild")),
    # §4 Member: "joined_at ? (spec: non-null)".
    Divergence("/components/schemas/GuildMemberResponse/properties/joined_at/type",
               "§4 Member: `joined_at` is nullable (spec: non-null)",
               _instance_is_null),
    # §4 Channel: "spec: lacks 16, and requires flags, guild_id, name and position".
    *[
        Divergence(f"/components/schemas/{schema}/required",
                   "§4 Channel: `flags?`, `guild_id?`, `name?`, `position?` are optional "
                   "(spec: requires flags, guild_id, name and position)",
                   _missing_in("flags", "guild_id", "name", "position"))
        for schema in ("GuildChannelResponse", "ThreadResponse")
    ],
    Divergence("/components/schemas/GuildChannelResponse/properties/type/enum",
               "§4 Channel types: 16 GUILD_MEDIA exists (spec: lacks 16)",
               lambda info: info.error.instance == 16),
    Divergence("/components/schemas/ChannelTypes/oneOf",
               "§4 Channel types: 16 GUILD_MEDIA exists (spec: lacks 16)",
               lambda info: info.error.instance == 16),
    # §4 Scheduled event: "spec: adds entity type 0 and guild_scheduled_event_exceptions".
    *[
        Divergence(f"/components/schemas/{schema}/required",
                   "§4 Scheduled event: `guild_scheduled_event_exceptions` is not a documented field (spec adds it)",
                   _missing_in("guild_scheduled_event_exceptions"))
        for schema in ("ExternalScheduledEventResponse", "StageScheduledEventResponse",
                       "VoiceScheduledEventResponse", "ScheduledEventResponse")
    ],
    # §4 Poll: "A missing `results` means unknown (spec: required)".
    Divergence("/components/schemas/PollResponse/required",
               "§4 Poll: `results?` may be missing, meaning unknown (spec: required)",
               _missing_in("results")),
    # §3.2 / §8.15: active threads return {threads, members}; "spec: ThreadsResponse also requires has_more".
    Divergence("/components/schemas/ThreadsResponse/required",
               "§3.2 Active threads: `{threads, members}` without `has_more` (spec: ThreadsResponse requires it)",
               lambda info: info.missing == "has_more" and info.operation == "GET /guilds/{guild_id}/threads/active"),
    # §1 Error body: each leaf is `{"_errors":[{code, message}]}` and the docs' example carries string codes
    # (`"code":"NUMBER_TYPE_MAX"`); the spec reuses Error, whose code is an integer. Only inside `_errors`.
    Divergence("/components/schemas/Error/properties/code/type",
               "§1 Error body: `_errors[].code` is a string such as NUMBER_TYPE_MAX (spec: integer)",
               lambda info: isinstance(info.error.instance, str) and "_errors" in info.error.absolute_path),
    # §2 429 response: `"code"?:int` ... "(the spec makes `code` required)". Error is shared with ErrorResponse, so
    # only a body carrying `retry_after` (a rate-limit body) may omit code.
    Divergence("/components/schemas/Error/required",
               "§2 429 body: `code?` is optional (spec: RatelimitedResponse requires it)",
               lambda info: info.missing == "code" and isinstance(info.error.instance, dict)
               and "retry_after" in info.error.instance),
]


# Routes Discord documents (discord-api.md) that the spec lacks, each with a minimal schema written from the docs.
# Checked: every route named in discord-api.md §1-§3 is in the spec (pins: /channels/{channel_id}/messages/pins is
# there), except the unofficial attachment refresh route and the "unknown route" 404 shape.
DOCUMENTED_NOT_IN_SPEC: list[dict[str, Any]] = [
    {
        "method": "POST", "template": "/attachments/refresh-urls", "status": 200,
        "reason": "§6: unofficial `POST /attachments/refresh-urls` -> {refreshed_urls:[{original, refreshed}]}",
        "schema": {
            "type": "object", "required": ["refreshed_urls"],
            "properties": {"refreshed_urls": {"type": "array", "items": {
                "type": "object", "required": ["original", "refreshed"],
                "properties": {"original": {"type": "string"}, "refreshed": {"type": "string"}}}}},
        },
    },
    {
        "method": "*", "template": "*", "status": 404,
        "reason": "§1 / §8.9: an unknown route gives 404 {\"message\":\"404: Not Found\",\"code\":0}",
        "schema": {"const": {"message": "404: Not Found", "code": 0}},
    },
]


# ---------------------------------------------------------------------------------------------------------------------
# Spec handling
# ---------------------------------------------------------------------------------------------------------------------

def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclasses.dataclass
class Operation:
    template: str
    method: str
    regex: re.Pattern[str]
    literal_segments: int
    pointer: str  # JSON pointer of the operation object

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"


class Spec:
    """The OpenAPI document, its operations and a schema registry."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(document))
        self.operations: list[Operation] = []
        for template, item in document["paths"].items():
            segments = template.strip("/").split("/")
            pattern = "/".join("[^/]+" if re.fullmatch(r"\{[^}]+\}", s) else re.escape(s) for s in segments)
            literal = sum(1 for s in segments if not s.startswith("{"))
            for method in item:
                if method in ("get", "put", "post", "patch", "delete", "head", "options"):
                    self.operations.append(Operation(
                        template, method.upper(), re.compile(f"^/{pattern}$"), literal,
                        f"/paths/{_escape(template)}/{method}"))
        # Map every dict/list object in the spec to its JSON pointer, to name the schema location of an error.
        self.pointer_of: dict[int, str] = {}
        self._index(document, "")
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}
        self.format_checker = _format_checker()

    def _index(self, node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            self.pointer_of.setdefault(id(node), pointer)
            for key, value in node.items():
                self._index(value, f"{pointer}/{_escape(str(key))}")
        elif isinstance(node, list):
            self.pointer_of.setdefault(id(node), pointer)
            for index, value in enumerate(node):
                self._index(value, f"{pointer}/{index}")

    def resolve_pointer(self, pointer: str) -> Any:
        node: Any = self.document
        for raw in pointer.split("/")[1:]:
            token = raw.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def match(self, method: str, path: str) -> tuple[Operation | None, list[Operation]]:
        """Returns (operation, operations whose path matched with any method)."""
        by_path = [op for op in self.operations if op.regex.match(path)]
        by_path.sort(key=lambda op: -op.literal_segments)
        for op in by_path:
            if op.method == method:
                return op, by_path
        return None, by_path

    def response_for(self, op: Operation, status: int) -> tuple[str, dict[str, Any]] | None:
        """Returns (pointer, response object) for the status, following a response $ref."""
        responses = self.resolve_pointer(op.pointer)["responses"]
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                pointer = f"{op.pointer}/responses/{key}"
                response = responses[key]
                while "$ref" in response:
                    pointer = response["$ref"].lstrip("#")
                    response = self.resolve_pointer(pointer)
                return pointer, response
        return None

    def validator(self, schema_pointer: str) -> jsonschema.Draft202012Validator:
        if schema_pointer not in self._validators:
            self._validators[schema_pointer] = jsonschema.Draft202012Validator(
                {"$ref": f"{SPEC_URI}#{schema_pointer}"}, registry=self.registry, format_checker=self.format_checker)
        return self._validators[schema_pointer]


# date-time: RFC 3339 as Discord writes it (§1 / §8.1: `2017-07-11T17:27:07.299000+00:00`): UTC offset +00:00.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00:00$")


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            return False
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    @checker.checks("int32")
    def _int32(value: object) -> bool:
        return not isinstance(value, int) or isinstance(value, bool) or -(2 ** 31) <= value < 2 ** 31

    @checker.checks("int64")
    def _int64(value: object) -> bool:
        return not isinstance(value, int) or isinstance(value, bool) or -(2 ** 63) <= value < 2 ** 63

    return checker


# ---------------------------------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Problem:
    json_path: str
    location: str
    message: str


@dataclasses.dataclass
class Result:
    line: int
    exchange: dict[str, Any]
    operation: str | None
    problems: list[Problem]
    unmatched: bool = False
    tolerated: list[str] = dataclasses.field(default_factory=list)
    documented_not_in_spec: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _location(spec: Spec, error: jsonschema.ValidationError) -> str:
    base = spec.pointer_of.get(id(error.schema))
    if base is None:
        return f"<local>/{error.validator}"
    return f"{base}/{error.validator}"


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _explain(spec: Spec, error: jsonschema.ValidationError, op_name: str, status: int,
             tolerated: list[str]) -> list[Problem]:
    """Returns the errors that no known divergence explains (oneOf/anyOf: some branch must be fully explained)."""
    location = _location(spec, error)
    info = ErrorInfo(error, location, op_name, status)
    for divergence in KNOWN_DIVERGENCES:
        if divergence.location == location and divergence.applies(info):
            tolerated.append(divergence.key)
            return []
    if error.validator in ("oneOf", "anyOf") and error.context and all(
            sub.validator == "const" for sub in error.context):
        return [Problem(error.json_path, location, f"{_short(error.instance)} is not one of the allowed values")]
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict[Any, list[jsonschema.ValidationError]] = defaultdict(list)
        for sub in error.context:
            branches[sub.relative_schema_path[0]].append(sub)
        best: list[Problem] | None = None
        for sub_errors in branches.values():
            branch_tolerated: list[str] = []
            problems = [p for sub in sub_errors for p in _explain(spec, sub, op_name, status, branch_tolerated)]
            if not problems:
                tolerated.extend(branch_tolerated)
                return []
            if best is None or len(problems) < len(best):
                best = problems
        # No branch is fully explained: report the errors of the branch closest to matching.
        assert best is not None
        suffix = f" (closest {error.validator} branch at {location})"
        return [Problem(p.json_path, p.location, p.message if p.message.endswith(")") and "closest" in p.message
                        else p.message + suffix) for p in best]
    return [Problem(error.json_path, location, _short(error.message, 200))]


RATE_LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-reset-after",
                      "x-ratelimit-bucket")


def check_headers(exchange: dict[str, Any], body: Any) -> list[Problem]:
    """Header checks, when the capture recorded them (`content_type`, `headers` with lower-case names)."""
    problems: list[Problem] = []
    content_type = exchange.get("content_type")
    if "body" in exchange and content_type is not None and content_type != "application/json":
        # Discord sends exactly "application/json"; discord.py (http.json_or_text) parses JSON only on an exact match.
        problems.append(Problem("$", "header Content-Type",
                                f"Content-Type is {content_type!r}, Discord sends exactly 'application/json'"))
    headers = exchange.get("headers")
    if not isinstance(headers, dict):
        return problems
    present = [name for name in RATE_LIMIT_HEADERS if name in headers]
    is_global = headers.get("x-ratelimit-global") == "true"
    if present and len(present) != len(RATE_LIMIT_HEADERS) and not is_global:
        missing = [name for name in RATE_LIMIT_HEADERS if name not in headers]
        problems.append(Problem("$", "headers X-RateLimit-*", f"§2/§8.18: all five rate-limit headers or none; "
                                                               f"missing {', '.join(missing)}"))
    for name, kind in (("x-ratelimit-limit", int), ("x-ratelimit-remaining", int), ("x-ratelimit-reset", float),
                       ("x-ratelimit-reset-after", float)):
        if name in headers:
            try:
                kind(headers[name])
            except ValueError:
                problems.append(Problem("$", f"header {name}", f"{headers[name]!r} is not {kind.__name__}"))
    if int(exchange["status"]) == 429 and isinstance(body, dict):
        retry_after = body.get("retry_after")
        header = headers.get("retry-after")
        if header is None or not isinstance(retry_after, (int, float)) or \
                int(header) != -int(-retry_after // 1):
            problems.append(Problem("$", "header Retry-After", f"§2: Retry-After ({header}) must be "
                                                                f"ceil(retry_after) ({retry_after})"))
        if "via" not in headers:
            # Discord's API answers pass Google's front end (`Via: 1.1 google`). discord.py (http.py, request) takes a
            # 429 without `Via` for a Cloudflare ban and raises instead of sleeping retry_after.
            problems.append(Problem("$", "header Via", "a JSON 429 lacks `Via` (Discord sends `Via: 1.1 google`); "
                                                       "discord.py treats such a 429 as a Cloudflare ban"))
        if headers.get("x-ratelimit-scope") not in ("user", "global", "shared"):
            problems.append(Problem("$", "header X-RateLimit-Scope",
                                    f"§2: a 429 carries Scope user/global/shared, got {headers.get('x-ratelimit-scope')}"))
    return problems


def concrete_path(raw: str) -> str:
    path = urlsplit(raw).path if "://" in raw else raw.split("?", 1)[0]
    return API_PREFIX.sub("", path) or "/"


def validate_exchange(spec: Spec, line: int, exchange: dict[str, Any]) -> Result:
    method = str(exchange.get("method", "GET")).upper()
    status = int(exchange["status"])
    path = concrete_path(str(exchange["path"]))
    has_body = "body" in exchange
    body = exchange.get("body")
    result = Result(line, exchange, None, [])

    expected = exchange.get("expect_status")
    if expected is not None and int(expected) != status:
        result.problems.append(Problem("$", "expect_status", f"expected HTTP {expected}, got {status}"))
    expected_code = exchange.get("expect_code")
    if expected_code is not None and not (isinstance(body, dict) and body.get("code") == expected_code):
        got = body.get("code") if isinstance(body, dict) else None
        result.problems.append(Problem("$.code", "expect_code", f"expected error code {expected_code}, got {got}"))
    result.problems.extend(check_headers(exchange, body))

    if "raw" in exchange and not has_body:
        result.problems.append(Problem("$", "body", f"body is not JSON: {_short(exchange['raw'], 120)!r}"))

    op, path_matches = spec.match(method, path)
    if op is None:
        for entry in DOCUMENTED_NOT_IN_SPEC:
            template_ok = entry["template"] == "*" and not path_matches or entry["template"] == path
            method_ok = entry["method"] in ("*", method)
            if template_ok and method_ok and entry["status"] == status:
                result.documented_not_in_spec = entry["reason"]
                result.operation = f"{method} {entry['template']} (not in spec)"
                validator = jsonschema.Draft202012Validator(entry["schema"])
                for error in validator.iter_errors(body):
                    result.problems.append(Problem(error.json_path, "documented-not-in-spec", error.message))
                return result
        result.unmatched = True
        if path_matches:
            allowed = ", ".join(sorted({o.method for o in path_matches}))
            result.problems.append(Problem("$", "operation", f"{method} not in spec for {path_matches[0].template} "
                                                             f"(spec methods: {allowed})"))
        else:
            result.problems.append(Problem("$", "operation", f"no spec operation matches {path}"))
        return result

    result.operation = op.name
    found = spec.response_for(op, status)
    if found is None:
        documented = ", ".join(spec.resolve_pointer(op.pointer)["responses"].keys())
        result.problems.append(Problem("$", f"{op.pointer}/responses",
                                       f"status {status} is not documented (spec: {documented})"))
        return result
    response_pointer, response = found
    content = response.get("content") or {}
    if not content:
        if has_body and body not in (None, "", {}):
            result.problems.append(Problem("$", response_pointer, f"status {status} has no body in the spec, "
                                                                  f"got {_short(body, 80)}"))
        return result
    media = "application/json" if "application/json" in content else next(iter(content))
    if media != "application/json":
        return result  # non-JSON media (e.g. widget.png): nothing to validate
    if not has_body:
        if "raw" not in exchange:  # a non-JSON body was reported above
            result.problems.append(Problem("$", response_pointer, f"status {status} must have a JSON body, got none"))
        return result
    schema_pointer = f"{response_pointer}/content/{_escape(media)}/schema"
    validator = spec.validator(schema_pointer)
    for error in validator.iter_errors(body):
        result.problems.extend(_explain(spec, error, op.name, status, result.tolerated))
    return result


def load_spec(path: str | None) -> Spec:
    candidates = [path] if path else [c for c in DEFAULT_SPEC_CANDIDATES if c]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate):
            with open(candidate, encoding="utf-8") as handle:
                return Spec(json.load(handle))
    sys.exit(f"openapi_validate: spec not found (tried {', '.join(candidates)}); pass --spec or set "
             "SKALD_OPENAPI_SPEC")


def read_exchanges(path: str) -> Iterable[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if text.strip():
                yield number, json.loads(text)


def report(results: list[Result], verbose: bool, out=sys.stdout) -> bool:
    failures = [r for r in results if not r.ok and not r.unmatched]
    unmatched = [r for r in results if r.unmatched]
    kinds: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for r in failures:
        ex = r.exchange
        first = r.problems[0]
        more = f" (+{len(r.problems) - 1} more)" if len(r.problems) > 1 else ""
        note = f" [{ex['note']}]" if ex.get("note") else ""
        print(f"FAIL line {r.line}: {ex.get('method', 'GET')} {ex['path']} -> {ex['status']} ({r.operation}){note}: "
              f"{first.json_path}: {first.message} [schema {first.location}]{more}", file=out)
        if verbose:
            for p in r.problems[1:]:
                print(f"  ... {p.json_path}: {p.message} [schema {p.location}]", file=out)
        for p in r.problems:
            key = (r.operation or "?", p.location)
            kinds[key] += 1
            examples.setdefault(key, f"{p.json_path}: {p.message}")
    for r in unmatched:
        ex = r.exchange
        print(f"UNMATCHED line {r.line}: {ex.get('method', 'GET')} {ex['path']} -> {ex['status']}: "
              f"{r.problems[0].message}", file=out)
    if kinds:
        print("Failure kinds (operation | schema location | count | example):", file=out)
        for (operation, location), count in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {operation} | {location} | {count} | {_short(examples[(operation, location)], 200)}", file=out)
    tolerated = Counter(t for r in results for t in r.tolerated)
    if tolerated:
        print("Tolerated spec/docs divergences (docs win):", file=out)
        for key, count in sorted(tolerated.items(), key=lambda kv: -kv[1]):
            print(f"  {count:6d} x {key}", file=out)
    not_in_spec = Counter(r.operation for r in results if r.documented_not_in_spec)
    for operation, count in not_in_spec.items():
        print(f"Documented but not in spec: {count} x {operation}", file=out)
    per_operation: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        if r.operation:
            per_operation[r.operation][0 if r.ok else 1] += 1
    if verbose:
        print("Per operation (passed/failed):", file=out)
        for operation, (passed, failed) in sorted(per_operation.items()):
            print(f"  {operation}: {passed}/{failed}", file=out)
    passed = sum(1 for r in results if r.ok)
    print(f"openapi_validate: {len(results)} exchanges, {passed} passed, {len(failures)} failed, "
          f"{len(unmatched)} unmatched, {len(per_operation)} operations", file=out)
    return not failures and not unmatched


# ---------------------------------------------------------------------------------------------------------------------
# Self-test: Discord-shaped bodies (discord-api.md §4 examples) that must pass, and deliberately wrong ones that must
# fail, so the validator is shown to catch errors.
# ---------------------------------------------------------------------------------------------------------------------

def _user(**extra: Any) -> dict[str, Any]:
    return {"id": "80351110224678912", "username": "nelly", "discriminator": "0", "global_name": None,
            "avatar": "8342729096ea3675442027381ff50dfe", **extra}


def _message(**extra: Any) -> dict[str, Any]:
    return {"id": "1191168914227200001", "channel_id": "290926798999357250", "author": _user(),
            "content": "hello", "timestamp": "2017-07-11T17:27:07.299000+00:00", "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": [], "pinned": False, "type": 0, **extra}


def _channel(**extra: Any) -> dict[str, Any]:
    return {"id": "290926798999357250", "type": 0, "guild_id": "290926798626357250", "name": "general",
            "position": 0, "flags": 0, "parent_id": None, "nsfw": False, "topic": None, "last_message_id": None,
            "rate_limit_per_user": 0, "permission_overwrites": [
                {"id": "290926798626357250", "type": 0, "allow": "0", "deny": "1024"}], **extra}


def _without(value: dict[str, Any], key: str) -> dict[str, Any]:
    copy_ = copy.deepcopy(value)
    del copy_[key]
    return copy_


SELF_TEST_CASES: list[tuple[bool, dict[str, Any]]] = [
    # --- must pass ---
    (True, {"method": "GET", "path": "/api/v10/channels/290926798999357250/messages?limit=100", "status": 200,
            "body": [_message(), _message(id="1191168914227200000", type=19,
                                          message_reference={"message_id": "1191168914227199999",
                                                             "channel_id": "290926798999357250",
                                                             "guild_id": "290926798626357250"},
                                          referenced_message=None,
                                          attachments=[{"id": "1", "filename": "a.png", "size": 10,
                                                        "url": "http://127.0.0.1/cdn/a.png?ex=1&is=2&hm=3",
                                                        "proxy_url": "http://127.0.0.1/cdn/a.png", "height": None,
                                                        "width": None, "content_type": "image/png"}],
                                          embeds=[{"title": "t", "description": "d"}],
                                          reactions=[{"count": 2, "count_details": {"burst": 0, "normal": 2},
                                                      "me": False, "me_burst": False, "burst_colors": [],
                                                      "emoji": {"id": None, "name": "🔥"}}])]}),
    (True, {"method": "GET", "path": "/api/v10/channels/1/messages/pins?limit=50", "status": 200,
            "body": {"items": [{"pinned_at": "2024-01-01T00:00:00.000000+00:00", "message": _message(pinned=True)}],
                     "has_more": False}}),
    (True, {"method": "GET", "path": "/api/v10/channels/1/messages/1191168914227200001", "status": 200,
            "body": _message(type=44, flags=0, components=[])}),
    (True, {"method": "GET", "path": "/api/v10/guilds/290926798626357250/channels", "status": 200,
            "body": [_channel(), _without(_channel(type=16, id="2"), "flags")]}),
    (True, {"method": "GET", "path": "/api/v10/guilds/1/threads/active", "status": 200,
            "body": {"threads": [], "members": []}}),
    (True, {"method": "GET", "path": "/api/v10/channels/1/messages?limit=0", "status": 400,
            "body": {"code": 50035, "message": "Invalid Form Body", "errors": {"limit": {"_errors": [
                {"code": "NUMBER_TYPE_MIN", "message": "int value should be greater than or equal to 1."}]}}}}),
    (True, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 429,
            "body": {"message": "You are being rate limited.", "retry_after": 64.57, "global": False}}),
    (True, {"method": "GET", "path": "/api/v10/channels/999", "status": 404,
            "body": {"message": "Unknown Channel", "code": 10003}, "expect_status": 404}),
    (True, {"method": "GET", "path": "/api/v10/definitely/not/a/route", "status": 404,
            "body": {"message": "404: Not Found", "code": 0}}),
    (True, {"method": "POST", "path": "/api/v10/webhooks/1/tok", "status": 204}),
    (True, {"method": "POST", "path": "/api/v10/webhooks/1/tok?wait=true", "status": 200,
            "body": _message(webhook_id="1", author=_user(id="1", username="Captain Hook", discriminator="0000",
                                                           bot=True))}),
    (True, {"method": "GET", "path": "/api/v10/gateway/bot", "status": 200,
            "body": {"url": "ws://127.0.0.1:1/gateway", "shards": 1, "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}}}),
    (True, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 429, "content_type": "application/json",
            "body": {"message": "You are being rate limited.", "retry_after": 1.5, "global": False},
            "headers": {"x-ratelimit-limit": "5", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1470173023.123",
                        "x-ratelimit-reset-after": "1.5", "x-ratelimit-bucket": "b", "retry-after": "2",
                        "x-ratelimit-scope": "user", "via": "1.1 google"}}),
    # --- must fail ---
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 200,
             "body": [_message(id=1191168914227200001)], "note": "id as a number"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 200,
             "body": [_without(_message(), "author")], "note": "author missing"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 200,
             "body": [_message(timestamp="yesterday")], "note": "bad timestamp"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages/2", "status": 200,
             "body": _message(type=99), "note": "undocumented message type"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages/pins", "status": 200,
             "body": [_message()], "note": "old bare-array pins shape on the new route"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/threads/archived/public", "status": 200,
             "body": {"threads": [], "members": []}, "note": "has_more missing outside active threads"}),
    (False, {"method": "GET", "path": "/api/v10/guilds/1/channels", "status": 200,
             "body": [_channel(permission_overwrites=[{"id": "1", "type": 0, "allow": 1024, "deny": "0"}])],
             "note": "allow as integer"}),
    (False, {"method": "POST", "path": "/api/v10/guilds/1/channels", "status": 200, "body": _channel(),
             "note": "create channel must be 201"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/bogus", "status": 200, "body": {},
             "note": "unmatched route"}),
    (False, {"method": "GET", "path": "/api/v10/definitely/not/a/route", "status": 404,
             "body": {"message": "Not Found", "code": 404}, "note": "wrong unknown-route body"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 429,
             "body": {"message": "You are being rate limited.", "global": False}, "note": "retry_after missing"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 200, "body": [],
             "expect_status": 403, "note": "unexpected status"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 200,
             "note": "empty body where JSON is required"}),
    (False, {"method": "POST", "path": "/api/v10/webhooks/1/tok", "status": 204, "body": {"id": "1"},
             "note": "204 with a body"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 200,
             "body": [_message(timestamp="2017-07-11T17:27:07Z")], "note": "timestamp not in Discord's form"}),
    (False, {"method": "GET", "path": "/api/v10/gateway/bot", "status": 200, "content_type": "application/json; "
             "charset=utf-8", "body": {"url": "ws://x", "shards": 1, "session_start_limit": {
                 "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}},
             "note": "Content-Type with charset"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages/2", "status": 404, "expect_code": 10008,
             "body": {"message": "Unknown Channel", "code": 10003}, "note": "wrong error code"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 200, "body": [],
             "headers": {"x-ratelimit-limit": "5", "x-ratelimit-remaining": "4"}, "note": "two of five headers"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 429,
             "body": {"message": "You are being rate limited.", "retry_after": 1.5, "global": False},
             "headers": {"x-ratelimit-limit": "5", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1.5",
                         "x-ratelimit-reset-after": "1.5", "x-ratelimit-bucket": "b", "retry-after": "1",
                         "x-ratelimit-scope": "user", "via": "1.1 google"}, "note": "Retry-After not ceil(retry_after)"}),
    (False, {"method": "GET", "path": "/api/v10/channels/1/messages", "status": 429,
             "body": {"message": "You are being rate limited.", "retry_after": 0.5, "global": True},
             "headers": {"x-ratelimit-global": "true", "x-ratelimit-scope": "global", "retry-after": "1"},
             "note": "global 429 without Via"}),
]


def self_test(spec: Spec) -> int:
    wrong = 0
    results = []
    for index, (should_pass, exchange) in enumerate(SELF_TEST_CASES, start=1):
        result = validate_exchange(spec, index, exchange)
        results.append(result)
        verdict = "ok" if result.ok == should_pass else "WRONG"
        wrong += verdict == "WRONG"
        detail = "" if result.ok else f": {result.problems[0].json_path}: {result.problems[0].message[:150]}"
        print(f"self-test {verdict}: case {index} expected {'pass' if should_pass else 'fail'}, got "
              f"{'pass' if result.ok else 'fail'} ({exchange['method']} {exchange['path']} {exchange['status']}"
              f"{' - ' + exchange['note'] if exchange.get('note') else ''}){detail}")
    print(f"self-test: {len(SELF_TEST_CASES) - wrong} passed, {wrong} failed")
    return 1 if wrong else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exchanges", nargs="?", help="JSONL file of captured exchanges")
    parser.add_argument("--spec", help="path of discord-openapi.json (default: third_party/discord-api-spec/ of the repo)")
    parser.add_argument("--self-test", action="store_true", help="validate built-in good and bad bodies")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every error and per-operation counts")
    args = parser.parse_args(argv)
    spec = load_spec(args.spec)
    if args.self_test:
        return self_test(spec)
    if not args.exchanges:
        parser.error("EXCHANGES.jsonl is required (or --self-test)")
    results = [validate_exchange(spec, line, exchange) for line, exchange in read_exchanges(args.exchanges)]
    if not results:
        print("openapi_validate: no exchanges in file", file=sys.stderr)
        return 1
    return 0 if report(results, args.verbose) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
