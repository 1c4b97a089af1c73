"""Poster: half-block cells in the image's colours, its shape kept, placeholders for bad files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from rich.color import Color
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual_image import renderable
from textual_image import widget as image_widgets

from matinee.tui.widgets import poster
from matinee.tui.widgets.poster import Poster, load_image, poster_mode

from .conftest import settle

RED = (220, 20, 20)
BLUE = (20, 20, 220)


@pytest.fixture(autouse=True)
def halfblock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(poster, "FORCE_HALFBLOCK", True)
    yield


def two_tone(path: Path, size: tuple[int, int] = (100, 150)) -> Path:
    """A JPEG: red top half, blue bottom half."""
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (0, height // 2, width, height))
    image.save(path, quality=95)
    return path


class PosterApp(App[None]):
    CSS = "Poster { width: 20; height: 15; }"

    def __init__(self, path: Path | None) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Poster(self.path, id="poster")


def rendered_cells(pilot: Pilot[None]) -> list[list[Segment]]:
    """The cells the poster's image widget draws, line by line."""
    image = pilot.app.query_one(Poster).query_one(".poster--image", Widget)
    lines = image.render_lines(Region(0, 0, image.size.width, image.size.height))
    return [[s for s in line if s.text.strip()] for line in lines]


def near(color: Color | None, rgb: tuple[int, int, int]) -> bool:
    assert color is not None
    triplet = color.get_truecolor()
    return all(abs(a - b) < 40 for a, b in zip(triplet, rgb, strict=True))


async def test_renders_half_block_cells_in_the_image_colours(tmp_path: Path) -> None:
    app = PosterApp(two_tone(tmp_path / "rb.jpg"))
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        widget = app.query_one(Poster)
        assert widget.placeholder_text is None
        assert widget.image is not None and widget.image.size == (100, 150)
        lines = rendered_cells(pilot)
        assert len(lines) == 15
        cells = [seg for line in lines for seg in line]
        assert cells and {seg.text for seg in cells} <= {"▀", "▄"}
        top, bottom = lines[0][0], lines[-1][0]
        assert top.style is not None and bottom.style is not None
        assert near(top.style.color, RED) and near(top.style.bgcolor, RED)
        assert near(bottom.style.color, BLUE) and near(bottom.style.bgcolor, BLUE)


async def test_keeps_the_aspect_ratio_and_centres_a_wide_image(tmp_path: Path) -> None:
    app = PosterApp(two_tone(tmp_path / "wide.jpg", (320, 180)))
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        box = app.query_one(Poster)
        image = box.query_one(".poster--image", Widget)
        # 16:9 over 20 cells: 20 x 10 px cells -> 200 x 112 px -> about 6 rows of 20 px.
        assert image.size.width == 20
        assert image.size.height == 6
        top_gap = image.region.y - box.region.y
        bottom_gap = box.region.bottom - image.region.bottom
        assert abs(top_gap - bottom_gap) <= 1
        assert len(rendered_cells(pilot)) == 6


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, Poster.EMPTY_TEXT),  # no file at all
        (b"this is not an image", Poster.BROKEN_TEXT),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, Poster.BROKEN_TEXT),  # truncated JPEG header
    ],
)
async def test_missing_or_corrupt_file_shows_a_placeholder(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "poster.jpg"
    if content is not None:
        path.write_bytes(content)
    app = PosterApp(path)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        widget = app.query_one(Poster)
        assert widget.placeholder_text == expected
        assert widget.image is None
        assert not widget.query(".poster--image")
        label = widget.query_one(".poster--placeholder")
        assert label.display
        assert str(label.render()) == expected


async def test_no_path_shows_the_placeholder() -> None:
    app = PosterApp(None)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        assert app.query_one(Poster).placeholder_text == "no poster"


async def test_set_path_switches_image_and_back_to_placeholder(tmp_path: Path) -> None:
    red = tmp_path / "red.jpg"
    Image.new("RGB", (60, 90), RED).save(red)
    blue = tmp_path / "blue.jpg"
    Image.new("RGB", (60, 90), BLUE).save(blue)
    app = PosterApp(None)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        widget = app.query_one(Poster)
        widget.set_path(red)
        await settle(pilot)
        assert widget.path == red
        first = rendered_cells(pilot)[0][0]
        assert first.style is not None and near(first.style.color, RED)
        image_widget = widget.query_one(".poster--image")

        widget.set_path(blue)
        await settle(pilot)
        first = rendered_cells(pilot)[0][0]
        assert first.style is not None and near(first.style.color, BLUE)
        assert widget.query_one(".poster--image") is image_widget  # reused, not remounted

        widget.set_path(tmp_path / "gone.jpg")
        await settle(pilot)
        assert widget.placeholder_text == "no poster"
        assert not image_widget.display

        widget.set_path(None)
        await settle(pilot)
        assert widget.placeholder_text == "no poster"
        assert widget.image is None


def test_poster_mode_follows_env_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(poster, "FORCE_HALFBLOCK", False)
    monkeypatch.delenv(poster.ENV_VAR, raising=False)
    assert poster_mode() == "auto"
    monkeypatch.setenv(poster.ENV_VAR, "HalfBlock")
    assert poster_mode() == "halfblock"
    monkeypatch.setenv(poster.ENV_VAR, "auto")
    assert poster_mode() == "auto"
    monkeypatch.setattr(poster, "FORCE_HALFBLOCK", True)
    assert poster_mode() == "halfblock"


@pytest.mark.parametrize(
    ("detected", "expected"),
    [
        (renderable.SixelImage, image_widgets.SixelImage),
        (renderable.TGPImage, image_widgets.TGPImage),
        (renderable.HalfcellImage, image_widgets.HalfcellImage),
        # No terminal (or no graphics protocol): half-blocks, not greyscale characters.
        (renderable.UnicodeImage, image_widgets.HalfcellImage),
    ],
)
def test_auto_mode_uses_what_the_terminal_supports(
    monkeypatch: pytest.MonkeyPatch, detected: type, expected: type
) -> None:
    monkeypatch.setattr(poster, "FORCE_HALFBLOCK", False)
    monkeypatch.delenv(poster.ENV_VAR, raising=False)
    monkeypatch.setattr(renderable, "Image", detected)
    assert poster._image_widget_class() is expected
    monkeypatch.setenv(poster.ENV_VAR, "halfblock")  # plain SSH users can force it
    assert poster._image_widget_class() is image_widgets.HalfcellImage


def test_load_image_shrinks_big_files_and_converts_to_rgb(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    Image.new("RGBA", (3000, 1500), (0, 200, 0, 255)).save(big)
    image = load_image(big)
    assert image is not None
    assert image.mode == "RGB"
    assert max(image.size) == poster.MAX_DECODED
    assert image.size[0] == 2 * image.size[1]
    assert load_image(tmp_path / "missing.jpg") is None
