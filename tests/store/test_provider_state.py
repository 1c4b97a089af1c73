"""Provider quotas, health and the response cache on a real SQLite file, across reopen and
across two processes."""

from __future__ import annotations

import multiprocessing
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from matinee.engine.provider_ledger import StoreLedger
from matinee.errors import QuotaExhausted
from matinee.store.provider_state import next_utc_midnight, utc_day
from matinee.store.repo import Repository

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC).timestamp()
NEXT_DAY = NOON + 86400


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[Repository]:
    r = Repository(tmp_path / "m.db")
    await r.open()
    yield r
    await r.close()


def test_days_are_utc() -> None:
    assert utc_day(NOON) == "2026-11-22"
    assert next_utc_midnight(NOON) == datetime(2026, 11, 23, tzinfo=UTC).timestamp()


async def test_reserve_counts_up_to_the_limit(repo: Repository) -> None:
    results = [await repo.reserve_request("omdb", 3, NOON) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.requests_today for r in results] == [1, 2, 3, 3]
    assert results[-1].reset_at == next_utc_midnight(NOON)
    assert (await repo.provider_usage(NOON))["omdb"].requests_today == 3


async def test_count_survives_a_restart_and_resets_the_next_day(tmp_path: Path) -> None:
    for _ in range(2):
        r = Repository(tmp_path / "q.db")
        await r.open()
        assert (await r.reserve_request("omdb", 2, NOON)).allowed
        await r.close()
    r = Repository(tmp_path / "q.db")
    await r.open()
    assert not (await r.reserve_request("omdb", 2, NOON)).allowed  # same day: spent
    assert (await r.reserve_request("omdb", 2, NEXT_DAY)).allowed  # a new UTC day
    assert (await r.provider_usage(NEXT_DAY))["omdb"].requests_today == 1
    await r.close()


async def test_exhausted_refuses_until_the_reset(repo: Repository) -> None:
    until = await repo.mark_exhausted("omdb", None, "omdb: daily request limit reached", NOON)
    assert until == next_utc_midnight(NOON)
    refused = await repo.reserve_request("omdb", None, NOON + 60)
    assert not refused.allowed and refused.reset_at == until
    usage = (await repo.provider_usage(NOON + 60))["omdb"]
    assert usage.exhausted_until == until
    assert usage.last_error == "omdb: daily request limit reached"
    assert (await repo.reserve_request("omdb", None, until + 1)).allowed


async def test_record_keeps_the_last_answer_and_the_429_pause(repo: Repository) -> None:
    await repo.record_provider("tmdb", 429, "tmdb: rate limited", NOON + 5, NOON)
    usage = (await repo.provider_usage(NOON))["tmdb"]
    assert (usage.last_status, usage.last_error, usage.rate_limited_until) == (
        429, "tmdb: rate limited", NOON + 5,
    )  # fmt: skip
    assert (await repo.provider_usage(NOON + 10))["tmdb"].rate_limited_until is None  # over
    await repo.record_provider("tmdb", 200, None, None, NOON + 11)
    usage = (await repo.provider_usage(NOON + 11))["tmdb"]
    assert (usage.last_status, usage.last_error, usage.last_error_at) == (200, None, NOON)


async def test_cache_round_trip_compressed(repo: Repository) -> None:
    body = {"title": "Heat", "cast": [{"name": "Al Pacino"}] * 50}
    await repo.cache_put("tmdb", "GET /movie/949", 200, body, NOON)
    assert await repo.cache_get("tmdb", "GET /movie/949") == (200, body, NOON)
    await repo.cache_put("tmdb", "GET /movie/949", 200, {"title": "Heat (1995)"}, NOON + 1)
    assert await repo.cache_get("tmdb", "GET /movie/949") == (
        200,
        {"title": "Heat (1995)"},
        NOON + 1,
    )
    await repo.cache_put("fanart", "GET /movies/1", 404, None, NOON)
    assert await repo.cache_get("fanart", "GET /movies/1") == (404, None, NOON)
    assert await repo.cache_get("tmdb", "GET /movie/1") is None


async def test_ledger_turns_a_refusal_into_quota_exhausted(repo: Repository) -> None:
    ledger = StoreLedger(repo, clock=lambda: NOON)
    await ledger.reserve("omdb", 1)
    with pytest.raises(QuotaExhausted) as info:
        await ledger.reserve("omdb", 1)
    assert info.value.reset_at == datetime(2026, 11, 23, tzinfo=UTC)
    assert "1 of 1 requests used today" in str(info.value)
    assert "resets 2026-11-23 00:00 UTC" in str(info.value)


def _spend(path: str, tries: int, out: multiprocessing.Queue[int]) -> None:
    import asyncio

    async def main() -> int:
        r = Repository(Path(path))
        await r.open()
        allowed = 0
        for _ in range(tries):
            allowed += (await r.reserve_request("omdb", 50, NOON)).allowed
        await r.close()
        return allowed

    out.put(asyncio.run(main()))


def test_two_processes_never_exceed_the_quota_together(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[int] = ctx.Queue()
    procs = [ctx.Process(target=_spend, args=(path, 40, out)) for _ in range(2)]
    for p in procs:
        p.start()
    allowed = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert sum(allowed) == 50 and all(p.exitcode == 0 for p in procs)
