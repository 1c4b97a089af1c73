"""The one exception tree of matinee.

Everything matinee raises on purpose derives from `MatineeError`; raw httpx, sqlite or OS
exceptions are translated at the edge of the package that met them, so the CLI and the TUI can
turn any of these into a one-line message and an exit code without a stack trace.

    MatineeError
    ├── ConfigError            bad or unreadable configuration (exit code 4)
    ├── UsageError             a bad reference or argument (exit code 2)
    ├── NotFoundError          a reference that names nothing in the library (exit code 1)
    ├── StoreError             the database cannot be opened or migrated
    └── ProviderError          a provider could not answer (carries the provider id)
        ├── RateLimited        429: try again after `retry_after` seconds
        ├── QuotaExhausted     the daily quota is spent until `reset_at`
        ├── AuthFailed         the key is missing or invalid
        ├── NotFound           the provider has no such item
        ├── Unavailable        timeouts, connection errors, 5xx
        └── BadResponse        a body we cannot parse or that breaks the documented shape
"""

from __future__ import annotations

from datetime import datetime

__all__ = [
    "AuthFailed",
    "BadResponse",
    "ConfigError",
    "MatineeError",
    "NotFound",
    "NotFoundError",
    "ProviderError",
    "QuotaExhausted",
    "RateLimited",
    "StoreError",
    "Unavailable",
    "UsageError",
]


class MatineeError(Exception):
    """Base of every error matinee raises on purpose."""

    exit_code = 1


class ConfigError(MatineeError):
    """The configuration file or environment is invalid.

    The message names the file, the line where known, the key and what is wrong.
    """

    exit_code = 4

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = path
        self.key = key
        self.line = line
        self.reason = message
        where = path or "<config>"
        if line is not None:
            where = f"{where}:{line}"
        text = f"{where}: {key}: {message}" if key else f"{where}: {message}"
        super().__init__(text)


class UsageError(MatineeError):
    """The user asked for something malformed (a bad reference, a bad field name)."""

    exit_code = 2


class NotFoundError(MatineeError):
    """A reference that names nothing in the library."""

    exit_code = 1


class StoreError(MatineeError):
    """The database cannot be opened, migrated or written."""


class ProviderError(MatineeError):
    """A provider could not give an answer.

    Attributes:
        provider: the provider id (`tmdb`, `omdb`...).
        status: the HTTP status when there was one.
    """

    def __init__(self, provider: str, message: str, *, status: int | None = None) -> None:
        self.provider = provider
        self.status = status
        super().__init__(f"{provider}: {message}")


class RateLimited(ProviderError):
    """The provider asked us to slow down (HTTP 429)."""

    def __init__(
        self, provider: str, message: str = "rate limited", *, retry_after: float | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(provider, message, status=429)


class QuotaExhausted(ProviderError):
    """The provider's daily quota is spent."""

    def __init__(
        self, provider: str, message: str = "quota exhausted", *, reset_at: datetime | None = None
    ) -> None:
        self.reset_at = reset_at
        super().__init__(provider, message)


class AuthFailed(ProviderError):
    """The API key is missing, invalid or suspended."""


class NotFound(ProviderError):
    """The provider has no item with that id."""


class Unavailable(ProviderError):
    """The provider cannot be reached: timeout, connection error or a 5xx."""


class BadResponse(ProviderError):
    """The provider answered with a body we cannot use."""
