"""Writing the config file from the TUI: off the event loop, one write at a time, then applied.

Every screen that changes a setting (providers, field authority, theme, the settings editor)
goes through here, so each save follows the same path: `matinee.config_edit` writes the file
(keeping the user's comments and layout; it validates before writing), the engine is handed the
new `Settings`, and the screens on the current stack get a `ConfigSaved` message to reload.
Errors (`ConfigError`, naming the line) propagate to the caller, which shows them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.message import Message

from matinee.config import Settings
from matinee.config_edit import edit_config, save_config, starting_text
from matinee.engine.api import EngineAPI
from matinee.errors import ConfigError
from matinee.paths import resolve_config_path

__all__ = [
    "ConfigSaved",
    "config_path",
    "read_file_text",
    "save_change",
    "save_edits",
    "save_text",
    "show_path",
]

# Writes are read-modify-write cycles on one file: two at once (a theme picked while a provider
# is toggled) must not interleave. A thread lock, because the writes run in worker threads.
_WRITE_LOCK = threading.Lock()


class ConfigSaved(Message, bubble=False):
    """The config file was written and the engine uses `settings` from now on."""

    def __init__(self, settings: Settings, path: Path) -> None:
        super().__init__()
        self.settings = settings
        self.path = path


def config_path(engine: EngineAPI) -> Path:
    """The file in use; when none existed at start, where the first edit will create it."""
    return engine.settings.source or resolve_config_path(None)


def show_path(path: Path) -> str:
    """The path as a user reads it: the home folder as `~`."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def read_file_text(path: Path) -> str | None:
    """The file's text, or None when it does not exist (blocking: call it in a thread)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def writable_path(engine: EngineAPI) -> Path:
    """The config file to write.

    Raises:
        ConfigError: the settings were made in code (the demo): no file is theirs to change.
    """
    if not engine.settings.config_writable:
        raise ConfigError(
            "the demo's settings are made for its catalog server and are not saved; "
            "run matinee without `demo` to change your own config file"
        )
    return config_path(engine)


async def save_edits(
    app: App[Any], engine: EngineAPI, edits: Iterable[tuple[str, str, Any]]
) -> Settings:
    """Set `(table, key, value)` edits in the config file, keeping its comments; apply them.

    Raises:
        ConfigError: the result would not be a valid config, or the file's layout does not
            take the edit (nothing is written either way).
    """
    path = writable_path(engine)
    wanted = list(edits)

    def write() -> Settings:
        with _WRITE_LOCK:
            try:
                return edit_config(path, wanted)
            except ValueError as exc:  # the file's shape does not take the edit
                raise ConfigError(str(exc), path=str(path)) from None

    return await _finish(app, engine, path, await asyncio.to_thread(write))


async def save_change(
    app: App[Any], engine: EngineAPI, change: Callable[[str], str]
) -> Settings | None:
    """Rewrite the config text with `change` (e.g. a `remove_key`), save and apply it.

    Returns:
        The new settings, or None when `change` left the text as it was (nothing written).
    """
    path = writable_path(engine)

    def write() -> Settings | None:
        with _WRITE_LOCK:
            text = starting_text(path)
            new_text = change(text)
            if new_text == text:
                return None
            return save_config(path, new_text)

    settings = await asyncio.to_thread(write)
    if settings is None:
        return None
    return await _finish(app, engine, path, settings)


async def save_text(app: App[Any], engine: EngineAPI, path: Path, text: str) -> Settings:
    """Write the whole config text (validated first), then apply it."""
    writable_path(engine)

    def write() -> Settings:
        with _WRITE_LOCK:
            return save_config(path, text)

    return await _finish(app, engine, path, await asyncio.to_thread(write))


async def _finish(app: App[Any], engine: EngineAPI, path: Path, settings: Settings) -> Settings:
    if settings.source is None:  # the first edit created the file: it is the source from now on
        settings = dataclasses.replace(settings, source=path)
    await engine.apply_settings(settings)
    if app.is_running:
        for screen in app.screen_stack:
            screen.post_message(ConfigSaved(settings, path))
    return settings
