"""Small helpers shared by the catalog server's routes: response tuples, parsing, seeding.

A `Response` is `(status, headers, body)`; routes build them with `json_response` or
`html_response` and never touch sockets, so tests can call them directly.
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

__all__ = [
    "SECRET_PARAMS",
    "Query",
    "Response",
    "chance",
    "html_response",
    "json_response",
    "mask_query",
    "parse_int",
    "seeded",
]

Response = tuple[int, dict[str, str], bytes]
Query = dict[str, str]

SECRET_PARAMS = frozenset({"api_key", "apikey", "client_key", "api-key", "client-key"})
JSON_TYPE = "application/json;charset=utf-8"


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """A compact UTF-8 JSON response."""
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return status, {"Content-Type": JSON_TYPE, **(headers or {})}, data


def html_response(status: int, html: str, headers: dict[str, str] | None = None) -> Response:
    """A `text/html` response (error pages of proxies and CDNs)."""
    merged = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    return status, merged, html.encode("utf-8")


def parse_int(value: str | None) -> int | None:
    """`value` as an int, or None when absent or not an integer."""
    if value is None or not value.strip().lstrip("-").isdigit():
        return None
    return int(value)


def mask_query(query: Query) -> Query:
    """The query with every secret value replaced by `****` (for the request log)."""
    return {
        key: ("****" if key.lower() in SECRET_PARAMS else value) for key, value in query.items()
    }


def chance(key: str) -> float:
    """A stable pseudo-random number in [0, 1) derived from `key` (same on every machine)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def seeded(key: str) -> random.Random:
    """A `random.Random` seeded by `key` (string seeds are stable across runs)."""
    return random.Random(key)
