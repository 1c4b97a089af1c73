"""Helpers for provider tests: saved TMDB payloads, settings and a fake sleep."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from matinee.config import ProviderSettings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tmdb"
BASE_URL = "https://api.tmdb.test/3"
IMAGE_URL = "https://image.tmdb.test/t/p"
KEY = "0123456789abcdef0123456789abcdef"  # a v3 key: 32 hex characters
MAX_RETRIES = 2


def load(name: str) -> Any:
    """A saved payload, parsed."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def appended(details: str, parts: dict[str, str]) -> dict[str, Any]:
    """One `append_to_response` body from standalone responses (each minus its top-level id)."""
    body: dict[str, Any] = load(details)
    for name, file in parts.items():
        sub = load(file)
        sub.pop("id", None)
        body[name] = sub
    return body


def fight_club() -> dict[str, Any]:
    names = ("credits", "images", "release_dates", "external_ids", "keywords", "videos")
    return appended(
        "movie_550_fight_club_details.json", {n: f"movie_550_fight_club_{n}.json" for n in names}
    )


def game_of_thrones() -> dict[str, Any]:
    names = ("external_ids", "content_ratings", "credits")
    return appended("tv_1399_game_of_thrones_details.json", {n: f"tv_1399_{n}.json" for n in names})


def settings(**changes: Any) -> ProviderSettings:
    values: dict[str, Any] = {
        "api_key": KEY,
        "base_url": BASE_URL,
        "image_base_url": IMAGE_URL,
        "language": "en-US",
        "requests_per_second": 35.0,
        "burst": 10,
        "max_connections": 20,
        "timeout_s": 5.0,
        "max_retries": MAX_RETRIES,
    }
    values.update(changes)
    return ProviderSettings(**values)


class FakeSleep:
    """Records requested sleeps instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
