"""Typed, validated settings read from `config.toml` with `tomllib`.

`Settings` is built once in `cli.py` and passed down; nothing reads a global config. Every
setting is documented where it is declared (and in `config.example.toml`). An invalid file
raises `ConfigError` naming the file, the line where it can be found, the key and the problem.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_type_hints

from matinee.config_assets import AssetsSettings, build_assets
from matinee.config_authority import AuthoritySettings, build_authority
from matinee.config_sections import (
    PROVIDER_DEFAULTS,
    CacheSettings,
    CompletenessSettings,
    DatabaseSettings,
    EnrichSettings,
    LibrarySettings,
    MatchSettings,
    ProviderSettings,
    ScheduleSettings,
    Settings,
    UiSettings,
    provider_default,
)
from matinee.config_toml import Locator, coerce
from matinee.errors import ConfigError
from matinee.model import FIELD_BY_NAME
from matinee.paths import resolve_config_path

__all__ = [
    "AssetsSettings",
    "AuthoritySettings",
    "CacheSettings",
    "CompletenessSettings",
    "DatabaseSettings",
    "EnrichSettings",
    "LibrarySettings",
    "MatchSettings",
    "ProviderSettings",
    "ScheduleSettings",
    "Settings",
    "UiSettings",
    "load_settings",
    "load_settings_text",
    "mask_secret",
]


def mask_secret(secret: str) -> str:
    """`****3f2a`: never print a key whole."""
    if not secret:
        return ""
    return "****" + secret[-4:] if len(secret) > 8 else "****"


# --- loading -------------------------------------------------------------------------------


def load_settings(
    explicit: str | os.PathLike[str] | None = None, *, env: dict[str, str] | None = None
) -> Settings:
    """Read and validate the config (`--config`, `MATINEE_CONFIG`, then the default path).

    A missing file at the default location gives the defaults; a missing file that was named
    explicitly is an error.
    """
    env = dict(os.environ) if env is None else env
    path = resolve_config_path(explicit) if explicit else _path_from_env(env)
    named = bool(explicit or env.get("MATINEE_CONFIG"))
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read: {exc}", path=str(path)) from None
        return load_settings_text(text, path, env=env)
    if named:
        raise ConfigError("file does not exist", path=str(path))
    settings = _build({}, Locator(""), str(path))
    return _apply_env(settings, env, str(path), None)


def load_settings_text(text: str, path: Path, *, env: Mapping[str, str] | None = None) -> Settings:
    """Validate `text` as the contents of the config file at `path`, as `load_settings` does.

    For checking an edit before it is saved: the same errors (naming `path` and the line), the
    same env overrides, and `source` is `path`.
    """
    env = dict(os.environ) if env is None else env
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the position in the message: "Invalid value (at line 4, column 1)"
        found = re.search(r"\(at line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        reason = str(exc).split(" (at ")[0]
        raise ConfigError(f"not valid TOML: {reason}", path=str(path), line=line) from None
    settings = _build(data, Locator(text), str(path))
    return _apply_env(settings, env, str(path), path)


def _path_from_env(env: Mapping[str, str]) -> Path:
    from matinee.paths import default_config_path

    value = env.get("MATINEE_CONFIG")
    return Path(value).expanduser() if value else default_config_path()


_SECTIONS: dict[str, type] = {
    "library": LibrarySettings,
    "database": DatabaseSettings,
    "cache": CacheSettings,
    "match": MatchSettings,
    "completeness": CompletenessSettings,
    "schedule": ScheduleSettings,
    "enrich": EnrichSettings,
    "ui": UiSettings,
}


def _build(data: dict[str, Any], loc: Locator, path: str) -> Settings:
    parts: dict[str, Any] = {}
    for key, value in data.items():
        if key == "offline":
            try:
                parts["offline"] = coerce(value, bool)
            except (TypeError, ValueError) as exc:
                raise ConfigError(str(exc), path=path, key=key, line=loc.line_of("", key)) from None
            continue
        builders = {"providers": _build_providers, "authority": build_authority,
                    "assets": build_assets}  # fmt: skip
        if key in builders:
            parts[key] = builders[key](value, loc, path)
            continue
        cls = _SECTIONS.get(key)
        if cls is None:
            known = ", ".join(sorted([*_SECTIONS, "assets", "authority", "providers", "offline"]))
            raise ConfigError(
                f"unknown section (known: {known})", path=path, key=key, line=loc.line_of(key, None)
            )
        if not isinstance(value, dict):
            raise ConfigError("must be a table", path=path, key=key, line=loc.line_of("", key))
        parts[key] = _build_section(cls, key, value, loc, path, {})
    settings = Settings(**parts)
    _validate(settings, loc, path)
    return settings


def _build_providers(value: Any, loc: Locator, path: str) -> dict[str, ProviderSettings]:
    if not isinstance(value, dict):
        raise ConfigError("must be a table", path=path, key="providers")
    out: dict[str, ProviderSettings] = {}
    for name, table in value.items():
        table_name = f"providers.{name}"
        if not isinstance(table, dict):
            raise ConfigError("must be a table", path=path, key=table_name)
        defaults = PROVIDER_DEFAULTS.get(name)
        if defaults is None:
            raise ConfigError(
                f"unknown provider (known: {', '.join(sorted(PROVIDER_DEFAULTS))})",
                path=path,
                key=table_name,
                line=loc.line_of(table_name, None),
            )
        out[name] = _build_section(ProviderSettings, table_name, table, loc, path, defaults)
    return out


def _build_section(
    cls: type[Any],
    table: str,
    values: dict[str, Any],
    loc: Locator,
    path: str,
    defaults: dict[str, Any],
) -> Any:
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = dict(defaults)
    for key, raw in values.items():
        line = loc.line_of(table, key)
        if key not in names:
            known = ", ".join(sorted(names))
            raise ConfigError(
                f"unknown key (known: {known})", path=path, key=f"{table}.{key}", line=line
            )
        try:
            kwargs[key] = coerce(raw, hints[key])
        except (TypeError, ValueError) as exc:
            raise ConfigError(str(exc), path=path, key=f"{table}.{key}", line=line) from None
    return cls(**kwargs)


def _validate(s: Settings, loc: Locator, path: str) -> None:
    def fail(table: str, key: str, message: str) -> None:
        raise ConfigError(message, path=path, key=f"{table}.{key}", line=loc.line_of(table, key))

    for ext in s.library.video_extensions:
        if not ext.startswith("."):
            fail("library", "video_extensions", f"{ext!r} must start with a dot, like '.mkv'")
    if s.library.probe_concurrency < 1:
        fail("library", "probe_concurrency", "must be at least 1")
    if s.cache.ttl_days <= 0:
        fail("cache", "ttl_days", "must be more than 0")
    for name, p in s.providers.items():
        table = f"providers.{name}"
        if p.requests_per_second <= 0:
            fail(table, "requests_per_second", "must be more than 0")
        if p.burst < 1:
            fail(table, "burst", "must be at least 1")
        if p.max_connections < 1:
            fail(table, "max_connections", "must be at least 1")
        if p.timeout_s <= 0:
            fail(table, "timeout_s", "must be more than 0")
        if p.max_retries < 0:
            fail(table, "max_retries", "must be 0 or more")
        if p.daily_quota < 0:
            fail(table, "daily_quota", "must be 0 (no quota) or more")
        if p.quota_reserve < 0 or (p.daily_quota and p.quota_reserve >= p.daily_quota):
            fail(table, "quota_reserve", "must be 0 or more, and less than daily_quota")
        for key in ("base_url", "image_base_url"):
            url = getattr(p, key)
            if url and not re.match(r"^https?://", url):
                fail(table, key, f"must start with http:// or https://, not {url!r}")
    m = s.match
    if not 0 < m.medium <= m.strong <= 1:
        fail("match", "strong", "need 0 < medium <= strong <= 1")
    if m.auto_apply not in ("strong", "medium"):
        fail("match", "auto_apply", f"must be 'strong' or 'medium', not {m.auto_apply!r}")
    for name in s.completeness.expected_fields:
        if name not in FIELD_BY_NAME:
            fail("completeness", "expected_fields", f"unknown field {name!r}")
    if not s.completeness.expected_fields:
        fail("completeness", "expected_fields", "must name at least one field")
    for key in ("enrich_cron", "rescan_cron"):
        cron = getattr(s.schedule, key)
        if cron and cron != ScheduleSettings.enrich_cron:  # the default needs no check
            problem = _cron_problem(cron)
            if problem:
                fail("schedule", key, problem)
    if s.enrich.workers < 1:
        fail("enrich", "workers", "must be at least 1")
    if s.schedule.batch_size < 1:
        fail("schedule", "batch_size", "must be at least 1")


def _cron_problem(cron: str) -> str | None:
    """Why `cron` is not a usable five-field cron expression, or None."""
    if len(cron.split()) != 5:
        return "must be a cron expression with five fields (minute hour day month weekday)"
    from matinee.engine.schedule import cron_trigger  # APScheduler loads only when needed

    try:
        cron_trigger(cron)
    except ValueError as exc:
        return f"not a valid cron expression: {exc}"
    return None


def _apply_env(s: Settings, env: Mapping[str, str], path: str, source: Path | None) -> Settings:
    db = env.get("MATINEE_DB")
    database = DatabaseSettings(Path(db).expanduser()) if db else s.database
    providers = dict(s.providers)
    for name in PROVIDER_DEFAULTS:
        key = env.get(f"MATINEE_{name.upper()}_API_KEY")
        if key:
            providers[name] = dataclasses.replace(s.provider(name), api_key=key.strip())
    for name in PROVIDER_DEFAULTS:
        providers.setdefault(name, provider_default(name))
    return dataclasses.replace(s, database=database, providers=providers, source=source)
