"""EventBridge: buffered, coalesced, one message per flush; and the pure helpers."""

from __future__ import annotations

from matinee.engine.events import (
    EnrichmentFinished,
    EntityChanged,
    RunProgressed,
    ScanProgressed,
)
from matinee.model import EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.bridge import EngineEvents, coalesce, refs_touched
from matinee.tui.screens.library import LibraryScreen

from .conftest import settle
from .fakes import FakeEngine

M1 = Ref(EntityKind.MOVIE, 1)


def test_coalesce_keeps_latest_progress_and_order() -> None:
    changed = EntityChanged(M1)
    events = [
        RunProgressed(1, 3, "a", 0.1),
        ScanProgressed(10, "x"),
        changed,
        RunProgressed(2, 3, "b", 0.2),
        ScanProgressed(20, "y"),
    ]
    assert coalesce(events) == (changed, RunProgressed(2, 3, "b", 0.2), ScanProgressed(20, "y"))


def test_refs_touched_picks_entity_events() -> None:
    events = [
        RunProgressed(1, 3, "a", 0.1),
        EnrichmentFinished(M1, "t", (), 90.0, False),
        EntityChanged(Ref(EntityKind.SERIES, 2)),
    ]
    assert refs_touched(events) == {M1, Ref(EntityKind.SERIES, 2)}


async def test_500_progress_events_become_one_message_with_the_latest(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        posted: list[EngineEvents] = []
        original = screen.post_message

        def spy(message):  # type: ignore[no-untyped-def]
            if isinstance(message, EngineEvents):
                posted.append(message)
            return original(message)

        screen.post_message = spy  # type: ignore[method-assign]
        for i in range(1, 501):
            engine.bus.publish(RunProgressed(i, 500, f"title {i}", i / 10))
        assert app.bridge.pending == 500  # buffered, nothing posted yet
        assert posted == []
        batch = app.bridge.flush()
        assert batch == (RunProgressed(500, 500, "title 500", 50.0),)
        assert len(posted) == 1 and posted[0].events == batch
        assert app.bridge.pending == 0
        await settle(pilot)
        assert screen.progress.startswith("Enriching 500/500 · title 500")
        assert app.bridge.flush() == ()  # nothing new: no message
        assert len(posted) == 1


async def test_bridge_unsubscribes_when_the_app_stops(engine: FakeEngine) -> None:
    app = MatineeApp(engine, bridge_timer=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        engine.bus.publish(EntityChanged(M1))
        assert app.bridge.pending == 1
    engine.bus.publish(EntityChanged(M1))
    assert app.bridge.pending == 0
    assert app.bridge.flush() == ()
