"""TvdbProvider against hand-built TheTVDB v4 payloads that follow the official spec (respx).

The fixtures in `tests/fixtures/tvdb/` are built from the schemas of
`provider-samples/tvdb/OFFICIAL_swagger_v4.yml` (see their README); no real payload exists.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from matinee.errors import AuthFailed, BadResponse, NotFound, ProviderError, Unavailable
from matinee.model import FIELD_BY_NAME, Candidate, EntityKind, Ids
from matinee.providers.base import Artwork, Identifier, Provider, SearchQuery, SeasonSource
from matinee.providers.http import ProviderEnv
from matinee.providers.tvdb import CAST_LIMIT, TvdbProvider, map_tvdb_error, tvdb_body_error

from .support import KEY, MAX_RETRIES, FakeSleep
from .support import settings as base_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tvdb"
BASE_URL = "https://api4.thetvdb.test/v4"
ART = "https://artworks.thetvdb.com"
SID = 327417
TOKEN = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhZ2UiOiIiLCJhcGlrZXkiOiJ0ZXN0In0.c2lnbmF0dXJlLXRlc3Q"
)
SECOND_TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2Vjb25kLXRva2Vu.c2Vjb25kLXNpZ25hdHVyZQ"
PIN = "4815162342"
SERIES, MOVIE = EntityKind.SERIES, EntityKind.MOVIE
EXTENDED = f"/series/{SID}/extended"
EPISODES = f"/series/{SID}/episodes/default"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def extended() -> dict[str, Any]:
    body: dict[str, Any] = load(f"series_{SID}_extended_translations.json")
    return body


def settings(**changes: Any) -> Any:
    values: dict[str, Any] = {"base_url": BASE_URL, "image_base_url": "", "language": "eng"}
    values.update(changes)
    return base_settings(**values)


def login_answer(token: str = TOKEN) -> httpx.Response:
    return httpx.Response(200, json={"status": "success", "data": {"token": token}})


def bearer(route: respx.Route, index: int = -1) -> str | None:
    value: str | None = route.calls[index].request.headers.get("authorization")
    return value


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def login(api: respx.MockRouter) -> respx.Route:
    return api.post("/login").respond(json=load("login_200.json"))


async def _provider(fake_sleep: FakeSleep, **changes: Any) -> TvdbProvider:
    return TvdbProvider(settings(**changes), ProviderEnv(sleep=fake_sleep))


@pytest.fixture
async def tvdb(login: respx.Route, fake_sleep: FakeSleep) -> AsyncIterator[TvdbProvider]:
    provider = await _provider(fake_sleep)
    yield provider
    await provider.aclose()


def test_provider_satisfies_the_protocols() -> None:
    provider = TvdbProvider(settings())
    assert isinstance(provider, Provider)
    assert isinstance(provider, Identifier)
    assert isinstance(provider, SeasonSource)
    assert (provider.id, provider.name) == ("tvdb", "TheTVDB")
    assert provider.kinds == frozenset({SERIES})


def test_can_fetch_needs_a_series_and_a_tvdb_id() -> None:
    provider = TvdbProvider(settings())
    assert provider.can_fetch(SERIES, Ids(tvdb=SID))
    assert not provider.can_fetch(SERIES, Ids(tmdb=71446, imdb="tt6468322"))
    assert not provider.can_fetch(MOVIE, Ids(tvdb=SID))


# --- the token -------------------------------------------------------------------------------


async def test_one_login_serves_every_request(
    api: respx.MockRouter, login: respx.Route, tvdb: TvdbProvider
) -> None:
    search = api.get("/search").respond(json=load("search_series_la_casa_de_papel.json"))
    details = api.get(EXTENDED).respond(json=extended())
    await tvdb.search(SearchQuery(SERIES, "La casa de papel", 2017))
    await tvdb.fetch(SERIES, Ids(tvdb=SID))
    await tvdb.search(SearchQuery(SERIES, "Money Heist"))
    assert login.call_count == 1
    assert json.loads(login.calls.last.request.content) == {"apikey": KEY}
    assert "authorization" not in login.calls.last.request.headers
    assert bearer(search, 0) == bearer(search, 1) == bearer(details) == f"Bearer {TOKEN}"
    assert tvdb.requests_made == 4


async def test_login_sends_the_pin_only_when_set(
    api: respx.MockRouter, login: respx.Route, fake_sleep: FakeSleep
) -> None:
    provider = await _provider(fake_sleep, pin=PIN)
    try:
        await provider.check()
    finally:
        await provider.aclose()
    assert json.loads(login.calls.last.request.content) == {"apikey": KEY, "pin": PIN}


async def test_a_401_logs_in_again_once_then_succeeds(
    api: respx.MockRouter, tvdb: TvdbProvider
) -> None:
    login = api.post("/login").mock(side_effect=[login_answer(TOKEN), login_answer(SECOND_TOKEN)])
    route = api.get(EXTENDED).mock(
        side_effect=[
            httpx.Response(401, json={"status": "failure"}),
            httpx.Response(200, json=extended()),
        ]
    )
    record = await tvdb.fetch(SERIES, Ids(tvdb=SID))
    assert record.ids.tvdb == SID
    assert login.call_count == 2
    assert [bearer(route, 0), bearer(route, 1)] == [f"Bearer {TOKEN}", f"Bearer {SECOND_TOKEN}"]


async def test_a_second_401_is_auth_failed_without_a_loop(
    api: respx.MockRouter, login: respx.Route, tvdb: TvdbProvider, fake_sleep: FakeSleep
) -> None:
    route = api.get(EXTENDED).respond(401, json={"status": "failure", "message": "Unauthorized"})
    with pytest.raises(AuthFailed) as info:
        await tvdb.fetch(SERIES, Ids(tvdb=SID))
    assert str(info.value) == "tvdb: invalid key"
    assert (login.call_count, route.call_count) == (2, 2)
    assert fake_sleep.calls == []


async def test_a_401_on_login_is_invalid_key_and_nothing_else_is_sent(
    api: respx.MockRouter, fake_sleep: FakeSleep
) -> None:
    login = api.post("/login").respond(401, json={"status": "failure", "message": f"bad {KEY}"})
    search = api.get("/search").respond(json=load("search_series_la_casa_de_papel.json"))
    provider = await _provider(fake_sleep)
    try:
        with pytest.raises(AuthFailed) as info:
            await provider.search(SearchQuery(SERIES, "La casa de papel"))
    finally:
        await provider.aclose()
    assert str(info.value) == "tvdb: invalid key"
    assert info.value.status == 401
    assert login.call_count == 1 and search.call_count == 0
    assert KEY not in str(info.value) and KEY not in (provider.http.last_error or "")


async def test_check_posts_one_login(
    api: respx.MockRouter, login: respx.Route, tvdb: TvdbProvider
) -> None:
    await tvdb.check()
    assert login.call_count == 1 and tvdb.requests_made == 1


async def test_check_raises_on_a_bad_key(api: respx.MockRouter, fake_sleep: FakeSleep) -> None:
    api.post("/login").respond(401)
    provider = await _provider(fake_sleep)
    try:
        with pytest.raises(AuthFailed, match="invalid key"):
            await provider.check()
    finally:
        await provider.aclose()


async def test_login_without_a_token_is_a_bad_response(
    api: respx.MockRouter, fake_sleep: FakeSleep
) -> None:
    api.post("/login").respond(json={"status": "success", "data": {"token": ""}})
    provider = await _provider(fake_sleep)
    try:
        with pytest.raises(BadResponse, match="no token"):
            await provider.check()
    finally:
        await provider.aclose()


async def test_no_key_sends_nothing(api: respx.MockRouter, fake_sleep: FakeSleep) -> None:
    login = api.post("/login").respond(json=load("login_200.json"))
    provider = await _provider(fake_sleep, api_key="")
    try:
        with pytest.raises(AuthFailed):
            await provider.fetch(SERIES, Ids(tvdb=SID))
    finally:
        await provider.aclose()
    assert login.call_count == 0


async def test_key_pin_and_token_never_reach_an_error(
    api: respx.MockRouter, fake_sleep: FakeSleep, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    api.post("/login").respond(json=load("login_200.json"))
    echo = f"rejected {KEY} {PIN} {TOKEN}"
    api.get(EXTENDED).respond(400, json={"status": "failure", "message": echo, "data": None})
    api.get(EPISODES).respond(json={"status": "failure", "message": echo, "data": None})
    provider = await _provider(fake_sleep, pin=PIN)
    errors: list[ProviderError] = []
    try:
        for call in (
            provider.fetch(SERIES, Ids(tvdb=SID)),
            provider.fetch_season(Ids(tvdb=SID), 1),
        ):
            with pytest.raises(BadResponse) as info:
                await call
            errors.append(info.value)
    finally:
        await provider.aclose()
    for error in errors:
        assert "rejected" in str(error)
        for secret in (KEY, PIN, TOKEN):
            assert secret not in str(error) and secret not in repr(error)
    for secret in (KEY, PIN, TOKEN):
        assert secret not in (provider.http.last_error or "")
        assert secret not in caplog.text


# --- search and find -------------------------------------------------------------------------


async def test_search_returns_series_candidates(api: respx.MockRouter, tvdb: TvdbProvider) -> None:
    api.get("/search").respond(json=load("search_series_la_casa_de_papel.json"))
    found = await tvdb.search(SearchQuery(SERIES, "La casa de papel", 2017))
    assert found == [
        Candidate(
            provider="tvdb",
            id="327417",
            kind=SERIES,
            title="Money Heist",
            year=2017,
            original_title="La casa de papel",
            popularity=0.0,
        ),
        Candidate(
            provider="tvdb",
            id="403245",
            kind=SERIES,
            title="Money Heist: Korea - Joint Economic Area",  # no English translation
            year=2022,
            original_title="Money Heist: Korea - Joint Economic Area",
            popularity=0.0,
        ),
    ]


async def test_search_sends_only_title_type_and_year(
    api: respx.MockRouter, tvdb: TvdbProvider
) -> None:
    """The privacy contract: nothing but the cleaned title, the kind and the year."""
    route = api.get("/search").respond(json=load("search_series_la_casa_de_papel.json"))
    await tvdb.search(SearchQuery(SERIES, "La casa de papel", 2017))
    request = route.calls.last.request
    assert request.url.path == "/v4/search"
    assert sorted(request.url.params.multi_items()) == [
        ("query", "La casa de papel"),
        ("type", "series"),
        ("year", "2017"),
    ]
    await tvdb.search(SearchQuery(SERIES, "La casa de papel"))
    assert sorted(route.calls.last.request.url.params.multi_items()) == [
        ("query", "La casa de papel"),
        ("type", "series"),
    ]
    assert KEY not in str(request.url)


async def test_search_for_a_movie_sends_nothing(api: respx.MockRouter, tvdb: TvdbProvider) -> None:
    assert await tvdb.search(SearchQuery(MOVIE, "The Matrix", 1999)) == []
    assert tvdb.requests_made == 0


async def test_search_reads_odd_results_as_no_candidates(
    api: respx.MockRouter, tvdb: TvdbProvider
) -> None:
    results = [
        "x",
        None,
        {"type": "person", "tvdb_id": "1", "name": "Someone"},
        {"type": "series", "tvdb_id": "series-5", "name": "Bad id"},
        {"type": "series", "tvdb_id": "7", "name": "  "},
        {"type": "series", "tvdb_id": "²", "name": "Superscript digit"},
        {"tvdb_id": "8", "name": "Untyped", "translations": "oops", "year": ""},
    ]
    api.get("/search").respond(json={"status": "success", "data": results})
    found = await tvdb.search(SearchQuery(SERIES, "Odd"))
    assert [(c.id, c.title, c.year) for c in found] == [("8", "Untyped", None)]


async def test_search_with_null_data_is_empty_and_odd_data_is_bad(
    api: respx.MockRouter, tvdb: TvdbProvider
) -> None:
    api.get("/search").mock(
        side_effect=[
            httpx.Response(200, json={"status": "success", "data": None}),
            httpx.Response(200, json={"status": "success", "data": {"series": []}}),
            httpx.Response(200, json=["not", "an", "envelope"]),
        ]
    )
    assert await tvdb.search(SearchQuery(SERIES, "Nothing")) == []
    with pytest.raises(BadResponse, match="not a list"):
        await tvdb.search(SearchQuery(SERIES, "Odd"))
    with pytest.raises(BadResponse, match="JSON object"):
        await tvdb.search(SearchQuery(SERIES, "Odder"))


async def test_find_by_imdb(api: respx.MockRouter, tvdb: TvdbProvider) -> None:
    route = api.get("/search/remoteid/tt6468322").respond(
        json=load("search_remoteid_tt6468322.json")
    )
    found = await tvdb.find_by_imdb("tt6468322")
    assert [(c.provider, c.id, c.kind, c.title, c.year) for c in found] == [
        ("tvdb", "327417", SERIES, "La casa de papel", 2017)
    ]
    assert dict(route.calls.last.request.url.params) == {}


async def test_find_by_imdb_ignores_other_records(
    api: respx.MockRouter, tvdb: TvdbProvider
) -> None:
    data = [{"episode": {"id": 6001001, "name": "Efectuar lo acordado"}}, {"series": None}, 3]
    api.get("/search/remoteid/tt0000001").respond(json={"status": "success", "data": data})
    assert await tvdb.find_by_imdb("tt0000001") == []


async def test_find_by_imdb_not_found_is_no_candidates(
    api: respx.MockRouter, tvdb: TvdbProvider
) -> None:
    api.get("/search/remoteid/tt0000002").respond(404, json=load("failure_envelope.json"))
    assert await tvdb.find_by_imdb("tt0000002") == []


async def test_find_rejects_a_non_imdb_id_without_a_request(tvdb: TvdbProvider) -> None:
    with pytest.raises(NotFound):
        await tvdb.find_by_imdb("../series/1")
    assert tvdb.requests_made == 0


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
    provider = await _provider(fake_sleep, image_base_url="https://art.example.test/")
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


# --- errors ----------------------------------------------------------------------------------


async def test_failure_envelope_in_a_200_is_a_bad_response(
    api: respx.MockRouter, tvdb: TvdbProvider, fake_sleep: FakeSleep
) -> None:
    api.get(EXTENDED).respond(json=load("failure_envelope.json"))
    with pytest.raises(BadResponse) as info:
        await tvdb.fetch(SERIES, Ids(tvdb=SID))
    assert str(info.value) == "tvdb: NotFoundException: series not found"
    assert fake_sleep.calls == []


@pytest.mark.parametrize(
    ("status", "error", "text"),
    [
        (404, NotFound, "tvdb: NotFoundException: series not found"),
        (400, BadResponse, "tvdb: HTTP 400: NotFoundException: series not found"),
    ],
)
async def test_error_statuses_map_to_our_errors(
    api: respx.MockRouter,
    tvdb: TvdbProvider,
    fake_sleep: FakeSleep,
    status: int,
    error: type[Exception],
    text: str,
) -> None:
    route = api.get(EXTENDED).respond(status, json=load("failure_envelope.json"))
    with pytest.raises(error) as info:
        await tvdb.fetch(SERIES, Ids(tvdb=SID))
    assert type(info.value) is error and str(info.value) == text
    assert getattr(info.value, "status", None) == status
    assert route.call_count == 1 and fake_sleep.calls == []


async def test_5xx_is_retried_then_unavailable(
    api: respx.MockRouter, tvdb: TvdbProvider, fake_sleep: FakeSleep
) -> None:
    route = api.get(EXTENDED).respond(503, text="Service Unavailable")
    with pytest.raises(Unavailable, match="HTTP 503"):
        await tvdb.fetch(SERIES, Ids(tvdb=SID))
    assert route.call_count == MAX_RETRIES + 1
    assert len(fake_sleep.calls) == MAX_RETRIES


@pytest.mark.parametrize(
    ("status", "body", "kind", "text"),
    [
        (401, None, AuthFailed, "tvdb: invalid key"),
        (401, {"status": "failure", "message": "token expired"}, AuthFailed, "tvdb: invalid key"),
        (404, None, NotFound, "tvdb: not found"),
        (500, {"message": "boom"}, Unavailable, "tvdb: boom"),
        (502, "x", Unavailable, "tvdb: HTTP 502"),
        (400, None, BadResponse, "tvdb: HTTP 400: bad request"),
        (418, {"message": "teapot"}, BadResponse, "tvdb: HTTP 418: teapot"),
    ],
)
def test_map_tvdb_error(status: int, body: Any, kind: type[Exception], text: str) -> None:
    error = map_tvdb_error(status, body)
    assert type(error) is kind and str(error) == text
    assert error is not None and error.status == status


def test_map_tvdb_error_leaves_the_rest_to_the_generic_mapping() -> None:
    assert map_tvdb_error(403, None) is None
    assert map_tvdb_error(418, {"status": "failure"}) is None


def test_body_check() -> None:
    assert tvdb_body_error({"status": "success", "data": []}) is None
    assert tvdb_body_error([]) is None
    failure = tvdb_body_error({"status": "failure", "message": None, "data": None})
    assert isinstance(failure, BadResponse) and str(failure) == "tvdb: request failed"
