"""TvdbProvider authentication: the login token, the PIN, re-login on 401 and key secrecy.

The fixtures in `tests/fixtures/tvdb/` are built from the schemas of
`provider-samples/tvdb/OFFICIAL_swagger_v4.yml` (see their README); no real payload exists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import respx

from matinee.errors import AuthFailed, BadResponse, ProviderError
from matinee.model import Ids
from matinee.providers.base import SearchQuery
from matinee.providers.tvdb import TvdbProvider

from .support import KEY, FakeSleep
from .tvdb_support import BASE_URL, EPISODES, EXTENDED, SERIES, SID, extended, load, make_provider

TOKEN = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhZ2UiOiIiLCJhcGlrZXkiOiJ0ZXN0In0.c2lnbmF0dXJlLXRlc3Q"
)
SECOND_TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2Vjb25kLXRva2Vu.c2Vjb25kLXNpZ25hdHVyZQ"
PIN = "4815162342"


def login_answer(token: str = TOKEN) -> httpx.Response:
    return httpx.Response(200, json={"status": "success", "data": {"token": token}})


def bearer(route: respx.Route, index: int = -1) -> str | None:
    value: str | None = route.calls[index].request.headers.get("authorization")
    return value


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """Overrides the TMDB router of conftest.py; its `login` and `tvdb` fixtures use this one."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


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
    provider = await make_provider(fake_sleep, pin=PIN)
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
    provider = await make_provider(fake_sleep)
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
    provider = await make_provider(fake_sleep)
    try:
        with pytest.raises(AuthFailed, match="invalid key"):
            await provider.check()
    finally:
        await provider.aclose()


async def test_login_without_a_token_is_a_bad_response(
    api: respx.MockRouter, fake_sleep: FakeSleep
) -> None:
    api.post("/login").respond(json={"status": "success", "data": {"token": ""}})
    provider = await make_provider(fake_sleep)
    try:
        with pytest.raises(BadResponse, match="no token"):
            await provider.check()
    finally:
        await provider.aclose()


async def test_no_key_sends_nothing(api: respx.MockRouter, fake_sleep: FakeSleep) -> None:
    login = api.post("/login").respond(json=load("login_200.json"))
    provider = await make_provider(fake_sleep, api_key="")
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
    provider = await make_provider(fake_sleep, pin=PIN)
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
