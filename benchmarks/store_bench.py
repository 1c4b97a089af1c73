"""The staleness queue and library status at library scale, on a real SQLite file.

Builds a database with N entities (default 100,000: mostly movies, plus series with their
seasons and episodes) through the real migrations (`open_database`), with a realistic mix:
never-enriched titles, titles enriched at various times over the last months with varied
completeness, a few waiting for review, some unmonitored, files, field sources and log rows.
Then it prints the `EXPLAIN QUERY PLAN` of every statement those reads run, and times them
on the real async `Repository` and on the engine verbs:

- the staleness queue: `Repository.queue(100, fresh_after)` (`entity_reads.staleness_queue`)
  and `Engine.queue(100)`; target under 5 ms;
- library status: `Repository.status_counts()`, `Repository.top_incomplete(10)` and
  `Engine.status()` (the counts plus the ten least complete titles' details); target under
  100 ms.

Each is timed over `--runs` runs after a warm-up; min, median and p95 are in milliseconds.

    python benchmarks/store_bench.py [--entities 100000] [--runs 20] [--without-status-index]
        [--analyze]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from matinee.config import CacheSettings, DatabaseSettings, Settings
from matinee.engine.core import Engine
from matinee.store import entity_reads
from matinee.store.db import open_database
from matinee.store.repo import Repository

DAY = 86400.0
TTL_DAYS = 7.0
QUEUE_TARGET_MS = 5.0
STATUS_TARGET_MS = 100.0

STATUS_INDEX = "entities_kind_completeness"
"""Migration v4's covering index for status; `--without-status-index` drops it to compare."""

_COMPLETENESS = [round(100.0 * k / 16, 1) for k in range(17)]  # 16 expected fields
_GENRES = ["Drama", "Comedy", "Thriller", "Action", "Documentary", "Animation", "Crime"]

_ENTITY_SQL = (
    "INSERT INTO entities (id, kind, parent_id, group_key, title, sort_title, year,"
    " season_number, episode_number, tmdb_id, imdb_id, ident_status, ident_confidence,"
    " ident_tier, candidates, fields, completeness, monitored, last_enriched_at,"
    " enrichment_duration, created_at, updated_at)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


class Builder:
    """Rows for the tables `store_bench` fills, with a fixed seed."""

    def __init__(self, now: float) -> None:
        self.rng = random.Random(7)
        self.now = now
        self.entities: list[tuple[Any, ...]] = []
        self.files: list[tuple[Any, ...]] = []
        self.links: list[tuple[int, int]] = []
        self.sources: list[tuple[Any, ...]] = []
        self.logs: list[tuple[Any, ...]] = []
        self.next_id = 1

    def _state(self) -> tuple[str, float, float | None, bool]:
        """A title's (ident_status, completeness, last_enriched_at, monitored)."""
        rng = self.rng
        monitored = rng.random() >= 0.03
        roll = rng.random()
        if roll < 0.01:  # waiting for a person: searched, never written
            return "review", rng.choice(_COMPLETENESS[:3]), None, monitored
        if roll < 0.21:  # scanned, never enriched
            return "unidentified", rng.choice(_COMPLETENESS[:3]), None, monitored
        # enriched over the last four months, most titles fairly complete
        last = self.now - rng.random() * 120 * DAY
        band = rng.random()
        if band < 0.55:
            comp = rng.choice(_COMPLETENESS[15:])  # >= 90
        elif band < 0.85:
            comp = rng.choice(_COMPLETENESS[10:15])  # 60-89
        else:
            comp = rng.choice(_COMPLETENESS[3:10])  # < 60
        return "identified", comp, last, monitored

    def _fields(self, title: str, year: int, enriched: bool) -> str:
        fields: dict[str, Any] = {"title": title, "year": year}
        if enriched:
            fields |= {
                "plot": "A plot that goes on for a while. " * 12,
                "genres": self.rng.sample(_GENRES, 2),
                "runtime": 80 + self.rng.randrange(80),
                "rating": round(self.rng.uniform(4, 9), 1),
                "studios": ["Some Studio"],
            }
        return json.dumps(fields, sort_keys=True)

    def _candidates(self, title: str, year: int) -> str:
        return json.dumps(
            [
                {"provider": "tmdb", "id": str(9000 + n), "kind": "movie", "title": title,
                 "year": year + n, "score": 0.7 - n / 10, "tier": "weak", "reasons": []}
                for n in range(3)
            ]
        )  # fmt: skip

    def _file(self, eid: int, display: str) -> None:
        self.files.append((eid, display.encode(), display, "/srv/media", 1_000_000 + eid,
                           self.now, self.now, self.now, eid))  # fmt: skip
        self.links.append((eid, eid))

    def _enriched_extras(self, eid: int, last: float, comp: float) -> None:
        for field in ("plot", "genres", "runtime", "rating", "studios"):
            self.sources.append((eid, field, "tmdb", last))
        self.logs.append((eid, last, "scheduled", '["tmdb"]', "[]", "[]", "[]", 0.0, comp, 1.2))

    def title(self, kind: str, parent: int | None, key: str, title: str, year: int) -> int:
        """A movie or a series; returns its id."""
        eid = self.next_id
        self.next_id += 1
        status, comp, last, monitored = self._state()
        enriched = last is not None
        self.entities.append((
            eid, kind, parent, key, title, title.lower(), year, None, None,
            eid if enriched else None, f"tt{eid:07d}" if enriched else None, status,
            0.95 if enriched else (0.6 if status == "review" else None),
            "strong" if enriched else ("weak" if status == "review" else None),
            self._candidates(title, year) if status == "review" else None,
            self._fields(title, year, enriched), comp, int(monitored), last,
            1.2 if enriched else None, self.now - 200 * DAY, last or self.now - 200 * DAY,
        ))  # fmt: skip
        if enriched:
            assert last is not None
            self._enriched_extras(eid, last, comp)
        return eid

    def child(
        self, kind: str, parent: int, season: int, episode: int | None, last: float | None
    ) -> int:
        """A season or an episode: never monitored itself, enriched with its series."""
        eid = self.next_id
        self.next_id += 1
        comp = self.rng.choice(_COMPLETENESS[8:]) if last is not None else 0.0
        title = f"Season {season}" if episode is None else f"Episode {episode}"
        key = f"s{season}" if episode is None else f"s{season}e{episode}"
        self.entities.append((
            eid, kind, parent, key, title, title.lower(), None, season, episode, None, None,
            "identified" if last is not None else "unidentified", None, None, None,
            json.dumps({"title": title}), comp, 0, last, None, self.now - 200 * DAY,
            self.now - 200 * DAY,
        ))  # fmt: skip
        return eid

    def series(self, n: int) -> int:
        """A series with 1-4 seasons of 6-12 episodes; returns how many entities it made."""
        start = self.next_id
        title = f"Show {n:05d}"
        sid = self.title("series", None, f"show{n}", title, 1990 + n % 35)
        last = self.entities[-1][18]
        for season in range(1, self.rng.randint(1, 4) + 1):
            season_id = self.child("season", sid, season, None, last)
            for episode in range(1, self.rng.randint(6, 12) + 1):
                eid = self.child("episode", season_id, season, episode, last)
                self._file(eid, f"/srv/media/TV/{title}/S{season:02d}E{episode:02d}.mkv")
        return self.next_id - start

    def movie(self, n: int) -> None:
        title = f"Movie {n:06d}"
        year = 1950 + n % 75
        eid = self.title("movie", None, f"movie{n}", title, year)
        self._file(eid, f"/srv/media/Movies/{title} ({year})/{title}.mkv")


def build(path: Path, count: int, status_index: bool, analyze: bool) -> dict[str, int]:
    """The database, through the real migrations; returns the entity count per kind."""
    open_database(path).close()
    b = Builder(time.time())
    tv_budget = count * 15 // 100
    made = n = 0
    while made < tv_budget:
        n += 1
        made += b.series(n)
    n = 0
    while b.next_id <= count:
        n += 1
        b.movie(n)
    con = sqlite3.connect(path)
    con.executemany(_ENTITY_SQL, b.entities)
    con.executemany(
        "INSERT INTO media_files (id, path, display_path, root, size, mtime, first_seen,"
        " last_seen, entity_id) VALUES (?,?,?,?,?,?,?,?,?)",
        b.files,
    )
    con.executemany("INSERT INTO entity_files (entity_id, file_id) VALUES (?,?)", b.links)
    con.executemany(
        "INSERT INTO field_sources (entity_id, field, provider, fetched_at) VALUES (?,?,?,?)",
        b.sources,
    )
    con.executemany(
        "INSERT INTO enrichment_log (entity_id, at, mode, providers_ok, providers_rate_limited,"
        " providers_failed, changes, completeness_before, completeness_after, duration)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        b.logs,
    )
    if not status_index:
        con.execute(f"DROP INDEX {STATUS_INDEX}")
    con.commit()
    if analyze:  # matinee never runs ANALYZE: by default the planner sees what users have
        con.execute("ANALYZE")
    kinds = dict(con.execute("SELECT kind, count(*) FROM entities GROUP BY kind").fetchall())
    con.close()
    return kinds


def describe(path: Path, fresh_after: float) -> None:
    """The mix, in numbers, so a reader can judge the figures."""
    con = sqlite3.connect(path)
    q = con.execute(
        "SELECT sum(monitored = 0), sum(ident_status = 'review'), sum(last_enriched_at IS NULL),"
        " sum(last_enriched_at >= ?), sum(completeness >= 90),"
        " sum(completeness >= 60 AND completeness < 90), sum(completeness < 60)"
        " FROM entities WHERE kind IN ('movie', 'series')",
        (fresh_after,),
    ).fetchone()
    names = ("unmonitored", "review", "never enriched", "fresh (< 7 days)", ">= 90", "60-89",
             "< 60")  # fmt: skip
    print("movies and series: " + ", ".join(f"{n} {v}" for n, v in zip(names, q, strict=True)))
    con.close()


def print_plans(path: Path, label: str, fn: Callable[..., Any], *args: Any) -> None:
    """Run `fn(db, *args)` on its own connection and print the plan of every statement it ran."""
    db = open_database(path)
    seen: list[tuple[str, Any]] = []
    execute = db.execute_sql

    def recording(sql: str, params: Any = None, *a: Any, **kw: Any) -> Any:
        seen.append((sql, params))
        return execute(sql, params, *a, **kw)

    db.execute_sql = recording  # type: ignore[method-assign]
    try:
        fn(db, *args)
    finally:
        db.execute_sql = execute  # type: ignore[method-assign]
    print(f"\n== {label}: {len(seen)} statement(s)")
    for sql, params in seen:
        shown = " ".join(sql.split())
        print("  " + re.sub(r"\?(, \?){3,}", lambda m: f"?, ... ({m[0].count('?')} values)", shown))
        plan = db.execute_sql("EXPLAIN QUERY PLAN " + sql, params or ()).fetchall()
        depth: dict[int, int] = {0: 0}
        for node, parent, _, detail in plan:
            depth[node] = depth.get(parent, 0) + 1
            print("    " + "  " * (depth[node] - 1) + detail)
    db.close()


async def timed(label: str, fn: Callable[[], Awaitable[Any]], runs: int, target: float) -> None:
    for _ in range(3):
        await fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p95 = samples[max(0, math.ceil(0.95 * len(samples)) - 1)]
    median = statistics.median(samples)
    verdict = "ok" if p95 < target else "OVER"
    print(f"{label:34} min {samples[0]:8.2f}  median {median:8.2f}  p95 {p95:8.2f} ms"
          f"   target < {target:.0f} ms: {verdict}")  # fmt: skip


def _fresh_after() -> float:
    return time.time() - TTL_DAYS * DAY


async def measure(path: Path, tmp: Path, runs: int) -> None:
    """The library as built: the queue's head is never-enriched titles."""
    repo = Repository(path)
    await repo.open()
    try:
        queue = await repo.queue(100, _fresh_after())
        print(f"\nqueue(100): {len(queue)} titles, first {queue[0].ref} ({queue[0].title})")
        print("\nRepository (async, on the database thread):")
        await timed(
            "Repository.queue(100, fresh_after)",
            lambda: repo.queue(100, _fresh_after()),
            runs,
            QUEUE_TARGET_MS,
        )
        await timed("Repository.status_counts()", repo.status_counts, runs, STATUS_TARGET_MS)
        await timed(
            "Repository.top_incomplete(10)", lambda: repo.top_incomplete(10), runs, STATUS_TARGET_MS
        )
    finally:
        await repo.close()
    settings = Settings(
        database=DatabaseSettings(path), cache=CacheSettings(dir=tmp / "cache", ttl_days=TTL_DAYS)
    )
    async with Engine(settings) as engine:
        print("\nEngine verbs:")
        await timed("Engine.queue(100)", lambda: engine.queue(100), runs, QUEUE_TARGET_MS)
        await timed("Engine.status()", engine.status, runs, STATUS_TARGET_MS)


async def measure_queue(path: Path, runs: int) -> None:
    repo = Repository(path)
    await repo.open()
    try:
        found = len(await repo.queue(100, _fresh_after()))
        await timed(
            f"Repository.queue(100, ...) -> {found}",
            lambda: repo.queue(100, _fresh_after()),
            runs,
            QUEUE_TARGET_MS,
        )
    finally:
        await repo.close()


def rewrite(path: Path, sql: str) -> None:
    con = sqlite3.connect(path)
    con.execute(sql, (time.time(),))
    con.commit()
    con.close()


# Later states of the same library, for the queue's other reads.
SCENARIOS = [
    (
        "every title enriched once (the queue reads the stale range, oldest first)",
        "UPDATE entities SET last_enriched_at = ? - (8 + id % 100) * 86400.0"
        " WHERE last_enriched_at IS NULL AND kind IN ('movie', 'series')",
    ),
    (
        "every title fresh (nothing to do: the queue is empty)",
        "UPDATE entities SET last_enriched_at = ? - (id % 86400) WHERE kind IN ('movie', 'series')",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--without-status-index",
        action="store_true",
        help="drop migration v4's status index, to see what it is worth",
    )
    parser.add_argument(
        "--analyze", action="store_true", help="run ANALYZE after the build (matinee does not)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = tmp / "bench.db"
        t = time.perf_counter()
        kinds = build(path, args.entities, not args.without_status_index, args.analyze)
        print(f"built {sum(kinds.values())} entities {kinds} in {time.perf_counter() - t:.1f}s")
        print(
            "status index (migration v4): "
            + ("dropped" if args.without_status_index else "present")
        )
        fresh_after = _fresh_after()
        describe(path, fresh_after)
        print_plans(path, "staleness queue", entity_reads.staleness_queue, 100, fresh_after)
        print_plans(path, "status counts", entity_reads.status_counts)
        print_plans(path, "top incomplete", entity_reads.top_incomplete, 10)
        asyncio.run(measure(path, tmp, args.runs))
        for label, sql in SCENARIOS:
            rewrite(path, sql)
            print(f"\n--- {label}")
            print_plans(path, "staleness queue", entity_reads.staleness_queue, 100, _fresh_after())
            print()
            asyncio.run(measure_queue(path, args.runs))


if __name__ == "__main__":
    main()
