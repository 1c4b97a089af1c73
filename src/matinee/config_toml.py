"""Reading TOML for `config.py`: where a key sits in the file, and coercing values to types.

tomllib gives values but no positions; errors must name the line, so `Locator` finds it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["Locator", "coerce"]


class Locator:
    """Finds the line of a key in the TOML text (tomllib gives no positions)."""

    _HEADER = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"']+)\s*=")

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()

    def line_of(self, table: str, key: str | None) -> int | None:
        current = ""
        for number, raw in enumerate(self._lines, start=1):
            header = self._HEADER.match(raw)
            if header:
                current = header.group(1).replace('"', "").replace(" ", "")
                if key is None and current == table:
                    return number
                continue
            m = self._KEY.match(raw)
            if m and key is not None and current == table and m.group(1).strip("\"'") == key:
                return number
        return None


def coerce(raw: Any, hint: Any) -> Any:
    text = str(hint)
    if hint is bool:
        if not isinstance(raw, bool):
            raise TypeError(f"must be true or false, not {raw!r}")
        return raw
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError(f"must be a whole number, not {raw!r}")
        return raw
    if hint is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise TypeError(f"must be a number, not {raw!r}")
        return float(raw)
    if hint is str:
        if not isinstance(raw, str):
            raise TypeError(f"must be a string, not {raw!r}")
        return raw
    if hint is Path:
        if not isinstance(raw, str) or not raw:
            raise TypeError(f"must be a path string, not {raw!r}")
        return Path(raw).expanduser()
    if text.startswith("tuple[pathlib.Path") or text.startswith("tuple[Path"):
        if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
            raise TypeError("must be a list of path strings")
        return tuple(Path(x).expanduser() for x in raw)
    if text.startswith("tuple[str"):
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise TypeError("must be a list of strings")
        return tuple(raw)
    raise TypeError(f"unsupported setting type {hint}")  # pragma: no cover - registry bug
