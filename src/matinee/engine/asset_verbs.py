"""The artwork verbs front ends use: list a title's candidates, refresh, select, unlock, and
find a candidate's cached file.

`Engine.artwork` is one of these; it shares the engine's repository, cache and image fetcher
(`use` swaps the pipeline and cache when the settings change). Selecting a candidate locks the
slot, so no later run changes it; unlocking hands the slot back to automatic selection.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from matinee.assets.cache import PREVIEW_SUFFIX, ArtCache
from matinee.assets.model import AssetCandidate
from matinee.config_assets import ASSET_SLOTS
from matinee.engine.assets import AssetPipeline, AssetReport
from matinee.engine.bus import EventBus
from matinee.engine.events import EntityChanged
from matinee.errors import UsageError
from matinee.model import EntityKind, Ref
from matinee.store.repo import Repository

__all__ = ["ArtworkVerbs"]

_TITLES = (EntityKind.MOVIE, EntityKind.SERIES)  # season art is listed with its series


class ArtworkVerbs:
    def __init__(
        self, repo: Repository, pipeline: AssetPipeline, bus: EventBus, cache: ArtCache
    ) -> None:
        self._repo = repo
        self._pipeline = pipeline
        self._bus = bus
        self._cache = cache

    def use(self, pipeline: AssetPipeline, cache: ArtCache) -> None:
        """Work with the pipeline and cache built from new settings from now on."""
        self._pipeline, self._cache = pipeline, cache

    async def candidates(self, ref: Ref) -> list[AssetCandidate]:
        """Every candidate of every slot, with its score parts and whether it is selected."""
        _check(ref)
        await self._repo.state(ref)  # NotFoundError for a ref that names nothing
        return await self._repo.asset_candidates(ref.id)

    async def refresh(self, ref: Ref) -> AssetReport:
        """Analyse, score, select and cache this title's artwork again."""
        _check(ref)
        state = await self._repo.state(ref)
        report = await self._pipeline.refresh(ref.id, state.locks)
        self._bus.publish(EntityChanged(ref, ("artwork",)))
        return report

    async def select(
        self, ref: Ref, slot: str, asset_id: int, season: int | None = None
    ) -> AssetCandidate:
        """Pick a candidate for a slot and lock the slot; its original is cached."""
        _check(ref, slot)
        chosen = await self._repo.select_asset(ref.id, slot, asset_id, season)
        state = await self._repo.state(ref)
        await self._pipeline.refresh(ref.id, state.locks)
        self._bus.publish(EntityChanged(ref, (slot,)))
        found = [c for c in await self._repo.asset_candidates(ref.id) if c.id == chosen.id]
        return found[0] if found else chosen

    async def unlock(self, ref: Ref, slot: str, season: int | None = None) -> None:
        """Hand the slot (a season's, with `season`) back to automatic selection."""
        _check(ref, slot)
        await self._repo.unlock_slot(ref.id, slot, season)
        self._bus.publish(EntityChanged(ref, (slot,)))

    def image_path(self, candidate: AssetCandidate, *, preview: bool = True) -> Path | None:
        """The candidate's cached file, or its small JPEG preview (the default), if it exists.

        None when the candidate was never cached, the file (or the preview: very large images
        get none) is gone, or the stored path would lead outside the cache. A file check, no
        database read.
        """
        if not candidate.cached_path:
            return None
        rel = PurePosixPath(candidate.cached_path)
        if preview:
            rel = rel.with_name(rel.name.split(".", 1)[0] + PREVIEW_SUFFIX)
        try:
            path = self._cache.path(rel.as_posix())
        except ValueError:  # an absolute path, `..`, or a symlink leading out of the cache
            return None
        return path if path.is_file() else None


def _check(ref: Ref, slot: str | None = None) -> None:
    if ref.kind not in _TITLES:
        raise UsageError(f"{ref}: artwork belongs to movies and series (season art too)")
    if slot is not None and slot not in ASSET_SLOTS:
        raise UsageError(f"unknown slot {slot!r} (known: {', '.join(ASSET_SLOTS)})")
