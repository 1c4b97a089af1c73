"""TvdbProvider requests: what can be fetched, search and find, error statuses and retries.

The fixtures in `tests/fixtures/tvdb/` are built from the schemas of
`provider-samples/tvdb/OFFICIAL_swagger_v4.yml` (see their README); no real payload exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from matinee.errors import AuthFailed, BadResponse, NotFound, Unavailable
from matinee.model import Candidate, Ids
from matinee.providers.base import Identifier, Provider, SearchQuery, SeasonSource
from matinee.providers.tvdb import TvdbProvider, map_tvdb_error, tvdb_body_error

from .support import KEY, MAX_RETRIES, FakeSleep
from .tvdb_support import BASE_URL, EXTENDED, MOVIE, SERIES, SID, load, settings


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """Overrides the TMDB router of conftest.py; its `login` and `tvdb` fixtures use this one."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


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
