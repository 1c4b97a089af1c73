"""`matinee demo`: the whole product with no account and no internet.

It builds a sample library of placeholder files, starts the local catalog server, points the
real provider clients at it through ordinary settings, and then opens the TUI (enriching in the
background so the screen fills live) or, headless, scans, enriches and prints the status with
how the matches compare to the sample's known truth.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from matinee.config import (
    CacheSettings,
    DatabaseSettings,
    LibrarySettings,
    Settings,
    load_settings,
)
from matinee.demo.catalog import load_catalog
from matinee.demo.realism import Realism
from matinee.demo.sample_library import SampleTruth, build_sample_library
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.model import EntityKind

__all__ = ["demo_settings", "prepare", "run_demo", "truth_report"]

DEMO_KEY = "demo-key"


def demo_settings(base: Settings, workdir: Path, server: CatalogServer) -> Settings:
    """The user's settings with library, database, cache and all four providers at the demo."""
    urls = {
        "tmdb": (server.tmdb_base_url, server.tmdb_image_base_url),
        "omdb": (server.omdb_base_url, None),
        "tvdb": (server.tvdb_base_url, server.tvdb_image_base_url),
        "fanart": (server.fanart_base_url, None),
    }
    providers = dict(base.providers)
    for provider_id, (base_url, image_base_url) in urls.items():
        current = base.provider(provider_id)
        providers[provider_id] = replace(
            current,
            enabled=True,
            api_key=DEMO_KEY,
            base_url=base_url,
            image_base_url=image_base_url or current.image_base_url,
            pin="",  # the user's own secrets never go to the demo server
            client_key="",
        )
    return replace(
        base,
        # the sample files are placeholders, not video: nothing for ffprobe to read
        library=LibrarySettings(roots=(workdir / "library",), probe=False),
        database=DatabaseSettings(workdir / "matinee.db"),
        cache=CacheSettings(dir=workdir / "cache", ttl_days=base.cache.ttl_days),
        providers=providers,
        config_writable=False,  # the TUI must not write these into the user's config file
    )


def prepare(workdir: Path, realism: Realism | None = None) -> tuple[CatalogServer, SampleTruth]:
    """Start the catalog server and build the sample library under `workdir` (if not there).

    Args:
        workdir: where the sample library, database and cache live.
        realism: limits and faults for the server to imitate (`Realism.realistic()` for
            `matinee demo --realistic`); none when None.
    """
    catalog = load_catalog()
    server = CatalogServer(catalog, api_key=DEMO_KEY, realism=realism)
    server.start()
    library = workdir / "library"
    if (library / "truth.json").exists():
        truth = SampleTruth.load(library)
    else:
        truth = build_sample_library(library, catalog)
    return server, truth


async def truth_report(engine: Engine, truth: SampleTruth) -> dict[str, Any]:
    """How identification compares to the sample's truth, for movies."""
    movies = await engine.list_entities(EntityKind.MOVIE)
    root = str(truth.root.resolve())
    by_path: dict[str, Any] = {}
    for m in movies:
        for path in m.files:
            rel = str(Path(path).resolve().relative_to(root)) if path.startswith(root) else path
            by_path[rel] = m
    correct = wrong = matchable = review_ok = review_bad = 0
    wrong_items: list[dict[str, Any]] = []
    for entry in truth.entries.values():
        if entry.kind != "movie":
            continue
        summary = by_path.get(entry.path)
        if summary is None:
            continue
        got = summary.ids.tmdb if summary.identification.status != "review" else None
        in_review = summary.identification.status == "review"
        if entry.tmdb_id is not None:
            matchable += 1
            if got == entry.tmdb_id:
                correct += 1
            elif got is not None:
                wrong += 1
                wrong_items.append({"path": entry.path, "expected": entry.tmdb_id, "got": got})
        elif in_review:
            review_ok += 1
        else:
            review_bad += 1
            if got is not None:
                wrong += 1
                wrong_items.append({"path": entry.path, "expected": None, "got": got})
    return {
        "matchableMovies": matchable,
        "correctIds": correct,
        "accuracy": round(correct / matchable, 4) if matchable else None,
        "wrongIds": wrong,
        "wrong": wrong_items,
        "unmatchableOrAmbiguousInReview": review_ok,
        "unmatchableOrAmbiguousNotInReview": review_bad,
    }


async def _headless(engine: Engine, truth: SampleTruth, as_json: bool) -> int:
    scan = await engine.scan()
    enrich = await engine.enrich(all=True)
    status = await engine.status()
    check = await truth_report(engine, truth)
    if as_json:
        out = {"scan": scan.as_json(), "enrich": enrich.as_json(), "status": status.as_json(),
               "truth": check}  # fmt: skip
        json.dump(out, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        from matinee.headless import render

        print(render.scan_text(scan))
        print(render.enrich_text(enrich))
        print(render.status_text(status))
        print(
            f"Demo check: {check['correctIds']}/{check['matchableMovies']} matchable movies got "
            f"the catalog's id, {check['wrongIds']} wrong, "
            f"{check['unmatchableOrAmbiguousInReview']} unmatchable or ambiguous in review."
        )
    return 0 if enrich.failed == 0 else 3


async def _interactive(engine: Engine) -> int:
    from matinee.tui.app import run_tui

    await engine.scan()
    background = asyncio.create_task(engine.enrich(all=True, trigger="demo"))
    try:
        return await run_tui(engine)
    finally:
        background.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await background


async def run_demo(args: argparse.Namespace, realistic: bool | None = None) -> int:
    """Run the demo; `realistic` (or `args.realistic`) turns on `Realism.realistic()`."""
    if realistic is None:
        realistic = bool(getattr(args, "realistic", False))
    base = load_settings(args.config)
    keep = bool(args.dir)
    workdir = (
        Path(args.dir).expanduser().resolve()
        if keep
        else Path(tempfile.mkdtemp(prefix="matinee-demo-"))
    )
    workdir.mkdir(parents=True, exist_ok=True)
    realism = Realism.realistic() if realistic else None
    server, truth = await asyncio.to_thread(prepare, workdir, realism)
    try:
        settings = demo_settings(base, workdir, server)
        engine = Engine(settings)
        await engine.start()
        try:
            if args.headless:
                return await _headless(engine, truth, args.json)
            return await _interactive(engine)
        finally:
            await engine.stop()
    finally:
        server.stop()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
