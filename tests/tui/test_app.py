"""run_tui's signal handling and the bundled themes."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import pytest

from matinee.tui import app as app_module
from matinee.tui.app import MatineeApp, run_tui
from matinee.tui.themes import DEFAULT_THEME, bundled_theme_dir, load_themes

from .conftest import settle
from .fakes import FakeEngine


async def test_run_tui_installs_and_removes_signal_handlers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loop = asyncio.get_running_loop()
    added: list[tuple[int, Any]] = []
    removed: list[int] = []
    monkeypatch.setattr(loop, "add_signal_handler", lambda sig, cb: added.append((sig, cb)))
    monkeypatch.setattr(loop, "remove_signal_handler", lambda sig: removed.append(sig))
    seen: dict[str, Any] = {}

    async def fake_run_async(self: MatineeApp) -> None:
        seen["handlers"] = list(added)
        seen["app"] = self
        self._return_code = 0

    monkeypatch.setattr(app_module.MatineeApp, "run_async", fake_run_async)
    assert await run_tui(FakeEngine(movies=1)) == 0
    app = seen["app"]
    assert [(sig, cb) for sig, cb in seen["handlers"]] == [
        (signal.SIGTERM, app.exit),
        (signal.SIGHUP, app.exit),
    ]
    assert removed == [signal.SIGTERM, signal.SIGHUP]


def test_bundled_themes_load() -> None:
    names = {t.name: t for t in load_themes([bundled_theme_dir()])}
    assert set(names) >= {"matinee-dark", "matinee-light"}
    assert names["matinee-dark"].dark is True and names["matinee-light"].dark is False


def test_broken_theme_file_is_skipped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bad.toml").write_text('name = "x"\nshiny = true\n')
    (tmp_path / "good.toml").write_text('primary = "#123456"\n')
    assert [t.name for t in load_themes([tmp_path])] == ["good"]


async def test_app_uses_the_matinee_theme(app: MatineeApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        assert app.title == "matinee"
