"""Helpers shared by the fanart.tv provider tests: saved payloads, settings and ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from matinee.config import ProviderSettings
from matinee.model import EntityKind, Ids

from .support import settings as make_settings

MOVIE, SERIES = EntityKind.MOVIE, EntityKind.SERIES
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fanart"
BASE_URL = "https://webservice.fanart.test/v3"
KEY = "f0a1b2c3d4e5f60718293a4b5c6d7e8f"
HUNGER_GAMES = Ids(tmdb=70160, imdb="tt1392170")
DEXTER, WILFRED = Ids(tvdb=79349), Ids(tvdb=239761)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def settings(**changes: Any) -> ProviderSettings:
    return make_settings(**{"api_key": KEY, "base_url": BASE_URL, "image_base_url": "", **changes})
