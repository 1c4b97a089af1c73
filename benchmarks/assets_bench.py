"""Artwork over the demo catalog: what the cheap analysis costs and how often it chooses well.

Enriches N movies of the bundled catalog with the real engine (artwork on) against the catalog
server, then, for the same candidates, downloads and analyses every original. It prints:

1. bytes downloaded per movie to choose (the small renditions of the best few per slot), and
   with the chosen originals kept in the cache, against downloading every candidate's
   original (target: at most 10%);
2. how often the cheap analysis picks the same top poster and fanart as analysing every
   original (target: at least 95%);
3. images per second analysed (decode, shape, perceptual hash) on this machine.

    python benchmarks/assets_bench.py [--movies 60]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from matinee.assets.analyze import BadImage, analyze_image
from matinee.assets.download import FetchError, ImageFetcher
from matinee.assets.model import AssetCandidate, ImageInfo
from matinee.assets.score import score
from matinee.assets.select import select_slot
from matinee.config import AssetsSettings, Settings
from matinee.demo.catalog import file_name, load_catalog
from matinee.demo.run import DEMO_KEY, demo_settings
from matinee.demo.server import CatalogServer
from matinee.engine.assets import policy_from
from matinee.engine.core import Engine


def top(group: list[AssetCandidate]) -> str | None:
    chosen = [c for c in group if c.selected]
    return max(chosen, key=lambda c: c.score or 0).url if chosen else None


async def bench(movies: int, workdir: Path) -> None:
    catalog = load_catalog()
    with CatalogServer(catalog, api_key=DEMO_KEY) as server:
        # artwork only: people's photos are downloaded by the same fetcher and would count here
        base = Settings(assets=AssetsSettings(headshots=False))
        settings = demo_settings(base, workdir, server)
        fast = {
            pid: dataclasses.replace(settings.provider(pid), requests_per_second=500.0, burst=50)
            for pid in ("tmdb", "omdb", "tvdb", "fanart")
        }
        settings = dataclasses.replace(settings, providers={**settings.providers, **fast})
        for movie in list(catalog.movies.values())[:movies]:
            path = workdir / "library" / file_name(movie)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"")
        async with Engine(settings) as engine:
            await engine.scan()
            started = time.perf_counter()
            await engine.enrich(all=True)
            took = time.perf_counter() - started
            cheap_bytes = engine._fetcher.bytes_downloaded
            kept_bytes = sum(f.size for f in await engine.repo.cache_files())
            titles = [s for s in await engine.list_entities() if s.last_enriched]
            per_title = {s.ref.id: await engine.repo.asset_candidates(s.ref.id) for s in titles}
        policy = policy_from(settings.assets)
        fetcher = ImageFetcher()
        full_bytes, infos, decode_s = 0, {}, 0.0
        try:
            for items in per_title.values():
                for c in items:
                    try:
                        data = await fetcher.fetch(c.url)
                    except FetchError:
                        continue
                    full_bytes += len(data)
                    t = time.perf_counter()
                    with contextlib.suppress(BadImage):
                        infos[c.url] = analyze_image(data)
                    decode_s += time.perf_counter() - t
        finally:
            await fetcher.aclose()
    same = total = 0
    for items in per_title.values():
        groups: dict[tuple[str, int | None], list[AssetCandidate]] = defaultdict(list)
        for c in items:
            groups[(c.slot, c.season)].append(c)
        for slot in ("poster", "fanart"):
            group = groups.get((slot, None))
            if not group:
                continue
            most = max(c.votes for c in group)
            full = [
                dataclasses.replace(
                    c,
                    score=(p := score(c, policy, measured=_info(infos, c), max_votes=most)).total,
                    parts=p.as_dict(),
                    phash=_hash(infos, c),
                    selected=False,
                    selected_by=None,
                )
                for c in group
            ]
            total += 1
            same += top(select_slot(full, policy)) == top(group)
    n = len(per_title)
    print(f"{n} movies enriched with artwork in {took:.1f}s")
    analysis = cheap_bytes - kept_bytes
    kib = 1024 * n
    print(f"every candidate's original: {full_bytes / kib:.0f} KiB per movie")
    print(f"analysis (small renditions) to choose: {analysis / kib:.0f} KiB per movie = "
          f"{100 * analysis / max(1, full_bytes):.1f}% of that (target <= 10%)")  # fmt: skip
    print(f"plus the chosen originals kept in the cache: {kept_bytes / kib:.0f} KiB per movie "
          f"(downloaded whichever way the choice is made); all downloads "
          f"{100 * cheap_bytes / max(1, full_bytes):.1f}% of every original")  # fmt: skip
    print(f"same top poster/fanart as analysing every original: {same}/{total} "
          f"= {100 * same / max(1, total):.1f}% (target >= 95%)")  # fmt: skip
    print(f"images analysed per second (originals, one core): {len(infos) / decode_s:.0f} "
          f"({len(infos)} images in {decode_s:.1f}s)")  # fmt: skip


def _info(infos: dict[str, ImageInfo], c: AssetCandidate) -> ImageInfo | None:
    return infos.get(c.url)


def _hash(infos: dict[str, ImageInfo], c: AssetCandidate) -> str | None:
    found = infos.get(c.url)
    return found.phash if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=60)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="matinee-assets-") as tmp:
        asyncio.run(bench(args.movies, Path(tmp)))


if __name__ == "__main__":
    main()
