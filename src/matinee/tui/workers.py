"""Running engine verbs from the TUI: always in a named worker, never crashing the app.

Screens call `run_engine(self, work, group=..., label=...)`; an exception from the engine
becomes an error notification (and a log line), and cancellation (an exclusive group restarting
the work, or the app closing) is left to propagate as asyncio expects.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from textual.dom import DOMNode
from textual.worker import Worker

__all__ = ["group_busy", "run_engine"]

log = logging.getLogger(__name__)


def run_engine(
    node: DOMNode,
    work: Callable[[], Awaitable[None]],
    *,
    group: str,
    label: str,
    exclusive: bool = True,
) -> Worker[None]:
    """Run `work()` in a worker of `group`; failures become notifications."""

    async def guarded() -> None:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("%s failed", label)
            if node.is_running and node.app.is_running:
                node.app.notify(f"{label} failed: {exc}", title="matinee", severity="error")

    return node.run_worker(
        guarded(), name=label, group=group, exclusive=exclusive, exit_on_error=False
    )


def group_busy(node: DOMNode, group: str) -> bool:
    """True while a worker of `group` started by `node` is still pending or running."""
    return any(w.group == group and w.node is node and not w.is_finished for w in node.app.workers)
