"""ProviderHttp with a ledger: response cache, stale answers, offline, quotas, pauses, login."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx

from matinee.errors import AuthFailed, NotFound, ProviderError, QuotaExhausted, Unavailable
from matinee.providers.context import current_context, request_context
from matinee.providers.http import ProviderEnv, ProviderHttp
from matinee.providers.ledger import cache_key

from .fake_ledger import FakeLedger
from .support import KEY, FakeSleep, settings

DAY = 86400.0


def quota_error(body: Any) -> ProviderError | None:
    if isinstance(body, dict) and body.get("Error") == "Request limit reached!":
        return QuotaExhausted("demo", "daily request limit reached")
    return None


def make(ledger: FakeLedger, sleep: FakeSleep, **changes: Any) -> ProviderHttp:
    offline = changes.pop("offline", False)
    s = settings(**changes)
    env = ProviderEnv(
        ledger=ledger, sleep=sleep, offline=offline, cache_ttl_s=DAY, jitter=lambda: 1.0
    )
    return ProviderHttp(
        "demo",
        s,
        env,
        map_error=lambda status, body: None,
        check_body=quota_error,
        secret_params={"api_key": s.api_key},
    )


@pytest.fixture
def ledger() -> FakeLedger:
    return FakeLedger()


async def test_cache_key_holds_no_secret(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    api.get("/movie/1").respond(json={"id": 1})
    client = make(ledger, fake_sleep)
    await client.get_json("/movie/1", {"language": "en-US"})
    assert list(ledger.cache) == ["GET /movie/1?language=en-US"]
    assert all(KEY not in key for key in ledger.cache)
    assert cache_key("GET", "/x", {"b": 2, "a": "1"}) == "GET /x?a=1&b=2"


async def test_fresh_cache_entry_sends_nothing(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    route = api.get("/movie/1").respond(json={"id": 1, "title": "A"})
    client = make(ledger, fake_sleep)
    first = await client.get_json("/movie/1", {})
    second = await client.get_json("/movie/1", {})
    assert first == second == {"id": 1, "title": "A"}
    assert route.call_count == 1 and client.requests_made == 1
    assert ledger.count == 1  # one request counted against the quota


async def test_force_bypasses_the_cache_and_refreshes_it(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    api.get("/movie/1").mock(
        side_effect=[httpx.Response(200, json={"v": 1}), httpx.Response(200, json={"v": 2})]
    )
    client = make(ledger, fake_sleep)
    await client.get_json("/movie/1", {})
    with request_context(force=True):
        assert await client.get_json("/movie/1", {}) == {"v": 2}
    assert await client.get_json("/movie/1", {}) == {"v": 2}  # the refreshed entry
    assert client.requests_made == 2


async def test_expired_entry_is_refetched(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    api.get("/movie/1").mock(
        side_effect=[httpx.Response(200, json={"v": 1}), httpx.Response(200, json={"v": 2})]
    )
    client = make(ledger, fake_sleep)
    await client.get_json("/movie/1", {})
    ledger.age("GET /movie/1", 2 * DAY)
    assert await client.get_json("/movie/1", {}) == {"v": 2}


async def test_stale_entry_is_served_when_the_provider_is_down(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    api.get("/movie/1").mock(side_effect=[httpx.Response(200, json={"v": 1}), httpx.Response(503)])
    client = make(ledger, fake_sleep, max_retries=0)
    await client.get_json("/movie/1", {})
    ledger.age("GET /movie/1", 2 * DAY)
    with request_context() as ctx:
        assert await client.get_json("/movie/1", {}) == {"v": 1}
    assert ctx.stale == {"demo"}
    assert current_context().stale == set()  # outside the block: a fresh context


async def test_down_provider_with_nothing_cached_fails(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    api.get("/movie/1").respond(503)
    client = make(ledger, fake_sleep, max_retries=1)
    with pytest.raises(Unavailable):
        await client.get_json("/movie/1", {})
    assert client.requests_made == 2
    assert ledger.records[-1] == (503, "demo: HTTP 503", None)


async def test_offline_sends_nothing_and_serves_the_cache(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    route = api.get("/movie/1").respond(json={})
    online = make(ledger, fake_sleep)
    await online.get_json("/movie/1", {})
    ledger.age("GET /movie/1", 30 * DAY)
    offline = make(ledger, fake_sleep, offline=True)
    with request_context(force=True) as ctx:
        assert await offline.get_json("/movie/1", {}) == {}
        with pytest.raises(Unavailable, match="offline, and not in the cache"):
            await offline.get_json("/movie/2", {})
    assert ctx.stale == {"demo"}
    assert route.call_count == 1 and offline.requests_made == 0


async def test_404_is_cached_and_replayed_as_not_found(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    route = api.get("/movie/9").respond(404)
    client = make(ledger, fake_sleep)
    for _ in range(2):
        with pytest.raises(NotFound):
            await client.get_json("/movie/9", {})
    assert route.call_count == 1
    assert ledger.cache["GET /movie/9"].status == 404


async def test_bulk_requests_stop_at_the_reserve_manual_ones_may_use_it(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    api.get("/x").respond(json={})
    client = make(ledger, fake_sleep, daily_quota=5, quota_reserve=2)
    for n in range(3):
        await client.get_json("/x", {"n": n})
    with pytest.raises(QuotaExhausted):
        await client.get_json("/x", {"n": 3})
    with request_context(manual=True):
        await client.get_json("/x", {"n": 4})
        await client.get_json("/x", {"n": 5})
        with pytest.raises(QuotaExhausted):
            await client.get_json("/x", {"n": 6})
    assert ledger.limits == [3, 3, 3, 3, 5, 5, 5]
    assert client.requests_made == 5


async def test_no_quota_means_no_limit(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    api.get("/x").respond(json={})
    client = make(ledger, fake_sleep)
    await client.get_json("/x", {})
    assert ledger.limits == [None]


async def test_quota_error_in_a_200_body_marks_the_provider_exhausted(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    api.get("/x").respond(json={"Response": "False", "Error": "Request limit reached!"})
    client = make(ledger, fake_sleep)
    with pytest.raises(QuotaExhausted):
        await client.get_json("/x", {})
    assert ledger.exhausted_at is None  # told, with no reset time: the ledger picks midnight
    assert client.requests_made == 1 and fake_sleep.calls == []
    assert "GET /x" not in ledger.cache


async def test_429_pauses_every_caller_of_that_provider(
    api: respx.MockRouter, ledger: FakeLedger
) -> None:
    """Fake clock: the 429 sets a 2 s pause; a second caller waits it out before sending."""
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    api.get("/a").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "2"}),
            httpx.Response(200, json={}),
        ]
    )
    api.get("/b").respond(json={})
    env = ProviderEnv(ledger=ledger, sleep=sleep, clock=lambda: now[0])
    s = settings()
    client = ProviderHttp(
        "demo", s, env, map_error=lambda st, b: None, secret_params={"api_key": s.api_key}
    )
    await client.get_json("/a", {})
    await client.get_json("/b", {})
    assert slept == [2.0]  # the retry waited; /b came after the pause had passed
    assert ledger.records[0][0] == 429 and ledger.records[0][2] is not None
    env2_now = now[0]
    client._paused_until = env2_now + 5
    await client.get_json("/b", {"again": 1})
    assert slept == [2.0, 5.0]


async def test_bearer_login_once_then_again_after_a_401(api: respx.MockRouter) -> None:
    logins: list[str] = []

    async def login() -> str:
        logins.append("x")
        return f"token-{len(logins)}"

    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization", ""))
        if request.headers.get("Authorization") == "Bearer token-1" and len(seen) > 2:
            return httpx.Response(401, json={"status": "failure", "message": "Unauthorized"})
        return httpx.Response(200, json={"ok": True})

    api.get("/series/1").mock(side_effect=answer)
    client = ProviderHttp(
        "demo", settings(), ProviderEnv(sleep=FakeSleep()), map_error=lambda s, b: None, login=login
    )
    await client.get_json("/series/1", {})
    await client.get_json("/series/1", {})
    await client.get_json("/series/1", {})  # 401 with token-1: one new login, then success
    assert seen == ["Bearer token-1", "Bearer token-1", "Bearer token-1", "Bearer token-2"]
    assert logins == ["x", "x"]


async def test_a_refused_login_is_not_retried_forever(api: respx.MockRouter) -> None:
    calls = 0

    async def login() -> str:
        nonlocal calls
        calls += 1
        raise AuthFailed("demo", "invalid key")

    api.get("/series/1").respond(json={})
    client = ProviderHttp(
        "demo", settings(), ProviderEnv(sleep=FakeSleep()), map_error=lambda s, b: None, login=login
    )
    with pytest.raises(AuthFailed):
        await client.get_json("/series/1", {})
    assert calls == 1


async def test_concurrent_first_requests_log_in_once(api: respx.MockRouter) -> None:
    logins = 0

    async def login() -> str:
        nonlocal logins
        logins += 1
        await asyncio.sleep(0)
        return "tok"

    api.get("/x").respond(json={})
    client = ProviderHttp(
        "demo", settings(), ProviderEnv(sleep=FakeSleep()), map_error=lambda s, b: None, login=login
    )
    await asyncio.gather(*(client.get_json("/x", {"n": n}) for n in range(5)))
    assert logins == 1 and client.requests_made == 5


async def test_post_json_sends_the_body_uncached(
    api: respx.MockRouter, ledger: FakeLedger, fake_sleep: FakeSleep
) -> None:
    route = api.post("/login").respond(json={"data": {"token": "t"}})
    client = make(ledger, fake_sleep)
    body = await client.post_json("/login", {"apikey": KEY}, authenticated=False)
    assert body == {"data": {"token": "t"}}
    assert route.calls.last.request.content == b'{"apikey":"' + KEY.encode() + b'"}'
    assert ledger.cache == {}
