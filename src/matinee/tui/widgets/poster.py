"""A poster (or any artwork preview) drawn in the terminal with textual-image.

textual-image draws with Sixel or the kitty graphics protocol when the terminal said it can
(it asks once, when imported: `run_tui` imports it before the app owns the terminal) and with
half-block cells otherwise, which is what plain SSH, tmux and most terminals get. Half-blocks
are forced by `MATINEE_POSTERS=halfblock` or by `FORCE_HALFBLOCK` (tests set it), so a snapshot
never depends on the terminal the tests ran in.

The file is decoded in a thread, never on the event loop, and kept decoded (shrunk to at most
`MAX_DECODED` pixels a side) so repaints only rescale it. A missing, unreadable or corrupt file
becomes a dim placeholder: nothing here raises into the app. This module knows files, not the
engine: the screen asks the engine which file to show.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PIL import Image as PILImage
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from textual_image.widget._base import Image as ImageWidget

__all__ = ["ENV_VAR", "FORCE_HALFBLOCK", "MAX_DECODED", "Poster", "load_image", "poster_mode"]

log = logging.getLogger(__name__)

ENV_VAR = "MATINEE_POSTERS"
"""`halfblock` forces half-block cells; anything else (or unset) lets textual-image choose."""

FORCE_HALFBLOCK = False
"""Set by tests (and snapshot tests) so posters never depend on the terminal."""

MAX_DECODED = 1024
"""Longest side, in pixels, kept after decoding: cached previews (~300 px) are kept whole,
an original is shrunk once instead of on every repaint."""


def poster_mode() -> str:
    """How posters are drawn: "halfblock" (forced) or "auto" (textual-image's choice)."""
    if FORCE_HALFBLOCK or os.environ.get(ENV_VAR, "").strip().lower() == "halfblock":
        return "halfblock"
    return "auto"


def _image_widget_class() -> type[ImageWidget]:
    """The textual-image widget for the current mode.

    Imported here rather than at module level: importing textual-image queries the terminal,
    which must not happen for every CLI command that imports the TUI package.
    """
    from textual_image import renderable, widget

    if poster_mode() == "halfblock":
        return widget.HalfcellImage
    detected = renderable.Image
    if detected is renderable.SixelImage:
        return widget.SixelImage
    if detected is renderable.TGPImage:
        return widget.TGPImage
    # Otherwise textual-image found no graphics protocol (plain SSH, tmux) or stdout is no
    # terminal (Textual draws on stderr), where it would pick greyscale characters: half-blocks
    # need nothing from the terminal but colour and look far better.
    return widget.HalfcellImage


def load_image(path: Path) -> PILImage.Image | None:
    """Decode `path` into an RGB image at most `MAX_DECODED` pixels a side (blocking).

    Returns:
        The image, or None when the file is missing, unreadable or not an image.
    """
    try:
        with PILImage.open(path) as opened:
            # JPEG decodes straight at a reduced scale: a big original costs a fraction.
            opened.draft("RGB", (MAX_DECODED, MAX_DECODED))
            opened.load()
            image = opened.convert("RGB")
        if max(image.size) > MAX_DECODED:
            image.thumbnail((MAX_DECODED, MAX_DECODED))
        return image
    except Exception as exc:  # any decoder failure means "no image", never a crashed app
        log.debug("cannot decode %s: %s", path, exc)
        return None


class Poster(Widget):
    """An image file drawn inside the widget's box, keeping its aspect ratio, centred.

    The widget's size comes from its container's CSS; the image fills as much of it as its
    shape allows (cells are about twice as tall as wide; textual-image accounts for it).
    """

    DEFAULT_CSS = """
    Poster {
        width: 1fr;
        height: 1fr;
        align: center middle;
    }
    Poster > .poster--image {
        width: auto;
        height: auto;
    }
    Poster > .poster--placeholder {
        width: auto;
        max-width: 100%;
        height: auto;
        text-align: center;
        color: $text-muted;
        text-style: italic;
    }
    """

    EMPTY_TEXT: ClassVar[str] = "no poster"
    """Shown when there is no file (no path, or the file does not exist)."""
    BROKEN_TEXT: ClassVar[str] = "no image"
    """Shown when the file exists but cannot be decoded."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._path = path
        self._image: PILImage.Image | None = None
        self._placeholder: str | None = self.EMPTY_TEXT if path is None else ""

    @property
    def path(self) -> Path | None:
        """The file asked for (shown once decoded)."""
        return self._path

    @property
    def image(self) -> PILImage.Image | None:
        """The decoded image on show, or None while a placeholder is shown."""
        return self._image

    @property
    def placeholder_text(self) -> str | None:
        """The placeholder on show ("" while the first image decodes), None if an image is."""
        return self._placeholder

    def compose(self) -> ComposeResult:
        yield Static(self._placeholder or "", classes="poster--placeholder", markup=False)

    def on_mount(self) -> None:
        self._load()

    def set_path(self, path: Path | None) -> None:
        """Show another file (None: the placeholder). The same path is decoded again, so a
        file rewritten in place (artwork refreshed) shows its new content."""
        self._path = path
        if self.is_mounted:
            self._load()

    def _load(self) -> None:
        path = self._path
        if path is None:
            self.workers.cancel_group(self, "poster")
            self._show_placeholder(self.EMPTY_TEXT)
            return
        self.run_worker(
            self._decode(path),
            name=f"Decoding {path.name}",
            group="poster",
            exclusive=True,
            exit_on_error=False,
        )

    async def _decode(self, path: Path) -> None:
        image = await asyncio.to_thread(load_image, path)
        if path != self._path or not self.is_mounted:
            return  # another path was asked for meanwhile
        if image is None:
            missing = not await asyncio.to_thread(path.is_file)
            self._show_placeholder(self.EMPTY_TEXT if missing else self.BROKEN_TEXT)
            return
        try:
            await self._show_image(image)
        except Exception:  # a renderer failure leaves the placeholder, not a broken screen
            log.exception("cannot show %s", path)
            self._show_placeholder(self.BROKEN_TEXT)

    def _show_placeholder(self, text: str) -> None:
        self._image = None
        self._placeholder = text
        for child in self.query(".poster--image"):
            child.display = False
        placeholder = self.query_one(".poster--placeholder", Static)
        placeholder.update(text)
        placeholder.display = True

    async def _show_image(self, image: PILImage.Image) -> None:
        self._image = image
        self._placeholder = None
        self.query_one(".poster--placeholder", Static).display = False
        cls = _image_widget_class()
        current = [c for c in self.query(".poster--image") if type(c) is cls]
        if current and isinstance(current[0], cls):
            # Same renderer: swapping the image keeps the widget (and its layout) in place.
            current[0].image = image
            current[0].display = True
            return
        await self.query(".poster--image").remove()
        await self.mount(cls(image, classes="poster--image"))
