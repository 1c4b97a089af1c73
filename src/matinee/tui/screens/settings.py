"""The Settings screen: the config file edited in place, checked before saving; the theme list.

The editor holds the file's own text (or the bundled example when no file exists yet), so the
user's comments and layout are what they edit. ctrl+s validates first (`config_edit.check_text`):
a mistake is shown with its line, the cursor goes there, and nothing is written. A valid file is
written, then handed to the engine (`apply_settings`). Picking a theme applies it at once and
writes `[ui] theme` through `theme_choice`, which the editor then reflects.
"""

from __future__ import annotations

import asyncio
from importlib.util import find_spec
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from matinee.config_edit import check_text, starting_text
from matinee.engine.api import EngineAPI
from matinee.errors import ConfigError
from matinee.tui.screens.settings_file import (
    ConfigSaved,
    config_path,
    read_file_text,
    save_text,
    show_path,
)
from matinee.tui.theme_choice import choose_theme, matinee_themes, other_themes
from matinee.tui.widgets.nav_bar import NavBar
from matinee.tui.workers import group_busy, run_engine

__all__ = ["SettingsScreen"]


def _toml_highlighting(editor: TextArea) -> bool:
    """TOML colouring needs tree-sitter and its TOML grammar (`available_languages` lists the
    built-in names whether or not they are installed)."""
    if "toml" not in editor.available_languages:
        return False
    return all(find_spec(name) is not None for name in ("tree_sitter", "tree_sitter_toml"))


class SettingsScreen(Screen[None]):
    """The config file in an editor, with validation before saving, and the theme list."""

    CSS_PATH = "settings.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Check the config and save it"),
        Binding("ctrl+r", "revert", "Revert", tooltip="Load the file again (drops your edits)"),
        Binding("ctrl+t", "switch_focus", "Editor/themes",
                tooltip="Move between the editor and the theme list"),
        Binding("e", "edit_file", "Edit", tooltip="Type in the config file"),
        Binding("escape", "leave_editor", "Leave editor", show=False,
                tooltip="Back to the theme list, where 1-5 switch screens again"),
    ]  # fmt: skip

    def __init__(self, engine: EngineAPI) -> None:
        super().__init__()
        self.engine = engine
        self.loaded_text = ""
        """The text the editor was loaded from (the file's, or the example for a new file)."""
        self.file_exists = False
        self.disk_changed = False
        """The file changed on disk while the editor held unsaved changes."""
        self._revert_armed = False
        self._overwrite_armed = False
        self._own_themes: list[str] = []
        self._shown = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield NavBar("settings")
        with Horizontal(id="top"):
            yield Static(id="path", markup=False)
            yield Static(id="state", markup=False)
        with Horizontal(id="main"):
            editor = TextArea(
                id="editor", soft_wrap=False, show_line_numbers=True, tab_behavior="indent"
            )
            if _toml_highlighting(editor):
                editor.language = "toml"
            yield editor
            with Vertical(id="theme-pane"):
                yield Static("Theme · enter applies", id="theme-label")
                yield OptionList(id="themes")
        yield Static(id="error", classes="-hidden", markup=False)
        yield Footer()

    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    @property
    def theme_list(self) -> OptionList:
        return self.query_one("#themes", OptionList)

    @property
    def dirty(self) -> bool:
        """The editor holds changes that are not in the file."""
        return self.editor.text != self.loaded_text

    def on_mount(self) -> None:
        self.sub_title = "Settings"
        self.watch(self.app, "theme", self._mark_themes, init=False)
        # Not the editor: while it has the focus, digits type instead of switching screens.
        self.theme_list.focus()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown; after that, another screen (or the palette)
        # may have changed the file while this one was hidden.
        self.reload_file(force=not self._shown)
        self._shown = True
        self.reload_themes()

    # -- the file -----------------------------------------------------------------------------

    def reload_file(self, *, force: bool = False) -> None:
        """Read the file again: into the editor if it has no unsaved changes (or `force`)."""
        path = config_path(self.engine)

        def read() -> tuple[str, bool]:
            text = read_file_text(path)
            return (starting_text(path), False) if text is None else (text, True)

        async def work() -> None:
            text, exists = await asyncio.to_thread(read)
            if not self.is_running:
                return
            self.file_exists = exists
            if force or not self.dirty:
                self._load(text)
            elif text != self.loaded_text and not self.disk_changed:
                self.disk_changed = True
                self.notify(
                    "The config file changed (a theme or provider change?). Your unsaved edits "
                    "here do not include it: ctrl+r loads the file, dropping them.",
                    title="Settings",
                    severity="warning",
                    timeout=10,
                )
            self._show_state()

        # Not exclusive: cancelling a read that has not started yet leaves its coroutine unawaited,
        # and two reads of the same file agree anyway.
        run_engine(
            self, work, group="settings-load", label="Reading the config file", exclusive=False
        )

    def _load(self, text: str) -> None:
        editor = self.editor
        self.loaded_text = text
        self.disk_changed = False
        self._revert_armed = self._overwrite_armed = False
        if editor.text != text:
            row, column = editor.cursor_location
            editor.load_text(text)
            last = editor.document.line_count - 1
            editor.move_cursor((min(row, last), column))
        self._clear_error()

    def _show_state(self) -> None:
        path = config_path(self.engine)
        self.query_one("#path", Static).update(show_path(path))
        if not self.engine.settings.config_writable:
            words = "demo: its settings are not saved"
        elif self.dirty:
            words = "unsaved changes"
            if self.disk_changed:
                words += " · file changed on disk"
        elif self.disk_changed:
            words = "file changed on disk: ctrl+r loads it"
        elif not self.file_exists:
            words = "new file: written when you save"
        else:
            words = "saved"
        state = self.query_one("#state", Static)
        state.update(words)
        state.set_class(self.dirty, "-dirty")

    @on(TextArea.Changed, "#editor")
    def _on_edit(self) -> None:
        self._revert_armed = self._overwrite_armed = False
        self._show_state()

    @on(ConfigSaved)
    def _on_config_saved(self) -> None:
        if self.is_running:
            self.reload_file()

    def action_save(self) -> None:
        group = "settings-save"
        if group_busy(self, group):
            return
        text = self.editor.text
        path = config_path(self.engine)

        async def work() -> None:
            try:
                await asyncio.to_thread(check_text, text, path)
            except ConfigError as exc:
                self._show_error(exc)
                return
            disk = await asyncio.to_thread(read_file_text, path)
            if disk not in (None, text, self.loaded_text) and not self._overwrite_armed:
                self._overwrite_armed = True
                self.notify(
                    "The file changed on disk since it was loaded here. ctrl+s again overwrites "
                    "it with this text; ctrl+r loads the file instead.",
                    title="Not saved",
                    severity="warning",
                    timeout=10,
                )
                return
            try:
                await save_text(self.app, self.engine, path, text)
            except ConfigError as exc:
                self._show_error(exc)
                return
            if self.is_running:
                self.file_exists = True
                self._load(text)
                self._show_state()
            self.notify(f"Saved {show_path(path)}", title="Settings")

        run_engine(self, work, group=group, label="Saving the config file")

    def _show_error(self, exc: ConfigError) -> None:
        where = f"line {exc.line}" if exc.line else "the file"
        key = f" ({exc.key})" if exc.key else ""
        error = self.query_one("#error", Static)
        error.update(f"Not saved: {where}{key}: {exc.reason}. Nothing was written.")
        error.remove_class("-hidden")
        self.notify(str(exc), title="Not saved", severity="error", timeout=10)
        if exc.line:
            self.editor.move_cursor((exc.line - 1, 0), center=True)
        self.editor.focus()

    def _clear_error(self) -> None:
        self.query_one("#error", Static).add_class("-hidden")

    def action_revert(self) -> None:
        if self.dirty and not self._revert_armed:
            self._revert_armed = True
            self.notify(
                "You have unsaved changes: ctrl+r again drops them and loads the file.",
                title="Revert",
                severity="warning",
            )
            return
        self.reload_file(force=True)

    def action_edit_file(self) -> None:
        self.editor.focus()

    def action_leave_editor(self) -> None:
        self.theme_list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_file":  # `e` types an "e" while the editor has the focus
            return not self.editor.has_focus
        if action == "leave_editor":
            return self.editor.has_focus
        return True

    def action_switch_focus(self) -> None:
        if self.editor.has_focus:
            self.theme_list.focus()
        else:
            self.editor.focus()

    # -- themes -------------------------------------------------------------------------------

    def reload_themes(self) -> None:
        """List matinee's themes (bundled and the user's folder), then Textual's own."""

        async def work() -> None:
            own = await matinee_themes(self.app, self.engine.settings)
            if self.is_running:
                self._own_themes = own
                self._fill_themes()

        run_engine(
            self, work, group="settings-themes", label="Reading theme files", exclusive=False
        )

    def _fill_themes(self) -> None:
        themes = self.theme_list
        current = self.app.theme
        others = other_themes(self.app, self._own_themes)
        options: list[Option | None] = [self._option(n, current) for n in self._own_themes]
        if others:
            options.append(None)  # a separator between matinee's themes and Textual's
            options.extend(self._option(n, current) for n in others)
        themes.clear_options()
        themes.add_options(options)
        index = next((i for i, o in enumerate(themes.options) if o.id == current), None)
        if index is not None:
            themes.highlighted = index

    @staticmethod
    def _option(name: str, current: str) -> Option:
        return Option(f"{'●' if name == current else ' '} {name}", id=name)

    def _mark_themes(self) -> None:
        themes = self.theme_list
        current = self.app.theme
        for option in themes.options:
            if option.id is not None:
                themes.replace_option_prompt(option.id, self._option(option.id, current).prompt)

    @on(OptionList.OptionSelected, "#themes")
    def _on_theme_selected(self, message: OptionList.OptionSelected) -> None:
        name = message.option.id
        if name is not None:
            choose_theme(self.app, self.engine, name)
