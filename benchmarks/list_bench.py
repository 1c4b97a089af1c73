"""Listing, status and the staleness queue at library scale, on a real SQLite file.

Builds a database with N movies (default 100,000), each with one file and a realistic `fields`
JSON, through the real migrations, then times the engine verbs the TUI and the CLI use:
`list_entities` (the library screen's load), `status`, `queue(100)`, and `matinee list --json`
end to end in a fresh process.

    python benchmarks/list_bench.py [--movies 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from matinee.config import DatabaseSettings, Settings
from matinee.engine.core import Engine
from matinee.model import EntityKind
from matinee.store.db import open_database


def build(path: Path, count: int) -> None:
    open_database(path).close()
    rng = random.Random(7)
    now = time.time()
    con = sqlite3.connect(path)
    entities, files, links = [], [], []
    for i in range(1, count + 1):
        title = f"Movie {i:06d}"
        enriched = rng.random() < 0.7
        fields = {"title": title, "year": 1950 + i % 70}
        if enriched:
            fields |= {"plot": "A plot. " * 20, "genres": ["Drama", "Comedy"], "runtime": 101}
        completeness = rng.choice([0.0, 62.5, 68.8, 93.8]) if enriched else 0.0
        last = now - rng.random() * 30 * 86400 if enriched else None
        status = "identified" if enriched else "unidentified"
        entities.append((i, "movie", None, f"k{i}", title, title.lower(), 1950 + i % 70,
                         i if enriched else None, status, json.dumps(fields), completeness, 1,
                         last, now, now))  # fmt: skip
        path_text = f"/srv/media/Movies/{title} ({1950 + i % 70})/{title}.mkv"
        files.append((i, path_text.encode(), path_text, "/srv/media", 1_000_000 + i, now,
                      now, now, i))  # fmt: skip
        links.append((i, i))
    con.executemany(
        "INSERT INTO entities (id, kind, parent_id, group_key, title, sort_title, year, tmdb_id,"
        " ident_status, fields, completeness, monitored, last_enriched_at, created_at,"
        " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        entities,
    )
    con.executemany(
        "INSERT INTO media_files (id, path, display_path, root, size, mtime, first_seen,"
        " last_seen, entity_id) VALUES (?,?,?,?,?,?,?,?,?)",
        files,
    )
    con.executemany("INSERT INTO entity_files (entity_id, file_id) VALUES (?,?)", links)
    con.commit()
    con.execute("ANALYZE")
    con.close()


async def timed(engine: Engine) -> dict[str, float]:
    out: dict[str, float] = {}
    t = time.perf_counter()
    rows = await engine.list_entities(EntityKind.MOVIE)
    out["list_entities_s"] = time.perf_counter() - t
    out["rows"] = len(rows)
    t = time.perf_counter()
    await engine.status()
    out["status_s"] = time.perf_counter() - t
    t = time.perf_counter()
    await engine.queue(100)
    out["queue100_s"] = time.perf_counter() - t
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--movies", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        build(db, args.movies)
        print(f"built {args.movies} movies in {time.perf_counter() - t:.1f}s")
        settings = Settings(database=DatabaseSettings(db))

        async def run() -> dict[str, float]:
            async with Engine(settings) as engine:
                return await timed(engine)

        for name, value in asyncio.run(run()).items():
            print(f"{name}: {value:.3f}" if name.endswith("_s") else f"{name}: {value:.0f}")
        env = dict(os.environ, MATINEE_DB=str(db), MATINEE_CONFIG=str(Path(tmp) / "none.toml"))
        Path(tmp, "none.toml").write_text("")
        t = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "matinee", "list", "--json"], env=env, capture_output=True
        )
        elapsed = time.perf_counter() - t
        items = len(json.loads(done.stdout)["items"]) if done.returncode == 0 else -1
        print(f"cli_list_json_s: {elapsed:.3f} ({items} items, {len(done.stdout) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
