"""A title's history on the database thread: its rows of `enrichment_log`, newest first.

Every write that changes a title leaves one row: an enrichment (mode `manual`, `bulk`,
`scheduled`), a user's edit or artwork pick (`user`), a re-identification (`identify`). Each row's
`changes` is a JSON list of `{field, old, new, provider}`; they become `views.HistoryEntry`
values here, so no row leaves `store/`.
"""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

from matinee.engine.views import FieldChange, HistoryEntry
from matinee.errors import NotFoundError
from matinee.model import Ref
from matinee.store.entity_reads import rows, to_datetime
from matinee.store.schema import EnrichmentLog, Entity

__all__ = ["entity_history"]

_COLUMNS = (
    EnrichmentLog.at, EnrichmentLog.mode, EnrichmentLog.changes, EnrichmentLog.providers_ok,
    EnrichmentLog.providers_rate_limited, EnrichmentLog.providers_failed,
    EnrichmentLog.completeness_before, EnrichmentLog.completeness_after,
)  # fmt: skip


def entity_history(db: SqliteDatabase, ref: Ref, limit: int) -> list[HistoryEntry]:
    """The entity's last `limit` log rows, newest first (ties: the later write first).

    Raises:
        NotFoundError: no entity of that kind has that id.
    """
    if not Entity.select().where((Entity.id == ref.id) & (Entity.kind == ref.kind.value)).exists():
        raise NotFoundError(f"no {ref.kind.value} with id {ref.id} (reference {ref})")
    query = (
        EnrichmentLog.select(*_COLUMNS)
        .where(EnrichmentLog.entity == ref.id)
        .order_by(EnrichmentLog.at.desc(), EnrichmentLog.id.desc())
        .limit(max(limit, 0))
    )
    return [_entry(row) for row in rows(query)]


def _entry(row: tuple[Any, ...]) -> HistoryEntry:
    at, mode, changes, ok, limited, failed, before, after = row
    when = to_datetime(at)
    assert when is not None  # `at` is NOT NULL
    return HistoryEntry(
        at=when,
        mode=mode,
        changes=tuple(_change(c) for c in changes or () if isinstance(c, dict)),
        providers_ok=tuple(ok or ()),
        providers_rate_limited=tuple(limited or ()),
        providers_failed=tuple(failed or ()),
        completeness_before=before,
        completeness_after=after,
    )


def _change(data: dict[str, Any]) -> FieldChange:
    return FieldChange(
        field=str(data.get("field", "")),
        old=data.get("old"),
        new=data.get("new"),
        source=data.get("provider"),
    )
