"""Enriching one title: identify it, ask the providers, merge by authority, write once.

The pipeline for one movie or series:
  1. identify (`identify.py`): the ids to fetch with, or candidates for review;
  2. fetch (`fetching.py`): every provider that can serve it, in parallel rounds (a series also
     fetches the episodes of the seasons it has on disk);
  3. aggregate by field authority and merge into what we have ("fill gaps, don't erase");
  4. describe the writes: fields, their sources, the change log and completeness.
A series' episodes are merged the same way, each matched to the providers' episodes by (season,
episode); the providers' episodes that the disk lacks, in seasons it has, become rows marked
not on disk (`_episode_answers`). Its season rows (made by a scan, for a season with a file)
are merged the same way from the seasons each provider lists on the series record
(`_season_answers`); a season without a row gets none. All of it is written in one unit.
A provider that fails, is rate-limited, out of quota or answered from a stale cache is named on
the entity (partial) and the others go on. A provider whose key is refused is left out for the
rest of the run (`disabled`); the run stops only when no provider is left to identify titles.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from matinee.config import Settings
from matinee.engine.decider import Decider
from matinee.engine.fetching import Gathered, gather_records
from matinee.engine.identify import IDENTIFIED, Identified, identifiers, identify, search_title
from matinee.enrich.authority import DEFAULT_AUTHORITY, Authority
from matinee.enrich.completeness import measure
from matinee.enrich.merge import MergeResult, aggregate, merge
from matinee.errors import AuthFailed, ProviderError, QuotaExhausted, RateLimited
from matinee.model import FIELD_BY_NAME, EntityKind, Identification, Ids, Ref, Tier
from matinee.providers.base import (
    EpisodeRecord,
    Provider,
    ProviderRecord,
    SearchQuery,
    SeasonRecord,
)
from matinee.providers.context import current_context
from matinee.store.assets import candidate_from_artwork
from matinee.store.library_ops import sort_key
from matinee.store.people import top_credits
from matinee.store.records import EntityState, EntityWrite, LogEntry, NewEpisode

__all__ = ["Enricher", "Outcome"]


@dataclass(slots=True)
class Outcome:
    """What happened to one title."""

    status: str  # updated, unchanged, review, failed, skipped
    changed: tuple[str, ...] = ()
    completeness: float = 0.0
    partial: bool = False
    rate_limited: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    error: str | None = None
    writes: tuple[EntityWrite, ...] = ()
    review: tuple[list[dict[str, Any]], float | None] | None = None
    fatal: ProviderError | None = None
    auth_failed: tuple[AuthFailed, ...] = ()
    exhausted: dict[str, str] = field(default_factory=dict)  # out of quota: provider -> why


class Enricher:
    """Enriches titles with one set of providers; shared by the workers of one run.

    Attributes:
        disabled: providers whose key was refused during this run, by id, with the error.
    """

    def __init__(
        self,
        settings: Settings,
        providers: Mapping[str, Provider],
        decider: Decider,
        authority: Authority = DEFAULT_AUTHORITY,
    ) -> None:
        self._settings = settings
        self._providers = providers
        self._decider = decider
        self._authority = authority
        self.disabled: dict[str, AuthFailed] = {}

    @property
    def active(self) -> dict[str, Provider]:
        return {pid: p for pid, p in self._providers.items() if pid not in self.disabled}

    def _disable(self, errors: Mapping[str, AuthFailed]) -> ProviderError | None:
        """Leave providers with a refused key out; the error that stops the run, if any."""
        self.disabled.update(errors)
        if errors and not any(identifiers(self.active, k) for k in _IDENTIFIABLE):
            return next(iter(errors.values()))
        return None

    async def enrich(self, state: EntityState, mode: str) -> Outcome:
        started = time.monotonic()
        providers = self.active
        skipped = tuple(self.disabled)
        try:
            found = await identify(state, providers, self._settings.match, self._decider)
        except ProviderError as exc:
            auth: tuple[AuthFailed, ...] = (exc,) if isinstance(exc, AuthFailed) else ()
            fatal = self._disable({exc.provider: exc}) if isinstance(exc, AuthFailed) else None
            limited = (exc.provider,) if isinstance(exc, RateLimited | QuotaExhausted) else ()
            spent = {exc.provider: str(exc)} if isinstance(exc, QuotaExhausted) else {}
            return Outcome(
                "failed",
                exhausted=spent, failed=(exc.provider,), rate_limited=limited, error=str(exc),
                fatal=fatal, auth_failed=auth,
            )  # fmt: skip
        if found is None:
            why = "; ".join(str(e) for e in self.disabled.values())
            error = "no provider can identify this title" + (f" ({why})" if why else "")
            return Outcome("failed", failed=skipped, error=error)
        if found.review is not None:
            return Outcome("review", review=found.review)
        kind = state.ref.kind
        seasons = {c.season_number for c in state.children if c.season_number is not None}
        gathered = await gather_records(
            providers,
            kind,
            found.ids,
            lambda records: _hint(kind, state, records),
            seasons=seasons,
        )
        fatal = self._disable(gathered.auth_failed)
        auth = tuple(gathered.auth_failed.values())
        if not gathered.records:
            reasons = {**gathered.not_found, **gathered.failed}
            return Outcome(
                "failed",
                exhausted=dict(gathered.exhausted),
                failed=tuple(gathered.failed),
                rate_limited=tuple(gathered.limited),
                error="; ".join(reasons.values()) or "no provider could fetch this title",
                fatal=fatal,
                auth_failed=auth,
            )
        stale = current_context().stale
        failed = [*gathered.failed, *(p for p in stale if p not in gathered.failed), *skipped]
        duration = time.monotonic() - started
        outcome = self._outcome(state, found, gathered, failed, mode, duration)
        outcome.fatal, outcome.auth_failed = fatal, auth
        outcome.exhausted = dict(gathered.exhausted)
        return outcome

    def _outcome(
        self,
        state: EntityState,
        found: Identified,
        gathered: Gathered,
        failed: list[str],
        mode: str,
        duration: float,
    ) -> Outcome:
        now = time.time()
        limited = gathered.limited
        answers = {pid: r.fields for pid, r in gathered.records.items()}
        result = merge(
            state.fields, state.sources, state.locks, aggregate(answers, self._authority),
            self._authority,
        )  # fmt: skip
        partial = bool(failed)
        ok = tuple(gathered.records)
        common = (mode, now, duration, ok, failed, limited, partial)
        write = self._write(state, result, gathered.ids, found.identification, *common)
        write = replace(
            write,
            **_art_and_credits(state.ref.id, gathered.records, self._settings.assets.cast_limit),
        )
        writes = [write]
        ident = Identification(IDENTIFIED, 1.0, Tier.STRONG)
        for child, eps in _child_answers(state, gathered):
            kind = child.ref.kind
            answers = {pid: _own_fields(kind, ep.fields) for pid, ep in eps.items()}
            child_result = merge(
                child.fields, child.sources, child.locks,
                aggregate(answers, self._authority), self._authority,
            )  # fmt: skip
            child_ids = child.ids
            for ep in eps.values():
                child_ids = child_ids.fill(ep.ids)
            child_write = self._write(child, child_result, child_ids, ident, *common)
            if child.ref.id == _NEW:
                number = (child.season_number or 0, child.episode_number or 0)
                child_write = replace(child_write, create=NewEpisode(state.ref.id, *number))
            writes.append(child_write)
        return Outcome(
            status="updated" if any(w.log and w.log.changes for w in writes) else "unchanged",
            changed=tuple(sorted({c.field for c in result.changes})),
            completeness=write.completeness,
            partial=partial,
            rate_limited=tuple(limited),
            failed=tuple(failed),
            writes=tuple(writes),
        )

    def _write(
        self,
        state: EntityState,
        result: MergeResult,
        ids: Ids,
        ident: Identification,
        mode: str,
        now: float,
        duration: float,
        ok: tuple[str, ...],
        failed: list[str],
        limited: list[str],
        partial: bool,
    ) -> EntityWrite:
        kind = state.ref.kind
        fields = result.fields
        for name, value in (("tmdb_id", ids.tmdb), ("imdb_id", ids.imdb), ("tvdb_id", ids.tvdb)):
            if value and name not in state.locks and not fields.get(name):
                fields[name] = value
        completeness, _ = measure(kind, fields, self._settings.completeness.expected_fields)
        title = str(fields.get("title") or state.title)
        year = fields.get("year") if isinstance(fields.get("year"), int) else state.year
        log = LogEntry(
            mode=mode,
            providers_ok=ok,
            providers_rate_limited=tuple(limited),
            providers_failed=tuple(failed),
            changes=tuple(c.as_dict() for c in result.changes),
            completeness_before=state.completeness,
            completeness_after=completeness,
            duration=duration,
            visible_change=result.visible_change,
        )
        return EntityWrite(
            entity_id=state.ref.id,
            fields=fields,
            sources=result.sources,
            fetched_at=now,
            ids=ids,
            identification=ident,
            completeness=completeness,
            title=title,
            year=year,
            sort_title=sort_key(title),
            candidates=None,
            duration=duration,
            partial=partial,
            rate_limited=tuple(limited),
            failed=tuple(failed),
            log=log,
        )


_IDENTIFIABLE = (EntityKind.MOVIE, EntityKind.SERIES)

_NEW = 0
"""The id of an episode state that has no row yet (its write carries `create`)."""


def _art_and_credits(
    entity_id: int, records: Mapping[str, ProviderRecord], cast_limit: int
) -> dict[str, Any]:
    """The title's artwork candidates and credits by provider (season art included); a
    provider that offered none is left out, so what it offered before is kept."""
    art = {pid: tuple(candidate_from_artwork(entity_id, a) for a in r.artwork)
           for pid, r in records.items() if r.artwork}  # fmt: skip
    cast = {pid: top_credits(r.credits, cast_limit) for pid, r in records.items() if r.credits}
    return {"artwork": art, "credits": cast}


def _child_answers(
    state: EntityState, gathered: Gathered
) -> Iterator[tuple[EntityState, Mapping[str, EpisodeRecord | SeasonRecord]]]:
    """A series' season rows, then its episodes, each with what the providers said of it."""
    yield from _season_answers(state, gathered)
    yield from _episode_answers(state, gathered)


def _season_answers(
    state: EntityState, gathered: Gathered
) -> Iterator[tuple[EntityState, dict[str, SeasonRecord]]]:
    """Each season row with the providers' records of that season number (series records).

    Only the rows that exist are answered (a scan makes one for a season with a file); a
    season no provider lists keeps what it has, its scan title ("Specials", "Season 2") too.
    """
    for season in state.seasons:
        if season.season_number is None:
            continue
        answers = {
            pid: found
            for pid, record in gathered.records.items()
            for found in record.season_records
            if found.season == season.season_number
        }
        if answers:
            yield season, answers


def _own_fields(kind: EntityKind, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields an entity of `kind` has in the registry (others are left out of the merge)."""
    return {
        k: v for k, v in fields.items() if k in FIELD_BY_NAME and kind in FIELD_BY_NAME[k].kinds
    }


def _episode_answers(
    state: EntityState, gathered: Gathered
) -> Iterator[tuple[EntityState, dict[str, EpisodeRecord]]]:
    """Each episode with what the providers said about it, matched by (season, episode).

    The series' episode rows come first (a multi-episode file has one row per number, so each
    gets its own episode's data; specials are season 0). Then the providers' episodes that
    have no row, in the seasons that have a file on disk: rows are made for them, not on disk,
    so the library shows what is missing. A whole season without a file gets none, nor does
    an episode that has not aired yet, nor a season holding a file without an episode number
    (dated or absolute numbering: which numbers it covers is unknown).
    """
    have: set[tuple[int, int]] = set()
    owned: set[int] = set()
    unnumbered: set[int] = set()
    for child in state.children:
        season, number = child.season_number, child.episode_number
        if season is None:
            continue
        on_disk = any(not f.missing for f in child.files)
        if number is None:
            if on_disk:
                unnumbered.add(season)
            continue
        have.add((season, number))
        if on_disk:
            owned.add(season)
        if eps := gathered.episodes.get((season, number)):
            yield child, eps
    today = date.today().isoformat()
    for key in sorted(gathered.episodes):
        season, number = key
        if key in have or season not in owned or season in unnumbered:
            continue
        eps = gathered.episodes[key]
        if _unaired(eps.values(), today):
            continue
        yield _missing_episode(season, number), eps


def _unaired(eps: Iterable[EpisodeRecord], today: str) -> bool:
    """True when every provider that dates the episode dates it after today."""
    dates = [d for ep in eps if isinstance(d := ep.fields.get("release_date"), str) and d]
    return bool(dates) and all(d > today for d in dates)


def _missing_episode(season: int, number: int) -> EntityState:
    """The empty state of a provider's episode that has no row yet."""
    return EntityState(
        ref=Ref(EntityKind.EPISODE, _NEW),
        title=f"Episode {number}",
        year=None,
        ids=Ids(),
        identification=Identification(IDENTIFIED, 1.0, Tier.STRONG),
        fields={},
        sources={},
        locks=frozenset(),
        completeness=0.0,
        last_enriched_at=None,
        season_number=season,
        episode_number=number,
    )


def _hint(
    kind: EntityKind, state: EntityState, records: Mapping[str, ProviderRecord]
) -> SearchQuery | None:
    """The title hint for providers that can look a title up by name (OMDb `?t=&y=`).

    The title a provider already gave is better than the one parsed from the file name.
    """
    if kind not in _IDENTIFIABLE:
        return None
    for record in records.values():
        title, year = record.fields.get("title"), record.fields.get("year")
        if isinstance(title, str) and title:
            try:
                return SearchQuery(kind, title, year if isinstance(year, int) else None)
            except ValueError:
                continue
    try:
        return SearchQuery(kind, search_title(state.title), state.year)
    except ValueError:
        return None
