"""Keeping secrets (API keys, personal keys, bearer tokens) out of every message and log line.

`Secrets` holds one client's secrets and blanks them out of text and parsed bodies; adding one
also registers it with a filter on httpx's logger, whose request lines print full URLs (with
keys in the query string).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

__all__ = ["REDACTED", "Secrets"]

REDACTED = "****"


class _SecretFilter(logging.Filter):
    """Blanks secrets out of httpx's own log lines, which print every request URL."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = clean = record.getMessage()
            for secret in self.secrets:
                clean = clean.replace(secret, REDACTED)
            if clean != message:
                record.msg, record.args = clean, ()
        return True


_SECRET_FILTER = _SecretFilter()
logging.getLogger("httpx").addFilter(_SECRET_FILTER)


class Secrets:
    """One client's secrets."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self._values)

    def add(self, secret: str) -> None:
        if secret:
            self._values.add(secret)
            _SECRET_FILTER.secrets.update({secret, quote(secret, safe="")})

    def redact(self, value: str) -> str:
        for secret in self._values:
            value = value.replace(secret, REDACTED)
        return value

    def scrub(self, value: Any) -> Any:
        """A copy of a parsed body with every secret blanked out of every string in it."""
        if not self._values:
            return value
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        return value
