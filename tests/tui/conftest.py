"""Fixtures for the TUI tests: a FakeEngine and an app on it whose bridge is flushed by hand."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from matinee.tui.app import MatineeApp

from .fakes import FakeEngine


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine(movies=1000, series=20)


@pytest.fixture
def app(engine: FakeEngine) -> MatineeApp:
    return MatineeApp(engine, bridge_timer=False)


async def settle(pilot: Pilot[object]) -> None:
    """Let messages, then every worker, then the messages they posted, run to completion."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
