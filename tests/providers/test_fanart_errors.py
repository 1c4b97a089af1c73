"""FanartProvider ids, errors, keys and check against fanart.tv v3 (respx; no network)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import httpx
import pytest
import respx

from matinee.errors import AuthFailed, BadResponse, NotFound, ProviderError, Unavailable
from matinee.model import EntityKind, Ids
from matinee.providers.base import Provider, ProviderRecord
from matinee.providers.fanart import FanartProvider, map_fanart_error
from matinee.providers.http import ProviderEnv
from matinee.providers.ledger import CachedResponse

from .fanart_support import DEXTER, HUNGER_GAMES, KEY, MOVIE, SERIES, WILFRED, load, settings
from .support import MAX_RETRIES, FakeSleep

CLIENT_KEY = "c1c2c3c4c5c6c7c8c9cacbcccdcecfd0"


class MemoryLedger:
    """Just enough of a `Ledger` to keep cached answers in memory."""

    def __init__(self) -> None:
        self.cache: dict[str, CachedResponse] = {}

    async def reserve(self, provider: str, limit: int | None) -> None:
        return None

    async def record(
        self,
        provider: str,
        *,
        status: int | None,
        error: str | None,
        rate_limited_until: float | None = None,
    ) -> None:
        return None

    async def exhausted(self, provider: str, reset_at: datetime | None, message: str) -> None:
        return None

    async def cache_get(self, provider: str, key: str) -> CachedResponse | None:
        return self.cache.get(key)

    async def cache_put(self, provider: str, key: str, status: int, body: Any) -> None:
        self.cache[key] = CachedResponse(status, body, time.time())


def test_provider_satisfies_the_protocol() -> None:
    provider = FanartProvider(settings())
    assert isinstance(provider, Provider)
    assert (provider.id, provider.name) == ("fanart", "Fanart.tv")
    assert provider.kinds == frozenset({MOVIE, SERIES})


# --- which id, and when ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "ids", "expected"),
    [
        (MOVIE, Ids(tmdb=70160), True),
        (MOVIE, Ids(imdb="tt1392170"), True),
        (MOVIE, Ids(tmdb=70160, imdb="tt1392170"), True),
        (MOVIE, Ids(tvdb=79349), False),
        (MOVIE, Ids(imdb="../tv/79349"), False),
        (MOVIE, Ids(), False),
        (SERIES, Ids(tvdb=79349), True),
        (SERIES, Ids(tmdb=1405, imdb="tt0773262"), False),
        (SERIES, Ids(), False),
        (EntityKind.SEASON, Ids(tmdb=1, imdb="tt0773262", tvdb=79349), False),
        (EntityKind.EPISODE, Ids(tmdb=1, imdb="tt0773262", tvdb=79349), False),
    ],
)
def test_can_fetch(kind: EntityKind, ids: Ids, expected: bool) -> None:
    assert FanartProvider(settings()).can_fetch(kind, ids) is expected


async def test_fetch_prefers_the_tmdb_id(
    fanart_api: respx.MockRouter, fanart: FanartProvider
) -> None:
    by_tmdb = fanart_api.get("/movies/70160").respond(json={"name": "x"})
    by_imdb = fanart_api.get("/movies/tt1392170").respond(json={"name": "x"})
    await fanart.fetch(MOVIE, HUNGER_GAMES)
    assert (by_tmdb.call_count, by_imdb.call_count) == (1, 0)
    await fanart.fetch(MOVIE, Ids(imdb="tt1392170"))
    assert (by_tmdb.call_count, by_imdb.call_count) == (1, 1)


async def test_fetch_without_a_usable_id_sends_nothing(fanart: FanartProvider) -> None:
    with pytest.raises(NotFound):
        await fanart.fetch(SERIES, Ids(tmdb=1405))
    with pytest.raises(NotFound):
        await fanart.fetch(EntityKind.EPISODE, Ids(tvdb=79349))
    assert fanart.requests_made == 0


# --- no art, errors and keys -----------------------------------------------------------------


async def test_404_is_an_empty_record(fanart_api: respx.MockRouter, fanart: FanartProvider) -> None:
    fanart_api.get("/tv/0").respond(404, json={"status": "error", "error message": "Not found"})
    record = await fanart.fetch(SERIES, Ids(tvdb=0))
    assert record == ProviderRecord(provider="fanart", kind=SERIES, ids=Ids(), fields={})
    assert fanart.requests_made == 1


async def test_cached_404_is_an_empty_record_without_a_request(
    fanart_api: respx.MockRouter,
) -> None:
    route = fanart_api.get("/movies/603").respond(404)
    ledger = MemoryLedger()
    provider = FanartProvider(settings(), ProviderEnv(sleep=FakeSleep(), ledger=ledger))
    try:
        first = await provider.fetch(MOVIE, Ids(tmdb=603))
        again = await provider.fetch(MOVIE, Ids(tmdb=603))
    finally:
        await provider.aclose()
    assert first == again == ProviderRecord(provider="fanart", kind=MOVIE, ids=Ids(), fields={})
    assert route.call_count == 1
    assert [c.status for c in ledger.cache.values()] == [404]


@pytest.mark.parametrize(
    ("status", "message", "error", "text"),
    [
        (401, "Invalid project API key", AuthFailed, "invalid key"),
        (403, None, AuthFailed, "invalid key"),
        (400, "API key is required", AuthFailed, "invalid key"),
        (400, "Bad id", BadResponse, "HTTP 400: Bad id"),
        (418, None, BadResponse, "unexpected HTTP 418"),
    ],
)
async def test_error_bodies_map_to_our_errors(
    fanart_api: respx.MockRouter,
    fanart: FanartProvider,
    fake_sleep: FakeSleep,
    status: int,
    message: str | None,
    error: type[ProviderError],
    text: str,
) -> None:
    body = {"status": "error", "error message": message} if message else None
    fanart_api.get("/movies/70160").respond(status, json=body)
    with pytest.raises(error) as info:
        await fanart.fetch(MOVIE, HUNGER_GAMES)
    assert type(info.value) is error
    assert str(info.value) == f"fanart: {text}"
    assert info.value.status == status
    assert fanart.requests_made == 1 and fake_sleep.calls == []  # not retried


async def test_quoted_issue_body_in_a_200_is_still_an_auth_failure(
    fanart_api: respx.MockRouter, fanart: FanartProvider
) -> None:
    quoted = load("errors_quoted_in_issue_threads.json")["errors"][0]["body"]
    fanart_api.get("/movies/70160").respond(200, json=quoted)
    with pytest.raises(AuthFailed, match="invalid key"):
        await fanart.fetch(MOVIE, HUNGER_GAMES)


async def test_5xx_is_retried_then_unavailable(
    fanart_api: respx.MockRouter, fanart: FanartProvider, fake_sleep: FakeSleep
) -> None:
    fanart_api.get("/tv/79349").respond(503, text="<html>Service Unavailable</html>")
    with pytest.raises(Unavailable) as info:
        await fanart.fetch(SERIES, DEXTER)
    assert info.value.status == 503
    assert fanart.requests_made == MAX_RETRIES + 1
    assert len(fake_sleep.calls) == MAX_RETRIES


async def test_5xx_then_success(
    fanart_api: respx.MockRouter, fanart: FanartProvider, fake_sleep: FakeSleep
) -> None:
    fanart_api.get("/tv/239761").mock(
        side_effect=[
            httpx.Response(502),
            httpx.Response(200, json=load("tv_239761_wilfred_us_v3.json")),
        ]
    )
    record = await fanart.fetch(SERIES, WILFRED)
    assert len(record.artwork) == 37
    assert fanart.requests_made == 2 and len(fake_sleep.calls) == 1


async def test_both_keys_are_sent_and_never_shown(
    fanart_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    echo = f"Invalid API key {KEY} for client {CLIENT_KEY}"
    route = fanart_api.get("/movies/70160").mock(
        side_effect=[
            httpx.Response(200, json=load("movies_70160_the_hunger_games_v3.json")),
            httpx.Response(401, json={"status": "error", "error message": echo}),
            httpx.Response(400, json={"status": "error", "error message": f"id {CLIENT_KEY}?"}),
            httpx.Response(500, json={"status": "error", "error message": f"down {KEY}"}),
        ]
    )
    env = ProviderEnv(sleep=FakeSleep())
    provider = FanartProvider(settings(client_key=CLIENT_KEY, max_retries=0), env)
    errors: list[ProviderError] = []
    try:
        await provider.fetch(MOVIE, HUNGER_GAMES)
        for _ in range(3):
            with pytest.raises(ProviderError) as info:
                await provider.fetch(MOVIE, HUNGER_GAMES)
            errors.append(info.value)
            assert provider.http.last_error is not None
            for secret in (KEY, CLIENT_KEY):
                assert secret not in provider.http.last_error
    finally:
        await provider.aclose()
    assert dict(route.calls[0].request.url.params) == {"api_key": KEY, "client_key": CLIENT_KEY}
    assert [type(e) for e in errors] == [AuthFailed, BadResponse, Unavailable]
    for error in errors:
        for secret in (KEY, CLIENT_KEY):
            assert secret not in str(error) and secret not in repr(error)
    assert "****" in str(errors[1]) and "****" in str(errors[2])
    assert KEY not in caplog.text and CLIENT_KEY not in caplog.text


async def test_no_key_means_no_request(fanart_api: respx.MockRouter) -> None:
    route = fanart_api.get("/movies/70160").respond(json={})
    provider = FanartProvider(settings(api_key="", client_key=CLIENT_KEY))
    try:
        with pytest.raises(AuthFailed):
            await provider.fetch(MOVIE, HUNGER_GAMES)
    finally:
        await provider.aclose()
    assert route.call_count == 0


def test_map_fanart_error_directly() -> None:
    assert isinstance(map_fanart_error(404, None), NotFound)  # a cached 404 replays this way
    assert str(map_fanart_error(404, None)) == "fanart: no art for this title"
    assert isinstance(map_fanart_error(500, {"error message": "boom"}), Unavailable)
    assert isinstance(map_fanart_error(408, "not a dict"), Unavailable)
    assert isinstance(map_fanart_error(200, {"error message": "client key revoked"}), AuthFailed)
    assert map_fanart_error(400, None) is None  # the generic mapping decides
    assert map_fanart_error(400, ["error message"]) is None


# --- check -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 404])
async def test_check_accepts_art_or_no_art(fanart_api: respx.MockRouter, status: int) -> None:
    route = fanart_api.get("/movies/603").respond(status, json={"name": "The Matrix"})
    ledger = MemoryLedger()
    provider = FanartProvider(settings(), ProviderEnv(sleep=FakeSleep(), ledger=ledger))
    try:
        await provider.check()
        await provider.check()
    finally:
        await provider.aclose()
    assert route.call_count == 2 and ledger.cache == {}  # live, never cached


async def test_check_raises_on_a_bad_key(
    fanart_api: respx.MockRouter, fanart: FanartProvider
) -> None:
    fanart_api.get("/movies/603").respond(
        401, json={"status": "error", "error message": "Invalid project API key"}
    )
    with pytest.raises(AuthFailed):
        await fanart.check()
    assert fanart.requests_made == 1


# --- odd shapes ------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [[], "text", None, 3])
async def test_a_body_that_is_not_an_object_is_a_bad_response(
    fanart_api: respx.MockRouter, fanart: FanartProvider, body: Any
) -> None:
    fanart_api.get("/movies/5").respond(json=body)
    with pytest.raises(BadResponse):
        await fanart.fetch(MOVIE, Ids(tmdb=5))
