"""Asking every provider that can serve a title, in parallel rounds, and collecting answers.

A provider can fetch once it has the id it needs (TMDB its own id, OMDb an IMDb id, Fanart.tv
a TMDB or TheTVDB id), and one answer often brings the ids another needs. So providers are
asked in rounds: every provider that can fetch with the ids known so far goes at once; their
ids are added; the next round asks the ones that could not before. A final round offers the
remaining ones the cleaned title as a hint (OMDb's `?t=&y=` fallback). Failures are sorted:
rate-limited or out of quota, failed (named with a one-line reason), or simply "has nothing".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from matinee.errors import (
    AuthFailed,
    NotFound,
    ProviderError,
    QuotaExhausted,
    RateLimited,
)
from matinee.model import EntityKind, Ids
from matinee.providers.base import (
    EpisodeRecord,
    Provider,
    ProviderRecord,
    SearchQuery,
    SeasonSource,
)

__all__ = ["Gathered", "gather_records"]


@dataclass
class Gathered:
    """What the providers said about one title."""

    ids: Ids
    records: dict[str, ProviderRecord] = field(default_factory=dict)
    episodes: dict[tuple[int, int], dict[str, EpisodeRecord]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # provider -> one-line reason
    limited: list[str] = field(default_factory=list)  # rate-limited or out of quota
    exhausted: dict[str, str] = field(default_factory=dict)  # out of quota: provider -> why
    not_found: dict[str, str] = field(default_factory=dict)
    auth_failed: dict[str, AuthFailed] = field(default_factory=dict)

    def note(self, pid: str, error: ProviderError) -> None:
        if isinstance(error, NotFound):
            self.not_found[pid] = str(error)
            return
        self.failed[pid] = str(error)
        if isinstance(error, RateLimited | QuotaExhausted):
            self.limited.append(pid)
        if isinstance(error, QuotaExhausted):
            self.exhausted[pid] = str(error)
        if isinstance(error, AuthFailed):
            self.auth_failed[pid] = error


async def gather_records(
    providers: Mapping[str, Provider],
    kind: EntityKind,
    ids: Ids,
    hint: Callable[[Mapping[str, ProviderRecord]], SearchQuery | None],
    *,
    seasons: Collection[int] = (),
) -> Gathered:
    """Fetch from every provider that can serve `kind`, then (for a series) the `seasons`.

    Args:
        providers: the usable providers, by id, in priority order.
        ids: the ids known so far.
        hint: builds the title hint for the last round from the records fetched so far.
        seasons: season numbers whose episodes to fetch (the seasons on disk).
    """
    out = Gathered(ids=ids)
    pending = {pid: p for pid, p in providers.items() if kind in p.kinds}
    offered_hint = False
    while pending:
        query: SearchQuery | None = None
        ready = [pid for pid, p in pending.items() if p.can_fetch(kind, out.ids)]
        if not ready:
            if offered_hint or (query := hint(out.records)) is None:
                break
            offered_hint = True
            ready = [pid for pid, p in pending.items() if p.can_fetch(kind, out.ids, query)]
            if not ready:
                break
        answers = await asyncio.gather(
            *(_fetch(pending[pid], kind, out.ids, query) for pid in ready)
        )
        for pid, answer in zip(ready, answers, strict=True):
            del pending[pid]
            if isinstance(answer, ProviderError):
                out.note(pid, answer)
            else:
                out.records[pid] = answer
                out.ids = out.ids.fill(answer.ids)
    if kind is EntityKind.SERIES and seasons:
        await _episodes(providers, out, seasons)
    return out


async def _fetch(
    provider: Provider, kind: EntityKind, ids: Ids, hint: SearchQuery | None
) -> ProviderRecord | ProviderError:
    try:
        return await provider.fetch(kind, ids, hint)
    except ProviderError as exc:
        return exc


async def _episodes(
    providers: Mapping[str, Provider], out: Gathered, seasons: Collection[int]
) -> None:
    """Each season on disk from each provider that answered for the series and lists seasons."""
    jobs: list[tuple[str, int]] = []
    for pid, record in out.records.items():
        provider = providers[pid]
        if not isinstance(provider, SeasonSource):
            continue
        known = set(record.seasons)
        jobs += [(pid, n) for n in sorted(seasons) if not known or n in known]
    if not jobs:
        return
    answers = await asyncio.gather(*(_season(providers[pid], out.ids, n) for pid, n in jobs))
    for (pid, _), answer in zip(jobs, answers, strict=True):
        if isinstance(answer, ProviderError):
            if not isinstance(answer, NotFound):
                out.note(pid, answer)
            continue
        for episode in answer:
            out.episodes.setdefault((episode.season, episode.episode), {})[pid] = episode


async def _season(provider: Provider, ids: Ids, number: int) -> list[EpisodeRecord] | ProviderError:
    assert isinstance(provider, SeasonSource)
    try:
        return await provider.fetch_season(ids, number)
    except ProviderError as exc:
        return exc
