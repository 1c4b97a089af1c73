"""The verbs of a person's decisions: identify a title (by id, a review candidate or a searched
one), search the identifiers again, lock, unlock and set fields.

`Engine` delegates to `Decisions`; these verbs need the engine itself (to enrich a title again
and show it) and its providers (to search), so they get both. Settings are read when a verb
runs, so `Engine.apply_settings` applies to the next call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from matinee.engine.events import EntityChanged
from matinee.engine.identify import identifiers, search, with_candidate
from matinee.engine.provider_verbs import ProviderVerbs
from matinee.engine.user_edits import coerce_value, locked_write, reidentified_write
from matinee.errors import UsageError
from matinee.model import (
    FIELD_BY_NAME,
    Candidate,
    EntityDetail,
    EntityKind,
    Identification,
    Ids,
    Ref,
    Tier,
)

if TYPE_CHECKING:
    from matinee.engine.core import Engine

__all__ = ["Decisions"]

_TITLES = (EntityKind.MOVIE, EntityKind.SERIES)


class Decisions:
    def __init__(self, engine: Engine, providers: ProviderVerbs) -> None:
        self._engine = engine
        self._providers = providers

    async def identify(
        self,
        ref: Ref,
        *,
        tmdb: int | None = None,
        imdb: str | None = None,
        candidate: int | None = None,
        chosen: Candidate | None = None,
    ) -> EntityDetail:
        """Pin `ref` to ids, a review candidate (`candidate`, from 1) or a searched one
        (`chosen`, from `search_candidates`), then enrich it again."""
        engine = self._engine
        if ref.kind not in _TITLES:
            raise UsageError(f"{ref}: only movies and series are identified")
        state = await engine.repo.state(ref)
        if candidate is not None:
            items = {item.ref: item for item in await engine.review()}
            cands = items[ref].candidates if ref in items else ()
            if not 1 <= candidate <= len(cands):
                raise UsageError(f"{ref} has no candidate {candidate} (it has {len(cands)})")
            chosen = cands[candidate - 1]
        if chosen is not None:
            if chosen.kind is not ref.kind:
                raise UsageError(f"{ref}: that candidate is a {chosen.kind.value}")
            # another title: an id of the old match (its IMDb id too) would fetch the old one
            ids = with_candidate(Ids(), chosen)
        elif tmdb is None and imdb is None:
            raise UsageError("give --tmdb ID, --imdb ID or --candidate N")
        else:
            ids = replace(state.ids, tmdb=tmdb, imdb=imdb or state.ids.imdb)
        write = reidentified_write(
            state, ids, Identification("manual", 1.0, Tier.STRONG),
            engine.settings.completeness.expected_fields,
        )  # fmt: skip
        await engine.repo.write([write])
        await engine.enrich([ref], force=True)
        engine.bus.publish(EntityChanged(ref, ("tmdb_id", "imdb_id")))
        return await engine.show(ref)

    async def search_candidates(
        self, ref: Ref, *, title: str | None = None, year: int | None = None
    ) -> list[Candidate]:
        """Search the identifiers again with `title` and `year` (each None: the title's own),
        scored and explained like the automatic match, best first.

        Raises:
            UsageError: a season or an episode, a blank title, a path or file name as the
                title, or no identifier enabled for the kind.
            NotFoundError: the ref names nothing.
            ProviderError: every identifier asked failed.
        """
        engine = self._engine
        if ref.kind not in _TITLES:
            raise UsageError(f"{ref}: only movies and series are searched; try its series")
        state = await engine.repo.state(ref)
        query = (title if title is not None else state.title).strip()
        if not query:
            raise UsageError("give a title to search for")
        async with self._providers.lease() as providers:
            finders = identifiers(providers, ref.kind)
            if not finders:
                raise UsageError(
                    f"no provider can search for a {ref.kind.value}: enable and configure "
                    "TMDB (or TheTVDB, for series); `matinee providers` lists them"
                )
            try:
                return await search(
                    finders, ref.kind, query, year or state.year, engine.settings.match
                )
            except ValueError as exc:  # not a cleaned title: a path or a file name
                raise UsageError(str(exc)) from None

    async def lock(self, ref: Ref, fields: Sequence[str]) -> None:
        repo = self._engine.repo
        await repo.state(ref)  # raises NotFoundError for a bad ref
        names = _check_fields(ref, fields)
        await repo.lock(ref, names)
        self._engine.bus.publish(EntityChanged(ref, tuple(names)))

    async def unlock(self, ref: Ref, fields: Sequence[str]) -> None:
        repo = self._engine.repo
        await repo.state(ref)
        names = _check_fields(ref, fields)
        await repo.unlock(ref, names)
        self._engine.bus.publish(EntityChanged(ref, tuple(names)))

    async def set_field(self, ref: Ref, field: str, value: Any) -> None:
        engine = self._engine
        (name,) = _check_fields(ref, [field])
        state = await engine.repo.state(ref)
        coerced = coerce_value(name, value)
        write = locked_write(state, {name: coerced}, (name,),
                             expected=engine.settings.completeness.expected_fields)  # fmt: skip
        await engine.repo.write([write])
        engine.bus.publish(EntityChanged(ref, (name,)))


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
