"""The engine: the verbs every front end uses, over one repository, one set of providers, one bus.

`Engine` implements `EngineAPI`. It owns the async resources (the database thread, the httpx
clients), created in `start()` inside the running loop and released in `stop()`. It speaks to
front ends only through return values and events; it never imports a UI.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx

from matinee.assets.cache import ArtCache
from matinee.assets.download import ImageFetcher
from matinee.config import Settings
from matinee.engine.asset_verbs import ArtworkVerbs
from matinee.engine.assets import AssetPipeline
from matinee.engine.bus import EventBus
from matinee.engine.decider import Decider, LeaveForReview
from matinee.engine.events import (
    EntityChanged,
    ProviderRateLimited,
    RunFinished,
    RunStarted,
)
from matinee.engine.health import check_provider, provider_health
from matinee.engine.identify import with_candidate
from matinee.engine.jobs import JobQueue
from matinee.engine.provider_ledger import StoreLedger
from matinee.engine.reports import (
    BulkStatus,
    EnrichReport,
    KindCounts,
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
from matinee.engine.user_edits import coerce_value, locked_write, reidentified_write
from matinee.enrich.completeness import measure
from matinee.errors import UsageError
from matinee.model import (
    FIELD_BY_NAME,
    EntityDetail,
    EntityKind,
    EntitySummary,
    Identification,
    Ref,
    Tier,
)
from matinee.providers.base import Provider
from matinee.providers.http import ProviderEnv
from matinee.providers.registry import build_providers, known_providers
from matinee.store.repo import Repository

__all__ = ["Engine"]

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
        self._given_providers = providers
        self.providers: dict[str, Provider] = {}
        self._in_flight: set[Ref] = set()
        self._jobs = JobQueue(settings.enrich.workers)
        self._bulk: EnrichRun | None = None
        self._schedule: Schedule | None = None
        self._fetcher = ImageFetcher(transport=self._transports.get("images"))
        cache = ArtCache(settings.cache.dir / "artwork")
        self._pipeline = AssetPipeline(
            settings.assets, self.repo, self._fetcher, cache, offline=settings.offline
        )
        self.artwork = ArtworkVerbs(self.repo, self._pipeline, self.bus)
        self._started = False

    async def start(self) -> None:
        if self._started:
            return
        await self.repo.open()
        self._jobs.start()
        if self._given_providers is not None:
            self.providers = dict(self._given_providers)
        else:
            self.providers = build_providers(
                self.settings, self._provider_env(), transports=self._transports
            )
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
        bulk = self._bulk
        if bulk is not None:
            bulk.cancel("matinee is stopping")
        await self._jobs.stop()  # titles being enriched are cancelled; written ones stay
        if bulk is not None:  # let the run record how far it got before the database closes
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bulk.finished.wait(), STOP_GRACE_S)
        for provider in self.providers.values():
            await provider.aclose()
        await self._fetcher.aclose()
        await self.repo.close()

    async def __aenter__(self) -> Engine:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _rate_limited(self, provider: str, retry_after: float | None) -> None:
        self.bus.publish(ProviderRateLimited(provider, retry_after))

    # --- library ------------------------------------------------------------------------

    async def scan(self, paths: Sequence[str] = ()) -> ScanReport:
        return await Scanner(self.settings, self.repo, self.bus).scan(paths)

    async def list_entities(self, kind: EntityKind | None = None) -> list[EntitySummary]:
        return await self.repo.list_summaries(kind)

    async def show(self, ref: Ref) -> EntityDetail:
        detail = await self.repo.detail(ref)
        _, missing = measure(ref.kind, detail.fields, self.settings.completeness.expected_fields)
        # values with no recorded source came from the file name or an NFO
        sources = {name: "file" for name in detail.fields} | detail.field_sources
        return dataclasses.replace(detail, missing=missing, field_sources=sources)

    async def status(self) -> LibraryStatus:
        counts = await self.repo.status_counts()
        by_type = {k: KindCounts(**counts.get(k, {})) for k in ("movie", "series")}
        total = sum(c.total for c in by_type.values())
        average = (
            sum(c.average_completeness * c.total for c in by_type.values()) / total if total else 0
        )
        overall = KindCounts(
            total=total,
            enriched=sum(c.enriched for c in by_type.values()),
            partially_enriched=sum(c.partially_enriched for c in by_type.values()),
            unenriched=sum(c.unenriched for c in by_type.values()),
            needs_review=sum(c.needs_review for c in by_type.values()),
            average_completeness=average,
        )
        top = [await self.show(ref) for ref in await self.repo.top_incomplete(10)]
        return LibraryStatus(overall, by_type, tuple(top))

    def _fresh_after(self) -> float:
        return time.time() - self.settings.cache.ttl_days * 86400

    async def queue(self, limit: int = 100) -> list[QueueItem]:
        items = await self.repo.queue(limit, self._fresh_after())
        return [QueueItem(s, i) for i, s in enumerate(items, start=1)]

    async def review(self) -> list[ReviewItem]:
        return [
            ReviewItem(ref, title, year, tuple(cands))
            for ref, title, year, cands in await self.repo.review_items()
        ]

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
        before = {pid: _requests(p) for pid, p in self.providers.items()}
        if refs:
            for ref in refs:
                if ref.kind in (EntityKind.SEASON, EntityKind.EPISODE):
                    raise UsageError(f"{ref}: enrich its series instead")
            targets = list(refs)[:limit] if limit is not None else list(refs)
        else:
            size = None if all else (limit or self.settings.schedule.batch_size)
            queued = await self.repo.queue(size, None if force else self._fresh_after())
            targets = [s.ref for s in queued]
        options = RunOptions(
            force=force, manual=bool(refs), trigger=trigger,
            complete_or_skip=require_complete, bulk=not refs,
        )  # fmt: skip
        run = EnrichRun(
            self.settings, self.repo, self.bus, self.providers, self._decider, self._jobs,
            self._in_flight, self._fresh_after(), options, self._pipeline,
        )  # fmt: skip
        self.bus.publish(RunStarted(len(targets), trigger))
        if not self.providers:
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
        report.duration = time.monotonic() - started
        report.provider_requests = {
            pid: _requests(p) - before.get(pid, 0) for pid, p in self.providers.items()
        }
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

    # --- user decisions -----------------------------------------------------------------

    async def identify(
        self,
        ref: Ref,
        *,
        tmdb: int | None = None,
        imdb: str | None = None,
        candidate: int | None = None,
    ) -> EntityDetail:
        if ref.kind not in (EntityKind.MOVIE, EntityKind.SERIES):
            raise UsageError(f"{ref}: only movies and series are identified")
        state = await self.repo.state(ref)
        if candidate is not None:
            items = {item.ref: item for item in await self.review()}
            cands = items[ref].candidates if ref in items else ()
            if not 1 <= candidate <= len(cands):
                raise UsageError(f"{ref} has no candidate {candidate} (it has {len(cands)})")
            chosen = cands[candidate - 1]
            ids = with_candidate(dataclasses.replace(state.ids, tmdb=None), chosen)
        elif tmdb is None and imdb is None:
            raise UsageError("give --tmdb ID, --imdb ID or --candidate N")
        else:
            ids = dataclasses.replace(state.ids, tmdb=tmdb, imdb=imdb or state.ids.imdb)
        write = reidentified_write(
            state, ids, Identification("manual", 1.0, Tier.STRONG),
            self.settings.completeness.expected_fields,
        )  # fmt: skip
        await self.repo.write([write])
        await self.enrich([ref], force=True)
        self.bus.publish(EntityChanged(ref, ("tmdb_id", "imdb_id")))
        return await self.show(ref)

    # --- providers ---------------------------------------------------------------------------

    async def provider_health(self) -> list[ProviderHealth]:
        """Every known provider: enabled, configured, quota use, limits and the last answer."""
        now = time.time()
        return provider_health(self.settings, await self.repo.provider_usage(now), now)

    async def test_provider(self, provider_id: str) -> ProviderCheck:
        """Check a provider's key with one cheap request (enabled or not)."""
        entry = next((e for e in known_providers() if e.id == provider_id), None)
        if entry is None:
            known = ", ".join(e.id for e in known_providers())
            raise UsageError(f"unknown provider {provider_id!r} (known: {known})")
        if self.settings.offline:
            return ProviderCheck(
                provider_id, False, "offline = true in the config: no request sent"
            )
        if not self.settings.provider(provider_id).configured:
            return ProviderCheck(
                provider_id, False, f"not configured: no API key ({entry.key_help})"
            )
        if self._given_providers is not None and provider_id in self._given_providers:
            return await check_provider(self._given_providers[provider_id])
        built = build_providers(
            self.settings, self._provider_env(), transports=self._transports, only=provider_id
        )
        provider = built[provider_id]
        try:
            return await check_provider(provider)
        finally:
            await provider.aclose()

    async def lock(self, ref: Ref, fields: Sequence[str]) -> None:
        await self.repo.state(ref)  # raises NotFoundError for a bad ref
        names = _check_fields(ref, fields)
        await self.repo.lock(ref, names)
        self.bus.publish(EntityChanged(ref, tuple(names)))

    async def unlock(self, ref: Ref, fields: Sequence[str]) -> None:
        await self.repo.state(ref)
        names = _check_fields(ref, fields)
        await self.repo.unlock(ref, names)
        self.bus.publish(EntityChanged(ref, tuple(names)))

    async def set_field(self, ref: Ref, field: str, value: Any) -> None:
        (name,) = _check_fields(ref, [field])
        state = await self.repo.state(ref)
        coerced = coerce_value(name, value)
        write = locked_write(state, {name: coerced}, (name,),
                             expected=self.settings.completeness.expected_fields)  # fmt: skip
        await self.repo.write([write])
        self.bus.publish(EntityChanged(ref, (name,)))


def _requests(provider: Provider) -> int:
    return int(getattr(provider, "requests_made", 0))


def _check_fields(ref: Ref, fields: Sequence[str]) -> list[str]:
    if not fields:
        raise UsageError("name at least one field")
    out = []
    for name in fields:
        spec = FIELD_BY_NAME.get(name)
        if spec is None:
            raise UsageError(f"unknown field {name!r}; see the field list in the README")
        if ref.kind not in spec.kinds:
            raise UsageError(f"a {ref.kind.value} has no field {name!r}")
        out.append(name)
    return out
