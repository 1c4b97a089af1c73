"""The library's enrichment keys: refresh the highlighted title, enrich the queue's next batch.

Plain functions over the screen that asks (a DOM node, for workers and notifications), so the
screen module stays about showing the library. A run that processed titles is announced by the
app's own notification; these only say what the app cannot (a refused or empty run).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from matinee.engine.api import EngineAPI
from matinee.model import Ref
from matinee.tui.workers import group_busy, run_engine

__all__ = ["QUEUE_GROUP", "enrich_queue", "refresh_title"]

QUEUE_GROUP = "enrich-queue"


def refresh_title(
    node: Widget, engine: EngineAPI, ref: Ref, force: bool, done: Callable[[Ref], None]
) -> None:
    """Enrich `ref` (only if stale unless `force`), then call `done(ref)`."""
    group = f"enrich:{ref}"
    if group_busy(node, group):
        node.notify(f"{ref} is already being refreshed")
        return

    async def work() -> None:
        report = await engine.enrich([ref], force=force)
        node.notify(
            f"{ref}: {report.updated} updated, {report.failed} failed"
            + (", partial" if report.partial else ""),
            title="Force refresh" if force else "Refresh",
        )
        done(ref)

    run_engine(node, work, group=group, label=f"Refreshing {ref}")


def enrich_queue(node: Widget, engine: EngineAPI) -> bool:
    """Start one batch of the staleness queue as a bulk run; False if one started here runs."""
    if group_busy(node, QUEUE_GROUP):
        node.notify("The enrichment queue is already running")
        return False

    async def work() -> None:
        report = await engine.enrich(trigger="manual")
        if not report.processed:
            node.notify(report.stop_reason or "Nothing to enrich: every title is fresh",
                        title="Enrichment queue")  # fmt: skip

    run_engine(node, work, group=QUEUE_GROUP, label="Enriching the queue")
    return True
