"""The Providers screen: health per provider, enable/disable, priority order, keys, authority.

It shows `engine.provider_health()` and the priority order from `engine.settings`; every change
is a config-file edit through `settings_file` (comments kept, validated before writing), then
`engine.apply_settings`. Keys are only ever shown masked, as the engine hands them over.
"""

from __future__ import annotations

from operator import attrgetter
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from matinee.engine.api import EngineAPI
from matinee.engine.events import (
    ProviderAnswered,
    ProviderFailed,
    ProviderRateLimited,
    RunFinished,
)
from matinee.engine.reports import ProviderHealth
from matinee.errors import ConfigError
from matinee.tui.bridge import EngineEvents
from matinee.tui.screens.providers_authority import FieldAuthorityScreen
from matinee.tui.screens.providers_rows import (
    details_text,
    moved_priority,
    provider_rows,
    rank_text,
)
from matinee.tui.screens.settings_file import ConfigSaved, save_edits
from matinee.tui.widgets.nav_bar import NavBar
from matinee.tui.widgets.virtual_table import Column, VirtualTable
from matinee.tui.workers import group_busy, run_engine

__all__ = ["ProvidersScreen"]

COLUMNS = (
    Column("rank", "#", 2, "right", value=attrgetter("rank"), text=rank_text),
    Column("name", "Provider", 10, value=attrgetter("name")),
    Column(
        "enabled", "On", 3, value=attrgetter("enabled"), text=lambda on: "on" if on else "off",
        style=lambda on: None if on else "dim",
    ),
    Column("status", "Status", 0, value=attrgetter("status", "tone"), text=lambda v: v[0],
           style=lambda v: v[1], min_width=16),
    Column("usage", "Usage", 19, value=attrgetter("usage")),
    Column("error", "Last error", 0, value=attrgetter("error"), min_width=10,
           style=lambda e: "bad" if e else None),
    Column("key", "Key", 9, value=attrgetter("key"), style=lambda k: "dim"),
)  # fmt: skip

# Events after which the health shown is out of date.
_HEALTH_EVENTS = (ProviderAnswered, ProviderFailed, ProviderRateLimited, RunFinished)


class ProvidersScreen(Screen[None]):
    """Every provider's health, with the keys that change what matinee asks of it."""

    CSS_PATH = "providers.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_enabled", "On/off", tooltip="Turn the provider on or off"),
        Binding("t", "test", "Test", tooltip="Send one cheap request with the key"),
        Binding("plus,shift+up", "move(-1)", "Move", tooltip="Earlier in the priority order"),
        Binding("minus,shift+down", "move(1)", "Move down", show=False,
                tooltip="Later in the priority order"),
        Binding("a", "authority", "Authority",
                tooltip="Which providers are trusted for which field"),
        Binding("r", "reload", "Reload", show=False),
    ]  # fmt: skip

    def __init__(self, engine: EngineAPI) -> None:
        super().__init__()
        self.engine = engine
        self.health: dict[str, ProviderHealth] = {}
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield NavBar("providers")
        yield Static(id="order", markup=False)
        yield VirtualTable(COLUMNS, row_key=attrgetter("id"), id="providers")
        yield Static(id="details", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#providers", VirtualTable)

    @property
    def priority(self) -> tuple[str, ...]:
        return tuple(self.engine.settings.authority.priority)

    @property
    def highlighted(self) -> ProviderHealth | None:
        key = self.table.cursor_key
        return self.health.get(key) if isinstance(key, str) else None

    def on_mount(self) -> None:
        self.sub_title = "Providers"
        self.table.focus()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown.
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the health again; calls while a read is under way make one more read after it."""
        group = "providers-load"
        if group_busy(self, group):
            self._stale = True
            return

        async def work() -> None:
            while True:
                self._stale = False
                health = await self.engine.provider_health()
                if not self.is_running:
                    return
                self._show(health)
                if not self._stale:
                    return

        run_engine(self, work, group=group, label="Loading provider health")

    def _show(self, health: list[ProviderHealth]) -> None:
        self.health = {h.id: h for h in health}
        self.table.set_rows(provider_rows(health, self.priority))
        self.query_one("#order", Static).update(
            "Priority order: " + " › ".join(self.priority) + "  (fields without their own list)"
        )
        self._show_details()

    @on(VirtualTable.RowHighlighted, "#providers")
    def _show_details(self) -> None:
        h = self.highlighted
        self.query_one("#details", Static).update(
            details_text(h, self.priority) if h else "No providers"
        )

    @on(EngineEvents)
    def _on_engine_events(self, message: EngineEvents) -> None:
        if self.is_running and message.of_type(*_HEALTH_EVENTS):
            self.reload()

    @on(ConfigSaved)
    def _on_config_saved(self) -> None:
        if self.is_running:
            self.reload()

    def _save(self, edits: list[tuple[str, str, object]], done: str, label: str) -> None:
        """Write `edits` to the config file; a ConfigError is shown with its line."""

        async def work() -> None:
            try:
                await save_edits(self.app, self.engine, edits)
            except ConfigError as exc:
                self.notify(str(exc), title="Not saved", severity="error", timeout=10)
                return
            self.notify(done)

        run_engine(self, work, group="providers-save", label=label, exclusive=False)

    def action_toggle_enabled(self) -> None:
        h = self.highlighted
        if h is None:
            return
        enabled = not h.enabled
        verb = "enabled" if enabled else "disabled"
        self._save(
            [(f"providers.{h.id}", "enabled", enabled)],
            f"{h.name} {verb}",
            f"Saving {h.name} {verb}",
        )

    def action_move(self, step: int) -> None:
        h = self.highlighted
        if h is None:
            return
        order = moved_priority(self.priority, h.id, step)
        if order is None:
            where = "first" if step < 0 else "last"
            if h.id not in self.priority:
                where = "out of the order; move it up to add it"
            self.notify(f"{h.name} is {where}", severity="warning")
            return
        self._save(
            [("authority", "priority", list(order))],
            "Priority order: " + ", ".join(order),
            "Saving the priority order",
        )

    def action_test(self) -> None:
        h = self.highlighted
        if h is None:
            return
        group = f"provider-test-{h.id}"
        if group_busy(self, group):
            self.notify(f"{h.name} is already being tested")
            return

        async def work() -> None:
            check = await self.engine.test_provider(h.id)
            if check.ok:
                self.notify(check.message, title=f"{h.name} key works")
            else:
                self.notify(check.message, title=f"{h.name} test failed", severity="error")
            self.reload()

        self.notify(f"Testing {h.name}…")
        run_engine(self, work, group=group, label=f"Testing {h.name}")

    def action_authority(self) -> None:
        self.app.push_screen(FieldAuthorityScreen(self.engine))
