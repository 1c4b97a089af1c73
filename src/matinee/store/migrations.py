"""Versioned, forward-only schema migrations, run at start.

Each migration is a list of SQL statements applied in one transaction; `schema_version` holds
the number of the last one applied. Never edit a released migration: add the next one. A
database newer than this code is refused rather than guessed at.
"""

from __future__ import annotations

from peewee import SqliteDatabase

from matinee.errors import StoreError

__all__ = ["MIGRATIONS", "current_version", "migrate"]

_V1 = [
    """CREATE TABLE libraries (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at REAL NOT NULL
    )""",
    """CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('movie', 'series', 'season', 'episode')),
        parent_id INTEGER REFERENCES entities(id) ON DELETE CASCADE,
        group_key TEXT NOT NULL,
        title TEXT NOT NULL,
        sort_title TEXT NOT NULL,
        year INTEGER,
        season_number INTEGER,
        episode_number INTEGER,
        tmdb_id INTEGER,
        imdb_id TEXT,
        tvdb_id INTEGER,
        ident_status TEXT NOT NULL DEFAULT 'unidentified',
        ident_confidence REAL,
        ident_tier TEXT,
        candidates TEXT,
        fields TEXT NOT NULL DEFAULT '{}',
        completeness REAL NOT NULL DEFAULT 0,
        monitored INTEGER NOT NULL DEFAULT 1,
        last_enriched_at REAL,
        enrichment_duration REAL,
        partial INTEGER NOT NULL DEFAULT 0,
        rate_limited TEXT,
        failed TEXT,
        on_disk INTEGER NOT NULL DEFAULT 1,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    "CREATE UNIQUE INDEX entities_group ON entities(kind, coalesce(parent_id, 0), group_key)",
    "CREATE INDEX entities_parent ON entities(parent_id, season_number, episode_number)",
    "CREATE INDEX entities_kind_sort ON entities(kind, sort_title)",
    # The staleness queue: monitored first, never-enriched first (NULL sorts first), oldest,
    # least complete.
    """CREATE INDEX entities_staleness
        ON entities(monitored, last_enriched_at, completeness)""",
    "CREATE INDEX entities_tmdb ON entities(kind, tmdb_id)",
    "CREATE INDEX entities_review ON entities(ident_status)",
    """CREATE TABLE media_files (
        id INTEGER PRIMARY KEY,
        path BLOB NOT NULL UNIQUE,
        display_path TEXT NOT NULL,
        root TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime REAL NOT NULL,
        missing INTEGER NOT NULL DEFAULT 0,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        parsed TEXT,
        local_ids TEXT,
        probe TEXT,
        entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL
    )""",
    "CREATE INDEX media_files_entity ON media_files(entity_id)",
    """CREATE TABLE entity_files (
        entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
        file_id INTEGER NOT NULL REFERENCES media_files(id) ON DELETE CASCADE,
        PRIMARY KEY (entity_id, file_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX entity_files_file ON entity_files(file_id)",
    """CREATE TABLE field_sources (
        entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        provider TEXT NOT NULL,
        fetched_at REAL NOT NULL,
        PRIMARY KEY (entity_id, field)
    ) WITHOUT ROWID""",
    """CREATE TABLE field_locks (
        entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        locked_at REAL NOT NULL,
        PRIMARY KEY (entity_id, field)
    ) WITHOUT ROWID""",
    """CREATE TABLE enrichment_log (
        id INTEGER PRIMARY KEY,
        entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
        at REAL NOT NULL,
        mode TEXT NOT NULL,
        providers_ok TEXT NOT NULL DEFAULT '[]',
        providers_rate_limited TEXT NOT NULL DEFAULT '[]',
        providers_failed TEXT NOT NULL DEFAULT '[]',
        changes TEXT NOT NULL DEFAULT '[]',
        completeness_before REAL,
        completeness_after REAL,
        duration REAL,
        visible_change INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX enrichment_log_entity ON enrichment_log(entity_id, at)",
    """CREATE TABLE provider_cache (
        provider TEXT NOT NULL,
        key TEXT NOT NULL,
        fetched_at REAL NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (provider, key)
    ) WITHOUT ROWID""",
]

# v2: provider quotas and health (DESIGN.md §3 provider_state), and the response cache with
# compressed bodies in a rowid table (big rows do not belong in a WITHOUT ROWID table).
_V2 = [
    """CREATE TABLE provider_state (
        provider TEXT PRIMARY KEY,
        day TEXT NOT NULL,
        requests_today INTEGER NOT NULL DEFAULT 0,
        exhausted_until REAL,
        rate_limited_until REAL,
        last_request_at REAL,
        last_status INTEGER,
        last_error TEXT,
        last_error_at REAL
    )""",
    "DROP TABLE provider_cache",
    """CREATE TABLE provider_cache (
        id INTEGER PRIMARY KEY,
        provider TEXT NOT NULL,
        key TEXT NOT NULL,
        fetched_at REAL NOT NULL,
        status INTEGER NOT NULL,
        body BLOB,
        UNIQUE (provider, key)
    )""",
    "CREATE INDEX provider_cache_fetched ON provider_cache (fetched_at)",
]

# v3: bulk runs, one at a time across processes (a running row with a heartbeat).
_V3 = [
    """CREATE TABLE bulk_runs (
        id INTEGER PRIMARY KEY,
        trigger TEXT NOT NULL,
        complete_or_skip INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        owner TEXT NOT NULL,
        started_at REAL NOT NULL,
        heartbeat_at REAL NOT NULL,
        finished_at REAL,
        total INTEGER NOT NULL DEFAULT 0,
        processed INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        partial INTEGER NOT NULL DEFAULT 0,
        needs_review INTEGER NOT NULL DEFAULT 0,
        current TEXT,
        stop_reason TEXT,
        cancel_requested INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX bulk_runs_status ON bulk_runs (status, started_at)",
]

# v4: library status and the most incomplete titles read one covering index, not the table.
_V4 = [
    "CREATE INDEX entities_kind_completeness "
    "ON entities (kind, completeness, sort_title, ident_status)",
]

# v5: partial titles are never fresh; the queue reads them from this small partial index.
_V5 = [
    "CREATE INDEX entities_partial ON entities (last_enriched_at, completeness, id) "
    "WHERE partial = 1",
]

# v6: artwork candidates, the files matinee wrote to its cache, people and credits (§8).
# SQLite treats NULLs as distinct in a UNIQUE constraint, so the keys that hold a nullable
# column are unique indexes on an expression (whole-title art has no season, an unnamed
# character is '').
_V6 = [
    """CREATE TABLE provider_assets (
        id INTEGER PRIMARY KEY,
        entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
        slot TEXT NOT NULL,
        season INTEGER,
        provider TEXT NOT NULL,
        url TEXT NOT NULL,
        preview_url TEXT,
        language TEXT,
        votes INTEGER NOT NULL DEFAULT 0,
        rating REAL,
        width INTEGER,
        height INTEGER,
        disc INTEGER,
        disc_type TEXT,
        phash TEXT,
        real_width INTEGER,
        real_height INTEGER,
        score REAL,
        parts TEXT NOT NULL DEFAULT '{}',
        selected INTEGER NOT NULL DEFAULT 0,
        selected_by TEXT CHECK (selected_by IN ('auto', 'user')),
        cached_path TEXT,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL
    )""",
    """CREATE UNIQUE INDEX provider_assets_key
        ON provider_assets (entity_id, slot, coalesce(season, -1), url)""",
    "CREATE INDEX provider_assets_slot ON provider_assets (entity_id, slot, season)",
    """CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        provider TEXT NOT NULL,
        provider_id TEXT,
        name TEXT NOT NULL,
        image_url TEXT,
        cached_path TEXT
    )""",
    # one row per provider id; a person a provider gives no id for is keyed by name
    """CREATE UNIQUE INDEX people_key
        ON people (provider, coalesce(provider_id, '~' || name))""",
    "CREATE INDEX people_uncached ON people (id) WHERE cached_path IS NULL",
    """CREATE TABLE credits (
        entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('actor', 'director', 'writer', 'creator')),
        character TEXT,
        job TEXT,
        ord INTEGER
    )""",
    """CREATE UNIQUE INDEX credits_key
        ON credits (entity_id, person_id, role, coalesce(character, ''))""",
    "CREATE INDEX credits_person ON credits (person_id)",
    """CREATE TABLE cache_files (
        id INTEGER PRIMARY KEY,
        rel_path TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL,
        asset_id INTEGER REFERENCES provider_assets(id) ON DELETE SET NULL,
        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        written_at REAL NOT NULL
    )""",
    "CREATE INDEX cache_files_entity ON cache_files (entity_id)",
    "CREATE INDEX cache_files_asset ON cache_files (asset_id)",
    "CREATE INDEX cache_files_person ON cache_files (person_id)",
]

MIGRATIONS: tuple[list[str], ...] = (_V1, _V2, _V3, _V4, _V5, _V6)


def current_version(db: SqliteDatabase) -> int:
    db.execute_sql("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = db.execute_sql("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: SqliteDatabase) -> int:
    """Apply every migration newer than the database's version; return the new version.

    The version is read and the migrations applied under one write lock (`BEGIN IMMEDIATE`),
    so two processes opening a new database at once cannot both migrate it.
    """
    with db.atomic("IMMEDIATE"):
        version = current_version(db)
        if version > len(MIGRATIONS):
            raise StoreError(
                f"the database is at schema version {version}, newer than this matinee "
                f"({len(MIGRATIONS)}); upgrade matinee"
            )
        for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            for sql in statements:
                db.execute_sql(sql)
            db.execute_sql("INSERT INTO schema_version (version) VALUES (?)", (number,))
    return len(MIGRATIONS)
