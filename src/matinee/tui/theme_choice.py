"""Choosing the colour theme: applied at once, and kept in the config file as `[ui] theme`.

The Settings screen's theme list and the app's `set_theme` action (the command palette's theme
entries) both call `choose_theme`, so a choice made either way survives a restart. The file is
edited through `config_edit` (the user's comments stay) in a worker, never on the event loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App

from matinee.config import Settings
from matinee.engine.api import EngineAPI
from matinee.errors import ConfigError
from matinee.tui.screens.settings_file import save_edits, show_path
from matinee.tui.themes import bundled_theme_dir, load_themes, user_theme_dir
from matinee.tui.workers import run_engine

__all__ = ["choose_theme", "matinee_themes", "other_themes"]


async def matinee_themes(app: App[Any], settings: Settings) -> list[str]:
    """The names of matinee's bundled themes and the user's, registering any new file.

    A theme file dropped into the user's folder after start-up shows up here without a restart.
    """
    dirs = [bundled_theme_dir(), user_theme_dir(settings)]
    themes = await asyncio.to_thread(load_themes, dirs)
    names: list[str] = []
    for theme in themes:
        if theme.name not in app.available_themes:
            app.register_theme(theme)
        if theme.name not in names:
            names.append(theme.name)
    return names


def other_themes(app: App[Any], own: list[str]) -> list[str]:
    """Textual's built-in themes (every registered theme that is not matinee's), sorted."""
    return sorted(name for name in app.available_themes if name not in own)


def choose_theme(app: App[Any], engine: EngineAPI, name: str) -> bool:
    """Use theme `name` now and save it in the config file; False if there is no such theme."""
    if name not in app.available_themes:
        app.notify(f"No theme named {name!r}", severity="error")
        return False
    app.theme = name
    if engine.settings.ui.theme == name:
        return True

    async def work() -> None:
        try:
            settings = await save_edits(app, engine, [("ui", "theme", name)])
        except ConfigError as exc:
            app.notify(
                f"{name} is used until you quit, but the config file was not changed: {exc}",
                title="Theme not saved",
                severity="error",
            )
            return
        where = show_path(settings.source) if settings.source else "the config file"
        app.notify(f"Theme {name} saved in {where}", title="Theme")

    # Not exclusive: cancelling a write that is under way in its thread would not stop it.
    run_engine(app, work, group="theme-save", label=f"Saving theme {name}", exclusive=False)
    return True
