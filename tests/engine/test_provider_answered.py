"""Live progress per provider: one `ProviderAnswered` per provider per title, with its outcome."""

from __future__ import annotations

from dataclasses import replace

from matinee.config import Settings
from matinee.demo.realism import Realism
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.engine.events import EnrichmentFinished, EnrichmentStarted, Event, ProviderAnswered
from matinee.model import EntityKind, Ref
from tests.engine.conftest import touch


async def enrich_all(engine: Engine, settings: Settings, *names: str) -> list[Event]:
    for name in names:
        touch(settings.library.roots[0], name)
    await engine.scan()
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    await engine.enrich()
    return events


def answers(events: list[Event], ref: Ref) -> dict[str, tuple[str, str]]:
    mine = [e for e in events if isinstance(e, ProviderAnswered) and e.ref == ref]
    out = {e.provider: (e.outcome, e.detail) for e in mine}
    assert len(out) == len(mine), "one event per provider per title"
    return out


def title_ref(events: list[Event], title: str) -> Ref:
    return next(e.ref for e in events if isinstance(e, EnrichmentStarted) and e.title == title)


async def test_each_provider_answers_once_per_title_between_start_and_finish(
    engine: Engine, settings: Settings
) -> None:
    events = await enrich_all(
        engine, settings, "The Matrix (1999).mkv", "Heat (1995).mkv",
        "TV/Breaking Bad/Season 01/Breaking.Bad.S01E01.mkv",
    )  # fmt: skip
    matrix = title_ref(events, "The Matrix")
    got = answers(events, matrix)
    assert {pid: outcome for pid, (outcome, _) in got.items()} == {
        "tmdb": "ok", "omdb": "ok", "fanart": "ok",  # TheTVDB has no movies
    }  # fmt: skip
    assert got["tmdb"][1].endswith(" fields") and int(got["tmdb"][1].split()[0]) > 10
    order = [e for e in events if getattr(e, "ref", None) == matrix]
    assert isinstance(order[0], EnrichmentStarted) and isinstance(order[-1], EnrichmentFinished)
    assert set(answers(events, title_ref(events, "Heat"))) == {"tmdb", "omdb", "fanart"}
    (series,) = [s.ref for s in await engine.list_entities(EntityKind.SERIES)]
    assert set(answers(events, series)) == {"tmdb", "omdb", "tvdb", "fanart"}


async def test_a_spent_quota_is_told_as_rate_limited(
    settings: Settings, server: CatalogServer
) -> None:
    server.realism = Realism(omdb_daily_quota=0)
    async with Engine(settings) as engine:
        events = await enrich_all(engine, settings, "Heat (1995).mkv")
    got = answers(events, title_ref(events, "Heat"))
    assert got["tmdb"][0] == "ok" and got["fanart"][0] == "ok"
    assert got["omdb"][0] == "rate_limited" and "limit" in got["omdb"][1]


async def test_a_provider_without_the_id_it_needs_is_skipped(
    settings: Settings, server: CatalogServer
) -> None:
    server.realism = Realism(error_rate=1.0, fault_providers=frozenset({"tmdb"}))
    tmdb = replace(settings.provider("tmdb"), max_retries=0)
    settings = replace(settings, providers={**settings.providers, "tmdb": tmdb})
    async with Engine(settings) as engine:
        touch(settings.library.roots[0], "TV/Breaking Bad/Season 01/Breaking.Bad.S01E01.mkv")
        await engine.scan()
        (series,) = await engine.list_entities(EntityKind.SERIES)
        await engine.identify(series.ref, tmdb=1396)  # known id: no search needed
        events: list[Event] = []
        engine.bus.subscribe(events.append)
        await engine.enrich([series.ref], force=True)
    got = answers(events, series.ref)
    assert got["tmdb"][0] == "failed" and "offline" in got["tmdb"][1]
    # without TMDB's answer there is no TheTVDB id, which TheTVDB and Fanart.tv need
    assert got["tvdb"] == ("skipped", "no id or title it can look this up with")
    assert got["fanart"][0] == "skipped"
    assert got["omdb"][0] == "ok"  # OMDb takes the title hint (?t=&y=)
