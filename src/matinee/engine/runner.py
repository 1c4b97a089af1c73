"""One enrichment run: titles fed to the engine's job queue, each enriched once, outcomes kept.

`Engine.enrich` decides which titles (named ones, or the staleness queue) and hands them to an
`EnrichRun`. A manual run submits its titles as MANUAL jobs. A bulk run (the queue) submits BULK
jobs a few at a time, so manual work overtakes it; it also holds the bulk claim in the database,
refreshes its heartbeat with its counts, and stops when cancelled here or from another process.

In "complete or skip" mode (scheduled runs, `--require-complete`) a title is written only when
every provider answered; otherwise it is skipped and stays first in the queue for the next run.
A provider that runs out of quota (or refuses the key) stops such a run as partial, naming it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from matinee.config import Settings
from matinee.engine.assets import AssetPipeline
from matinee.engine.bus import EventBus
from matinee.engine.decider import Decider
from matinee.engine.enrichment import Enricher, Outcome
from matinee.engine.events import (
    EnrichmentFailed,
    EnrichmentFinished,
    EnrichmentStarted,
    MatchNeedsReview,
    ProviderAnswered,
    ProviderFailed,
    RunProgressed,
)
from matinee.engine.fetching import answers_to
from matinee.engine.jobs import JobQueue, Priority
from matinee.engine.reports import EnrichReport
from matinee.enrich.authority import Authority
from matinee.errors import MatineeError
from matinee.model import Ref
from matinee.providers.base import Provider
from matinee.providers.context import request_context
from matinee.store.bulk_runs import BulkCounts, owner_id
from matinee.store.records import EntityState
from matinee.store.repo import Repository

__all__ = ["HEARTBEAT_S", "STALE_AFTER_S", "EnrichRun", "RunOptions", "fresh"]

log = logging.getLogger(__name__)

HEARTBEAT_S = 2.0
"""How often a bulk run stores its progress and checks for a cancel from another process."""
HEADSHOTS_PER_TITLE = 20
"""People's photos cached after each title's artwork (its top cast, directors and writers)."""
STALE_AFTER_S = 60.0
"""A bulk run whose heartbeat is older than this may be taken over."""


@dataclass(frozen=True, slots=True)
class RunOptions:
    force: bool = False
    manual: bool = False  # a person named the titles: MANUAL jobs, the quota reserve is open
    trigger: str = "manual"
    complete_or_skip: bool = False
    bulk: bool = False  # the staleness queue: holds the bulk claim


class EnrichRun:
    """One run over `targets`. `in_flight` is shared by every run of an engine, so one title
    is never enriched twice at once."""

    def __init__(
        self,
        settings: Settings,
        repo: Repository,
        bus: EventBus,
        providers: Mapping[str, Provider],
        decider: Decider,
        jobs: JobQueue,
        in_flight: set[Ref],
        fresh_after: float,
        options: RunOptions,
        artwork: AssetPipeline | None = None,
    ) -> None:
        self._settings = settings
        self._repo = repo
        self._bus = bus
        self._providers = providers
        self._decider = decider
        self._jobs = jobs
        self._in_flight = in_flight
        self._fresh_after = fresh_after
        self.options = options
        self._artwork = artwork
        self.report = EnrichReport()
        self.run_id: int | None = None
        self._stop = asyncio.Event()
        self._cancelled = False
        self._cancel_event = asyncio.Event()
        self._started = time.monotonic()
        self._total = 0
        self._current: str | None = None
        self.finished = asyncio.Event()
        self._incomplete: list[Ref] = []  # skipped as not complete, in the order met
        self._quota_stop = False
        self._art_jobs: list[asyncio.Future[None]] = []

    def cancel(self, reason: str = "cancelled") -> None:
        """Stop feeding titles; the ones already started finish."""
        if not self._stop.is_set():
            self._cancelled = True
            self._cancel_event.set()
            self._stop_with(reason)

    def _stop_with(self, reason: str) -> None:
        self.report.stopped = True
        self.report.stop_reason = self.report.stop_reason or reason
        self._stop.set()

    async def run(self, targets: list[Ref]) -> EnrichReport:
        self._total = len(targets)
        try:
            if not targets:  # nothing stale: no run to record
                return self.report
            if self.options.bulk and not await self._claim():
                return self.report
            beat = asyncio.create_task(self._heartbeat()) if self.run_id is not None else None
            try:
                await self._feed(targets)
            finally:
                if beat is not None:
                    beat.cancel()
                    await asyncio.gather(beat, return_exceptions=True)
                if self.run_id is not None:
                    await self._finish()
            return self.report
        finally:
            self.finished.set()

    async def _feed(self, targets: list[Ref]) -> None:
        authority = Authority.from_settings(self._settings.authority)
        enricher = Enricher(self._settings, self._providers, self._decider, authority)
        manual = self.options.manual
        priority = Priority.MANUAL if manual else Priority.BULK
        window = asyncio.Semaphore(self._jobs.workers * (len(targets) if manual else 1) or 1)
        futures: list[asyncio.Future[None]] = []
        for ref in targets:
            if self._stop.is_set():
                break
            await window.acquire()
            if self._stop.is_set():
                window.release()
                break
            future = self._jobs.submit(priority, partial(self._job, enricher, ref))
            future.add_done_callback(lambda _f: window.release())
            futures.append(future)
        for outcome in await asyncio.gather(*futures, return_exceptions=True):
            if isinstance(outcome, Exception):
                log.error("enrichment job failed: %s", outcome)
        await self._await_artwork()
        if self._quota_stop and self._incomplete:  # several titles may have met it at once
            order = {ref: n for n, ref in enumerate(targets)}
            first = min(self._incomplete, key=lambda ref: order.get(ref, len(order)))
            self.report.stop_reason = (
                f"{self.report.stop_reason}; the next run continues from {first}"
            )

    async def _await_artwork(self) -> None:
        """Wait for the artwork jobs of the titles written. A cancel drops the ones not started
        (those titles keep their metadata and candidates; a refresh picks their artwork), so a
        cancelled run ends at once instead of after minutes of image downloads. A stop for a
        quota does not: the titles written must still get their artwork."""
        if not self._art_jobs:
            return
        done = asyncio.ensure_future(asyncio.gather(*self._art_jobs, return_exceptions=True))
        cancelled = asyncio.ensure_future(self._cancel_event.wait())
        waiters: set[asyncio.Future[Any]] = {done, cancelled}
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        cancelled.cancel()
        if not done.done():
            dropped = sum(f.cancel() for f in self._art_jobs)
            log.info("run cancelled: artwork of %d titles left for a later refresh", dropped)
        await asyncio.gather(done, return_exceptions=True)

    # --- the bulk claim -------------------------------------------------------------------

    async def _claim(self) -> bool:
        o = self.options
        claim = await self._repo.claim_bulk(
            o.trigger, o.complete_or_skip, self._total, owner_id(), time.time(), STALE_AFTER_S
        )
        if claim.run_id is None:
            holder = claim.holder
            assert holder is not None
            since = time.strftime("%Y-%m-%d %H:%M", time.localtime(holder.started_at))
            self._stop_with(
                f"another bulk run is in progress (run {holder.id}, {holder.owner}, started "
                f"{since}, {holder.counts.processed}/{holder.counts.total} done)"
            )
            return False
        if claim.taken_over is not None:
            log.warning("took over bulk run %d: %s", claim.taken_over.id, "its process stopped")
        self.run_id = claim.run_id
        return True

    def _counts(self) -> BulkCounts:
        r = self.report
        return BulkCounts(self._total, r.processed, r.updated, r.skipped, r.failed, r.partial,
                          r.needs_review)  # fmt: skip

    async def _heartbeat(self) -> None:
        assert self.run_id is not None
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            cancel = await self._repo.bulk_heartbeat(
                self.run_id, self._counts(), self._current, time.time()
            )
            if cancel:
                self.cancel("cancelled from another process")

    async def _finish(self) -> None:
        assert self.run_id is not None
        status = (
            "cancelled" if self._cancelled else "stopped" if self.report.stopped else "finished"
        )
        await asyncio.shield(
            self._repo.finish_bulk(
                self.run_id, status, self._counts(), self.report.stop_reason, time.time()
            )
        )

    # --- one title ----------------------------------------------------------------------------

    async def _job(self, enricher: Enricher, ref: Ref) -> None:
        if self._stop.is_set():
            return
        self._current = str(ref)
        publish = self._bus.publish

        def answered(provider: str, outcome: str, detail: str) -> None:
            publish(ProviderAnswered(ref, provider, outcome, detail))

        # each provider's answer for this title is published as it comes (live progress)
        with (
            request_context(manual=self.options.manual, force=self.options.force),
            answers_to(answered),
        ):
            await self._one(enricher, ref)
        r = self.report
        elapsed = time.monotonic() - self._started
        left = self._total - r.processed
        remaining = elapsed / r.processed * left if r.processed else None
        self._bus.publish(
            RunProgressed(r.processed, self._total, str(ref), elapsed, r.updated, r.skipped,
                          r.failed, remaining)
        )  # fmt: skip

    async def _one(self, enricher: Enricher, ref: Ref) -> None:
        report = self.report
        if ref in self._in_flight:
            report.skipped += 1
            return
        self._in_flight.add(ref)
        try:
            state = await self._repo.state(ref)
            report.processed += 1
            if not self.options.force and fresh(state, self._fresh_after):
                report.skipped += 1
                return
            self._bus.publish(EnrichmentStarted(ref, state.title))
            try:
                outcome = await enricher.enrich(state, self.options.trigger)
            except MatineeError as exc:
                outcome = Outcome("failed", error=str(exc))
            self._note_providers(outcome)
            if self.options.complete_or_skip and (outcome.failed or outcome.rate_limited):
                self._skip_incomplete(state, outcome)
                return
            await self._record(state, outcome)
            if outcome.fatal is not None:
                self._stop_with(str(outcome.fatal))
        finally:
            self._in_flight.discard(ref)

    def _note_providers(self, outcome: Outcome) -> None:
        report = self.report
        for error in outcome.auth_failed:
            if error.provider not in report.failed_providers:
                report.failed_providers[error.provider] = str(error)
                self._bus.publish(ProviderFailed(error.provider, str(error)))
        for pid in outcome.rate_limited:
            if pid not in report.rate_limited_providers:
                report.rate_limited_providers.append(pid)

    def _skip_incomplete(self, state: EntityState, outcome: Outcome) -> None:
        """Complete or skip: nothing is written, so the title stays where it is in the queue."""
        self.report.skipped += 1
        names = ", ".join(dict.fromkeys([*outcome.rate_limited, *outcome.failed]))
        self._bus.publish(
            EnrichmentFailed(state.ref, state.title, f"skipped, not complete: {names}")
        )
        self._incomplete.append(state.ref)
        spent = next(iter(outcome.exhausted.values()), None)
        refused = next(iter(outcome.auth_failed), None)
        if spent is not None:
            self._stop_with(spent)
            self._quota_stop = True
        elif refused is not None:
            self._stop_with(str(refused))

    async def _record(self, state: EntityState, outcome: Outcome) -> None:
        ref, report = state.ref, self.report
        if outcome.status == "review":
            assert outcome.review is not None
            candidates, confidence = outcome.review
            await self._repo.save_review(ref.id, candidates, confidence)
            report.needs_review += 1
            self._bus.publish(MatchNeedsReview(ref, state.title, confidence))
            return
        if outcome.status == "failed":
            report.failed += 1
            self._bus.publish(EnrichmentFailed(ref, state.title, outcome.error or "failed"))
            return
        await self._repo.write(outcome.writes)
        if self._artwork is not None and self._settings.assets.download:
            # artwork is chosen from the candidates the write just stored, as a job of its own
            # behind the metadata work, so a run fills every title's fields first
            priority = Priority.MANUAL if self.options.manual else Priority.ARTWORK
            pipeline, locks = self._artwork, state.locks
            self._art_jobs.append(
                self._jobs.submit(priority, partial(_artwork, pipeline, ref, locks))
            )
        if outcome.status == "updated":
            report.updated += 1
        if outcome.partial:
            report.partial += 1
        title = outcome.writes[0].title if outcome.writes else state.title
        self._bus.publish(
            EnrichmentFinished(
                ref, title, outcome.changed, outcome.completeness, outcome.partial,
                outcome.failed, outcome.rate_limited,
            )
        )  # fmt: skip


async def _artwork(pipeline: AssetPipeline, ref: Ref, locks: frozenset[str]) -> None:
    try:
        await pipeline.refresh(ref.id, locks)
        await pipeline.headshots(HEADSHOTS_PER_TITLE)
    except MatineeError as exc:
        log.warning("%s: artwork not refreshed: %s", ref, exc)


def fresh(state: EntityState, fresh_after: float) -> bool:
    """Enriched within the TTL, and completely: a partial title is never fresh."""
    return (
        state.last_enriched_at is not None
        and state.last_enriched_at >= fresh_after
        and not state.partial
    )
