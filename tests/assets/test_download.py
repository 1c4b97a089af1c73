"""ImageFetcher: per-host limits, refusing non-images and oversized bodies, retries, redirects."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import respx

from matinee.assets.download import FetchError, ImageFetcher, display_url
from matinee.errors import MatineeError

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4
IMAGE = {"Content-Type": "image/jpeg"}


class FakeSleep:
    """Records requested sleeps instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def fetcher(sleep: FakeSleep) -> AsyncIterator[ImageFetcher]:
    fetcher = ImageFetcher(sleep=sleep, clock=lambda: 100.0, jitter=lambda: 0.0)
    yield fetcher
    await fetcher.aclose()


def ok(body: bytes = JPEG) -> httpx.Response:
    return httpx.Response(200, content=body, headers=IMAGE)


# --- success and counting ------------------------------------------------------------------


async def test_fetch_returns_the_body_and_counts_bytes(
    router: respx.MockRouter, fetcher: ImageFetcher, sleep: FakeSleep
) -> None:
    router.get("https://image.tmdb.org/t/p/original/a.jpg").mock(return_value=ok(JPEG))
    router.get("https://assets.fanart.tv/b.png").mock(return_value=ok(b"\x89PNG" + b"x" * 2341))

    first = await fetcher.fetch("https://image.tmdb.org/t/p/original/a.jpg")
    second = await fetcher.fetch("https://assets.fanart.tv/b.png")

    assert first == JPEG
    assert len(second) == 2345
    assert fetcher.bytes_downloaded == len(JPEG) + 2345
    assert fetcher.requests_made == 2
    assert sleep.calls == []


async def test_no_content_type_is_accepted(router: respx.MockRouter, fetcher: ImageFetcher) -> None:
    router.get("https://img.example/a").mock(return_value=httpx.Response(200, content=JPEG))

    assert await fetcher.fetch("https://img.example/a") == JPEG


# --- per-host limits -----------------------------------------------------------------------


async def test_in_flight_requests_are_capped_per_host(
    router: respx.MockRouter, sleep: FakeSleep
) -> None:
    in_flight: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    release = asyncio.Event()
    a_full = asyncio.Event()
    b_both_in = asyncio.Event()

    async def hold(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        in_flight[host] += 1
        peak[host] = max(peak[host], in_flight[host])
        if in_flight["a.example"] == 3:
            a_full.set()
        if in_flight["b.example"] == 2:
            b_both_in.set()
        await release.wait()
        in_flight[host] -= 1
        return ok()

    router.get(host__in=["a.example", "b.example"]).mock(side_effect=hold)
    async with ImageFetcher(per_host_connections=3, sleep=sleep) as fetcher:
        tasks = [
            asyncio.create_task(fetcher.fetch(f"https://a.example/{i}.jpg")) for i in range(10)
        ]
        tasks += [
            asyncio.create_task(fetcher.fetch(f"https://b.example/{i}.jpg")) for i in range(2)
        ]
        await asyncio.wait_for(a_full.wait(), timeout=5)
        # Host a is full; host b's downloads still go out beside it.
        await asyncio.wait_for(b_both_in.wait(), timeout=5)
        assert in_flight == Counter({"a.example": 3, "b.example": 2})
        release.set()
        results = await asyncio.gather(*tasks)

    assert results == [JPEG] * 12
    assert peak == Counter({"a.example": 3, "b.example": 2})
    assert fetcher.requests_made == 12


async def test_request_starts_are_paced_per_host(
    router: respx.MockRouter, sleep: FakeSleep
) -> None:
    router.get(host__in=["a.example", "b.example"]).mock(side_effect=lambda _: ok())
    fetcher = ImageFetcher(per_host_connections=1, per_host_rps=2, sleep=sleep, clock=lambda: 0.0)
    try:
        for i in range(3):
            await fetcher.fetch(f"https://a.example/{i}.jpg")
        await fetcher.fetch("https://b.example/0.jpg")  # another host has its own bucket
    finally:
        await fetcher.aclose()

    assert sleep.calls == [0.5, 1.0]


# --- refusing what is not an image ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "reason"),
    [
        ("text/html; charset=utf-8", "not an image: text/html"),
        ("application/json", "not an image: application/json"),
        ("Text/Plain", "not an image: text/plain"),
    ],
)
async def test_web_pages_and_json_are_refused_unread(
    router: respx.MockRouter, fetcher: ImageFetcher, content_type: str, reason: str
) -> None:
    body = b"<html>Rate limit page</html>"
    router.get("https://img.example/p.jpg").mock(
        return_value=httpx.Response(200, content=body, headers={"Content-Type": content_type})
    )

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch("https://img.example/p.jpg")

    assert caught.value.reason == reason
    assert str(caught.value) == f"{reason} (https://img.example/p.jpg)"
    assert fetcher.requests_made == 1
    assert fetcher.bytes_downloaded == 0


async def test_a_declared_oversize_body_is_refused_unread(
    router: respx.MockRouter, sleep: FakeSleep
) -> None:
    router.get("https://img.example/big.jpg").mock(return_value=ok(b"\xff" * 5000))

    async with ImageFetcher(max_bytes=1000, sleep=sleep) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch("https://img.example/big.jpg")

    assert caught.value.reason == "too large"
    assert fetcher.bytes_downloaded == 0
    assert fetcher.requests_made == 1


async def test_a_streamed_oversize_body_is_abandoned(
    router: respx.MockRouter, sleep: FakeSleep
) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(10):
            sent.append(i)
            yield b"\xff" * 400

    router.get("https://img.example/big.jpg").mock(
        side_effect=lambda _: httpx.Response(200, content=chunks(), headers=IMAGE)
    )

    async with ImageFetcher(max_bytes=1000, sleep=sleep) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch("https://img.example/big.jpg")

    assert caught.value.reason == "too large"
    assert fetcher.bytes_downloaded == 1200  # stopped at the chunk that crossed the limit
    assert len(sent) < 10
    assert sleep.calls == []  # not retried


async def test_a_body_exactly_at_the_limit_is_accepted(
    router: respx.MockRouter, sleep: FakeSleep
) -> None:
    router.get("https://img.example/a.jpg").mock(return_value=ok(b"\xff" * 1000))

    async with ImageFetcher(max_bytes=1000, sleep=sleep) as fetcher:
        assert len(await fetcher.fetch("https://img.example/a.jpg")) == 1000


# --- statuses and retries ------------------------------------------------------------------


async def test_a_503_is_retried_with_backoff_then_succeeds(
    router: respx.MockRouter, fetcher: ImageFetcher, sleep: FakeSleep
) -> None:
    route = router.get("https://img.example/a.jpg").mock(
        side_effect=[httpx.Response(503), httpx.Response(503), ok()]
    )

    assert await fetcher.fetch("https://img.example/a.jpg") == JPEG
    assert route.call_count == 3
    assert sleep.calls == [0.25, 0.5]


async def test_retries_stop_after_two(
    router: respx.MockRouter, fetcher: ImageFetcher, sleep: FakeSleep
) -> None:
    route = router.get("https://img.example/a.jpg").mock(return_value=httpx.Response(502))

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch("https://img.example/a.jpg")

    assert (caught.value.reason, caught.value.status) == ("HTTP 502", 502)
    assert route.call_count == 3
    assert len(sleep.calls) == 2


async def test_a_404_is_not_retried(
    router: respx.MockRouter, fetcher: ImageFetcher, sleep: FakeSleep
) -> None:
    route = router.get("https://img.example/a.jpg").mock(return_value=httpx.Response(404))

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch("https://img.example/a.jpg")

    assert (caught.value.reason, caught.value.status) == ("HTTP 404", 404)
    assert isinstance(caught.value, MatineeError)
    assert route.call_count == 1
    assert sleep.calls == []


async def test_a_429_waits_out_retry_after(
    router: respx.MockRouter, fetcher: ImageFetcher, sleep: FakeSleep
) -> None:
    router.get("https://img.example/a.jpg").mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "3"}), ok()]
    )

    assert await fetcher.fetch("https://img.example/a.jpg") == JPEG
    assert sleep.calls == [3.0]


async def test_a_long_retry_after_fails_at_once(
    router: respx.MockRouter, fetcher: ImageFetcher, sleep: FakeSleep
) -> None:
    route = router.get("https://img.example/a.jpg").mock(
        return_value=httpx.Response(429, headers={"Retry-After": "3600"})
    )

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch("https://img.example/a.jpg")

    assert caught.value.status == 429
    assert route.call_count == 1
    assert sleep.calls == []


async def test_a_timeout_is_retried(
    router: respx.MockRouter, fetcher: ImageFetcher, sleep: FakeSleep
) -> None:
    router.get("https://img.example/a.jpg").mock(side_effect=[httpx.ReadTimeout("slow"), ok()])

    assert await fetcher.fetch("https://img.example/a.jpg") == JPEG
    assert sleep.calls == [0.25]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (httpx.ConnectTimeout("slow"), "timed out after 20s"),
        (httpx.ConnectError("refused"), "connection failed (ConnectError)"),
    ],
)
async def test_transport_failures_become_fetch_errors(
    router: respx.MockRouter,
    fetcher: ImageFetcher,
    sleep: FakeSleep,
    error: Exception,
    reason: str,
) -> None:
    route = router.get("https://img.example/a.jpg").mock(side_effect=error)

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch("https://img.example/a.jpg?sig=abc")

    assert str(caught.value) == f"{reason} (https://img.example/a.jpg)"
    assert caught.value.__cause__ is None
    assert route.call_count == 3


async def test_urls_in_errors_lose_query_and_user_info(
    router: respx.MockRouter, fetcher: ImageFetcher
) -> None:
    router.get("https://img.example/p.jpg").mock(return_value=httpx.Response(403))

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch("https://user:pw@img.example/p.jpg?token=s3cret#top")

    assert caught.value.url == "https://img.example/p.jpg"
    assert "s3cret" not in str(caught.value) and "pw" not in str(caught.value)
    assert display_url("http://h.example:8080/a?b=c") == "http://h.example:8080/a"


# --- redirects and URLs --------------------------------------------------------------------


async def test_redirects_are_followed(router: respx.MockRouter, fetcher: ImageFetcher) -> None:
    router.get("https://img.example/old.jpg").mock(
        return_value=httpx.Response(302, headers={"Location": "/new.jpg"})
    )
    router.get("https://img.example/new.jpg").mock(return_value=ok())

    assert await fetcher.fetch("https://img.example/old.jpg") == JPEG
    assert fetcher.requests_made == 2


async def test_a_redirect_loop_stops_after_three_hops_without_reading_bodies(
    router: respx.MockRouter, fetcher: ImageFetcher, sleep: FakeSleep
) -> None:
    route = router.get("https://img.example/loop.jpg").mock(
        return_value=httpx.Response(
            301, headers={"Location": "https://img.example/loop.jpg"}, content=b"x" * 5000
        )
    )

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch("https://img.example/loop.jpg")

    assert caught.value.reason == "too many redirects"
    assert route.call_count == 4
    assert fetcher.bytes_downloaded == 0
    assert sleep.calls == []


async def test_a_redirect_to_another_scheme_is_refused(
    router: respx.MockRouter, fetcher: ImageFetcher
) -> None:
    router.get("https://img.example/a.jpg").mock(
        return_value=httpx.Response(302, headers={"Location": "file:///etc/passwd"})
    )

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch("https://img.example/a.jpg")

    assert caught.value.reason == "not an http(s) URL"
    assert fetcher.requests_made == 1


@pytest.mark.parametrize("url", ["ftp://img.example/a.jpg", "/relative.jpg", "https://"])
async def test_bad_urls_are_refused_before_sending(
    router: respx.MockRouter, fetcher: ImageFetcher, url: str
) -> None:
    with pytest.raises(FetchError):
        await fetcher.fetch(url)

    assert fetcher.requests_made == 0
    assert router.calls.call_count == 0
