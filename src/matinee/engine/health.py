"""Provider health and key checks: settings, stored usage and one cheap request per check.

Health reads what the ledger stored (requests today, quota exhaustion, the last 429, the last
answer), so it is the same from any process: the TUI, `matinee providers`, the daemon.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime

from matinee.config import Settings, mask_secret
from matinee.engine.reports import ProviderCheck, ProviderHealth
from matinee.errors import ProviderError
from matinee.providers.base import Provider
from matinee.providers.context import request_context
from matinee.providers.registry import known_providers
from matinee.store.provider_state import UsageRow, next_utc_midnight

__all__ = ["check_provider", "provider_health"]


def _when(stamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, UTC) if stamp else None


def provider_health(
    settings: Settings, usage: Mapping[str, UsageRow], now: float | None = None
) -> list[ProviderHealth]:
    """One row per known provider, in priority order."""
    now = time.time() if now is None else now
    rows: list[ProviderHealth] = []
    for entry in known_providers():
        ps = settings.provider(entry.id)
        row = usage.get(entry.id)
        quota = ps.daily_quota or None
        used = row.requests_today if row else 0
        exhausted_until = row.exhausted_until if row else None
        if quota is not None and used >= quota and exhausted_until is None:
            exhausted_until = next_utc_midnight(now)
        limited_until = row.rate_limited_until if row else None
        error = row.last_error if row else None
        failing = error is not None and (row is not None and row.last_status != 404)
        rows.append(
            ProviderHealth(
                id=entry.id,
                name=entry.name,
                enabled=ps.enabled,
                configured=ps.configured,
                healthy=(
                    ps.enabled
                    and ps.configured
                    and not settings.offline
                    and exhausted_until is None
                    and limited_until is None
                    and not failing
                ),
                rate_limited=limited_until is not None,
                exhausted=exhausted_until is not None,
                reset_at=_when(exhausted_until or limited_until),
                requests_today=used,
                quota=quota,
                last_request_at=_when(row.last_request_at if row else None),
                last_status=row.last_status if row else None,
                last_error=error,
                api_key=mask_secret(ps.api_key),
                key_help=entry.key_help,
                offline=settings.offline,
            )
        )
    return rows


async def check_provider(provider: Provider) -> ProviderCheck:
    """Send the provider's cheapest authenticated request, as a manual request."""
    started = time.monotonic()
    try:
        with request_context(manual=True, force=True):
            await provider.check()
    except ProviderError as exc:
        message = str(exc).removeprefix(f"{provider.id}: ")
        return ProviderCheck(provider.id, False, message, exc.status, time.monotonic() - started)
    return ProviderCheck(
        provider.id, True, "key accepted", provider.http.last_status, time.monotonic() - started
    )
