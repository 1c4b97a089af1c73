"""History, facets and filters through the engine: real enrichment, edits and identification."""

from __future__ import annotations

import pytest

from matinee.config import Settings
from matinee.engine.core import Engine
from matinee.engine.views import FieldChange
from matinee.errors import NotFoundError, UsageError
from matinee.model import EntityKind, Ref
from tests.engine.conftest import touch

MOVIE = EntityKind.MOVIE


async def library(engine: Engine, settings: Settings, *names: str) -> dict[str, Ref]:
    for name in names:
        touch(settings.library.roots[0], name)
    await engine.scan()
    return {s.title: s.ref for s in await engine.list_entities()}


async def test_history_shows_enrichment_edit_and_identification_newest_first(
    engine: Engine, settings: Settings
) -> None:
    ref = (await library(engine, settings, "Heat (1995).mkv"))["Heat"]
    assert await engine.history(ref) == []
    await engine.enrich([ref])
    await engine.set_field(ref, "runtime", "171")
    before = (await engine.show(ref)).summary.ids.tmdb
    await engine.identify(ref, tmdb=before)
    entries = await engine.history(ref)
    assert [e.mode for e in entries] == ["manual", "identify", "user", "manual"]
    first = entries[-1]
    assert set(first.providers_ok) == {"tmdb", "omdb", "fanart"}
    assert first.providers_failed == () and first.providers_rate_limited == ()
    assert first.completeness_after is not None and first.completeness_after >= 90
    plot = [c for c in first.changes if c.field == "plot"]
    assert plot and plot[0].old is None and plot[0].new and plot[0].source == "tmdb"
    edit = entries[-2]
    assert edit.changes == (FieldChange("runtime", 170, 171, "user"),)
    assert entries[-3].changes == (FieldChange("tmdb_id", before, before, "user"),)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert len(await engine.history(ref, limit=2)) == 2


async def test_history_of_nothing_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError):
        await engine.history(Ref(MOVIE, 4242))


async def test_facets_list_genres_once_and_the_expected_fields(
    engine: Engine, settings: Settings
) -> None:
    refs = await library(engine, settings, "Heat (1995).mkv", "Alien (1979).mkv")
    assert (await engine.facets()).genres == ()
    await engine.enrich()
    heat = (await engine.show(refs["Heat"])).fields["genres"]
    assert "Drama" in heat and "Horror" not in heat
    await engine.set_field(refs["Alien"], "genres", "horror, Science Fiction, drama")
    facets = await engine.facets()
    expected = sorted({*heat, "horror", "Science Fiction"}, key=str.casefold)
    assert list(facets.genres) == expected  # "Drama" once: a tie goes to the first spelling
    fields = settings.completeness.expected_fields
    assert facets.missing_fields == tuple(fields)  # all of them apply to movies


async def test_match_refs_on_a_hand_built_library(engine: Engine, settings: Settings) -> None:
    refs = await library(engine, settings, "Heat (1995).mkv", "Alien (1979).mkv", "Ran.mkv")
    heat, alien, ran = refs["Heat"], refs["Alien"], refs["Ran"]
    await engine.set_field(heat, "genres", "Crime, Drama")
    await engine.set_field(heat, "cast", "Al Pacino, Robert De Niro")
    await engine.set_field(heat, "directors", "Michael Mann")
    await engine.set_field(heat, "plot", "A heist.")
    await engine.set_field(alien, "genres", "Horror, Science Fiction")
    await engine.set_field(alien, "directors", "Ridley Scott")
    await engine.set_field(alien, "plot", "   ")
    await engine.set_field(ran, "genres", "drama")
    await engine.set_field(ran, "writers", "Akira Kurosawa, Masato Ide")
    assert await engine.match_refs(MOVIE, genre="DRAMA") == {heat, ran}
    assert await engine.match_refs(MOVIE, person="de niro") == {heat}
    assert await engine.match_refs(MOVIE, person="scott") == {alien}
    assert await engine.match_refs(MOVIE, person="KUROSAWA") == {ran}
    assert await engine.match_refs(MOVIE, person="E") == {heat, alien, ran}
    assert await engine.match_refs(MOVIE, person="a") == {heat, ran}  # not in "Ridley Scott"
    assert await engine.match_refs(MOVIE, missing="plot") == {alien, ran}
    assert await engine.match_refs(MOVIE, genre="drama", missing="plot") == {ran}
    assert await engine.match_refs(MOVIE, genre="drama", person="mann", missing="plot") == set()
    assert await engine.match_refs(MOVIE, genre=" ", person="") == {heat, alien, ran}
    assert await engine.match_refs(EntityKind.SERIES, genre="drama") == set()
    assert await engine.match_refs(MOVIE, missing="networks") == set()  # series only
    with pytest.raises(UsageError, match="unknown field"):
        await engine.match_refs(MOVIE, missing="colour")


async def test_a_first_page_and_rows_by_ref_read_only_what_is_asked(
    engine: Engine, settings: Settings
) -> None:
    refs = await library(engine, settings, "Heat (1995).mkv", "Alien (1979).mkv", "Ran (1985).mkv")
    first = await engine.list_entities(MOVIE, limit=2)
    assert [s.title for s in first] == ["Alien", "Heat"]  # sort-title order, as the full list
    gone = Ref(MOVIE, 999)
    wrong_kind = Ref(EntityKind.SERIES, refs["Ran"].id)
    rows = await engine.summaries([refs["Ran"], gone, wrong_kind, refs["Alien"]])
    assert sorted(s.title for s in rows) == ["Alien", "Ran"]
    assert all(s.files for s in rows)
