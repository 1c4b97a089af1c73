"""What the library missed while another mode was on screen, so it can catch up cheaply.

The bridge posts engine events only to the screens of the current mode. Rather than reload
100k titles every time the user comes back, the library records, while it is away, the events
its handler would have acted on: the latest progress event of each type (for the status line),
whether a scan or run finished (a full reload), and the titles touched, one event per ref (a
row re-fetch each). Recording is a dict assignment per event, like the bridge's own buffer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from matinee.engine.bus import EventBus
from matinee.engine.events import EnrichmentFailed, EnrichmentFinished, EntityChanged, Event

__all__ = ["MissedEvents"]

_TOUCHING = (EnrichmentFinished, EnrichmentFailed, EntityChanged)


class MissedEvents:
    """Subscribes to the bus between `start` and `stop`; `take` hands over what came."""

    def __init__(self, bus: EventBus) -> None:
        self._bus = bus
        self._unsubscribe: Callable[[], None] | None = None
        self._latest: dict[type[Event], Event] = {}
        self._touched: dict[object, Event] = {}

    @property
    def recording(self) -> bool:
        return self._unsubscribe is not None

    def follow(self, screen: Screen[Any]) -> None:
        """Record while `screen` is out of the app's current mode (the bridge reaches it
        again once it is back in it)."""

        def on_mode_change(mode: str) -> None:
            if screen in screen.app.screen_stack:
                self.stop()
            else:
                self.start()

        screen.app.mode_change_signal.subscribe(screen, on_mode_change, immediate=True)

    def start(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self._bus.subscribe(self._record)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _record(self, event: Event) -> None:
        if isinstance(event, _TOUCHING):
            self._touched[event.ref] = event
        else:
            # Keep the latest of each type, ordered by when it last came.
            self._latest.pop(type(event), None)
            self._latest[type(event)] = event

    def take(self) -> tuple[Event, ...]:
        """What was recorded (other events first, in order, then one per touched ref)."""
        events = (*self._latest.values(), *self._touched.values())
        self._latest.clear()
        self._touched.clear()
        return events
