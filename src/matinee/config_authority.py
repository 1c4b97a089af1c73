"""The `[authority]` config section: which provider is trusted for which field (DESIGN.md §6).

    [authority]
    priority = ["tmdb", "omdb", "tvdb", "fanart"]   # order for fields without their own list
    exclusive = ["imdb_rating", ...]                # fields that never go beyond their list
    fill_gaps = true                                # may a lower provider fill an empty field?

    [authority.fields]
    plot = ["tmdb", "omdb"]                         # a field's own order, most trusted first

A field written under `[authority.fields]` replaces that field's default list; fields left out
keep theirs. Kept apart from `config.py` so that module stays small; `config.py` calls
`build_authority` for the section and re-exports `AuthoritySettings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matinee.config_toml import Locator, coerce
from matinee.errors import ConfigError
from matinee.model import FIELD_BY_NAME

__all__ = [
    "DEFAULT_AUTHORITY_FIELDS",
    "DEFAULT_EXCLUSIVE",
    "DEFAULT_PRIORITY",
    "KNOWN_PROVIDERS",
    "AuthoritySettings",
    "build_authority",
]

KNOWN_PROVIDERS: tuple[str, ...] = ("tmdb", "omdb", "tvdb", "fanart")
"""Provider ids a list may name (the `[providers.*]` sections; see providers/registry.py)."""

DEFAULT_PRIORITY = KNOWN_PROVIDERS

DEFAULT_EXCLUSIVE: tuple[str, ...] = (
    "imdb_rating", "imdb_votes", "rotten_tomatoes_score", "metacritic_score", "awards", "outline",
)  # fmt: skip
"""OMDb is the only source of these: no other provider's value is taken for them."""

DEFAULT_AUTHORITY_FIELDS: Mapping[str, tuple[str, ...]] = {
    **{name: ("omdb",) for name in DEFAULT_EXCLUSIVE},
    "plot": ("tmdb", "omdb"),
    "title": ("tmdb", "omdb"),
    "genres": ("tmdb", "tvdb"),
    "poster": ("tmdb", "fanart"),
    "fanart": ("fanart", "tmdb"),
}


@dataclass(frozen=True)
class AuthoritySettings:
    priority: tuple[str, ...] = DEFAULT_PRIORITY
    """Provider order for every field without its own list (and after a non-exclusive list)."""
    exclusive: tuple[str, ...] = DEFAULT_EXCLUSIVE
    """Fields that take values only from their own list in `fields` (no fallback)."""
    fill_gaps: bool = True
    """True: a field takes the first non-empty value in its order, so a provider lower down
    fills it when those above it gave nothing. False: a field takes only the value of the first
    provider in its order that answered the title at all (failed or rate-limited providers are
    passed over); if that provider had no value, the field gets nothing from the run."""
    fields: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_AUTHORITY_FIELDS)
    )
    """Per-field provider order, most trusted first. A non-exclusive field falls back to the
    rest of `priority` after its list."""


_TABLE = "authority"
_FIELDS_TABLE = "authority.fields"


def build_authority(value: Any, loc: Locator, path: str) -> AuthoritySettings:
    """Parse and validate the `[authority]` table (errors name the file, line and key)."""

    def fail(table: str, key: str, message: str) -> ConfigError:
        line = loc.line_of(table, key)
        if line is None and table == _FIELDS_TABLE:  # inline `fields = {...}` or dotted keys
            line = loc.line_of(_TABLE, "fields")
        return ConfigError(message, path=path, key=f"{table}.{key}", line=line)

    if not isinstance(value, dict):
        raise ConfigError("must be a table", path=path, key=_TABLE, line=loc.line_of("", _TABLE))
    priority, exclusive, fill_gaps = DEFAULT_PRIORITY, DEFAULT_EXCLUSIVE, True
    fields = dict(DEFAULT_AUTHORITY_FIELDS)
    written: set[str] = set()
    for key, raw in value.items():
        try:
            if key == "priority":
                priority = _providers(coerce(raw, tuple[str, ...]))
                if not priority:
                    raise ValueError("must name at least one provider")
            elif key == "exclusive":
                exclusive = _field_names(coerce(raw, tuple[str, ...]))
            elif key == "fill_gaps":
                fill_gaps = coerce(raw, bool)
            elif key == "fields":
                if not isinstance(raw, dict):
                    raise TypeError("must be a table of field = [providers]")
            else:
                known = "exclusive, fields, fill_gaps, priority"
                raise ValueError(f"unknown key (known: {known})")
        except (TypeError, ValueError) as exc:
            raise fail(_TABLE, key, str(exc)) from None
    for name, raw in value.get("fields", {}).items():
        try:
            if name not in FIELD_BY_NAME:
                raise ValueError(f"unknown field {name!r}")
            fields[name] = _providers(coerce(raw, tuple[str, ...]))
        except (TypeError, ValueError) as exc:
            raise fail(_FIELDS_TABLE, name, str(exc)) from None
        written.add(name)
    for name in exclusive:
        if not fields.get(name):
            if name in written:
                raise fail(_FIELDS_TABLE, name, f"{name!r} is exclusive, so it needs a provider")
            raise fail(
                _TABLE,
                "exclusive",
                f"exclusive field {name!r} has no provider list in [authority.fields]",
            )
    return AuthoritySettings(priority, exclusive, fill_gaps, fields)


def _providers(names: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for name in names:
        if name not in KNOWN_PROVIDERS:
            raise ValueError(f"unknown provider {name!r} (known: {', '.join(KNOWN_PROVIDERS)})")
        if name in seen:
            raise ValueError(f"provider {name!r} is listed twice")
        seen.add(name)
    return names


def _field_names(names: tuple[str, ...]) -> tuple[str, ...]:
    for name in names:
        if name not in FIELD_BY_NAME:
            raise ValueError(f"unknown field {name!r}")
    if len(set(names)) != len(names):
        raise ValueError("a field is listed twice")
    return names
