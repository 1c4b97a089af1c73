"""Where matinee keeps its files by default (platformdirs), and the env overrides of those paths.

Nothing here creates a directory: callers that write make the folder they need.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "matinee"

__all__ = ["default_cache_dir", "default_config_path", "default_db_path", "resolve_config_path"]


def default_config_path() -> Path:
    """`config.toml` in the user config dir."""
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def default_db_path() -> Path:
    """`matinee.db` in the user data dir."""
    return Path(platformdirs.user_data_dir(APP)) / "matinee.db"


def default_cache_dir() -> Path:
    """The user cache dir, for artwork and previews."""
    return Path(platformdirs.user_cache_dir(APP))


def resolve_config_path(explicit: str | os.PathLike[str] | None) -> Path:
    """Lookup order: `--config FILE`, then `MATINEE_CONFIG`, then the platformdirs config dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("MATINEE_CONFIG")
    if env:
        return Path(env).expanduser()
    return default_config_path()
