"""Helpers shared by the OMDb provider tests: saved payloads, settings and request params."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import respx

from matinee.config import ProviderSettings
from matinee.model import EntityKind

MOVIE, SERIES, EPISODE = EntityKind.MOVIE, EntityKind.SERIES, EntityKind.EPISODE
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "omdb"
BASE_URL = "https://www.omdbapi.test"
KEY = "c0ffee42"  # OMDb keys are 8 hex characters
MAX_RETRIES = 2


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def make_settings(**changes: Any) -> ProviderSettings:
    values: dict[str, Any] = {
        "api_key": KEY,
        "base_url": BASE_URL,
        "requests_per_second": 5.0,
        "burst": 5,
        "max_connections": 5,
        "timeout_s": 5.0,
        "max_retries": MAX_RETRIES,
    }
    values.update(changes)
    return ProviderSettings(**values)


def params(route: respx.Route) -> dict[str, str]:
    """The query parameters of the last request sent to `route`."""
    return dict(route.calls.last.request.url.params.multi_items())
