"""Choosing a title's artwork: analyse the best candidates cheaply, score, select, cache.

For each slot (and season), the candidates the providers offered are pre-scored on what they
declare; the best few get their small rendition fetched (TMDB `w185`/`w300`, Fanart.tv
`/preview/`) and decoded off the event loop for a perceptual hash and the real shape. All are
then scored with their parts kept, near-duplicates dropped, the top N per slot selected (a
locked slot and a user's pick are left alone), the selected originals downloaded into the
content-addressed cache, and files matinee wrote that are no longer selected evicted. A bad
image (HTML, JSON, truncated, a decompression bomb) is rejected with a logged reason and the
rest goes on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from matinee.assets.analyze import BadImage, analyze_image
from matinee.assets.cache import ArtCache
from matinee.assets.download import FetchError, ImageFetcher
from matinee.assets.model import AssetCandidate, ImageInfo
from matinee.assets.score import AssetPolicy, score
from matinee.assets.select import select_slot, to_analyze
from matinee.config import AssetsSettings
from matinee.store.repo import Repository

__all__ = ["AssetPipeline", "AssetReport", "policy_from"]

log = logging.getLogger(__name__)


def policy_from(settings: AssetsSettings) -> AssetPolicy:
    """The scoring policy: the defaults, with the config's per-slot overrides."""
    return AssetPolicy.with_overrides(
        preferred_language=settings.preferred_language,
        analyze_top=settings.analyze_top,
        limits=settings.limits,
        languages=settings.languages,
    )


@dataclass
class AssetReport:
    analysed: int = 0
    selected: int = 0
    downloaded: int = 0
    evicted: int = 0
    rejected: list[str] = field(default_factory=list)  # "url: reason"


class AssetPipeline:
    def __init__(
        self,
        settings: AssetsSettings,
        repo: Repository,
        fetcher: ImageFetcher,
        cache: ArtCache,
        *,
        offline: bool = False,
    ) -> None:
        self._settings = settings
        self._offline = offline  # no image is fetched: choose from what is known
        self._repo = repo
        self._fetcher = fetcher
        self._cache = cache
        self._policy = policy_from(settings)

    async def refresh(self, entity_id: int, locked_slots: frozenset[str]) -> AssetReport:
        report = AssetReport()
        candidates = await self._repo.asset_candidates(entity_id)
        if not candidates:
            return report
        measured = await self._analyse(candidates, report)
        groups: dict[tuple[str, int | None], list[AssetCandidate]] = defaultdict(list)
        for c in candidates:
            groups[(c.slot, c.season)].append(c)
        chosen: list[AssetCandidate] = []
        for (slot, season), group in groups.items():
            most = max((c.votes for c in group), default=0)
            scored = [self._scored(c, measured, most) for c in group]
            # a title's lock covers its own slot; season art is locked on the season row
            chosen += select_slot(
                scored, self._policy, locked=season is None and slot in locked_slots
            )
        if self._settings.download and not self._offline:
            chosen = await self._download(chosen, report)
        chosen = [  # a deselected image's file is evicted below
            c if c.selected or not c.cached_path else dataclasses.replace(c, cached_path=None)
            for c in chosen
        ]
        report.selected = sum(c.selected for c in chosen)
        await self._repo.save_asset_analysis(chosen)
        report.evicted = await self._evict(entity_id, chosen)
        return report

    def _scored(
        self, c: AssetCandidate, measured: dict[str, ImageInfo | None], most: int
    ) -> AssetCandidate:
        """`c` with its score and parts; a candidate whose rendition was rejected scores 0."""
        if c.url in measured and measured[c.url] is None:
            return dataclasses.replace(c, score=0.0, parts={"rejected": 1.0}, selected=False)
        info = measured.get(c.url)
        parts = score(c, self._policy, measured=info, max_votes=most)
        if info is None:
            return dataclasses.replace(c, score=parts.total, parts=parts.as_dict())
        # keep what the rendition showed: its hash finds near-duplicates, its shape is real
        return dataclasses.replace(
            c, score=parts.total, parts=parts.as_dict(), phash=info.phash,
            real_width=info.width, real_height=info.height,
        )  # fmt: skip

    async def headshots(self, limit: int) -> int:
        """Cache up to `limit` people's photos not cached yet; returns how many were stored.

        A photo that cannot be fetched or is not an image is marked tried (an empty path), so
        it is not fetched again until the provider gives another URL.
        """
        if self._offline or not self._settings.headshots:
            return 0
        stored = 0
        for person in await self._repo.people_without_image(limit):
            assert person.image_url is not None
            try:
                data = await self._fetcher.fetch(person.image_url)
                info = await asyncio.to_thread(analyze_image, data)
                kept = await asyncio.to_thread(self._cache.store, "people", data, info.format)
            except (FetchError, BadImage) as exc:
                log.info("headshot rejected: %s: %s", person.image_url, exc.reason)
                await self._repo.set_person_image(person.id, "")
                continue
            await self._repo.record_cache_file(
                kept.rel_path, kept.sha256, "people", kept.size, person_id=person.id
            )
            await self._repo.set_person_image(person.id, kept.rel_path)
            stored += 1
        return stored

    async def _analyse(
        self, candidates: Sequence[AssetCandidate], report: AssetReport
    ) -> dict[str, ImageInfo | None]:
        """url -> what the small rendition showed (None: rejected). Already hashed ones keep
        their hash and are not fetched again."""
        out: dict[str, ImageInfo | None] = {}
        wanted = [c for c in to_analyze(candidates, self._policy) if c.phash is None]
        if self._offline:
            wanted = []
        for c in candidates:
            if c.phash is not None and c.real_width and c.real_height:
                out[c.url] = ImageInfo(c.real_width, c.real_height, "", c.phash)

        async def one(c: AssetCandidate) -> None:
            url = c.preview_url or c.url
            try:
                data = await self._fetcher.fetch(url)
                out[c.url] = await asyncio.to_thread(analyze_image, data)
                report.analysed += 1
            except (FetchError, BadImage) as exc:
                _reject(report, url, exc)
                out[c.url] = None

        await asyncio.gather(*(one(c) for c in wanted))
        return out

    async def _download(
        self, chosen: list[AssetCandidate], report: AssetReport
    ) -> list[AssetCandidate]:
        async def one(c: AssetCandidate) -> AssetCandidate:
            if not c.selected or c.cached_path:
                return c
            try:
                data = await self._fetcher.fetch(c.url)
                info = await asyncio.to_thread(analyze_image, data)
            except (FetchError, BadImage) as exc:
                _reject(report, c.url, exc)
                return dataclasses.replace(c, selected=False, selected_by=None)
            stored = await asyncio.to_thread(self._cache.store, c.slot, data, info.format)
            await self._repo.record_cache_file(
                stored.rel_path, stored.sha256, c.slot, stored.size, c.entity_id, c.id
            )
            report.downloaded += 1
            return dataclasses.replace(
                c, cached_path=stored.rel_path, real_width=info.width, real_height=info.height
            )

        return list(await asyncio.gather(*(one(c) for c in chosen)))

    async def _evict(self, entity_id: int, chosen: Sequence[AssetCandidate]) -> int:
        keep = {c.cached_path for c in chosen if c.selected and c.cached_path}
        # the same bytes are one file: never evict one another title still selects
        keep |= await self._repo.cache_paths_in_use()
        written = [f.rel_path for f in await self._repo.cache_files() if f.entity_id == entity_id]
        removed = await asyncio.to_thread(self._cache.evict, written, keep)
        if removed:
            await self._repo.forget_cache_files(removed)
        return len(removed)


def _reject(report: AssetReport, url: str, exc: FetchError | BadImage) -> None:
    """Log and report an image that could not be fetched or is not an image; the run goes on."""
    log.info("artwork rejected: %s: %s", url, exc.reason)
    report.rejected.append(f"{url}: {exc.reason}")
