"""Layout snapshots of the detail screen: 80x24 (no poster, nothing squeezed) and 160x48 (the
half-block poster, the partial warning and a live provider progress line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from matinee.engine.events import EnrichmentStarted, ProviderAnswered
from matinee.model import EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.widgets import poster as poster_module

from .conftest import settle
from .fakes import FakeEngine
from .test_detail import make_poster


@pytest.fixture(autouse=True)
def halfblock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(poster_module, "FORCE_HALFBLOCK", True)


def test_detail_at_80x24(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)

    app = MatineeApp(FakeEngine(movies=20, series=2), bridge_timer=False, start="library")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_detail_at_160x48_with_poster_and_progress(snap_compare: Any, tmp_path: Path) -> None:
    engine = FakeEngine(movies=20, series=2)
    engine.artwork.images = tmp_path
    make_poster(tmp_path, 10)  # movie:1's selected poster (movie:1 is partial in the fake)
    ref = Ref(EntityKind.MOVIE, 1)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        engine.bus.publish(EnrichmentStarted(ref, "Red Red 000000"))
        engine.bus.publish(ProviderAnswered(ref, "tmdb", "ok"))
        engine.bus.publish(ProviderAnswered(ref, "fanart", "failed", "timed out"))
        pilot.app.bridge.flush()
        await settle(pilot)

    app = MatineeApp(engine, bridge_timer=False, start="library")
    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)
