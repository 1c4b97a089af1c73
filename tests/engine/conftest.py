"""Engine tests run the real engine, a real SQLite file and the real TMDB client against the
demo catalog server on 127.0.0.1; only the network edge is local."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from matinee.config import Settings
from matinee.demo.catalog import Catalog, load_catalog
from matinee.demo.run import demo_settings
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine


@pytest.fixture
def catalog() -> Catalog:
    """A private catalog: tests may override its values."""
    return load_catalog()


@pytest.fixture
def server(catalog: Catalog) -> Iterator[CatalogServer]:
    with CatalogServer(catalog, api_key="demo-key") as running:
        yield running


def fast(settings: Settings, *, artwork: bool = False) -> Settings:
    """No pacing worth waiting for in tests, quick timeouts and retries, and no image
    downloads unless a test is about artwork (tests/engine/test_artwork.py)."""
    providers = {
        pid: replace(settings.provider(pid), requests_per_second=1000.0, burst=100, timeout_s=2.0)
        for pid in ("tmdb", "omdb", "tvdb", "fanart")
    }
    assets = replace(settings.assets, download=artwork)
    return replace(settings, providers={**settings.providers, **providers}, assets=assets)


@pytest.fixture
def settings(tmp_path: Path, server: CatalogServer) -> Settings:
    (tmp_path / "library").mkdir()
    return fast(demo_settings(Settings(), tmp_path, server))


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    async with Engine(settings) as running:
        yield running


def touch(root: Path, rel: str, text: str = "x") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
