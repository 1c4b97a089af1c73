"""OmdbProvider failures and requests: quoted error bodies, retries, keys, can_fetch, check."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import respx

from matinee.errors import (
    AuthFailed,
    BadResponse,
    NotFound,
    ProviderError,
    QuotaExhausted,
    Unavailable,
)
from matinee.model import EntityKind, Ids
from matinee.providers.base import Provider, SearchQuery
from matinee.providers.http import ProviderEnv
from matinee.providers.omdb import OmdbProvider, map_omdb_error, omdb_body_error

from .omdb_support import EPISODE, KEY, MAX_RETRIES, MOVIE, SERIES, load, make_settings, params
from .support import FakeSleep


def quoted_error(message: str) -> dict[str, Any]:
    """The verbatim body quoted from an issue thread for this OMDb error text."""
    errors = load("errors_quoted_in_issue_threads.json")["errors"]
    body: dict[str, Any] = next(e["body"] for e in errors if e["body"]["Error"] == message)
    return body


def test_provider_satisfies_the_protocol() -> None:
    provider = OmdbProvider(make_settings())
    assert isinstance(provider, Provider)
    assert (provider.id, provider.name) == ("omdb", "OMDb")
    assert provider.kinds == frozenset({MOVIE, SERIES})


# --- what can be fetched ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "ids", "hint", "expected"),
    [
        (MOVIE, Ids(imdb="tt3896198"), None, True),
        (SERIES, Ids(imdb="tt4154858"), None, True),
        (MOVIE, Ids(), SearchQuery(MOVIE, "Venom", 2018), True),
        (SERIES, Ids(), SearchQuery(SERIES, "Inhumans"), True),
        (MOVIE, Ids(tmdb=550), None, False),
        (MOVIE, Ids(), None, False),
        (EPISODE, Ids(imdb="tt3896198"), None, False),
        (EntityKind.SEASON, Ids(imdb="tt4154858"), SearchQuery(SERIES, "Inhumans"), False),
    ],
)
def test_can_fetch(kind: EntityKind, ids: Ids, hint: SearchQuery | None, expected: bool) -> None:
    assert OmdbProvider(make_settings()).can_fetch(kind, ids, hint) is expected


@pytest.mark.parametrize(
    ("kind", "ids", "hint", "text"),
    [
        (MOVIE, Ids(), None, "no IMDb id and no title"),
        (EPISODE, Ids(imdb="tt3896198"), None, "not episode"),
        (MOVIE, Ids(imdb="3896198"), None, "is not an IMDb id"),
        (MOVIE, Ids(), SearchQuery(SERIES, "Inhumans"), "series title hint for a movie"),
    ],
)
async def test_nothing_to_fetch_sends_nothing(
    omdb_api: respx.MockRouter,
    omdb: OmdbProvider,
    kind: EntityKind,
    ids: Ids,
    hint: SearchQuery | None,
    text: str,
) -> None:
    route = omdb_api.get("/").respond(json=load("by_id_tt3896198_guardians2_2018.json"))
    with pytest.raises(NotFound, match=text):
        await omdb.fetch(kind, ids, hint)
    assert route.call_count == 0 and omdb.requests_made == 0


# --- errors -------------------------------------------------------------------------------------

# (error text, HTTP status per PROVIDERS.md §2, our error, its text, requests sent)
ERROR_CASES = [
    ("Request limit reached!", 401, QuotaExhausted, "omdb: daily request limit reached", 1),
    ("Request limit reached!", 200, QuotaExhausted, "omdb: daily request limit reached", 1),
    ("Invalid API key!", 401, AuthFailed, "omdb: invalid key", 1),
    ("No API key provided.", 401, AuthFailed, "omdb: invalid key", 1),
    ("Movie not found!", 200, NotFound, "omdb: Movie not found!", 1),
    ("Incorrect IMDb ID.", 200, NotFound, "omdb: Incorrect IMDb ID.", 1),
    ("Error getting data.", 200, Unavailable, "omdb: Error getting data.", MAX_RETRIES + 1),
    ("Something went wrong.", 200, Unavailable, "omdb: Something went wrong.", MAX_RETRIES + 1),
]


@pytest.mark.parametrize(("message", "status", "error", "text", "sent"), ERROR_CASES)
async def test_quoted_error_bodies_map_to_our_errors(
    omdb_api: respx.MockRouter,
    omdb: OmdbProvider,
    fake_sleep: FakeSleep,
    caplog: pytest.LogCaptureFixture,
    message: str,
    status: int,
    error: type[ProviderError],
    text: str,
    sent: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    omdb_api.get("/").respond(status, json=quoted_error(message))
    with pytest.raises(error) as info:
        await omdb.fetch(MOVIE, Ids(imdb="tt14573402"))
    assert type(info.value) is error
    assert str(info.value) == text
    assert info.value.provider == "omdb"
    assert omdb.requests_made == sent and len(fake_sleep.calls) == sent - 1
    if status != 200:
        assert info.value.status == status
    if isinstance(info.value, QuotaExhausted):
        assert info.value.reset_at is None
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert omdb.http.last_error is not None and KEY not in omdb.http.last_error
    assert KEY not in caplog.text


async def test_error_getting_data_is_retried_then_answered(
    omdb_api: respx.MockRouter, omdb: OmdbProvider, fake_sleep: FakeSleep
) -> None:
    omdb_api.get("/").mock(
        side_effect=[
            httpx.Response(200, json=quoted_error("Error getting data.")),
            httpx.Response(200, json=load("by_id_tt3896198_guardians2_2018.json")),
        ]
    )
    record = await omdb.fetch(MOVIE, Ids(imdb="tt3896198"))
    assert record.fields["imdb_id"] == "tt3896198"
    assert omdb.requests_made == 2 and len(fake_sleep.calls) == 1
    assert omdb.http.last_error is None


@pytest.mark.parametrize(
    ("response", "error", "text", "sent"),
    [
        (httpx.Response(401), AuthFailed, "omdb: invalid key", 1),
        (httpx.Response(401, text="<html>Unauthorized</html>"), AuthFailed, "invalid key", 1),
        (httpx.Response(401, json={"message": "nope"}), AuthFailed, "omdb: invalid key", 1),
        (httpx.Response(503, text="busy"), Unavailable, "omdb: HTTP 503", MAX_RETRIES + 1),
        (httpx.Response(200, text="not json"), BadResponse, "body is not JSON", 1),
        (httpx.Response(200, json=["a list"]), BadResponse, "expected a JSON object", 1),
        (httpx.Response(200, json={"Response": "True"}), BadResponse, "has no Title", 1),
        (
            httpx.Response(200, json={"Response": "False", "Error": "Too many results."}),
            BadResponse,
            "omdb: error: Too many results.",
            1,
        ),
    ],
)
async def test_status_and_odd_bodies(
    omdb_api: respx.MockRouter,
    omdb: OmdbProvider,
    response: httpx.Response,
    error: type[ProviderError],
    text: str,
    sent: int,
) -> None:
    omdb_api.get("/").mock(return_value=response)
    with pytest.raises(error, match=text) as info:
        await omdb.fetch(MOVIE, Ids(imdb="tt3896198"))
    assert type(info.value) is error
    assert omdb.requests_made == sent
    assert KEY not in str(info.value)


@pytest.mark.parametrize("status", [200, 401])
async def test_a_key_echoed_in_an_error_never_reaches_the_message(
    omdb_api: respx.MockRouter, omdb: OmdbProvider, status: int
) -> None:
    omdb_api.get("/").respond(status, json={"Response": "False", "Error": f"Bad key {KEY}!"})
    with pytest.raises(ProviderError) as info:
        await omdb.fetch(MOVIE, Ids(imdb="tt3896198"))
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert omdb.http.last_error is not None and KEY not in omdb.http.last_error


def test_error_mapping_without_a_request() -> None:
    assert omdb_body_error(load("title_t_venom_no_rotten_tomatoes.json")) is None
    assert omdb_body_error(["not", "a", "dict"]) is None
    assert isinstance(omdb_body_error({"Response": "False"}), BadResponse)
    assert isinstance(map_omdb_error(404, None), NotFound)  # a cached "not found" replayed
    assert isinstance(map_omdb_error(500, None), Unavailable)
    assert isinstance(map_omdb_error(403, None), AuthFailed)
    assert map_omdb_error(418, None) is None  # ProviderHttp's generic mapping decides
    limit = map_omdb_error(401, quoted_error("Request limit reached!"))
    assert isinstance(limit, QuotaExhausted) and limit.reset_at is None


# --- check --------------------------------------------------------------------------------------


async def test_check_sends_one_request(omdb_api: respx.MockRouter, omdb: OmdbProvider) -> None:
    route = omdb_api.get("/").respond(json=load("by_id_tt3896198_guardians2_2018.json"))
    await omdb.check()
    assert route.call_count == 1 and omdb.requests_made == 1
    assert params(route) == {"i": "tt0133093", "apikey": KEY}


async def test_check_raises_on_a_bad_key(omdb_api: respx.MockRouter, omdb: OmdbProvider) -> None:
    omdb_api.get("/").respond(401, json=quoted_error("Invalid API key!"))
    with pytest.raises(AuthFailed, match="omdb: invalid key"):
        await omdb.check()
    assert omdb.requests_made == 1


async def test_no_key_sends_nothing(omdb_api: respx.MockRouter, fake_sleep: FakeSleep) -> None:
    route = omdb_api.get("/").respond(json=load("by_id_tt3896198_guardians2_2018.json"))
    provider = OmdbProvider(make_settings(api_key=""), ProviderEnv(sleep=fake_sleep))
    try:
        with pytest.raises(AuthFailed):
            await provider.check()
    finally:
        await provider.aclose()
    assert route.call_count == 0
