"""Helpers shared by the TheTVDB provider tests: hand-built payloads, settings and a provider.

The fixtures in `tests/fixtures/tvdb/` are built from the schemas of
`provider-samples/tvdb/OFFICIAL_swagger_v4.yml` (see their README); no real payload exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from matinee.model import EntityKind
from matinee.providers.http import ProviderEnv
from matinee.providers.tvdb import TvdbProvider

from .support import FakeSleep
from .support import settings as base_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tvdb"
BASE_URL = "https://api4.thetvdb.test/v4"
SID = 327417
SERIES, MOVIE = EntityKind.SERIES, EntityKind.MOVIE
EXTENDED = f"/series/{SID}/extended"
EPISODES = f"/series/{SID}/episodes/default"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def extended() -> dict[str, Any]:
    body: dict[str, Any] = load(f"series_{SID}_extended_translations.json")
    return body


def settings(**changes: Any) -> Any:
    values: dict[str, Any] = {"base_url": BASE_URL, "image_base_url": "", "language": "eng"}
    values.update(changes)
    return base_settings(**values)


async def make_provider(fake_sleep: FakeSleep, **changes: Any) -> TvdbProvider:
    return TvdbProvider(settings(**changes), ProviderEnv(sleep=fake_sleep))
