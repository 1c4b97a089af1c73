"""Fixtures for the TUI tests: a FakeEngine and an app on it whose bridge is flushed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from matinee.tui.app import MatineeApp
from matinee.tui.widgets import poster

from .fakes import FakeEngine


@pytest.fixture(autouse=True)
def halfblock_posters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Posters as half-block cells in every TUI test and snapshot, whatever the terminal."""
    monkeypatch.setattr(poster, "FORCE_HALFBLOCK", True)


@pytest.fixture(autouse=True)
def config_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Theme and provider edits write the config file: never the user's real one."""
    monkeypatch.setenv("MATINEE_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine(movies=1000, series=20)


@pytest.fixture
def app(engine: FakeEngine) -> MatineeApp:
    """The app on the library screen (the screen most tests drive); the bridge flushed by hand."""
    return MatineeApp(engine, bridge_timer=False, start="library")


async def settle(pilot: Pilot[object]) -> None:
    """Let messages, then every worker, then the messages they posted, run to completion."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
