"""Opening the SQLite file: pragmas, migrations, and the one thread that owns the connection.

Peewee is synchronous and SQLite has one writer, so every statement runs on a single dedicated
executor thread (`DbThread`). Coroutines hand it whole units of work (a function that may open
a transaction and return plain values); nothing awaits inside a transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from peewee import OperationalError, SqliteDatabase

from matinee.errors import StoreError
from matinee.store.migrations import migrate
from matinee.store.schema import database_proxy

__all__ = ["DbThread", "open_database"]

T = TypeVar("T")

OPEN_ATTEMPTS = 5
"""Tries to open (and migrate) a database another process is opening at the same moment."""

PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "cache_size": -32_000,
    "temp_store": "memory",
}


def open_database(path: Path) -> SqliteDatabase:
    """Open (creating the folder and file if needed) and migrate the database.

    Must be called on the thread that will use the connection.
    """
    if str(path) != ":memory:":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the database folder {path.parent}: {exc}") from None
    db = SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=10)
    for attempt in range(OPEN_ATTEMPTS):
        try:
            db.connect(reuse_if_open=True)
            database_proxy.initialize(db)
            migrate(db)
            break
        except (OperationalError, sqlite3.DatabaseError) as exc:
            # Switching a new file to WAL can meet another process doing the same; SQLite
            # then answers "locked" at once instead of waiting: try again shortly.
            if "locked" not in str(exc) or attempt == OPEN_ATTEMPTS - 1:
                raise StoreError(f"cannot open the database {path}: {exc}") from None
            db.close()
            time.sleep(0.1 * (attempt + 1))
    if str(path) != ":memory:":
        # a foreign-owned file still works; tightening its permissions is best effort
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    return db


class DbThread:
    """One thread, one connection: `await run(fn, ...)` runs `fn` on it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="matinee-db")
        self._db: SqliteDatabase | None = None

    async def open(self) -> None:
        self._db = await self.run(open_database, self.path)

    @property
    def db(self) -> SqliteDatabase:
        if self._db is None:
            raise StoreError("the database is not open")
        return self._db

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))
        except (OperationalError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"database error: {exc}") from exc

    async def close(self) -> None:
        if self._db is not None:
            db = self._db
            self._db = None
            await self.run(db.close)
        self._executor.shutdown(wait=True)
