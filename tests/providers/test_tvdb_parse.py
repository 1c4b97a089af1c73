"""TvdbProvider parsing: the series record and season episodes from hand-built v4 payloads.

The fixtures in `tests/fixtures/tvdb/` are built from the schemas of
`provider-samples/tvdb/OFFICIAL_swagger_v4.yml` (see their README); no real payload exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from matinee.errors import BadResponse, NotFound
from matinee.model import FIELD_BY_NAME, Ids
from matinee.providers.base import Artwork
from matinee.providers.tvdb import CAST_LIMIT, TvdbProvider

from .support import FakeSleep
from .tvdb_support import (
    BASE_URL,
    EPISODES,
    EXTENDED,
    MOVIE,
    SERIES,
    SID,
    extended,
    load,
    make_provider,
    settings,
)

ART = "https://artworks.thetvdb.com"


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """Overrides the TMDB router of conftest.py; its `login` and `tvdb` fixtures use this one."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


# --- the series record -----------------------------------------------------------------------


async def test_fetch_series_fields(api: respx.MockRouter, tvdb: TvdbProvider) -> None:
    route = api.get(EXTENDED).respond(json=extended())
    record = await tvdb.fetch(SERIES, Ids(tvdb=SID))
    assert dict(route.calls.last.request.url.params) == {"meta": "translations", "short": "false"}
    assert (record.provider, record.kind) == ("tvdb", SERIES)
    assert record.ids == Ids(tmdb=71446, imdb="tt6468322", tvdb=SID)
    f = record.fields
    assert (f["title"], f["original_title"]) == ("Money Heist", "La casa de papel")
    assert (f["year"], f["release_date"], f["runtime"]) == (2017, "2017-05-02", 50)
    assert f["plot"].startswith("Eight thieves take hostages")
    assert f["content_rating"] == "TV-MA"
    assert f["genres"] == ["Crime", "Drama", "Thriller"]
    assert f["studios"] == ["Antena 3", "Netflix"]
    assert f["networks"] == ["Antena 3", "Netflix"]
    assert f["status"] == "Ended"
    assert f["creators"] == ["Álex Pina"]
    assert f["trailer"] == "https://www.youtube.com/watch?v=p_PJbmrX4uk"
    assert (f["tvdb_id"], f["imdb_id"], f["tmdb_id"]) == (SID, "tt6468322", 71446)
    assert f["cast"] == [
        {"name": "Úrsula Corberó", "character": 'Silene Oliveira "Tokio"', "order": 0},
        {"name": "Álvaro Morte", "character": 'Sergio Marquina "El Profesor"', "order": 1},
        {"name": "Pedro Alonso", "character": 'Andrés de Fonollosa "Berlín"', "order": 2},
        {"name": "Itziar Ituño", "character": 'Raquel Murillo "Lisboa"', "order": 3},
    ]
    assert record.seasons == (0, 1, 2, 3, 4, 5)  # the alternate (Netflix) order is left out
    assert record.alternative_titles == ("Haus des Geldes",)
    for name in f:
        assert SERIES in FIELD_BY_NAME[name].kinds, name
        assert FIELD_BY_NAME[name].category.value != "artwork", name


async def test_fetch_series_credits(api: respx.MockRouter, tvdb: TvdbProvider) -> None:
    api.get(EXTENDED).respond(json=extended())
    record = await tvdb.fetch(SERIES, Ids(tvdb=SID))
    actors = [c for c in record.credits if c.role == "actor"]
    assert [(c.name, c.order, c.provider_id) for c in actors] == [
        ("Úrsula Corberó", 0, "294200"),
        ("Álvaro Morte", 1, "294201"),
        ("Pedro Alonso", 2, "294202"),
        ("Itziar Ituño", 3, "294203"),
    ]
    # The person's photo first, the character image otherwise; relative paths made absolute.
    assert [c.image_url for c in actors] == [
        f"{ART}/banners/person/294200/character.jpg",
        f"{ART}/banners/person/294201/primary.jpg",
        None,
        f"{ART}/banners/person/294203/primary.jpg",
    ]
    assert actors[1].character == 'Sergio Marquina "El Profesor"'
    creators = [c for c in record.credits if c.role == "creator"]
    assert [(c.name, c.provider_id, c.character, c.order) for c in creators] == [
        ("Álex Pina", "294209", None, None)
    ]
    assert {c.role for c in record.credits} == {"actor", "creator"}  # no Director at series level


async def test_fetch_series_artwork(api: respx.MockRouter, tvdb: TvdbProvider) -> None:
    api.get(EXTENDED).respond(json=extended())
    record = await tvdb.fetch(SERIES, Ids(tvdb=SID))
    art = {a.asset_id: a for a in record.artwork}
    assert set(art) == {"62001", "62002", "62003", "62004", "62006", "62008", "62009", "62010"}
    assert art["62001"] == Artwork(
        slot="poster",
        url=f"{ART}/banners/posters/{SID}-1.jpg",
        provider="tvdb",
        asset_id="62001",
        preview_url=f"{ART}/banners/posters/{SID}-1_t.jpg",
        language="en",
        votes=100452,
        width=680,
        height=1000,
    )
    summary = [(a.asset_id, a.slot, a.season, a.language) for a in record.artwork]
    assert summary == [
        ("62001", "poster", None, "en"),
        ("62002", "poster", None, "es"),
        ("62003", "fanart", None, None),
        ("62004", "banner", None, "de"),
        ("62006", "poster", 1, "en"),
        ("62008", "poster", 0, "it"),
        ("62009", "clearart", None, "fr"),
        ("62010", "clearlogo", None, None),  # "cat" is not a language we map
    ]
    assert art["62003"].votes == 80123 and (art["62003"].width, art["62003"].height) == (1920, 1080)
    assert all(a.rating is None and a.provider == "tvdb" for a in record.artwork)


async def test_relative_images_use_the_configured_image_root(
    api: respx.MockRouter, login: respx.Route, fake_sleep: FakeSleep
) -> None:
    api.get(EXTENDED).respond(json=extended())
    provider = await make_provider(fake_sleep, image_base_url="https://art.example.test/")
    try:
        record = await provider.fetch(SERIES, Ids(tvdb=SID))
    finally:
        await provider.aclose()
    poster = next(a for a in record.artwork if a.asset_id == "62001")
    assert poster.url == f"https://art.example.test/banners/posters/{SID}-1.jpg"
    assert poster.preview_url == f"https://art.example.test/banners/posters/{SID}-1_t.jpg"
    spanish = next(a for a in record.artwork if a.asset_id == "62002")
    assert spanish.url == f"{ART}/banners/posters/{SID}-2.jpg"  # absolute URLs are kept


@pytest.mark.parametrize(
    ("language", "title", "plot_start"),
    [
        ("deu", "Haus des Geldes", "Un misterioso personaje"),  # no German overview: original
        ("en-US", "Money Heist", "Eight thieves"),
        ("spa", "La casa de papel", "Un misterioso personaje"),
        ("fin", "La casa de papel", "Un misterioso personaje"),  # no Finnish at all: original
    ],
)
def test_translation_follows_the_language_setting(
    language: str, title: str, plot_start: str
) -> None:
    record = TvdbProvider(settings(language=language)).parse_series(extended()["data"])
    assert record.fields["title"] == title
    assert record.fields["original_title"] == "La casa de papel"
    assert record.fields["plot"].startswith(plot_start)


def test_an_alias_translation_is_not_the_title() -> None:
    data = extended()["data"]
    names = data["translations"]["nameTranslations"]
    data["translations"]["nameTranslations"] = [n for n in names if n["name"] != "Money Heist"]
    record = TvdbProvider(settings()).parse_series(data)
    assert record.fields["title"] == "La casa de papel"  # "Casa de Papel" is only an alias


def test_cast_is_sorted_and_capped() -> None:
    data = extended()["data"]
    data["characters"] = [
        {"peopleType": "Actor", "personName": f"Actor {n}", "name": f"Role {n}", "sort": n}
        for n in reversed(range(CAST_LIMIT + 5))
    ] + [{"peopleType": "Actor", "personName": "Unsorted", "name": "Extra", "sort": None}]
    record = TvdbProvider(settings()).parse_series(data)
    cast = record.fields["cast"]
    assert len(cast) == CAST_LIMIT
    assert [c["order"] for c in cast] == list(range(CAST_LIMIT))
    assert cast[0] == {"name": "Actor 0", "character": "Role 0", "order": 0}
    assert len([c for c in record.credits if c.role == "actor"]) == CAST_LIMIT


def test_studios_fall_back_to_the_original_network() -> None:
    data = extended()["data"]
    data["companies"] = [c for c in data["companies"] if c["primaryCompanyType"] != 1]
    data["latestNetwork"] = None
    fields = TvdbProvider(settings()).parse_series(data).fields
    assert fields["studios"] == fields["networks"] == ["Antena 3"]


def test_odd_shapes_become_missing_fields_not_crashes() -> None:
    body = {
        "id": SID,
        "name": "Odd",
        "genres": [1, None, {"name": "Drama"}, {"id": 3}],
        "characters": "oops",
        "companies": {"name": "not a list"},
        "originalNetwork": "Antena 3",
        "contentRatings": [{"country": "usa", "name": ""}, {"country": "usa"}],
        "remoteIds": [
            {"sourceName": "IMDB", "id": "6468322"},
            {"sourceName": "TheMovieDB.com", "id": 71446},
            {"sourceName": "TheMovieDB.com", "id": "abc"},
            {"sourceName": "TheMovieDB.com", "id": "١٢"},
        ],
        "seasons": [{"id": 1, "number": "1", "type": {"type": "official"}}, {"id": 2, "number": 2}],
        "artworks": [
            {"id": 1, "type": 2, "image": None},
            {"id": 2, "type": "2", "image": "/a.jpg"},
            {"id": 3, "type": 7, "image": "/s.jpg"},
            {"id": 4, "type": 99, "image": "/x.jpg"},
            {"type": 3, "image": "/f.jpg", "language": None, "score": True, "width": 0},
            {"type": 1, "image": "/b.jpg", "score": float("inf"), "language": "ENG"},
        ],
        "trailers": [{"url": ""}, None],
        "status": "Ended",
        "averageRuntime": None,
        "firstAired": "",
        "year": "2017",
        "translations": {"nameTranslations": "x"},
        "aliases": None,
    }
    record = TvdbProvider(settings()).parse_series(body)
    assert record.fields == {
        "title": "Odd",
        "original_title": "Odd",
        "year": 2017,
        "genres": ["Drama"],
        "tvdb_id": SID,
    }
    assert record.ids == Ids(tvdb=SID)
    assert record.seasons == () and record.credits == ()
    assert [(a.slot, a.url, a.language, a.votes, a.width, a.asset_id) for a in record.artwork] == [
        ("fanart", f"{ART}/f.jpg", None, 0, None, None),
        ("banner", f"{ART}/b.jpg", "en", 0, None, None),
    ]


@pytest.mark.parametrize("data", [None, [], "x", {"name": "no id"}, {"id": "327417"}, {"id": 0}])
async def test_series_without_a_record_is_a_bad_response(
    api: respx.MockRouter, tvdb: TvdbProvider, data: Any
) -> None:
    api.get(EXTENDED).respond(json={"status": "success", "data": data})
    with pytest.raises(BadResponse):
        await tvdb.fetch(SERIES, Ids(tvdb=SID))


async def test_fetch_needs_a_tvdb_id_and_a_series(tvdb: TvdbProvider) -> None:
    with pytest.raises(NotFound):
        await tvdb.fetch(SERIES, Ids(tmdb=71446))
    with pytest.raises(NotFound):
        await tvdb.fetch(MOVIE, Ids(tvdb=SID))
    assert tvdb.requests_made == 0


# --- episodes --------------------------------------------------------------------------------


def _pages(api: respx.MockRouter, *bodies: Any) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        return httpx.Response(200, json=bodies[page])

    return api.get(EPISODES).mock(side_effect=answer)


async def test_fetch_season_reads_every_page(api: respx.MockRouter, tvdb: TvdbProvider) -> None:
    route = _pages(api, *(load(f"series_{SID}_episodes_default_s1_page{n}.json") for n in range(3)))
    episodes = await tvdb.fetch_season(Ids(tvdb=SID), 1)
    assert [dict(c.request.url.params) for c in route.calls] == [
        {"page": "0", "season": "1"},
        {"page": "1", "season": "1"},
        {"page": "2", "season": "1"},
    ]
    assert [(e.season, e.episode) for e in episodes] == [(1, n) for n in range(1, 7)]
    first = episodes[0]
    assert first.ids == Ids(tvdb=6001001)
    assert first.fields == {
        "title": "Efectuar lo acordado",
        "plot": "El Profesor recluta a ocho personas.",
        "release_date": "2017-05-02",
        "runtime": 70,
        "thumb": f"{ART}/banners/episodes/{SID}/6001001.jpg",
        "tvdb_id": 6001001,
    }
    assert episodes[1].fields["thumb"] == f"{ART}/banners/episodes/{SID}/6001002.jpg"  # relative
    assert "runtime" not in episodes[2].fields and "thumb" not in episodes[2].fields
    last = episodes[5].fields
    assert "release_date" not in last and "runtime" not in last and "plot" not in last


async def test_fetch_season_stops_when_links_next_is_null(
    api: respx.MockRouter, tvdb: TvdbProvider
) -> None:
    body = load(f"series_{SID}_episodes_default_s1_page0.json")
    body["links"] = {
        "prev": None,
        "self": "page 0",
        "next": None,
        "total_items": 3,
        "page_size": 500,
    }
    route = _pages(api, body)
    episodes = await tvdb.fetch_season(Ids(tvdb=SID), 1)
    assert [e.episode for e in episodes] == [1, 2, 3]
    assert route.call_count == 1


async def test_fetch_season_follows_links_next(api: respx.MockRouter, tvdb: TvdbProvider) -> None:
    first = load(f"series_{SID}_episodes_default_s1_page0.json")
    first["links"] = {"prev": None, "self": "page 0", "next": "page 1", "total_items": 6}
    second = load(f"series_{SID}_episodes_default_s1_page1.json")
    second["links"] = {"prev": "page 0", "self": "page 1", "next": None, "total_items": 6}
    route = _pages(api, first, second)
    episodes = await tvdb.fetch_season(Ids(tvdb=SID), 1)
    assert [e.episode for e in episodes] == list(range(1, 7))
    assert route.call_count == 2


async def test_specials_keep_season_zero_and_other_seasons_are_dropped(
    api: respx.MockRouter, tvdb: TvdbProvider
) -> None:
    episodes = [
        {"id": 9001, "seasonNumber": 0, "number": 1, "name": "El fenómeno"},
        {"id": 6001001, "seasonNumber": 1, "number": 1, "name": "Efectuar lo acordado"},
        {"id": 9002, "seasonNumber": 0, "number": 2, "name": "Special 2"},
        {"id": 9003, "number": 3},
        {"id": 9004, "seasonNumber": 0, "number": None},
        "x",
    ]
    _pages(api, {"status": "success", "data": {"episodes": episodes}}, {"data": {"episodes": []}})
    found = await tvdb.fetch_season(Ids(tvdb=SID), 0)
    assert [(e.season, e.episode, e.ids.tvdb) for e in found] == [
        (0, 1, 9001),
        (0, 2, 9002),
        (0, 3, 9003),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"status": "success", "data": {"episodes": "x"}},
        {"status": "success", "data": None},
        ["not", "an", "envelope"],
    ],
)
async def test_odd_episode_pages_are_bad_responses(
    api: respx.MockRouter, tvdb: TvdbProvider, body: Any
) -> None:
    _pages(api, body)
    with pytest.raises(BadResponse):
        await tvdb.fetch_season(Ids(tvdb=SID), 1)


async def test_a_page_without_episodes_ends_the_season(
    api: respx.MockRouter, tvdb: TvdbProvider
) -> None:
    route = _pages(api, {"status": "success", "data": {"series": {"id": SID}}})
    assert await tvdb.fetch_season(Ids(tvdb=SID), 1) == []
    assert route.call_count == 1


async def test_fetch_season_needs_a_tvdb_id(tvdb: TvdbProvider) -> None:
    with pytest.raises(NotFound):
        await tvdb.fetch_season(Ids(tmdb=71446), 1)
