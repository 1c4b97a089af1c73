"""Realism for the catalog server: the limits and failures real providers show, on demand.

Off by default (`Realism()` changes nothing), `Realism.realistic()` is what
`matinee demo --realistic` uses. Random faults come from one RNG seeded by `seed`, one draw
per API request of a provider in `fault_providers`, so a run (and a test) is reproducible:

* error: a 5xx with the provider's own body (TMDB 503 status_code 9, OMDb's error body,
  TheTVDB's failure envelope, fanart.tv's 502 HTML page from its proxy);
* timeout: the handler sleeps `timeout_s` (longer than clients wait) before answering;
* malformed: HTTP 200 with truncated JSON, or with an HTML error page;
* empty: HTTP 200 with the record's fields blanked ("N/A" for OMDb, "" / null / [] for TMDB
  and TheTVDB, art types dropped for fanart.tv).

Nothing here knows about sockets; the server asks `FaultPlan.decide` and applies the result.
"""

from __future__ import annotations

import json
import random
import threading
from collections import deque
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from matinee.demo.http_util import Response, html_response, json_response

__all__ = [
    "PROVIDERS",
    "Decision",
    "Fault",
    "FaultPlan",
    "RateLimiter",
    "Realism",
    "blank_fields",
    "blank_response",
    "malformed",
    "offline_response",
    "server_error",
]

PROVIDERS: tuple[str, ...] = ("tmdb", "omdb", "tvdb", "fanart")

_KEEP = {
    "tmdb": {"id", "title", "name", "imdb_id", "media_type", "page", "total_pages",
             "total_results", "season_number", "episode_number", "show_id"},
    "omdb": {"Title", "Year", "imdbID", "Type", "Response"},
    "tvdb": {"id", "name", "tvdb_id", "objectID", "seriesId", "number", "seasonNumber", "type",
             "slug"},
    "fanart": {"name", "tmdb_id", "imdb_id", "thetvdb_id"},
}  # fmt: skip

_PROXY_PAGE = (
    "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class Realism:
    """Which real-world limits and faults the catalog server imitates.

    Attributes:
        rate_limit_per_second: TMDB's per-second limit: requests above it in a sliding
            one-second window get TMDB's 429 (status_code 25) with `Retry-After: 1`.
        omdb_daily_quota: after this many OMDb requests (with a valid key) every OMDb
            request gets 401 `Request limit reached!`, as a free key does after 1,000 a day.
        error_rate: share of API requests answered with a 5xx.
        timeout_rate: share of API requests that hang for `timeout_s` before answering.
        timeout_s: how long a hanging request sleeps (longer than clients wait).
        malformed_rate: share answered 200 with truncated JSON or an HTML error page.
        empty_rate: share answered 200 with the record's fields blanked.
        fault_providers: the providers ("tmdb", "omdb", "tvdb", "fanart") random faults hit.
        seed: seed of the fault RNG.
    """

    rate_limit_per_second: float | None = None
    omdb_daily_quota: int | None = None
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    timeout_s: float = 30.0
    malformed_rate: float = 0.0
    empty_rate: float = 0.0
    fault_providers: frozenset[str] = field(default_factory=lambda: frozenset(PROVIDERS))
    seed: int = 0

    def __post_init__(self) -> None:
        rates = (self.error_rate, self.timeout_rate, self.malformed_rate, self.empty_rate)
        if any(not 0.0 <= rate <= 1.0 for rate in rates) or sum(rates) > 1.0:
            raise ValueError("fault rates must lie in [0, 1] and add up to at most 1")
        unknown = set(self.fault_providers) - set(PROVIDERS)
        if unknown:
            raise ValueError(f"unknown providers in fault_providers: {sorted(unknown)}")
        if self.omdb_daily_quota is not None and self.omdb_daily_quota < 0:
            raise ValueError("omdb_daily_quota must be >= 0")

    @classmethod
    def realistic(cls, seed: int = 0) -> Realism:
        """What `matinee demo --realistic` turns on: real limits plus rare faults."""
        return cls(
            rate_limit_per_second=40.0,
            omdb_daily_quota=1000,
            error_rate=0.02,
            timeout_rate=0.005,
            timeout_s=15.0,
            malformed_rate=0.005,
            empty_rate=0.01,
            seed=seed,
        )

    @property
    def random_faults(self) -> bool:
        """Whether any random fault can happen."""
        rates = (self.error_rate, self.timeout_rate, self.malformed_rate, self.empty_rate)
        return any(rate > 0 for rate in rates) and bool(self.fault_providers)


class Fault(Enum):
    """A random fault the server injects into one answer."""

    ERROR = "error"
    TIMEOUT = "timeout"
    MALFORMED = "malformed"
    EMPTY = "empty"


@dataclass(frozen=True)
class Decision:
    """The fault chosen for one request, with a seed for its details."""

    fault: Fault
    seed: int


class FaultPlan:
    """Draws faults for requests from one seeded RNG (thread-safe)."""

    def __init__(self, realism: Realism) -> None:
        self.realism = realism
        self._rng = random.Random(realism.seed)
        self._lock = threading.Lock()

    def decide(self, provider: str) -> Decision | None:
        """The fault for the next request to `provider`, or None (the normal answer)."""
        realism = self.realism
        if not realism.random_faults or provider not in realism.fault_providers:
            return None
        with self._lock:
            draw = self._rng.random()
            seed = self._rng.getrandbits(32)
        for fault, rate in (
            (Fault.ERROR, realism.error_rate),
            (Fault.TIMEOUT, realism.timeout_rate),
            (Fault.MALFORMED, realism.malformed_rate),
            (Fault.EMPTY, realism.empty_rate),
        ):
            if draw < rate:
                return Decision(fault, seed)
            draw -= rate
        return None


def _proxy_page(status: int, reason: str) -> Response:
    return html_response(status, _PROXY_PAGE.format(code=status, reason=reason))


def server_error(provider: str) -> Response:
    """A random 5xx as `provider` sends it."""
    if provider == "tmdb":
        message = "Service offline: This service is temporarily offline, try again later."
        return json_response(503, {"status_code": 9, "status_message": message, "success": False})
    if provider == "omdb":
        return json_response(503, {"Response": "False", "Error": "Something went wrong."})
    if provider == "tvdb":
        return json_response(
            503, {"status": "failure", "message": "ServiceUnavailable", "data": None}
        )
    return _proxy_page(502, "Bad Gateway")


def offline_response(provider: str) -> Response:
    """What every API request of `provider` gets while the server is `offline`: a 503."""
    if provider == "fanart":
        return _proxy_page(503, "Service Temporarily Unavailable")
    return server_error(provider)


def malformed(response: Response, seed: int) -> Response:
    """A 200 whose body is broken: truncated JSON or an HTML page instead of JSON."""
    _, headers, body = response
    if seed % 2 == 0 and len(body) > 1:
        return 200, dict(headers), body[: max(1, len(body) // 2)]
    html = _PROXY_PAGE.format(code=500, reason="Internal Server Error")
    return html_response(200, html)


def _blank(value: Any, provider: str) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return "N/A" if provider == "omdb" else ""
    if isinstance(value, list):
        return []  # OMDb too: a title without ratings has `"Ratings": []`
    return None


def _blank_record(record: dict[str, Any], provider: str, rng: random.Random) -> None:
    keep = _KEEP[provider]
    candidates = [key for key in record if key not in keep]
    if not candidates:
        return
    chosen = [key for key in candidates if rng.random() < 0.5] or [rng.choice(candidates)]
    for key in chosen:
        if provider == "fanart":
            del record[key]
        else:
            record[key] = _blank(record[key], provider)


def blank_fields(body: Any, provider: str, seed: int) -> Any:
    """`body` (a decoded JSON answer) with about half of its records' fields blanked."""
    rng = random.Random(seed)
    if not isinstance(body, dict) or body.get("Response") == "False":
        return body  # OMDb's errors come with HTTP 200: only records get blanked
    if provider == "tmdb" and isinstance(body.get("results"), list):
        records = [item for item in body["results"] if isinstance(item, dict)]
    elif provider == "tvdb":
        data = body.get("data")
        if isinstance(data, dict) and isinstance(data.get("episodes"), list):
            records = [item for item in data["episodes"] if isinstance(item, dict)]
        elif isinstance(data, dict):
            records = [data]
        else:
            records = [item for item in data or [] if isinstance(item, dict)]
    else:
        records = [body]
    for record in records:
        _blank_record(record, provider, rng)
    return body


def blank_response(response: Response, provider: str, seed: int) -> Response:
    """The JSON response with its fields blanked (other responses are returned unchanged)."""
    status, headers, data = response
    if status != 200 or not headers.get("Content-Type", "").startswith("application/json"):
        return response
    body = blank_fields(json.loads(data), provider, seed)
    return json_response(status, body, {k: v for k, v in headers.items() if k != "Content-Type"})


class RateLimiter:
    """TMDB's per-second limit: a sliding one-second window over accepted requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._window: deque[float] = deque()  # accepted requests in the last second
        self._attempts: deque[float] = deque()  # all requests in the last second

    def check(self, limit: float | None, now: float) -> int | None:
        """None when a request at `now` is allowed, else the requests counted this second."""
        if limit is None:
            return None
        with self._lock:
            for window in (self._window, self._attempts):
                while window and now - window[0] >= 1.0:
                    window.popleft()
            self._attempts.append(now)  # TMDB counted refused requests too
            if len(self._window) < limit:
                self._window.append(now)
                return None
            return len(self._attempts)
