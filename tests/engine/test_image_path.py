"""A candidate's cached file and preview, for the artwork screen to show."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matinee.config import Settings
from matinee.engine.core import Engine
from tests.engine.conftest import touch


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The engine tests' settings with artwork downloads on."""
    return replace(settings, assets=replace(settings.assets, download=True))


async def test_image_path_finds_the_preview_and_the_original(
    engine: Engine, settings: Settings
) -> None:
    touch(settings.library.roots[0], "The Matrix (1999).mkv")
    await engine.scan()
    await engine.enrich()
    (movie,) = await engine.list_entities()
    items = await engine.artwork.candidates(movie.ref)
    (poster,) = [c for c in items if c.slot == "poster" and c.selected]
    assert poster.cached_path
    root = settings.cache.dir / "artwork"
    original = engine.artwork.image_path(poster, preview=False)
    assert original is not None and original.is_file()
    assert original == (root / poster.cached_path).resolve()
    preview = engine.artwork.image_path(poster)
    assert preview is not None and preview.parent == original.parent
    assert preview.name == original.name.split(".")[0] + ".preview.jpg"
    assert preview.read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    unselected = next(c for c in items if c.slot == "poster" and not c.cached_path)
    assert engine.artwork.image_path(unselected) is None
    escaping = replace(poster, cached_path="../../../etc/passwd")
    assert engine.artwork.image_path(escaping, preview=False) is None
    preview.unlink()
    assert engine.artwork.image_path(poster) is None  # no preview: None, not the original
    assert engine.artwork.image_path(poster, preview=False) == original
    moved = replace(settings.cache, dir=settings.cache.dir.parent / "elsewhere")
    await engine.apply_settings(replace(settings, cache=moved))
    assert engine.artwork.image_path(poster, preview=False) is None  # the new cache is empty
