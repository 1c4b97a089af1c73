"""Enriching one title: identify it, ask the providers, merge by authority, write once.

The pipeline for one movie or series:
  1. identify: an id we already have (NFO, name tag, an earlier match) wins; an IMDb id goes
     through TMDB `/find`; otherwise search with the cleaned title and year, score, and apply the
     best candidate only if its tier is auto-applied (a `Decider` may choose otherwise);
  2. fetch every provider that can serve it (a series also fetches the seasons it has on disk);
  3. aggregate by field authority and merge into what we have ("fill gaps, don't erase");
  4. write the fields, their sources, the change log and completeness in one transaction.
A provider that fails is named on the entity (partial) and the others go on.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matinee.config import Settings
from matinee.engine.decider import Decider
from matinee.enrich.authority import DEFAULT_AUTHORITY, Authority
from matinee.enrich.completeness import measure
from matinee.enrich.match import score_candidates
from matinee.enrich.merge import MergeResult, aggregate, merge
from matinee.errors import AuthFailed, NotFound, ProviderError, RateLimited
from matinee.model import Candidate, EntityKind, Identification, Ids, Tier
from matinee.providers.base import EpisodeRecord, Provider, ProviderRecord, SearchQuery
from matinee.store.library_ops import sort_key
from matinee.store.records import EntityState, EntityWrite, LogEntry

__all__ = ["Enricher", "Outcome"]

IDENTIFIED, REVIEW, MANUAL = "identified", "review", "manual"

# Plex and Jellyfin tell same-name shows apart with a country tag ("The Office (US)"); the
# providers' titles do not carry it, so it is left out of the search and the comparison.
_COUNTRY_TAG = re.compile(r"\s*\((?:US|UK|GB|AU|NZ|CA|IE)\)\s*$", re.IGNORECASE)


def search_title(title: str) -> str:
    return _COUNTRY_TAG.sub("", title).strip() or title


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


def candidate_dict(c: Candidate) -> dict[str, Any]:
    data = dataclasses.asdict(c)
    data["kind"] = c.kind.value
    data["tier"] = c.tier.value
    return data


class Enricher:
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

    @property
    def _primary(self) -> Provider | None:
        return self._providers.get("tmdb")

    async def identify(self, state: EntityState) -> tuple[Ids, Identification, Outcome | None]:
        """The ids to fetch with, or an outcome that ends the run for this title."""
        ids, ident = state.ids, state.identification
        tmdb = self._primary
        if ids.tmdb:
            if ident.status in ("unidentified", REVIEW):
                ident = Identification(IDENTIFIED, 1.0, Tier.STRONG)
            return ids, ident, None
        if tmdb is None:
            return ids, ident, Outcome("failed", error="no provider can identify this title")
        kind = EntityKind.SERIES if state.ref.kind is EntityKind.SERIES else EntityKind.MOVIE
        if ids.imdb:
            found = [c for c in await tmdb.find_by_imdb(ids.imdb) if c.kind is kind]
            if found:
                return (
                    dataclasses.replace(ids, tmdb=int(found[0].id)),
                    Identification(IDENTIFIED, 1.0, Tier.STRONG),
                    None,
                )
        query = SearchQuery(kind, search_title(state.title), state.year)
        m = self._settings.match
        ranked = score_candidates(
            query.title, query.year, await tmdb.search(query), strong=m.strong, medium=m.medium
        )
        best = ranked[0] if ranked else None
        auto = {Tier.STRONG} | ({Tier.MEDIUM} if m.auto_apply == "medium" else set())
        chosen: Candidate | None = best if best and best.tier in auto else None
        if chosen is None and ranked:
            chosen = await self._decider.choose(state.ref, state.title, state.year, ranked)
        if chosen is None:
            review = ([candidate_dict(c) for c in ranked[:10]], best.score if best else None)
            return ids, ident, Outcome("review", review=review)
        status = IDENTIFIED if chosen is best and best.tier in auto else MANUAL
        return (
            dataclasses.replace(ids, tmdb=int(chosen.id)),
            Identification(status, chosen.score, chosen.tier),
            None,
        )

    async def enrich(self, state: EntityState, mode: str) -> Outcome:
        started = time.monotonic()
        try:
            ids, ident, early = await self.identify(state)
        except AuthFailed as exc:
            return Outcome("failed", failed=(exc.provider,), error=str(exc), fatal=exc)
        except ProviderError as exc:
            rl = (exc.provider,) if isinstance(exc, RateLimited) else ()
            return Outcome("failed", failed=(exc.provider,), rate_limited=rl, error=str(exc))
        if early is not None:
            return early
        kind = state.ref.kind
        records: dict[str, ProviderRecord] = {}
        episodes: dict[tuple[int, int], EpisodeRecord] = {}
        failed: list[str] = []
        limited: list[str] = []
        fatal: ProviderError | None = None
        for pid, provider in self._providers.items():
            if kind not in provider.kinds:
                continue
            try:
                if pid == "tmdb" and ids.tmdb:
                    record = await provider.fetch(kind, str(ids.tmdb))
                    records[pid] = record
                    if kind is EntityKind.SERIES:
                        episodes.update(await self._seasons(provider, record, state))
            except NotFound as exc:
                failed.append(pid)
                error = f"{exc} (id {ids.tmdb})"
                return Outcome("failed", failed=(pid,), error=error)
            except ProviderError as exc:
                failed.append(pid)
                if isinstance(exc, RateLimited):
                    limited.append(pid)
                if isinstance(exc, AuthFailed):
                    fatal = exc
        if not records:
            return Outcome(
                "failed",
                failed=tuple(failed),
                rate_limited=tuple(limited),
                error=f"no provider answered ({', '.join(failed) or 'none configured'})",
                fatal=fatal,
            )
        duration = time.monotonic() - started
        return self._outcome(state, ids, ident, records, episodes, failed, limited, mode, duration)

    async def _seasons(
        self, provider: Provider, record: ProviderRecord, state: EntityState
    ) -> dict[tuple[int, int], EpisodeRecord]:
        wanted = sorted({c.season_number for c in state.children if c.season_number is not None})
        out: dict[tuple[int, int], EpisodeRecord] = {}
        available = set(record.seasons)
        for season in wanted:
            if available and season not in available:
                continue
            for ep in await provider.fetch_season(str(record.ids.tmdb), season):
                out[(ep.season, ep.episode)] = ep
        return out

    def _outcome(
        self,
        state: EntityState,
        ids: Ids,
        ident: Identification,
        records: Mapping[str, ProviderRecord],
        episodes: Mapping[tuple[int, int], EpisodeRecord],
        failed: list[str],
        limited: list[str],
        mode: str,
        duration: float,
    ) -> Outcome:
        now = time.time()
        answers = {pid: r.fields for pid, r in records.items()}
        for r in records.values():
            ids = ids.fill(r.ids)
        result = merge(
            state.fields,
            state.sources,
            state.locks,
            aggregate(answers, self._authority),
            self._authority,
        )
        partial = bool(failed)
        write = self._write(
            state, result, ids, ident, mode, now, duration, failed, limited, partial
        )
        writes = [write]
        changed = {c.field for c in result.changes}
        for child in state.children:
            ep = episodes.get((child.season_number or 0, child.episode_number or 0))
            if ep is None:
                continue
            child_result = merge(
                child.fields,
                child.sources,
                child.locks,
                aggregate({"tmdb": ep.fields}, self._authority),
                self._authority,
            )
            child_ids = ep.ids.fill(child.ids)
            writes.append(
                self._write(
                    child,
                    child_result,
                    child_ids,
                    Identification(IDENTIFIED, 1.0, Tier.STRONG),
                    mode,
                    now,
                    duration,
                    failed,
                    limited,
                    partial,
                )
            )
        return Outcome(
            status="updated" if any(w.log and w.log.changes for w in writes) else "unchanged",
            changed=tuple(sorted(changed)),
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
            providers_ok=tuple(p for p in self._providers if p not in failed),
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
