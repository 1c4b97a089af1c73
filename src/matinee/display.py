"""Plain text for field values, the one rendering the TUI and the CLI's text output share.

No colour and no markup: lists joined, people as `Name (Character)`, long text cut to a limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["field_value"]


def _person(item: Any) -> str:
    if isinstance(item, Mapping):
        name = str(item.get("name") or "")
        role: Any = item.get("character") or item.get("role") or item.get("job")
        return f"{name} ({role})" if role else name
    attr_name = getattr(item, "name", None)
    if attr_name is not None:
        attr_role = getattr(item, "character", None) or getattr(item, "role", None)
        return f"{attr_name} ({attr_role})" if attr_role else str(attr_name)
    return str(item)


def field_value(value: Any, limit: int = 400) -> str:
    """One line of text for any registry field value: lists joined, people as `Name (Role)`."""
    if value is None:
        text = ""
    elif isinstance(value, list | tuple | set | frozenset):
        text = ", ".join(_person(v) for v in value)
    elif isinstance(value, Mapping):
        text = (
            _person(value) if "name" in value else ", ".join(f"{k}={v}" for k, v in value.items())
        )
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
