"""The design's quota scenario, at full size: 1,000 movies, OMDb's daily quota runs out at
movie 501.

1. A scheduled run (complete or skip) over the whole queue stops there as partial, OMDb named.
2. A manual run goes on with the other providers and marks those movies partial.
3. The next UTC day (the quota is back), the scheduled run continues from movie 501.

Runs the real engine and all four real clients against the catalog server (no rate limit, so
it is quick) and prints what each run did.

    python benchmarks/quota_scenario.py [--movies 1000] [--quota 500]
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
from matinee.demo.catalog import file_name, grow_catalog, load_catalog
from matinee.demo.run import DEMO_KEY, demo_settings
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.engine.events import EnrichmentStarted, Event
from matinee.model import Ref


async def scenario(movies: int, quota: int, workdir: Path) -> None:
    catalog = grow_catalog(load_catalog(), movies)
    with CatalogServer(catalog, api_key=DEMO_KEY) as server:
        settings = demo_settings(_NO_ART, workdir, server)
        fast = {
            pid: replace(settings.provider(pid), requests_per_second=500.0, burst=50)
            for pid in ("tmdb", "omdb", "tvdb", "fanart")
        }
        fast["omdb"] = replace(fast["omdb"], daily_quota=quota, quota_reserve=0)
        settings = replace(
            settings,
            providers={**settings.providers, **fast},
            schedule=replace(settings.schedule, batch_size=movies),
        )
        for movie in catalog.movies.values():
            path = workdir / "library" / file_name(movie)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"")
        async with Engine(settings) as engine:
            await engine.scan()
            order = [item.summary.ref for item in await engine.queue(movies)]
            position = {ref: n + 1 for n, ref in enumerate(order)}
            started: list[Ref] = []

            def note(event: Event) -> None:
                if isinstance(event, EnrichmentStarted):
                    started.append(event.ref)

            engine.bus.subscribe(note)
            t = time.perf_counter()
            first = await engine.enrich(trigger="scheduled", require_complete=True)
            took = time.perf_counter() - t
            print(f"1. scheduled run, complete or skip ({took:.1f}s): {first.updated} written, "
                  f"{first.skipped} skipped, stopped={first.stopped}")  # fmt: skip
            print(f"   stop reason: {first.stop_reason}")
            head = position[(await engine.queue(1))[0].summary.ref]
            print(f"   OMDb requests: {first.provider_requests['omdb']}; queue head now: "
                  f"movie #{head} of the original order")  # fmt: skip
            started.clear()
            t = time.perf_counter()
            manual = await engine.enrich(list(order[quota : quota + 20]))
            print(f"2. manual run over movies #{quota + 1}-#{quota + 20} "
                  f"({time.perf_counter() - t:.1f}s): {manual.updated} updated, "
                  f"{manual.partial} partial, rate limited: {manual.rate_limited_providers}, "
                  f"OMDb requests {manual.provider_requests['omdb']}")  # fmt: skip
            await engine.repo._run(  # the next UTC day: move the stored day, not the code
                lambda db: db.execute_sql("UPDATE provider_state SET day = '2000-01-01'")
            )
            started.clear()
            t = time.perf_counter()
            second = await engine.enrich(trigger="scheduled", require_complete=True)
            first_started = min((position[r] for r in started[:8]), default=None)
            print(f"3. next day's scheduled run ({time.perf_counter() - t:.1f}s): started at "
                  f"movie #{first_started}; {second.updated} written, {second.skipped} "
                  f"skipped, stopped={second.stopped}: {second.stop_reason}")  # fmt: skip


# metadata throughput only: artwork has its own benchmark (assets_bench.py)
_NO_ART = Settings(assets=AssetsSettings(download=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=1000)
    parser.add_argument("--quota", type=int, default=500)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="matinee-quota-") as tmp:
        asyncio.run(scenario(args.movies, args.quota, Path(tmp)))


if __name__ == "__main__":
    main()
