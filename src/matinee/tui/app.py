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
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import Input

from matinee.engine.api import EngineAPI
from matinee.tui.bridge import EventBridge
from matinee.tui.commands import MatineeCommands
from matinee.tui.screens.library import LibraryScreen
from matinee.tui.themes import DEFAULT_THEME, bundled_theme_dir, load_themes

__all__ = ["MatineeApp", "run_tui"]


class MatineeApp(App[int]):
    """matinee's TUI. Construct it with a started engine; it pushes the library screen."""

    TITLE = "matinee"
    COMMANDS: ClassVar = App.COMMANDS | {MatineeCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(self, engine: EngineAPI, *, bridge_timer: bool = True) -> None:
        """Args:
        engine: The engine to drive; already started by the caller.
        bridge_timer: Flush engine events every 0.1 s; tests pass False and flush by hand.
        """
        super().__init__()
        self.engine = engine
        self.bridge = EventBridge(self, engine.bus)
        self._bridge_timer = bridge_timer

    def on_mount(self) -> None:
        for theme in load_themes([bundled_theme_dir()]):
            self.register_theme(theme)
        if DEFAULT_THEME in self.available_themes:
            self.theme = DEFAULT_THEME
        self.bridge.start(timer=self._bridge_timer)
        self.push_screen(LibraryScreen(self.engine))

    def on_unmount(self) -> None:
        self.bridge.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `q` is a priority binding so it works from every screen, but it must still type a
        # "q" into a text box; returning False lets the key fall through to the Input.
        return not (action == "quit" and isinstance(self.focused, Input))

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
