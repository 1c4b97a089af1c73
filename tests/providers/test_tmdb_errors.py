"""TmdbProvider failures: TMDB error bodies, 429s, 5xx, timeouts and odd shapes (respx)."""

from __future__ import annotations

import httpx
import pytest
import respx

from matinee.errors import AuthFailed, BadResponse, NotFound, RateLimited, Unavailable
from matinee.model import EntityKind, Ids
from matinee.providers.base import SearchQuery
from matinee.providers.tmdb import TmdbProvider

from .support import KEY, MAX_RETRIES, FakeSleep, load
from .support import settings as make_settings

MOVIE = EntityKind.MOVIE


@pytest.mark.parametrize(
    ("status", "fixture", "error", "text"),
    [
        (401, "error_401_invalid_api_key.json", AuthFailed, "tmdb: invalid key"),
        (404, "error_404_resource_not_found.json", NotFound, "could not be found"),
        (422, "error_422_validation.json", BadResponse, "query must be provided"),
    ],
)
async def test_error_payloads_map_to_our_errors(
    api: respx.MockRouter,
    tmdb: TmdbProvider,
    fake_sleep: FakeSleep,
    caplog: pytest.LogCaptureFixture,
    status: int,
    fixture: str,
    error: type[Exception],
    text: str,
) -> None:
    caplog.set_level("DEBUG")
    api.get("/movie/550").respond(status, json=load(fixture))
    with pytest.raises(error) as info:
        await tmdb.fetch(MOVIE, Ids(tmdb=550))
    assert type(info.value) is error
    assert text in str(info.value)
    assert getattr(info.value, "status", None) == status
    assert tmdb.requests_made == 1 and fake_sleep.calls == []  # not retried
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert tmdb.http.last_error is not None and KEY not in tmdb.http.last_error
    assert KEY not in caplog.text


async def test_429_with_retry_after_then_success(
    api: respx.MockRouter,
    tmdb: TmdbProvider,
    fake_sleep: FakeSleep,
    limited: list[tuple[str, float | None]],
) -> None:
    legacy_429 = load("errors_429_quoted_in_issue_threads.json")["errors"][0]["body"]
    api.get("/search/movie").mock(
        side_effect=[
            httpx.Response(429, json=legacy_429, headers={"Retry-After": "2"}),
            httpx.Response(200, json=load("search_movie_the_matrix_2017.json")),
        ]
    )
    found = await tmdb.search(SearchQuery(MOVIE, "The Matrix", 1999))
    assert found[0].id == "603"
    assert fake_sleep.calls == [2.0]
    assert tmdb.requests_made == 2
    assert limited == [("tmdb", 2.0)]
    assert tmdb.http.last_status == 200 and tmdb.http.last_error is None


async def test_429_every_time_is_rate_limited(
    api: respx.MockRouter, tmdb: TmdbProvider, fake_sleep: FakeSleep
) -> None:
    api.get("/search/movie").respond(429, headers={"Retry-After": "3"})
    with pytest.raises(RateLimited) as info:
        await tmdb.search(SearchQuery(MOVIE, "The Matrix"))
    assert info.value.retry_after == 3.0
    assert fake_sleep.calls == [3.0] * MAX_RETRIES
    assert tmdb.requests_made == MAX_RETRIES + 1


async def test_503_until_retries_run_out_is_unavailable(
    api: respx.MockRouter, tmdb: TmdbProvider, fake_sleep: FakeSleep
) -> None:
    offline = {"status_code": 9, "status_message": "Service offline."}
    api.get("/movie/550").respond(503, json=offline)
    with pytest.raises(Unavailable) as info:
        await tmdb.fetch(MOVIE, Ids(tmdb=550))
    assert "Service offline" in str(info.value)
    assert tmdb.requests_made == MAX_RETRIES + 1
    assert len(fake_sleep.calls) == MAX_RETRIES
    assert 0.25 <= fake_sleep.calls[0] <= 0.5 and 0.5 <= fake_sleep.calls[1] <= 1.0
    assert tmdb.http.last_status == 503


async def test_timeout_is_unavailable_and_keeps_the_key_out(
    api: respx.MockRouter, tmdb: TmdbProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout(f"timed out reading {request.url}", request=request)

    api.get("/movie/550").mock(side_effect=timeout)
    with pytest.raises(Unavailable) as info:
        await tmdb.fetch(MOVIE, Ids(tmdb=550))
    assert "timed out" in str(info.value)
    assert tmdb.requests_made == MAX_RETRIES + 1
    assert KEY not in str(info.value) and KEY not in (tmdb.http.last_error or "")
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert KEY not in caplog.text


async def test_non_json_body_is_a_bad_response(
    api: respx.MockRouter, tmdb: TmdbProvider, fake_sleep: FakeSleep
) -> None:
    api.get("/movie/550").respond(200, text="<html>maintenance</html>")
    with pytest.raises(BadResponse, match="not JSON"):
        await tmdb.fetch(MOVIE, Ids(tmdb=550))
    assert tmdb.requests_made == 1 and fake_sleep.calls == []


@pytest.mark.parametrize(
    ("path", "body", "call"),
    [
        ("/search/movie", {"page": 1}, "search"),
        ("/search/movie", [1, 2], "search"),
        ("/search/movie", {"results": {"id": 1}}, "search"),
        ("/find/tt0137523", {"movie_results": []}, "find"),
    ],
)
async def test_malformed_search_shapes_are_bad_responses(
    api: respx.MockRouter, tmdb: TmdbProvider, path: str, body: object, call: str
) -> None:
    api.get(path).respond(json=body)
    with pytest.raises(BadResponse):
        if call == "search":
            await tmdb.search(SearchQuery(MOVIE, "Fight Club"))
        else:
            await tmdb.find_by_imdb("tt0137523")


async def test_search_skips_results_it_cannot_read(
    api: respx.MockRouter, tmdb: TmdbProvider
) -> None:
    results = [
        None,
        {"title": "no id"},
        {"id": 5, "title": ""},
        {"id": 9, "title": "Ok", "popularity": "x"},
    ]
    api.get("/search/movie").respond(json={"results": results})
    found = await tmdb.search(SearchQuery(MOVIE, "Ok"))
    assert [(c.id, c.title, c.year, c.popularity) for c in found] == [("9", "Ok", None, 0.0)]


async def test_fetch_rejects_bad_ids_and_kinds_without_a_request(tmdb: TmdbProvider) -> None:
    with pytest.raises(NotFound):
        await tmdb.fetch(MOVIE, Ids(imdb="tt0137523"))  # no TMDB id: nothing to ask
    with pytest.raises(NotFound):
        await tmdb.fetch(EntityKind.EPISODE, Ids(tmdb=550))
    assert tmdb.requests_made == 0


async def test_missing_key_is_auth_failed_without_a_request(api: respx.MockRouter) -> None:
    route = api.get("/search/movie").respond(json={"results": []})
    provider = TmdbProvider(make_settings(api_key=""))
    try:
        with pytest.raises(AuthFailed):
            await provider.search(SearchQuery(MOVIE, "Fight Club"))
    finally:
        await provider.aclose()
    assert route.call_count == 0 and provider.requests_made == 0
