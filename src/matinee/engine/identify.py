"""Identifying a title: which provider ids it has, from local ids, an IMDb lookup or a search.

An id we already hold (NFO, name tag, an earlier match) wins. An IMDb id is looked up with the
identifying providers (TMDB `/find`, TheTVDB `/search/remoteid`). Otherwise the cleaned title
and year are searched, the candidates scored, and the best applied only if its tier is applied
automatically; a `Decider` may choose otherwise, and what stays undecided goes to review.
Identifiers are tried in priority order; one that fails hands over to the next.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matinee.config import MatchSettings
from matinee.engine.decider import Decider
from matinee.enrich.match import score_candidates
from matinee.errors import ProviderError
from matinee.model import Candidate, EntityKind, Identification, Ids, Tier
from matinee.providers.base import Identifier, Provider, SearchQuery
from matinee.store.records import EntityState

__all__ = [
    "IDENTIFIED",
    "MANUAL",
    "REVIEW",
    "Identified",
    "candidate_dict",
    "identify",
    "search",
    "with_candidate",
]

IDENTIFIED, REVIEW, MANUAL = "identified", "review", "manual"

# Plex and Jellyfin tell same-name shows apart with a country tag ("The Office (US)"); the
# providers' titles do not carry it, so it is left out of the search and the comparison.
_COUNTRY_TAG = re.compile(r"\s*\((?:US|UK|GB|AU|NZ|CA|IE)\)\s*$", re.IGNORECASE)


def search_title(title: str) -> str:
    return _COUNTRY_TAG.sub("", title).strip() or title


def candidate_dict(c: Candidate) -> dict[str, Any]:
    data = dataclasses.asdict(c)
    data["kind"] = c.kind.value
    data["tier"] = c.tier.value
    return data


def with_candidate(ids: Ids, candidate: Candidate) -> Ids:
    """`ids` pointed at a candidate of the provider that found it."""
    if candidate.provider == "tvdb":
        return dataclasses.replace(ids, tvdb=int(candidate.id))
    return dataclasses.replace(ids, tmdb=int(candidate.id))


@dataclass(frozen=True, slots=True)
class Identified:
    """The ids to fetch with, or the candidates to review (`review` set, ids unchanged)."""

    ids: Ids
    identification: Identification
    review: tuple[list[dict[str, Any]], float | None] | None = None


def identifiers(providers: Mapping[str, Provider], kind: EntityKind) -> list[Identifier]:
    return [p for p in providers.values() if isinstance(p, Identifier) and kind in p.kinds]


def has_usable_id(kind: EntityKind, ids: Ids) -> bool:
    return ids.tmdb is not None or (kind is EntityKind.SERIES and ids.tvdb is not None)


async def identify(
    state: EntityState,
    providers: Mapping[str, Provider],
    match: MatchSettings,
    decider: Decider,
) -> Identified | None:
    """Identify `state`; None when no provider can (none configured for its kind).

    Raises:
        ProviderError: every identifier that was asked failed (the first failure).
    """
    ids, ident = state.ids, state.identification
    kind = EntityKind.SERIES if state.ref.kind is EntityKind.SERIES else EntityKind.MOVIE
    if has_usable_id(kind, ids):
        if ident.status in ("unidentified", REVIEW):
            ident = Identification(IDENTIFIED, 1.0, Tier.STRONG)
        return Identified(ids, ident)
    finders = identifiers(providers, kind)
    if not finders:
        return None
    if ids.imdb:
        found = await _first_answer(finders, lambda p: p.find_by_imdb(ids.imdb or ""))
        match_kind = [c for c in found if c.kind is kind]
        if match_kind:
            return Identified(
                with_candidate(ids, match_kind[0]), Identification(IDENTIFIED, 1.0, Tier.STRONG)
            )
    ranked = await search(finders, kind, state.title, state.year, match)
    best = ranked[0] if ranked else None
    auto = {Tier.STRONG} | ({Tier.MEDIUM} if match.auto_apply == "medium" else set())
    chosen: Candidate | None = best if best and best.tier in auto else None
    if chosen is None and ranked:
        chosen = await decider.choose(state.ref, state.title, state.year, ranked)
    if chosen is None:
        review = ([candidate_dict(c) for c in ranked[:10]], best.score if best else None)
        return Identified(ids, ident, review)
    status = IDENTIFIED if chosen is best and best.tier in auto else MANUAL
    return Identified(
        with_candidate(ids, chosen), Identification(status, chosen.score, chosen.tier)
    )


async def search(
    finders: Sequence[Identifier],
    kind: EntityKind,
    title: str,
    year: int | None,
    match: MatchSettings,
) -> list[Candidate]:
    """Search `title` and `year` with the first identifier that answers; the candidates scored
    and explained (`enrich.match`), best first.

    Raises:
        ValueError: the title is not a cleaned title (a path or a file name: `SearchQuery`).
        ProviderError: every identifier failed (the first failure).
    """
    query = SearchQuery(kind, search_title(title), year)
    found = await _first_answer(finders, lambda p: p.search(query))
    return score_candidates(
        query.title, query.year, found, strong=match.strong, medium=match.medium
    )


async def _first_answer(finders: Sequence[Identifier], ask: Any) -> list[Candidate]:
    """The first identifier's answer that does not fail; candidates from one provider only."""
    first: ProviderError | None = None
    answered = False
    for finder in finders:
        try:
            found: list[Candidate] = await ask(finder)
        except ProviderError as exc:
            first = first or exc
            continue
        if found:
            return found
        answered = True
    if first is not None and not answered:
        raise first
    return []
