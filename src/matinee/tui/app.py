"""The Textual application: screens over an `EngineAPI`, joined to the loop `cli.py` owns.

The app neither starts nor stops the engine (`cli.py` awaits `engine.start()` before
`run_tui(engine)` and stops it afterwards); it only subscribes to the engine's bus through the
`EventBridge` and calls engine verbs from screen workers. `run_tui` adds what Textual lacks:
SIGTERM/SIGHUP leave the terminal usable instead of killing the process in the alternate screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, TextArea

from matinee.engine.api import EngineAPI
from matinee.engine.events import EnrichmentFailed, ProviderFailed, RunFinished
from matinee.tui.bridge import EngineEvents, EventBridge
from matinee.tui.commands import MatineeCommands
from matinee.tui.screens.dashboard import DashboardScreen
from matinee.tui.screens.keys import KeysScreen
from matinee.tui.screens.library import LibraryScreen
from matinee.tui.screens.providers import ProvidersScreen
from matinee.tui.screens.queue import QueueScreen
from matinee.tui.screens.settings import SettingsScreen
from matinee.tui.theme_choice import choose_theme
from matinee.tui.themes import DEFAULT_THEME, bundled_theme_dir, load_themes, user_theme_dir

__all__ = ["MODES", "MatineeApp", "run_tui"]

# The top-level screens, each its own mode (its own screen stack), on keys 1-5.
MODES: tuple[tuple[str, str, Callable[[EngineAPI], Screen[None]]], ...] = (
    ("dashboard", "Dashboard", DashboardScreen),
    ("library", "Library", LibraryScreen),
    ("queue", "Queue", QueueScreen),
    ("providers", "Providers", ProvidersScreen),
    ("settings", "Settings", SettingsScreen),
)


class MatineeApp(App[int]):
    """matinee's TUI. Construct it with a started engine; it pushes the library screen."""

    TITLE = "matinee"
    COMMANDS: ClassVar = App.COMMANDS | {MatineeCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            # shown by the NavBar under the header, not in the footer
            Binding(str(n), f"go('{mode}')", label, show=False, tooltip=f"Open the {label} screen")
            for n, (mode, label, _) in enumerate(MODES, start=1)
        ),
        Binding("question_mark", "keys", "Keys"),
        Binding("q", "quit", "Quit", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(
        self, engine: EngineAPI, *, bridge_timer: bool = True, start: str = "dashboard"
    ) -> None:
        """Args:
        engine: The engine to drive; already started by the caller.
        bridge_timer: Flush engine events every 0.1 s; tests pass False and flush by hand.
        start: The mode (top-level screen) shown first.
        """
        super().__init__()
        self._start = start
        self.engine = engine
        self.bridge = EventBridge(self, engine.bus)
        self._bridge_timer = bridge_timer

    def on_mount(self) -> None:
        for theme in load_themes([bundled_theme_dir(), user_theme_dir(self.engine.settings)]):
            self.register_theme(theme)
        wanted = self.engine.settings.ui.theme
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            if DEFAULT_THEME in self.available_themes:
                self.theme = DEFAULT_THEME
            self.notify(f"No theme named {wanted!r}; using {self.theme}", severity="warning")
        self.bridge.start(timer=self._bridge_timer)
        for mode, _, screen in MODES:
            self.add_mode(mode, partial(screen, self.engine))
        self.switch_mode(self._start)

    def on_unmount(self) -> None:
        self.bridge.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `q` is a priority binding so it works from every screen, but it must still type a
        # "q" into a text box; returning False lets the key fall through to the Input.
        return not (action == "quit" and isinstance(self.focused, Input | TextArea))

    def action_go(self, mode: str) -> None:
        """Open a top-level screen (keys 1-5); its own stack (a detail it opened) is kept."""
        if mode != self.current_mode:
            self.switch_mode(mode)

    def action_keys(self) -> None:
        if not isinstance(self.screen, KeysScreen):
            self.push_screen(KeysScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Textual's own theme picker would not keep the choice; ours ("Theme: …") does.
        return (c for c in super().get_system_commands(screen) if c.title != "Theme")

    def action_set_theme(self, name: str) -> None:
        """Use a theme now and keep it in the config file (`[ui] theme`)."""
        choose_theme(self, self.engine, name)

    @on(EngineEvents)
    def _notify_events(self, message: EngineEvents) -> None:
        """Notifications that belong to no one screen: runs finished, providers and titles
        that failed. (Screens get their own copy of every batch.)"""
        for event in message.events:
            if isinstance(event, RunFinished) and event.processed:
                verb = "stopped" if event.stopped else "finished"
                text = (
                    f"{event.processed:,} processed, {event.updated:,} updated, "
                    f"{event.failed:,} failed, {event.partial:,} partial, "
                    f"{event.needs_review:,} to review"
                )
                if event.stop_reason:
                    text += f"\n{event.stop_reason}"
                self.notify(text, title=f"Enrichment {verb}",
                            severity="warning" if event.stopped else "information")  # fmt: skip
            elif isinstance(event, ProviderFailed):
                self.notify(
                    f"{event.error}. Left out for the rest of this run; "
                    "the Providers screen (4) shows how to fix it.",
                    title="Provider left out",
                    severity="warning",
                )
            elif isinstance(event, EnrichmentFailed):
                self.notify(f"{event.title}: {event.error}", title="Enrichment failed",
                            severity="error")  # fmt: skip

    async def action_quit(self) -> None:
        self.exit(0)


async def run_tui(engine: EngineAPI) -> int:
    """Run the TUI on the current loop until the user quits or a SIGTERM/SIGHUP arrives.

    Returns:
        The process exit code (0 on a normal quit or a signal).
    """
    # textual-image queries the terminal when imported; it must happen before the app takes
    # the terminal over (STYLE.md, "Known pitfalls").
    with contextlib.suppress(ImportError):
        import textual_image.renderable  # noqa: F401

    app = MatineeApp(engine)
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            loop.add_signal_handler(sig, app.exit)
        except (NotImplementedError, RuntimeError, ValueError):
            continue  # Windows, or not the main thread: Textual's defaults apply
        installed.append(sig)
    try:
        await app.run_async()
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
    return app.return_code or 0
