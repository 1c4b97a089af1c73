"""TokenBucket with a fake clock: bursts, steady rate, queueing and cancellation."""

from __future__ import annotations

import asyncio

import pytest

from matinee.providers.ratelimit import TokenBucket


class FakeTime:
    """A clock that only moves when the code under test sleeps (or the test says so)."""

    def __init__(self, *, advance_on_sleep: bool = True) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []
        self.advance_on_sleep = advance_on_sleep

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 9))
        if self.advance_on_sleep:
            self.now += seconds


async def test_burst_goes_at_once_then_the_rate_applies() -> None:
    t = FakeTime()
    bucket = TokenBucket(2.0, 3, clock=t.clock, sleep=t.sleep)
    for _ in range(3):
        await bucket.acquire()
    assert t.sleeps == []
    await bucket.acquire()
    await bucket.acquire()
    assert t.sleeps == [0.5, 0.5]


async def test_idle_time_refills_up_to_burst_only() -> None:
    t = FakeTime()
    bucket = TokenBucket(1.0, 2, clock=t.clock, sleep=t.sleep)
    t.now += 1000
    assert bucket.tokens == 2.0
    for _ in range(3):
        await bucket.acquire()
    assert t.sleeps == [1.0]


async def test_concurrent_callers_queue_in_order() -> None:
    t = FakeTime(advance_on_sleep=False)
    bucket = TokenBucket(4.0, 1, clock=t.clock, sleep=t.sleep)
    await asyncio.gather(*(bucket.acquire() for _ in range(5)))
    assert t.sleeps == [0.25, 0.5, 0.75, 1.0]


async def test_cancelled_waiter_gives_its_token_back() -> None:
    gate = asyncio.Event()

    async def blocked_sleep(seconds: float) -> None:
        await gate.wait()

    t = FakeTime()
    bucket = TokenBucket(1.0, 1, clock=t.clock, sleep=blocked_sleep)
    await bucket.acquire()
    waiter = asyncio.create_task(bucket.acquire())
    await asyncio.sleep(0)
    assert bucket.tokens == -1.0
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert bucket.tokens == 0.0


@pytest.mark.parametrize(("rate", "burst"), [(0.0, 1), (-1.0, 1), (1.0, 0)])
def test_rejects_nonsense(rate: float, burst: int) -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate, burst)
