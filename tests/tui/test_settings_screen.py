"""SettingsScreen: the config file edited in place, validated before saving; the theme list.

The config is a real file in tmp_path (the example plus a comment of the user's own); the tests
read it back to check what was written, and that nothing was when the text was invalid.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, Static, TextArea

from matinee.config import Settings
from matinee.config_edit import starting_text
from matinee.tui.app import MatineeApp
from matinee.tui.screens.settings import SettingsScreen

from .conftest import settle
from .fakes import FakeEngine

SIZE = (120, 36)
NOTE = "# my own note about the theme"


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    text = starting_text(tmp_path / "absent.toml").replace("[ui]\n", f"[ui]\n{NOTE}\n", 1)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("MATINEE_CONFIG", str(path))  # nothing may reach the real config dir
    return path


@pytest.fixture
def engine(config_file: Path) -> FakeEngine:
    engine = FakeEngine(movies=10, series=2)
    engine.settings = dataclasses.replace(engine.settings, source=config_file)
    return engine


@pytest.fixture
def app(engine: FakeEngine) -> MatineeApp:
    return MatineeApp(engine, bridge_timer=False, start="settings")


def applied(engine: FakeEngine) -> list[Settings]:
    return [args[0] for args, _ in engine.calls_of("apply_settings")]


def notes(app: MatineeApp, severity: str | None = None) -> list[str]:
    return [n.message for n in app._notifications if severity in (None, n.severity)]


def state(screen: SettingsScreen) -> str:
    return str(screen.query_one("#state", Static).content)


async def settings_screen(pilot: Any, *, edit: bool = True) -> SettingsScreen:
    """The settings screen, with the editor focused (`e`) unless `edit` is False."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    if edit:
        await pilot.press("e")
        assert screen.editor.has_focus
    return screen


async def test_it_opens_on_the_theme_list_so_digits_still_switch_screens(
    app: MatineeApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot, edit=False)
        assert screen.theme_list.has_focus and not screen.dirty
        await pilot.press("e", "x")  # `e` opens the editor; then keys type
        assert screen.dirty
        await pilot.press("escape", "3")  # escape leaves the editor; 3 is the queue again
        await settle(pilot)
        assert app.current_mode == "queue"
        await pilot.press("5")
        await settle(pilot)
        assert app.screen is screen and screen.dirty  # the unsaved text is still there


def line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


async def test_editor_holds_the_file_and_tracks_unsaved_changes(
    app: MatineeApp, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot)
        assert screen.editor.text == config_file.read_text(encoding="utf-8")
        assert screen.editor.has_focus
        assert str(screen.query_one("#path", Static).content) == str(config_file)
        assert state(screen) == "saved" and not screen.dirty
        await pilot.press("x")
        assert screen.dirty and state(screen) == "unsaved changes"


async def test_a_broken_value_shows_its_line_and_nothing_is_written(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    before = config_file.read_text(encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot)
        broken = before.replace("workers = 8", "workers = 0")
        screen.editor.text = broken
        await pilot.press("ctrl+s")
        await settle(pilot)
        line = line_of(broken, "workers = 0")
        error = screen.query_one("#error", Static)
        assert not error.has_class("-hidden")
        assert f"line {line} (enrich.workers): must be at least 1" in str(error.content)
        assert any(f"config.toml:{line}: enrich.workers" in m for m in notes(app, "error"))
        assert screen.editor.cursor_location == (line - 1, 0)
        assert config_file.read_text(encoding="utf-8") == before
        assert applied(engine) == []
        assert screen.dirty  # the typing is kept


async def test_invalid_toml_names_its_line(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    before = config_file.read_text(encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot)
        broken = before.replace("strong = 0.85", "strong = = 0.85")
        screen.editor.text = broken
        await pilot.press("ctrl+s")
        await settle(pilot)
        line = line_of(broken, "strong = = 0.85")
        assert f"line {line}" in str(screen.query_one("#error", Static).content)
        assert screen.editor.cursor_location[0] == line - 1
        assert config_file.read_text(encoding="utf-8") == before


async def test_a_valid_save_writes_the_file_and_applies_it(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot)
        edited = screen.editor.text.replace("workers = 8", "workers = 4")
        screen.editor.text = edited
        await settle(pilot)
        assert state(screen) == "unsaved changes"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert config_file.read_text(encoding="utf-8") == edited
        (settings,) = applied(engine)
        assert settings.enrich.workers == 4 and settings.source == config_file
        assert f"Saved {config_file}" in notes(app)
        assert state(screen) == "saved"
        assert screen.query_one("#error", Static).has_class("-hidden")


async def test_ctrl_r_asks_once_then_drops_unsaved_changes(
    app: MatineeApp, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot)
        await pilot.press("x", "ctrl+r")
        await settle(pilot)
        assert screen.dirty
        assert any("ctrl+r again" in m for m in notes(app, "warning"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.editor.text == config_file.read_text(encoding="utf-8")
        assert not screen.dirty


async def test_saving_over_a_file_changed_on_disk_needs_a_second_ctrl_s(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot)
        elsewhere = config_file.read_text(encoding="utf-8").replace("ttl_days = 7", "ttl_days = 9")
        config_file.write_text(elsewhere, encoding="utf-8")
        mine = screen.editor.text.replace("workers = 8", "workers = 2")
        screen.editor.text = mine
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert config_file.read_text(encoding="utf-8") == elsewhere
        assert any("changed on disk" in m for m in notes(app, "warning"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert config_file.read_text(encoding="utf-8") == mine
        assert applied(engine)[-1].enrich.workers == 2


async def choose(pilot: Any, screen: SettingsScreen, name: str) -> None:
    themes = screen.query_one("#themes", OptionList)
    await pilot.press("ctrl+t")
    assert themes.has_focus
    themes.highlighted = themes.get_option_index(name)
    await pilot.press("enter")
    await settle(pilot)


async def test_theme_choice_applies_live_and_is_written_keeping_comments(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot)
        themes = screen.query_one("#themes", OptionList)
        ids = [o.id for o in themes.options]
        assert ids[:2] == ["matinee-dark", "matinee-light"] and "nord" in ids
        await choose(pilot, screen, "matinee-light")
        assert app.theme == "matinee-light"
        text = config_file.read_text(encoding="utf-8")
        assert tomllib.loads(text)["ui"]["theme"] == "matinee-light" and NOTE in text
        assert applied(engine)[-1].ui.theme == "matinee-light"
        assert screen.editor.text == text  # the editor had no changes: it shows the file
        assert str(themes.get_option("matinee-light").prompt).startswith("●")
        assert any("saved in" in m for m in notes(app))


async def test_theme_choice_with_unsaved_edits_keeps_them_and_says_so(
    app: MatineeApp, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot)
        await pilot.press("x")
        typed = screen.editor.text
        await choose(pilot, screen, "nord")
        assert app.theme == "nord"
        assert tomllib.loads(config_file.read_text(encoding="utf-8"))["ui"]["theme"] == "nord"
        assert screen.editor.text == typed
        assert state(screen) == "unsaved changes · file changed on disk"
        assert any("ctrl+r loads the file" in m for m in notes(app, "warning"))


async def test_palette_theme_action_persists_and_unknown_names_are_refused(
    app: MatineeApp, engine: FakeEngine, config_file: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settings_screen(pilot)
        await app.run_action("set_theme('matinee-light')")
        await settle(pilot)
        assert tomllib.loads(config_file.read_text(encoding="utf-8"))["ui"]["theme"] == (
            "matinee-light"
        )
        calls = len(applied(engine))
        await app.run_action("set_theme('no-such-theme')")
        await settle(pilot)
        assert app.theme == "matinee-light" and len(applied(engine)) == calls
        assert "No theme named 'no-such-theme'" in notes(app, "error")


async def test_first_edit_creates_the_file_where_the_config_is_looked_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new" / "config.toml"
    monkeypatch.setenv("MATINEE_CONFIG", str(path))
    engine = FakeEngine(movies=10, series=2)  # settings.source is None: no file at start
    app = MatineeApp(engine, bridge_timer=False, start="settings")
    async with app.run_test(size=SIZE) as pilot:
        screen = await settings_screen(pilot)
        assert state(screen) == "new file: written when you save"
        assert screen.editor.text == starting_text(path)
        await choose(pilot, screen, "matinee-light")
        assert tomllib.loads(path.read_text(encoding="utf-8"))["ui"]["theme"] == "matinee-light"
        assert applied(engine)[-1].source == path
        assert state(screen) == "saved"


def test_snapshot(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A relative path, so the path line reads the same on every machine.
    monkeypatch.chdir(tmp_path)
    Path("config.toml").write_text(starting_text(tmp_path / "absent.toml"), encoding="utf-8")
    monkeypatch.setenv("MATINEE_CONFIG", "config.toml")
    engine = FakeEngine(movies=10, series=2)
    engine.settings = dataclasses.replace(engine.settings, source=Path("config.toml"))

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#editor", TextArea).cursor_blink = False
        await settle(pilot)

    app = MatineeApp(engine, bridge_timer=False, start="settings")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
