"""ProviderHttp: retries, backoff, Retry-After, error mapping and keeping the key secret."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx

from matinee.config import ProviderSettings
from matinee.errors import (
    AuthFailed,
    BadResponse,
    NotFound,
    ProviderError,
    QuotaExhausted,
    RateLimited,
    Unavailable,
)
from matinee.providers.http import RETRY_AFTER_CAP_S, ErrorMapper, ProviderEnv, ProviderHttp
from matinee.providers.shapes import present, unique, year_of

from .support import KEY, FakeSleep, settings


def no_mapping(status: int, body: Any) -> ProviderError | None:
    return None


def echo_mapping(status: int, body: Any) -> ProviderError | None:
    """A provider that repeats the server's message, as TMDB's error bodies do."""
    message = body.get("message") if isinstance(body, dict) else None
    if status == 401 and message == "Request limit reached!":
        return QuotaExhausted("demo", message)
    return BadResponse("demo", str(message), status=status) if message else None


def make(
    s: ProviderSettings | None = None, *, mapping: ErrorMapper | None = None, **env: Any
) -> ProviderHttp:
    """A client that sends the key as `api_key`, like TMDB."""
    s = s or settings()
    return ProviderHttp(
        "demo",
        s,
        ProviderEnv(**env),
        map_error=mapping or no_mapping,
        secret_params={"api_key": s.api_key},
    )


@pytest.fixture
async def http(api: respx.MockRouter, fake_sleep: FakeSleep) -> AsyncIterator[ProviderHttp]:
    client = make(
        settings(max_retries=3), mapping=echo_mapping, sleep=fake_sleep, jitter=lambda: 1.0
    )
    yield client
    await client.aclose()


async def test_client_is_built_from_settings(http: ProviderHttp) -> None:
    client = http._client
    assert client.timeout == httpx.Timeout(5.0)
    assert str(client.base_url) == "https://api.tmdb.test/3/"


async def test_get_json_adds_the_key_and_returns_the_body(
    api: respx.MockRouter, http: ProviderHttp
) -> None:
    route = api.get("/thing").respond(json={"ok": True})
    assert await http.get_json("/thing", {"q": "x", "n": 2}) == {"ok": True}
    assert dict(route.calls.last.request.url.params.multi_items()) == {
        "q": "x",
        "n": "2",
        "api_key": KEY,
    }
    assert (http.requests_made, http.last_status, http.last_error) == (1, 200, None)


async def test_5xx_backoff_doubles_and_is_capped_by_retries(
    api: respx.MockRouter, http: ProviderHttp, fake_sleep: FakeSleep
) -> None:
    api.get("/thing").respond(502)
    with pytest.raises(Unavailable) as info:
        await http.get_json("/thing", {})
    assert fake_sleep.calls == [0.5, 1.0, 2.0]
    assert http.requests_made == 4
    assert info.value.status == 502
    assert http.last_error == "demo: HTTP 502"


async def test_backoff_jitter_stays_between_half_and_full(
    api: respx.MockRouter, fake_sleep: FakeSleep
) -> None:
    api.get("/thing").respond(500)
    client = make(settings(max_retries=2), sleep=fake_sleep, jitter=lambda: 0.0)
    with pytest.raises(Unavailable):
        await client.get_json("/thing", {})
    await client.aclose()
    assert fake_sleep.calls == [0.25, 0.5]


async def test_recovers_after_a_connection_error(
    api: respx.MockRouter, http: ProviderHttp, fake_sleep: FakeSleep
) -> None:
    api.get("/thing").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=[1])]
    )
    assert await http.get_json("/thing", {}) == [1]
    assert http.requests_made == 2 and fake_sleep.calls == [0.5]
    assert http.last_error is None


async def test_429_without_retry_after_uses_backoff(
    api: respx.MockRouter, http: ProviderHttp, fake_sleep: FakeSleep
) -> None:
    api.get("/thing").mock(side_effect=[httpx.Response(429), httpx.Response(200, json={})])
    assert await http.get_json("/thing", {}) == {}
    assert fake_sleep.calls == [0.5]


async def test_long_retry_after_is_raised_at_once(
    api: respx.MockRouter, http: ProviderHttp, fake_sleep: FakeSleep
) -> None:
    """Waiting out an hour in place would block a worker: the engine pauses the provider."""
    api.get("/thing").respond(429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimited) as info:
        await http.get_json("/thing", {})
    assert info.value.retry_after == 3600.0 > RETRY_AFTER_CAP_S
    assert fake_sleep.calls == [] and http.requests_made == 1


async def test_after_a_long_retry_after_later_requests_fail_without_sending(
    api: respx.MockRouter, http: ProviderHttp, fake_sleep: FakeSleep
) -> None:
    route = api.get("/thing").respond(429, headers={"Retry-After": "3600"})
    other = api.get("/other").respond(json={})
    with pytest.raises(RateLimited):
        await http.get_json("/thing", {})
    with pytest.raises(RateLimited) as info:
        await http.get_json("/other", {})
    assert info.value.retry_after is not None and info.value.retry_after > RETRY_AFTER_CAP_S
    assert route.call_count == 1 and other.call_count == 0 and fake_sleep.calls == []


async def test_retry_after_as_a_past_http_date_means_now(
    api: respx.MockRouter, http: ProviderHttp, fake_sleep: FakeSleep
) -> None:
    api.get("/thing").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
            httpx.Response(200, json={}),
        ]
    )
    await http.get_json("/thing", {})
    assert fake_sleep.calls == [0.0]


async def test_callback_hears_every_429(api: respx.MockRouter, fake_sleep: FakeSleep) -> None:
    heard: list[tuple[str, float | None]] = []
    api.get("/thing").respond(429, headers={"Retry-After": "1.5"})
    client = make(
        settings(max_retries=1),
        sleep=fake_sleep,
        on_rate_limited=lambda pid, after: heard.append((pid, after)),
    )
    with pytest.raises(RateLimited):
        await client.get_json("/thing", {})
    await client.aclose()
    assert heard == [("demo", 1.5), ("demo", 1.5)]


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthFailed), (403, AuthFailed), (404, NotFound), (418, BadResponse), (400, BadResponse)],
)
async def test_generic_mapping_when_the_provider_has_none(
    api: respx.MockRouter, fake_sleep: FakeSleep, status: int, error: type[ProviderError]
) -> None:
    api.get("/thing").respond(status, text="nope")
    client = make(sleep=fake_sleep)
    with pytest.raises(error) as info:
        await client.get_json("/thing", {})
    await client.aclose()
    assert type(info.value) is error and info.value.status == status
    assert client.requests_made == 1


async def test_provider_mapping_is_not_retried_unless_retryable(
    api: respx.MockRouter, http: ProviderHttp, fake_sleep: FakeSleep
) -> None:
    api.get("/thing").respond(401, json={"message": "Request limit reached!"})
    with pytest.raises(QuotaExhausted):
        await http.get_json("/thing", {})
    assert http.requests_made == 1 and fake_sleep.calls == []


async def test_key_echoed_by_the_server_is_scrubbed(
    api: respx.MockRouter, http: ProviderHttp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api.get("/thing").respond(400, json={"message": f"bad api_key {KEY}"})
    with pytest.raises(BadResponse) as info:
        await http.get_json("/thing", {})
    assert str(info.value) == "demo: bad api_key ****"
    assert http.last_error == "demo: bad api_key ****"
    assert KEY not in caplog.text
    assert "api_key=****" in caplog.text  # httpx's own request log line, redacted


async def test_connection_error_text_with_the_url_never_leaks(
    api: respx.MockRouter, http: ProviderHttp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    api.get("/thing").mock(side_effect=refuse)
    with pytest.raises(Unavailable) as info:
        await http.get_json("/thing", {})
    assert str(info.value) == "demo: connection failed (ConnectError)"
    assert info.value.__context__ is None and info.value.__cause__ is None
    assert http.last_status is None
    assert KEY not in caplog.text


async def test_empty_body_is_a_bad_response(
    api: respx.MockRouter, http: ProviderHttp, fake_sleep: FakeSleep
) -> None:
    api.get("/thing").respond(200, content=b"")
    with pytest.raises(BadResponse, match="not JSON"):
        await http.get_json("/thing", {})


async def test_no_key_means_no_request(api: respx.MockRouter, fake_sleep: FakeSleep) -> None:
    route = api.get("/thing").respond(json={})
    client = make(settings(api_key=""), sleep=fake_sleep)
    with pytest.raises(AuthFailed, match="no API key"):
        await client.get_json("/thing", {})
    await client.aclose()
    assert route.call_count == 0 and client.requests_made == 0
    assert client.last_error == "demo: no API key configured"


def test_shape_readers() -> None:
    assert year_of("") is None and year_of("1999-10-15") == 1999 and year_of(None) is None
    assert unique(["a", None, "", "b", "a"]) == ["a", "b"]
    assert present({"a": None, "b": "", "c": [], "d": 0, "e": "x"}) == {"d": 0, "e": "x"}
