"""Loading colour themes from TOML files (the top-level `themes/` folder, or a user's folder).

A theme file holds Textual `Theme` fields (`name`, `dark`, `primary`, ...) and an optional
`[variables]` table. A broken file is skipped with a log line: a theme must never stop the app.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path

from textual.theme import Theme

from matinee.config import Settings
from matinee.paths import default_config_path

__all__ = ["DEFAULT_THEME", "bundled_theme_dir", "load_themes", "user_theme_dir"]

log = logging.getLogger(__name__)

DEFAULT_THEME = "matinee-dark"

_THEME_FIELDS = {f.name for f in fields(Theme)}


def bundled_theme_dir() -> Path:
    """The repository's `themes/` folder (src/matinee/tui/themes.py -> ../../../themes)."""
    return Path(__file__).resolve().parents[3] / "themes"


def user_theme_dir(settings: Settings) -> Path:
    """`themes/` beside the config file in use (or beside the default config path)."""
    config = settings.source or default_config_path()
    return config.parent / "themes"


def load_themes(dirs: Iterable[Path]) -> list[Theme]:
    """Every valid `*.toml` theme in `dirs`, in directory then file-name order."""
    themes = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                unknown = set(data) - _THEME_FIELDS
                if unknown:
                    raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
                data.setdefault("name", path.stem)
                themes.append(Theme(**data))
            except (OSError, ValueError, TypeError) as exc:  # TOMLDecodeError is a ValueError
                log.warning("skipping theme %s: %s", path, exc)
    return themes
