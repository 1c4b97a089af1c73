"""Peewee models mirroring the migrated schema. Only `store/` imports this module.

The DDL lives in `migrations.py` (forward-only, versioned); these models describe the same
tables for queries. Rows never leave `store/`: the repository turns them into `model.py`
dataclasses.

One `entities` table holds movies, series, seasons and episodes (a `kind` column, a `parent`
link), so locks, sources, logs and files refer to one key whatever the kind.
"""

from __future__ import annotations

import json
from typing import Any

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    DatabaseProxy,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()


class JSONField(TextField):
    """JSON text; `None` stays SQL NULL."""

    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class Root(BaseModel):
    id = AutoField()
    path = TextField(unique=True)
    added_at = FloatField()

    class Meta:
        table_name = "libraries"


class Entity(BaseModel):
    id = AutoField()
    kind = TextField()
    parent = ForeignKeyField("self", null=True, backref="children", column_name="parent_id")
    group_key = TextField()
    title = TextField()
    sort_title = TextField()
    year = IntegerField(null=True)
    season_number = IntegerField(null=True)
    episode_number = IntegerField(null=True)
    tmdb_id = IntegerField(null=True)
    imdb_id = TextField(null=True)
    tvdb_id = IntegerField(null=True)
    ident_status = TextField(default="unidentified")
    ident_confidence = FloatField(null=True)
    ident_tier = TextField(null=True)
    candidates = JSONField(null=True)
    fields = JSONField(default=dict)
    completeness = FloatField(default=0.0)
    monitored = BooleanField(default=True)
    last_enriched_at = FloatField(null=True)
    enrichment_duration = FloatField(null=True)
    partial = BooleanField(default=False)
    rate_limited = JSONField(null=True)
    failed = JSONField(null=True)
    on_disk = BooleanField(default=True)
    created_at = FloatField()
    updated_at = FloatField()

    class Meta:
        table_name = "entities"


class MediaFile(BaseModel):
    id = AutoField()
    path = BlobField(unique=True)
    display_path = TextField()
    root = TextField()
    size = IntegerField()
    mtime = FloatField()
    missing = BooleanField(default=False)
    first_seen = FloatField()
    last_seen = FloatField()
    parsed = JSONField(null=True)
    local_ids = JSONField(null=True)
    probe = JSONField(null=True)
    entity = ForeignKeyField(Entity, null=True, backref="files", column_name="entity_id")

    class Meta:
        table_name = "media_files"


class EntityFile(BaseModel):
    entity = ForeignKeyField(Entity, column_name="entity_id", on_delete="CASCADE")
    file = ForeignKeyField(MediaFile, column_name="file_id", on_delete="CASCADE")

    class Meta:
        table_name = "entity_files"
        primary_key = False


class FieldSource(BaseModel):
    entity = ForeignKeyField(Entity, column_name="entity_id", on_delete="CASCADE")
    field = TextField()
    provider = TextField()
    fetched_at = FloatField()

    class Meta:
        table_name = "field_sources"
        primary_key = False


class FieldLock(BaseModel):
    entity = ForeignKeyField(Entity, column_name="entity_id", on_delete="CASCADE")
    field = TextField()
    locked_at = FloatField()

    class Meta:
        table_name = "field_locks"
        primary_key = False


class EnrichmentLog(BaseModel):
    id = AutoField()
    entity = ForeignKeyField(Entity, column_name="entity_id", on_delete="CASCADE")
    at = FloatField()
    mode = TextField()
    providers_ok = JSONField(default=list)
    providers_rate_limited = JSONField(default=list)
    providers_failed = JSONField(default=list)
    changes = JSONField(default=list)
    completeness_before = FloatField(null=True)
    completeness_after = FloatField(null=True)
    duration = FloatField(null=True)
    visible_change = BooleanField(default=False)

    class Meta:
        table_name = "enrichment_log"


class ProviderCache(BaseModel):
    provider = TextField()
    key = TextField()
    fetched_at = FloatField()
    status = IntegerField()
    body = BlobField(null=True)  # zlib-compressed JSON

    class Meta:
        table_name = "provider_cache"


class ProviderState(BaseModel):
    provider = TextField(primary_key=True)
    day = TextField()  # the UTC date requests_today counts
    requests_today = IntegerField(default=0)
    exhausted_until = FloatField(null=True)
    rate_limited_until = FloatField(null=True)
    last_request_at = FloatField(null=True)
    last_status = IntegerField(null=True)
    last_error = TextField(null=True)
    last_error_at = FloatField(null=True)

    class Meta:
        table_name = "provider_state"


class ProviderAsset(BaseModel):
    id = AutoField()
    entity = ForeignKeyField(Entity, column_name="entity_id", on_delete="CASCADE")
    entity_id: int  # Peewee's accessor for the key itself (declared for the type checker)
    slot = TextField()
    season = IntegerField(null=True)
    provider = TextField()
    url = TextField()
    preview_url = TextField(null=True)
    language = TextField(null=True)
    votes = IntegerField(default=0)
    rating = FloatField(null=True)
    width = IntegerField(null=True)
    height = IntegerField(null=True)
    disc = IntegerField(null=True)
    disc_type = TextField(null=True)
    phash = TextField(null=True)
    real_width = IntegerField(null=True)
    real_height = IntegerField(null=True)
    score = FloatField(null=True)
    parts = JSONField(default=dict)
    selected = BooleanField(default=False)
    selected_by = TextField(null=True)  # auto, user
    cached_path = TextField(null=True)
    first_seen = FloatField()
    last_seen = FloatField()

    class Meta:
        table_name = "provider_assets"


class Person(BaseModel):
    id = AutoField()
    provider = TextField()
    provider_id = TextField(null=True)
    name = TextField()
    image_url = TextField(null=True)
    cached_path = TextField(null=True)

    class Meta:
        table_name = "people"


class CreditRow(BaseModel):
    entity = ForeignKeyField(Entity, column_name="entity_id", on_delete="CASCADE")
    person = ForeignKeyField(Person, column_name="person_id", on_delete="CASCADE")
    entity_id: int
    person_id: int
    role = TextField()
    character = TextField(null=True)
    job = TextField(null=True)
    ord = IntegerField(null=True)

    class Meta:
        table_name = "credits"
        primary_key = False


class CacheFile(BaseModel):
    id = AutoField()
    rel_path = TextField(unique=True)
    sha256 = TextField()
    kind = TextField()
    size = IntegerField()
    entity = ForeignKeyField(Entity, null=True, column_name="entity_id", on_delete="SET NULL")
    asset = ForeignKeyField(ProviderAsset, null=True, column_name="asset_id", on_delete="SET NULL")
    person = ForeignKeyField(Person, null=True, column_name="person_id", on_delete="SET NULL")
    entity_id: int | None
    asset_id: int | None
    person_id: int | None
    written_at = FloatField()

    class Meta:
        table_name = "cache_files"


ALL_MODELS = (
    Root,
    Entity,
    MediaFile,
    EntityFile,
    FieldSource,
    FieldLock,
    EnrichmentLog,
    ProviderCache,
    ProviderState,
    ProviderAsset,
    Person,
    CreditRow,
    CacheFile,
)
