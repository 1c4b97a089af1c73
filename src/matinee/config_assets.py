"""The `[assets]` config section: how artwork is chosen and cached (DESIGN.md §8).

    [assets]
    download = true             # keep the selected originals (and a preview) in the cache
    preferred_language = "en"   # "preferred" in a language policy means this
    analyze_top = 3             # candidates per slot whose small rendition is analysed
    cast_limit = 15             # top-billed actors kept per title
    headshots = true            # cache the kept people's photos too

    [assets.limits]             # how many to keep per slot (and per season for season art)
    fanart = 3

    [assets.languages]          # per slot, most wanted first: "preferred", "textless", a code
    poster = ["preferred", "en", "textless"]

Slots written under `limits` or `languages` replace that slot's default; the others keep
theirs (the defaults live with the scoring, `matinee.assets.score`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matinee.config_toml import Locator, coerce
from matinee.errors import ConfigError

__all__ = ["ASSET_SLOTS", "AssetsSettings", "build_assets"]

ASSET_SLOTS = (
    "poster", "fanart", "banner", "clearlogo", "clearart", "discart", "landscape", "keyart",
    "thumb", "characterart",
)  # fmt: skip
_TABLE = "assets"
_LANGUAGE = re.compile(r"^(preferred|textless|[a-z]{2})$")


@dataclass(frozen=True)
class AssetsSettings:
    download: bool = True
    """Keep the selected originals (and a small preview beside each) in the cache folder."""
    preferred_language: str = "en"
    """The language "preferred" stands for in a slot's language policy (ISO 639-1)."""
    analyze_top: int = 3
    """Candidates per slot whose small rendition is fetched to check shape and duplicates."""
    cast_limit: int = 15
    """Top-billed actors kept per title."""
    headshots: bool = True
    """Cache the photos of the people kept."""
    limits: Mapping[str, int] = field(default_factory=dict)
    """Per slot, how many images to keep (overrides; default poster 1, fanart 3, others 1)."""
    languages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Per slot, the language policy (overrides of the defaults in `matinee.assets.score`)."""


def build_assets(value: Any, loc: Locator, path: str) -> AssetsSettings:
    """Parse and validate the `[assets]` table (errors name the file, line and key)."""

    def fail(table: str, key: str, message: str) -> ConfigError:
        line = loc.line_of(table, key) or loc.line_of(_TABLE, table.rsplit(".", 1)[-1])
        return ConfigError(message, path=path, key=f"{table}.{key}", line=line)

    if not isinstance(value, dict):
        raise ConfigError("must be a table", path=path, key=_TABLE, line=loc.line_of("", _TABLE))
    scalars: dict[str, Any] = {}
    hints = {"download": bool, "preferred_language": str, "analyze_top": int,
             "cast_limit": int, "headshots": bool}  # fmt: skip
    for key, raw in value.items():
        if key in ("limits", "languages"):
            if not isinstance(raw, dict):
                raise fail(_TABLE, key, "must be a table of slot = value")
            continue
        try:
            if key not in hints:
                raise ValueError(
                    f"unknown key (known: {', '.join(sorted([*hints, 'languages', 'limits']))})"
                )
            scalars[key] = coerce(raw, hints[key])
        except (TypeError, ValueError) as exc:
            raise fail(_TABLE, key, str(exc)) from None
    if not re.fullmatch(r"[a-z]{2}", scalars.get("preferred_language", "en")):
        raise fail(_TABLE, "preferred_language", "must be a two-letter language code like 'en'")
    for key in ("analyze_top", "cast_limit"):
        if scalars.get(key, 1) < 0:
            raise fail(_TABLE, key, "must be 0 or more")
    limits: dict[str, int] = {}
    for slot, raw in value.get("limits", {}).items():
        try:
            _slot(slot)
            limits[slot] = coerce(raw, int)
            if limits[slot] < 0:
                raise ValueError("must be 0 or more")
        except (TypeError, ValueError) as exc:
            raise fail(f"{_TABLE}.limits", slot, str(exc)) from None
    languages: dict[str, tuple[str, ...]] = {}
    for slot, raw in value.get("languages", {}).items():
        try:
            _slot(slot)
            words = coerce(raw, tuple[str, ...])
            bad = [w for w in words if not _LANGUAGE.match(w)]
            if bad:
                raise ValueError(
                    f"{bad[0]!r} is not 'preferred', 'textless' or a two-letter language code"
                )
            languages[slot] = words
        except (TypeError, ValueError) as exc:
            raise fail(f"{_TABLE}.languages", slot, str(exc)) from None
    return AssetsSettings(**scalars, limits=limits, languages=languages)


def _slot(name: str) -> None:
    if name not in ASSET_SLOTS:
        raise ValueError(f"unknown slot {name!r} (known: {', '.join(ASSET_SLOTS)})")
