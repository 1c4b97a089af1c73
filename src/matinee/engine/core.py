"""The engine: the verbs every front end uses, over one repository, one set of providers, one bus.

`Engine` implements `EngineAPI`. It owns the async resources (the database thread, the httpx
clients), created in `start()` inside the running loop and released in `stop()`. It speaks to
front ends only through return values and events; it never imports a UI.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx

from matinee.assets.cache import ArtCache
from matinee.assets.download import ImageFetcher
from matinee.config import Settings
from matinee.engine.api import ArtworkAPI
from matinee.engine.asset_verbs import ArtworkVerbs
from matinee.engine.assets import AssetPipeline
from matinee.engine.bus import EventBus
from matinee.engine.decider import Decider, LeaveForReview
from matinee.engine.decisions import Decisions
from matinee.engine.events import ProviderRateLimited, RunFinished, RunStarted
from matinee.engine.jobs import JobQueue
from matinee.engine.library_views import LibraryViews, fresh_after
from matinee.engine.provider_ledger import StoreLedger
from matinee.engine.provider_verbs import ProviderVerbs
from matinee.engine.reports import (
    BulkStatus,
    EnrichReport,
    LibraryStatus,
    ProviderCheck,
    ProviderHealth,
    QueueItem,
    ReviewItem,
    ScanReport,
)
from matinee.engine.runner import EnrichRun, RunOptions
from matinee.engine.scanning import Scanner
from matinee.engine.schedule import Schedule, next_fire_time
from matinee.engine.views import HistoryEntry, LibraryFacets
from matinee.errors import UsageError
from matinee.model import Candidate, EntityDetail, EntityKind, EntitySummary, Ref
from matinee.providers.base import Provider
from matinee.providers.http import ProviderEnv
from matinee.store.repo import Repository

__all__ = ["Engine"]

log = logging.getLogger(__name__)

STOP_GRACE_S = 1.0
"""How long `stop()` waits for a cancelled bulk run to record its counts."""


class Engine:
    """The one engine the TUI, the CLI and the scheduler share."""

    def __init__(
        self,
        settings: Settings,
        *,
        decider: Decider | None = None,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
        providers: Mapping[str, Provider] | None = None,
    ) -> None:
        self.settings = settings
        self.bus = EventBus()
        self.repo = Repository(settings.database.path)
        self._decider = decider or LeaveForReview()
        self._transports = dict(transports or {})
        self._providers = ProviderVerbs(self.repo, self._transports, providers)
        self._in_flight: set[Ref] = set()
        self._jobs = JobQueue(settings.enrich.workers)
        self._bulk: EnrichRun | None = None
        self._schedule: Schedule | None = None
        self._scheduled: set[asyncio.Task[Any]] = set()  # scheduled runs going on
        self._retiring: set[asyncio.Task[None]] = set()  # replaced schedules, see _reschedule
        self._fetcher = ImageFetcher(transport=self._transports.get("images"))
        cache = ArtCache(settings.cache.dir / "artwork")
        self._pipeline = self._new_pipeline(cache)
        self._artwork = ArtworkVerbs(self.repo, self._pipeline, self.bus, cache)
        self.artwork: ArtworkAPI = self._artwork
        self._views = LibraryViews(self.repo, lambda: self.settings)
        self._decisions = Decisions(self, self._providers)
        self._started = False

    @property
    def providers(self) -> dict[str, Provider]:
        """The providers new work uses: enabled and configured, by id, in priority order."""
        return self._providers.current

    def _new_pipeline(self, cache: ArtCache) -> AssetPipeline:
        s = self.settings
        return AssetPipeline(s.assets, self.repo, self._fetcher, cache, offline=s.offline)

    async def start(self) -> None:
        if self._started:
            return
        await self.repo.open()
        self._jobs.start()
        self._providers.build(self.settings, self._provider_env())
        self._started = True

    def _provider_env(self) -> ProviderEnv:
        return ProviderEnv(
            ledger=StoreLedger(self.repo),
            offline=self.settings.offline,
            cache_ttl_s=self.settings.cache.ttl_days * 86400,
            on_rate_limited=self._rate_limited,
        )

    async def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        if self._schedule is not None:
            self._schedule.shutdown()
            self._schedule = None
        for task in self._retiring:
            task.cancel()
        await asyncio.gather(*self._retiring, return_exceptions=True)
        bulk = self._bulk
        if bulk is not None:
            bulk.cancel("matinee is stopping")
        await self._jobs.stop()  # titles being enriched are cancelled; written ones stay
        if bulk is not None:  # let the run record how far it got before the database closes
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bulk.finished.wait(), STOP_GRACE_S)
        await self._providers.aclose()
        await self._fetcher.aclose()
        await self.repo.close()

    async def __aenter__(self) -> Engine:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _rate_limited(self, provider: str, retry_after: float | None) -> None:
        self.bus.publish(ProviderRateLimited(provider, retry_after))

    async def apply_settings(self, settings: Settings) -> None:
        """Use `settings` from now on: providers (enabled, keys, limits), authority, matching,
        completeness, artwork, the cache, the schedule, `[ui]`, offline.

        The database and `[enrich] workers` stay as they are until the next start (a logged
        warning says so). Runs in flight finish with the settings and providers they began
        with; replaced providers are closed when the last of them ends (`provider_verbs.py`).
        """
        fixed = dataclasses.replace(
            settings, database=self.settings.database, enrich=self.settings.enrich
        )
        if fixed != settings:
            log.warning("the database path and [enrich] workers change at the next start")
        old, self.settings = self.settings, fixed
        cache = ArtCache(fixed.cache.dir / "artwork")
        self._pipeline = self._new_pipeline(cache)
        self._artwork.use(self._pipeline, cache)
        if self._started:
            await self._providers.rebuild(fixed, self._provider_env())
        if self._schedule is not None and _crons(old) != _crons(fixed):
            self._reschedule()

    # --- library ------------------------------------------------------------------------

    async def scan(self, paths: Sequence[str] = ()) -> ScanReport:
        return await Scanner(self.settings, self.repo, self.bus).scan(paths)

    async def list_entities(
        self, kind: EntityKind | None = None, *, limit: int | None = None
    ) -> list[EntitySummary]:
        return await self._views.list_entities(kind, limit)

    async def summaries(self, refs: Sequence[Ref]) -> list[EntitySummary]:
        return await self._views.summaries(refs)

    async def show(self, ref: Ref) -> EntityDetail:
        return await self._views.show(ref)

    async def status(self) -> LibraryStatus:
        return await self._views.status()

    async def queue(self, limit: int = 100) -> list[QueueItem]:
        return await self._views.queue(limit)

    async def review(self) -> list[ReviewItem]:
        return await self._views.review()

    async def history(self, ref: Ref, limit: int = 50) -> list[HistoryEntry]:
        return await self._views.history(ref, limit)

    async def facets(self) -> LibraryFacets:
        return await self._views.facets()

    async def match_refs(
        self,
        kind: EntityKind,
        *,
        genre: str | None = None,
        person: str | None = None,
        missing: str | None = None,
    ) -> frozenset[Ref]:
        return await self._views.match_refs(kind, genre=genre, person=person, missing=missing)

    # --- enrichment ---------------------------------------------------------------------

    async def enrich(
        self,
        refs: Sequence[Ref] = (),
        *,
        all: bool = False,
        limit: int | None = None,
        force: bool = False,
        trigger: str = "manual",
        require_complete: bool = False,
    ) -> EnrichReport:
        """Enrich `refs` (MANUAL jobs), or the staleness queue as a bulk run (one batch, or
        `all`). `require_complete`: complete or skip (see `runner.py`)."""
        started = time.monotonic()
        fresh = fresh_after(self.settings)
        if refs:
            for ref in refs:
                if ref.kind in (EntityKind.SEASON, EntityKind.EPISODE):
                    raise UsageError(f"{ref}: enrich its series instead")
            targets = list(refs)[:limit] if limit is not None else list(refs)
        else:
            size = None if all else (limit or self.settings.schedule.batch_size)
            queued = await self.repo.queue(size, None if force else fresh)
            targets = [s.ref for s in queued]
        task = asyncio.current_task()
        if trigger == "scheduled" and task is not None:
            self._scheduled.add(task)
            task.add_done_callback(self._scheduled.discard)
        options = RunOptions(
            force=force, manual=bool(refs), trigger=trigger,
            complete_or_skip=require_complete, bulk=not refs,
        )  # fmt: skip
        async with self._providers.lease() as providers:
            before = {pid: _requests(p) for pid, p in providers.items()}
            run = EnrichRun(
                self.settings, self.repo, self.bus, providers, self._decider, self._jobs,
                self._in_flight, fresh, options, self._pipeline,
            )  # fmt: skip
            self.bus.publish(RunStarted(len(targets), trigger))
            if not providers:
                run.report.stopped = True
                run.report.stop_reason = (
                    "no provider is configured: set MATINEE_TMDB_API_KEY (or api_key under "
                    "[providers.tmdb] in the config file, `matinee config path`); "
                    "`matinee providers` lists them all"
                )
            else:
                if options.bulk:
                    self._bulk = run
                try:
                    await run.run(targets)
                finally:
                    if self._bulk is run:
                        self._bulk = None
            report = run.report
            report.provider_requests = {
                pid: _requests(p) - before.get(pid, 0) for pid, p in providers.items()
            }
        report.duration = time.monotonic() - started
        self.bus.publish(
            RunFinished(
                report.processed, report.updated, report.skipped, report.failed,
                report.needs_review, report.partial, report.stopped, report.stop_reason,
                report.duration,
            )
        )  # fmt: skip
        return report

    def start_schedule(self) -> None:
        """Fire scheduled enrichment (and rescans) from `[schedule]` while the engine runs."""
        if self._schedule is None:
            self._schedule = Schedule(self)
            self._schedule.start()

    def _reschedule(self) -> None:
        """New cron lines: a new schedule fires from now on. Shutting a scheduler down cancels
        the job it runs, so the old one is shut down once its scheduled run (if any) is over."""
        old, self._schedule = self._schedule, Schedule(self)
        self._schedule.start()
        running = {task for task in self._scheduled if not task.done()}
        if old is None or not running:
            if old is not None:
                old.shutdown()
            return

        async def retire(old: Schedule) -> None:
            try:
                await asyncio.wait(running)
            finally:
                old.shutdown()

        waiter = asyncio.create_task(retire(old))
        self._retiring.add(waiter)
        waiter.add_done_callback(self._retiring.discard)

    def next_scheduled_run(self) -> datetime | None:
        """When scheduled enrichment fires next (also when this process runs no schedule)."""
        if self._schedule is not None:
            return self._schedule.next_run()
        return next_fire_time(self.settings.schedule.enrich_cron)

    async def cancel_bulk(self) -> bool:
        """Cancel the running bulk run, in this process or another; False if none runs."""
        if self._bulk is not None:
            self._bulk.cancel()
            return True
        return await self.repo.cancel_bulk() is not None

    async def bulk_status(self) -> BulkStatus:
        current, last = await self.repo.latest_bulk_runs()
        return BulkStatus(current, last, next_fire_time(self.settings.schedule.enrich_cron))

    # --- user decisions (decisions.py) ----------------------------------------------------

    async def identify(
        self,
        ref: Ref,
        *,
        tmdb: int | None = None,
        imdb: str | None = None,
        candidate: int | None = None,
        chosen: Candidate | None = None,
    ) -> EntityDetail:
        return await self._decisions.identify(
            ref, tmdb=tmdb, imdb=imdb, candidate=candidate, chosen=chosen
        )

    async def search_candidates(
        self, ref: Ref, *, title: str | None = None, year: int | None = None
    ) -> list[Candidate]:
        return await self._decisions.search_candidates(ref, title=title, year=year)

    async def lock(self, ref: Ref, fields: Sequence[str]) -> None:
        await self._decisions.lock(ref, fields)

    async def unlock(self, ref: Ref, fields: Sequence[str]) -> None:
        await self._decisions.unlock(ref, fields)

    async def set_field(self, ref: Ref, field: str, value: Any) -> None:
        await self._decisions.set_field(ref, field, value)

    # --- providers ---------------------------------------------------------------------------

    async def provider_health(self) -> list[ProviderHealth]:
        return await self._providers.health(self.settings)

    async def test_provider(self, provider_id: str) -> ProviderCheck:
        return await self._providers.test(self.settings, self._provider_env(), provider_id)


def _crons(settings: Settings) -> tuple[str, str]:
    return settings.schedule.enrich_cron, settings.schedule.rescan_cron


def _requests(provider: Provider) -> int:
    return int(getattr(provider, "requests_made", 0))
