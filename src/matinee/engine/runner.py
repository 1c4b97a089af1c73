"""One enrichment run: workers over a list of titles, each enriched once, results recorded.

`Engine.enrich` decides which titles (named ones, or the staleness queue) and hands them to an
`EnrichRun`, which runs a few workers, skips titles that are fresh or already being enriched,
writes each outcome, keeps the counts of the `EnrichReport` and speaks only in events.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

from matinee.config import Settings
from matinee.engine.bus import EventBus
from matinee.engine.decider import Decider
from matinee.engine.enrichment import Enricher, Outcome
from matinee.engine.events import (
    EnrichmentFailed,
    EnrichmentFinished,
    EnrichmentStarted,
    MatchNeedsReview,
    ProviderFailed,
    RunProgressed,
)
from matinee.engine.reports import EnrichReport
from matinee.errors import MatineeError
from matinee.model import Ref
from matinee.providers.base import Provider
from matinee.providers.context import request_context
from matinee.store.records import EntityState
from matinee.store.repo import Repository

__all__ = ["WORKERS", "EnrichRun"]

WORKERS = 4


class EnrichRun:
    """Enriches `targets` with a few workers; `in_flight` is shared by every run of an engine
    so one title is never enriched twice at once."""

    def __init__(
        self,
        settings: Settings,
        repo: Repository,
        bus: EventBus,
        providers: Mapping[str, Provider],
        decider: Decider,
        in_flight: set[Ref],
        fresh_after: float,
    ) -> None:
        self._settings = settings
        self._repo = repo
        self._bus = bus
        self._providers = providers
        self._decider = decider
        self._in_flight = in_flight
        self._fresh_after = fresh_after

    async def run(
        self,
        targets: list[Ref],
        force: bool,
        manual: bool,
        trigger: str,
        report: EnrichReport,
        started: float,
    ) -> None:
        enricher = Enricher(self._settings, self._providers, self._decider)
        pending: asyncio.Queue[Ref] = asyncio.Queue()
        for ref in targets:
            pending.put_nowait(ref)
        stop = asyncio.Event()

        async def worker() -> None:
            while not stop.is_set():
                try:
                    ref = pending.get_nowait()
                except asyncio.QueueEmpty:
                    return
                with request_context(manual=manual, force=force):
                    await self._one(enricher, ref, force, trigger, report, stop)
                self._bus.publish(
                    RunProgressed(
                        report.processed, len(targets), str(ref), time.monotonic() - started
                    )
                )

        await asyncio.gather(*(worker() for _ in range(min(WORKERS, len(targets)) or 1)))

    async def _one(
        self,
        enricher: Enricher,
        ref: Ref,
        force: bool,
        trigger: str,
        report: EnrichReport,
        stop: asyncio.Event,
    ) -> None:
        if ref in self._in_flight:
            report.skipped += 1
            return
        self._in_flight.add(ref)
        try:
            state = await self._repo.state(ref)
            report.processed += 1
            if not force and fresh(state, self._fresh_after):
                report.skipped += 1
                return
            self._bus.publish(EnrichmentStarted(ref, state.title))
            try:
                outcome = await enricher.enrich(state, trigger)
            except MatineeError as exc:
                outcome = Outcome("failed", error=str(exc))
            await self._record(state, outcome, report)
            if outcome.fatal is not None:
                report.stopped, report.stop_reason = True, str(outcome.fatal)
                stop.set()
        finally:
            self._in_flight.discard(ref)

    async def _record(self, state: EntityState, outcome: Outcome, report: EnrichReport) -> None:
        ref = state.ref
        for error in outcome.auth_failed:
            if error.provider not in report.failed_providers:
                report.failed_providers[error.provider] = str(error)
                self._bus.publish(ProviderFailed(error.provider, str(error)))
        for pid in outcome.rate_limited:
            if pid not in report.rate_limited_providers:
                report.rate_limited_providers.append(pid)
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


def fresh(state: EntityState, fresh_after: float) -> bool:
    return state.last_enriched_at is not None and state.last_enriched_at >= fresh_after
