"""A tiny synchronous publish/subscribe bus for engine events.

Subscribers are plain callables run on the loop thread in the order they subscribed. They must
be quick (the TUI bridge only appends to a buffer); one that raises is logged and kept, so a
broken subscriber never stops the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from matinee.engine.events import Event

__all__ = ["EventBus", "Subscriber"]

log = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        for subscriber in tuple(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                log.exception("event subscriber %r failed on %s", subscriber, type(event).__name__)
