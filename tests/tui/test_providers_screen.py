"""ProvidersScreen: health table, enable/disable, priority order, key tests, field authority.

Every change goes to a real config file in tmp_path (the example with comments of the user's
own added), so the assertions read the file back: the edit is there, the comments still are.
"""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from matinee.config import Settings
from matinee.config_edit import starting_text
from matinee.engine.events import ProviderFailed
from matinee.engine.reports import ProviderHealth
from matinee.tui.app import MatineeApp
from matinee.tui.screens.providers import ProvidersScreen
from matinee.tui.screens.providers_authority import FieldAuthorityScreen, parse_order
from matinee.tui.screens.providers_rows import details_text, moved_priority, status_of

from .conftest import settle
from .fakes import FakeEngine

SIZE = (120, 36)
OMDB_NOTE = "# my omdb note: keep me"
FIELDS_NOTE = "# my field notes stay too"


class SettingsAwareEngine(FakeEngine):
    """Health that follows `settings` (enabled flags) the way the real engine's does."""

    async def provider_health(self) -> list[ProviderHealth]:
        self._record("provider_health")
        return [
            dataclasses.replace(h, enabled=self.settings.provider(h.id).enabled)
            for h in self.health
        ]


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    text = starting_text(tmp_path / "absent.toml")
    text = text.replace("[providers.omdb]\n", f"[providers.omdb]\n{OMDB_NOTE}\n", 1)
    text = text.replace("[authority.fields]\n", f"[authority.fields]\n{FIELDS_NOTE}\n", 1)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("MATINEE_CONFIG", str(path))  # nothing may reach the real config dir
    return path


@pytest.fixture
def engine(config_file: Path) -> FakeEngine:
    engine = SettingsAwareEngine(movies=10, series=2)
    engine.settings = dataclasses.replace(engine.settings, source=config_file)
    return engine


@pytest.fixture
def app(engine: FakeEngine) -> MatineeApp:
    return MatineeApp(engine, bridge_timer=False, start="providers")


def applied(engine: FakeEngine) -> list[Settings]:
    return [args[0] for args, _ in engine.calls_of("apply_settings")]


def notes(app: MatineeApp) -> list[tuple[str, str, str]]:
    return [(n.severity, n.title, n.message) for n in app._notifications]


def read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def providers(pilot: Any) -> ProvidersScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ProvidersScreen)
    return screen


async def test_table_shows_status_usage_errors_and_masked_keys(app: MatineeApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await providers(pilot)
        table = screen.table
        assert [row.id for row in table.rows] == ["tmdb", "omdb", "tvdb", "fanart"]
        assert [table.cell(i, "status") for i in (0, 2, 3)] == ["ok", "not configured", "failing"]
        assert table.cell(1, "status").startswith("quota exhausted, resets ")
        assert table.cell(0, "usage") == "120 today"
        assert table.cell(1, "usage") == "1,000 / 1,000 today"
        assert table.cell(3, "error") == "fanart: timed out"
        assert [table.cell(i, "key") for i in range(4)] == ["****abcd"] * 2 + ["none", "****abcd"]
        assert table.cell(0, "rank") == "1" and table.cell(0, "enabled") == "on"
        await pilot.press("down", "down")
        details = str(screen.query_one("#details", Static).content)
        assert "Key: none (get a TheTVDB key)" in details
        assert "MATINEE_TVDB_API_KEY" in details
        await pilot.press("down")
        details = str(screen.query_one("#details", Static).content)
        assert "Last error: fanart: timed out" in details and "number 4" in details


async def test_space_disables_omdb_in_the_file_keeping_comments(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await providers(pilot)
        await pilot.press("down", "space")
        await settle(pilot)
        text = config_file.read_text(encoding="utf-8")
        assert read(config_file)["providers"]["omdb"]["enabled"] is False
        omdb_table = text.split("[providers.omdb]")[1].split("[providers.tvdb]")[0]
        assert "enabled = false" in omdb_table and OMDB_NOTE in omdb_table
        assert read(config_file)["providers"]["tmdb"]["enabled"] is True
        (settings,) = applied(engine)
        assert settings.provider("omdb").enabled is False
        assert settings.source == config_file
        assert ("information", "", "OMDb disabled") in notes(app)
        assert screen.table.cell(1, "enabled") == "off"
        assert screen.table.cell(1, "status").startswith("quota exhausted")
        await pilot.press("space")
        await settle(pilot)
        assert read(config_file)["providers"]["omdb"]["enabled"] is True
        assert applied(engine)[-1].provider("omdb").enabled is True


async def test_the_demos_settings_are_never_written_to_a_config_file(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    """The demo's settings are made in code for its catalog server: an edit must not land in
    the user's config file (nor in a new one), and nothing is applied."""
    engine.settings = dataclasses.replace(engine.settings, source=None, config_writable=False)
    before = config_file.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await providers(pilot)
        await pilot.press("down", "space")
        await settle(pilot)
    assert config_file.read_bytes() == before
    assert applied(engine) == []
    (error,) = [n for n in notes(app) if n[0] == "error"]
    assert "demo's settings" in error[2] and "not saved" in error[2]


async def test_plus_and_shift_down_move_a_provider_in_the_priority_order(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await providers(pilot)
        await pilot.press("down", "plus")
        await settle(pilot)
        assert read(config_file)["authority"]["priority"] == ["omdb", "tmdb", "tvdb", "fanart"]
        assert applied(engine)[-1].authority.priority == ("omdb", "tmdb", "tvdb", "fanart")
        assert [row.id for row in screen.table.rows][:2] == ["omdb", "tmdb"]
        assert screen.table.cursor_key == "omdb"  # the cursor follows the provider it moved
        await pilot.press("plus")  # already first: nothing written
        await settle(pilot)
        assert len(applied(engine)) == 1
        assert ("warning", "", "OMDb is first") in notes(app)
        await pilot.press("shift+down")
        await settle(pilot)
        assert read(config_file)["authority"]["priority"] == ["tmdb", "omdb", "tvdb", "fanart"]
        assert screen.table.cursor_key == "omdb"


def test_status_words_and_reset_times() -> None:
    now = datetime(2026, 11, 22, 10, 0)
    base = FakeEngine().health[0]
    limited = dataclasses.replace(
        base, healthy=False, rate_limited=True, reset_at=datetime(2026, 11, 22, 14, 5)
    )
    assert status_of(limited, now) == ("rate limited until 14:05", "warn")
    exhausted = dataclasses.replace(
        base, healthy=False, exhausted=True, reset_at=datetime(2026, 11, 23, 0, 0)
    )
    assert status_of(exhausted, now) == ("quota exhausted, resets Mon 23 Nov 00:00", "warn")
    assert status_of(dataclasses.replace(base, enabled=False, healthy=False), now)[0] == (
        "disabled"
    )
    offline = dataclasses.replace(base, offline=True, healthy=False)
    assert status_of(offline, now) == ("offline (cache only)", "dim")
    assert details_text(base, ("omdb",), now).splitlines()[0] == (
        "TMDB (tmdb) · enabled · not in the priority order (used only for fields that name it)"
    )


def test_moved_priority_adds_a_left_out_provider_when_it_moves_up() -> None:
    assert moved_priority(("tmdb", "omdb"), "fanart", -1) == ("tmdb", "omdb", "fanart")
    assert moved_priority(("tmdb", "omdb"), "fanart", 1) is None
    assert moved_priority(("tmdb", "omdb"), "omdb", 1) is None
    assert moved_priority(("tmdb", "omdb"), "omdb", -1) == ("omdb", "tmdb")


async def test_t_tests_the_key_and_notifies_success_or_failure(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await providers(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert ("information", "TMDB key works", "ok, key accepted") in notes(app)
        await pilot.press("down", "down", "down", "t")
        await settle(pilot)
        assert ("error", "Fanart.tv test failed", "fanart: timed out") in notes(app)
        assert [args for args, _ in engine.calls_of("test_provider")] == [("tmdb",), ("fanart",)]


async def test_a_save_error_names_the_line_and_writes_nothing(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    broken = config_file.read_text(encoding="utf-8").replace("workers = 8", "workers = 0")
    config_file.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("workers = 0") + 1
    async with app.run_test(size=SIZE) as pilot:
        await providers(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert config_file.read_text(encoding="utf-8") == broken
        assert applied(engine) == []
        errors = [m for severity, title, m in notes(app) if severity == "error"]
        assert len(errors) == 1 and f"config.toml:{line}: enrich.workers" in errors[0]


async def test_engine_events_reload_the_health(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await providers(pilot)
        engine.health[0] = dataclasses.replace(
            engine.health[0], healthy=False, last_error="tmdb: invalid key"
        )
        engine.bus.publish(ProviderFailed("tmdb", "tmdb: invalid key"))
        app.bridge.flush()
        await settle(pilot)
        assert screen.table.cell(0, "status") == "failing"
        assert screen.table.cell(0, "error") == "tmdb: invalid key"


async def open_authority(pilot: Any, field: str) -> FieldAuthorityScreen:
    await providers(pilot)
    await pilot.press("a")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FieldAuthorityScreen)
    index = screen.table.index_of(field)
    assert index is not None
    screen.table.move_cursor(index)
    await settle(pilot)
    return screen


async def test_field_authority_edit_then_back_to_default(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_authority(pilot, "plot")
        await pilot.press("e")
        order = screen.query_one("#order", Input)
        assert order.has_focus and order.value == "tmdb, omdb"
        order.value = "omdb tmdb"
        await pilot.press("enter")
        await settle(pilot)
        assert read(config_file)["authority"]["fields"]["plot"] == ["omdb", "tmdb"]
        assert applied(engine)[-1].authority.fields["plot"] == ("omdb", "tmdb")
        assert FIELDS_NOTE in config_file.read_text(encoding="utf-8")
        row = screen.table.get_row("plot")
        assert row is not None and row.providers == ("omdb", "tmdb")
        await pilot.press("delete")
        await settle(pilot)
        assert "plot" not in read(config_file)["authority"]["fields"]
        assert applied(engine)[-1].authority.fields["plot"] == ("tmdb", "omdb")  # the default
        assert FIELDS_NOTE in config_file.read_text(encoding="utf-8")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProvidersScreen)


async def test_field_authority_for_a_field_without_a_list_and_empty_input(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_authority(pilot, "tagline")
        await pilot.press("enter")  # Enter on the table edits too
        order = screen.query_one("#order", Input)
        assert order.has_focus and order.value == ""
        order.value = "omdb"
        await pilot.press("enter")
        await settle(pilot)
        assert read(config_file)["authority"]["fields"]["tagline"] == ["omdb"]
        await pilot.press("enter")
        order.value = ""
        await pilot.press("enter")  # empty: remove the field's own list
        await settle(pilot)
        assert "tagline" not in read(config_file)["authority"]["fields"]
        assert "tagline" not in applied(engine)[-1].authority.fields


async def test_field_authority_refuses_unknown_providers_and_invalid_results(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    before = config_file.read_text(encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_authority(pilot, "tagline")
        await pilot.press("e")
        screen.query_one("#order", Input).value = "tmdb, imdb"
        await pilot.press("enter")
        await settle(pilot)
        status = screen.query_one("#status", Static)
        assert status.has_class("-error") and "unknown provider 'imdb'" in str(status.content)
        assert screen.query_one("#order", Input).value == "tmdb, imdb"  # the typing is kept
        await pilot.press("escape", "x")  # exclusive, but tagline has no list: invalid
        await settle(pilot)
        assert "tagline" in str(status.content) and status.has_class("-error")
        lines = before.splitlines()
        line = next(n for n, text in enumerate(lines, 1) if text.startswith("exclusive = "))
        assert f"config.toml:{line}: authority.exclusive" in str(status.content)
        assert config_file.read_text(encoding="utf-8") == before
        assert applied(engine) == []


def test_parse_order_accepts_commas_or_spaces_and_checks_names() -> None:
    assert parse_order(" TMDB,omdb  fanart ") == ("tmdb", "omdb", "fanart")
    assert parse_order("") == ()
    with pytest.raises(ValueError, match="twice"):
        parse_order("tmdb, tmdb")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot(snap_compare: Any, config_file: Path, size: tuple[int, int]) -> None:
    engine = FakeEngine(movies=10, series=2)
    engine.settings = dataclasses.replace(engine.settings, source=config_file)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "down")  # the failing one: its error in full below
        await settle(pilot)

    app = MatineeApp(engine, bridge_timer=False, start="providers")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
