"""A library scan as the engine runs it: walk, diff against the database, parse, probe, write.

Unchanged files (same path, size and mtime) cost nothing beyond the walk; new and changed files
are parsed, their local ids read, and probed when ffprobe is there; vanished files are marked
missing (never deleted) unless their whole root is unreachable, as a NAS that is off would be.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matinee.config import Settings
from matinee.engine.bus import EventBus
from matinee.engine.events import FileProblemFound, ScanFinished, ScanProgressed, ScanStarted
from matinee.engine.reports import ScanReport
from matinee.errors import UsageError
from matinee.library.group import movie_key, series_key
from matinee.library.nfo import read_nfo_ids
from matinee.library.parse import ParsedName, parse_path
from matinee.library.probe import ffprobe_available, probe_many
from matinee.library.walk import FoundFile, display_path, walk_roots
from matinee.model import EntityKind, Ids
from matinee.store.records import FileTarget, FileUpsert
from matinee.store.repo import Repository

__all__ = ["Scanner"]


def _show_ids(series_dir: str) -> Ids:
    path = os.path.join(series_dir, "tvshow.nfo")
    if not os.path.isfile(path):
        return Ids()
    return read_nfo_ids(path)[0]


def _target(found: FoundFile, parsed: ParsedName) -> FileTarget:
    folder = os.path.dirname(found.path)
    if parsed.kind == "episode":
        # an episode NFO's ids are the episode's; the show's ids live in tvshow.nfo
        series_dir = _series_dir(found)
        show_ids = _show_ids(series_dir) if series_dir else Ids()
        # an episode without a number is keyed by its air date or its absolute number
        key: str | None = None
        if not parsed.episodes and parsed.air_date:
            key = f"d{parsed.air_date}"
        elif not parsed.episodes and parsed.absolute:
            key = f"a{parsed.absolute[0]}"
        season = parsed.season
        if season is None and parsed.air_date:
            season = int(parsed.air_date[:4])
        return FileTarget(
            kind=EntityKind.EPISODE,
            group_key=series_key(parsed),
            title=parsed.title,
            year=parsed.year,
            season=season,
            episodes=parsed.episodes,
            episode_key=key,
            episode_title=parsed.episode_title,
            ids=parsed.ids.fill(show_ids),
        )
    nfo_ids, _ = read_nfo_ids(found.path)
    return FileTarget(
        kind=EntityKind.MOVIE,
        group_key=movie_key(parsed, folder),
        title=parsed.title,
        year=parsed.year,
        ids=parsed.ids.fill(nfo_ids),
    )


_SEASON_DIR = re.compile(r"^(?:season[\s._-]*\d+|s\d{1,3}|specials)$", re.IGNORECASE)


def _series_dir(found: FoundFile) -> str | None:
    """The show folder: the parent of a `Season NN` folder, else the file's own folder."""
    folder = Path(found.path).parent
    root = Path(found.root)
    if folder == root:
        return None
    if _SEASON_DIR.match(folder.name):
        return None if folder.parent == root else str(folder.parent)
    return str(folder)


def _parsed_dict(parsed: ParsedName) -> dict[str, Any]:
    data = dataclasses.asdict(parsed)
    data["ids"] = parsed.ids.as_dict()
    return data


class Scanner:
    def __init__(self, settings: Settings, repo: Repository, bus: EventBus) -> None:
        self._settings = settings
        self._repo = repo
        self._bus = bus

    async def scan(self, paths: Sequence[str] = ()) -> ScanReport:
        started = time.monotonic()
        new_roots = [str(Path(p).expanduser().resolve()) for p in paths]
        for given, root in zip(paths, new_roots, strict=True):
            if not Path(root).is_dir():
                raise UsageError(f"{given}: not a folder (nothing was added to the library)")
        if new_roots:
            await self._repo.add_roots(new_roots)
        stored = await self._repo.roots()
        configured = [str(p.expanduser().resolve()) for p in self._settings.library.roots]
        roots = list(dict.fromkeys([*configured, *stored]))
        self._bus.publish(ScanStarted(tuple(roots)))
        lib = self._settings.library

        def progress(count: int, current: str) -> None:
            self._bus.publish(ScanProgressed(count, display_path(current)))

        loop = asyncio.get_running_loop()

        def threadsafe_progress(count: int, current: str) -> None:
            loop.call_soon_threadsafe(progress, count, current)

        walked, known = await asyncio.gather(
            asyncio.to_thread(
                walk_roots, roots, lib.video_extensions, lib.ignore, threadsafe_progress
            ),
            self._repo.known_files(),
        )
        errors: list[tuple[str, str]] = [(p.path, p.error) for p in walked.problems]
        errors += [(r, "library folder not found or not readable") for r in walked.roots_missing]
        for path, error in errors:
            self._bus.publish(FileProblemFound(path, error))

        upserts_in: list[tuple[FoundFile, ParsedName]] = []
        new = changed = unchanged = 0
        seen: set[str] = set()
        for found in walked.files:
            seen.add(found.path)
            old = known.get(found.path)
            if (
                old is not None
                and not old.missing
                and old.size == found.size
                and (old.mtime == found.mtime)
            ):
                unchanged += 1
                continue
            if old is None:
                new += 1
            else:
                changed += 1
            upserts_in.append((found, parse_path(found.path, found.root)))

        unreachable = set(walked.roots_missing)
        missing = [
            path
            for path, old in known.items()
            if path not in seen and not old.missing and old.root not in unreachable
        ]
        targets = await asyncio.to_thread(lambda: [_target(f, p) for f, p in upserts_in])
        probes = await self._probe([f.path for f, _ in upserts_in])
        upserts = [
            FileUpsert(
                path=f.path, root=f.root, size=f.size, mtime=f.mtime, parsed=_parsed_dict(p),
                target=t, probe=probes.get(f.path),
            )
            for (f, p), t in zip(upserts_in, targets, strict=True)
        ]  # fmt: skip
        counts = await self._repo.apply_scan(upserts, missing)
        duration = time.monotonic() - started
        self._bus.publish(
            ScanFinished(len(walked.files), new, changed, len(missing), len(errors), duration)
        )
        return ScanReport(
            roots=tuple(roots),
            seen=len(walked.files),
            new=new,
            changed=changed,
            unchanged=unchanged,
            missing=len(missing),
            errors=tuple(errors),
            movies=counts.movies,
            series=counts.series,
            episodes=counts.episodes,
            duration=duration,
        )

    async def _probe(self, paths: list[str]) -> dict[str, dict[str, Any] | None]:
        lib = self._settings.library
        if not paths or not lib.probe or not ffprobe_available():
            return {}
        results = await probe_many(paths, concurrency=lib.probe_concurrency)
        return {p: dataclasses.asdict(r) if r else None for p, r in results.items()}
