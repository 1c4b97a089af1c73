"""Asking every provider that can serve a title, in parallel rounds, and collecting answers.

A provider can fetch once it has the id it needs (TMDB its own id, OMDb an IMDb id, Fanart.tv
a TMDB or TheTVDB id), and one answer often brings the ids another needs. So providers are
asked in rounds: every provider that can fetch with the ids known so far goes at once; their
ids are added; the next round asks the ones that could not before. A final round offers the
remaining ones the cleaned title as a hint (OMDb's `?t=&y=` fallback). Failures are sorted:
rate-limited or out of quota, failed (named with a one-line reason), or simply "has nothing".

Each provider's answer for the title is also told, once, to the listener installed with
`answers_to` (the engine publishes it as `ProviderAnswered`, for live progress per provider):
ok, not found, failed, rate limited, or skipped when it never had the id it needs. A context
variable carries the listener, so the enrichment code in between needs no parameter for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from matinee.errors import (
    AuthFailed,
    NotFound,
    ProviderError,
    QuotaExhausted,
    RateLimited,
)
from matinee.model import EntityKind, Ids, is_empty
from matinee.providers.base import (
    EpisodeRecord,
    Provider,
    ProviderRecord,
    SearchQuery,
    SeasonSource,
)
from matinee.providers.context import current_context

__all__ = [
    "FAILED",
    "NOT_FOUND",
    "OK",
    "RATE_LIMITED",
    "SKIPPED",
    "AnswerListener",
    "Gathered",
    "answers_to",
    "gather_records",
]

# How a provider answered for a title (`ProviderAnswered.outcome`).
OK = "ok"
NOT_FOUND = "not_found"
FAILED = "failed"  # an error, or a stale cached answer given because it could not be reached
RATE_LIMITED = "rate_limited"  # or out of quota
SKIPPED = "skipped"  # it never had an id (or a title hint) it can look the title up with

AnswerListener = Callable[[str, str, str], None]
"""Called with (provider id, outcome, one-line detail) once per provider per title."""

_LISTENER: ContextVar[AnswerListener | None] = ContextVar("matinee_answers", default=None)


@contextmanager
def answers_to(listener: AnswerListener) -> Iterator[None]:
    """Tell `listener` how each provider answered, for the fetches made inside the block."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


def _tell(pid: str, outcome: str, detail: str = "") -> None:
    listener = _LISTENER.get()
    if listener is not None:
        listener(pid, outcome, detail)


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
            _tell(pid, *_outcome(pid, answer))
    for pid in pending:
        _tell(pid, SKIPPED, "no id or title it can look this up with")
    if kind is EntityKind.SERIES and seasons:
        await _episodes(providers, out, seasons)
    return out


def _outcome(pid: str, answer: ProviderRecord | ProviderError) -> tuple[str, str]:
    if isinstance(answer, NotFound):
        return NOT_FOUND, str(answer)
    if isinstance(answer, RateLimited | QuotaExhausted):
        return RATE_LIMITED, str(answer)
    if isinstance(answer, ProviderError):
        return FAILED, str(answer)
    if pid in current_context().stale:
        return FAILED, "unreachable or offline: answered from an expired cache entry"
    filled = sum(not is_empty(value) for value in answer.fields.values())
    return OK, f"{filled} fields"


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
