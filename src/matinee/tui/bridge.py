"""The one place engine events enter the TUI, batched so a busy engine cannot drown the UI.

One Textual message per engine event costs most of a core at a few hundred events a second
(STYLE.md, "Known pitfalls"). The bus subscriber here only appends to a list; a 10 Hz timer
flushes the list, keeps only the latest of each coalescable progress event, and posts one
`EngineEvents` message per screen on the current stack (screens below the top one stay
current too) and one to the app. Top-level screens of other modes catch up when resumed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from textual.app import App
from textual.message import Message
from textual.timer import Timer

from matinee.engine.bus import EventBus
from matinee.engine.events import (
    EnrichmentFailed,
    EnrichmentFinished,
    EntityChanged,
    Event,
    RunProgressed,
    ScanProgressed,
)
from matinee.model import Ref

__all__ = ["COALESCED", "EngineEvents", "EventBridge", "coalesce", "refs_touched"]

# Progress events where only the latest value matters.
COALESCED: tuple[type[Event], ...] = (ScanProgressed, RunProgressed)

FLUSH_INTERVAL = 0.1


class EngineEvents(Message, bubble=False):
    """A batch of engine events, oldest first, with progress events coalesced."""

    def __init__(self, events: tuple[Event, ...]) -> None:
        super().__init__()
        self.events = events

    def latest(self, kind: type[Event]) -> Event | None:
        """The last event of type `kind` in the batch, if any."""
        for event in reversed(self.events):
            if isinstance(event, kind):
                return event
        return None

    def of_type(self, *kinds: type[Event]) -> list[Event]:
        return [e for e in self.events if isinstance(e, kinds)]


def coalesce(events: Sequence[Event]) -> tuple[Event, ...]:
    """Drop every coalescable event but the last of its type, keeping the order of the rest."""
    last: dict[type[Event], int] = {}
    for i, event in enumerate(events):
        if isinstance(event, COALESCED):
            last[type(event)] = i
    return tuple(
        e for i, e in enumerate(events) if not isinstance(e, COALESCED) or last[type(e)] == i
    )


def refs_touched(events: Iterable[Event]) -> set[Ref]:
    """Refs whose stored data an event says has changed (enriched, failed or edited)."""
    return {
        e.ref
        for e in events
        if isinstance(e, EnrichmentFinished | EnrichmentFailed | EntityChanged)
    }


class EventBridge:
    """Subscribes to the engine bus and forwards batches to the app's screens."""

    def __init__(self, app: App[Any], bus: EventBus, interval: float = FLUSH_INTERVAL) -> None:
        self._app = app
        self._bus = bus
        self._interval = interval
        self._buffer: list[Event] = []
        self._unsubscribe: Callable[[], None] | None = None
        self._timer: Timer | None = None

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def start(self, *, timer: bool = True) -> None:
        """Subscribe; with `timer` also flush every interval (tests flush by hand)."""
        if self._unsubscribe is None:
            self._unsubscribe = self._bus.subscribe(self._buffer.append)
        if timer and self._timer is None:
            self._timer = self._app.set_interval(self._interval, self.flush, name="event-bridge")

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._buffer.clear()

    def flush(self) -> tuple[Event, ...]:
        """Post what has accumulated; returns the batch that was posted (empty if none)."""
        if not self._buffer:
            return ()
        batch = coalesce(self._buffer)
        self._buffer.clear()
        if not self._app.is_running:
            return ()
        for screen in tuple(self._app.screen_stack):
            if screen.is_running:
                screen.post_message(EngineEvents(batch))
        self._app.post_message(EngineEvents(batch))  # app-wide notifications
        return batch
