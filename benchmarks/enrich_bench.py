"""Enrichment throughput against the demo catalog server with TMDB's rate limit, plus the
response cache and the OMDb quota figures of the providers issue.

Builds a catalog of N movies (the bundled ones, plus generated titles to reach N), a library of
one placeholder file per movie, and runs the real engine with all four real provider clients
(default settings: TMDB paced at 35 requests/s, burst 5) against the catalog server, which
refuses TMDB requests above `--tmdb-limit` a second with TMDB's 429. It prints:

1. wall time of `enrich --all`, requests per provider, 429s received, and the rate bound
   (TMDB requests / limit) with wall / bound (target: at most 1.2; 429s under 1%);
2. requests made by a second run within the TTL (target: 0);
3. with an OMDb quota of 100 and a reserve of 10: OMDb requests of a bulk run over 150 movies
   (target: exactly 90), and of a restarted engine on the same day (target: 0).

    python benchmarks/enrich_bench.py [--movies 1000] [--tmdb-limit 40]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from matinee.config import AssetsSettings, Settings
from matinee.demo.catalog import Catalog, file_name, grow_catalog, load_catalog
from matinee.demo.realism import Realism
from matinee.demo.run import DEMO_KEY, demo_settings
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine

# metadata throughput only: artwork has its own benchmark (assets_bench.py)
_NO_ART = Settings(assets=AssetsSettings(download=False))


def build_library(root: Path, catalog: Catalog) -> None:
    for movie in catalog.movies.values():
        name = file_name(movie)
        folder = root / name.removesuffix(".mkv")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"")


def with_quota(settings: Settings, quota: int, reserve: int) -> Settings:
    omdb = replace(settings.provider("omdb"), daily_quota=quota, quota_reserve=reserve)
    return replace(settings, providers={**settings.providers, "omdb": omdb})


async def throughput(movies: int, limit: float, workdir: Path) -> None:
    catalog = grow_catalog(load_catalog(), movies)
    server = CatalogServer(catalog, api_key=DEMO_KEY, realism=Realism(rate_limit_per_second=limit))
    server.start()
    try:
        settings = with_quota(demo_settings(_NO_ART, workdir, server), 0, 0)  # no OMDb quota
        build_library(workdir / "library", catalog)
        async with Engine(settings) as engine:
            scan = await engine.scan()
            started = time.perf_counter()
            report = await engine.enrich(all=True)
            wall = time.perf_counter() - started
            counts = server.provider_counts()
            tmdb = counts.get("tmdb", 0)
            limited = server.status_counts("tmdb").get(429, 0)
            total = sum(counts.values())
            bound = tmdb / limit
            print(f"library: {scan.movies} movies; enriched {report.processed} "
                  f"({report.updated} updated, {report.needs_review} review, "
                  f"{report.failed} failed, {report.partial} partial)")  # fmt: skip
            print(f"wall time: {wall:.1f} s")
            print("requests: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
            print(f"429s received: {limited} ({100 * limited / max(1, total):.2f}% of {total})")
            print(f"rate bound: {tmdb} TMDB requests / {limit:g} per s = {bound:.1f} s; "
                  f"wall / bound = {wall / bound:.2f} (target <= 1.2)")  # fmt: skip
            before = sum(server.provider_counts().values())
            again = await engine.enrich(all=True)
            after = sum(server.provider_counts().values())
            print(f"second run within the TTL: {again.processed} titles taken, "
                  f"{after - before} provider requests (target 0)")  # fmt: skip
    finally:
        server.stop()


async def quota(workdir: Path) -> None:
    catalog = grow_catalog(load_catalog(), 150)
    server = CatalogServer(catalog, api_key=DEMO_KEY)
    server.start()
    try:
        settings = with_quota(demo_settings(_NO_ART, workdir, server), 100, 10)
        fast = {
            pid: replace(settings.provider(pid), requests_per_second=200.0, burst=20)
            for pid in ("tmdb", "omdb", "tvdb", "fanart")
        }
        settings = replace(settings, providers={**settings.providers, **fast})
        build_library(workdir / "library", catalog)
        async with Engine(settings) as engine:
            await engine.scan()
            first = await engine.enrich(all=True)
        omdb_first = server.provider_counts().get("omdb", 0)
        async with Engine(settings) as engine:  # a restart, same day, same database
            second = await engine.enrich(all=True, force=True)
        omdb_second = server.provider_counts().get("omdb", 0) - omdb_first
        print(f"OMDb quota 100, reserve 10, {len(catalog.movies)} movies: bulk run made "
              f"{omdb_first} OMDb requests (target 90), {first.partial} titles partial "
              f"(rate limited: {', '.join(first.rate_limited_providers)})")  # fmt: skip
        print(f"after a restart the same day: {omdb_second} more OMDb requests (target 0) "
              f"over {second.processed} titles")  # fmt: skip
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=1000)
    parser.add_argument("--tmdb-limit", type=float, default=40.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="matinee-bench-") as tmp:
        (Path(tmp) / "a").mkdir()
        (Path(tmp) / "b").mkdir()
        asyncio.run(throughput(args.movies, args.tmdb_limit, Path(tmp) / "a"))
        asyncio.run(quota(Path(tmp) / "b"))


if __name__ == "__main__":
    main()
