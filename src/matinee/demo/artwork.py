"""Generated artwork for the demo catalog: opaque file names, specs and Pillow renderings.

The demo has no real posters, so every image the catalog advertises (posters, backdrops,
logos, stills, headshots) is described by an `ArtSpec` and drawn on request: a deterministic
colour gradient with a few shapes seeded by the image's design key, plus the title. Two
images that share a design key render alike (a near-duplicate, as TMDB often has); distinct
keys give visibly different images, so perceptual hashes tell them apart.

File names look like TMDB's (`/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg`) and reveal nothing; the
catalog keeps the name -> spec table. Nothing here knows about HTTP.
"""

from __future__ import annotations

import hashlib
import io
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, ImageOps

__all__ = ["ArtCache", "ArtSpec", "opaque_name", "render", "size_for"]

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class ArtSpec:
    """What one advertised image looks like.

    Attributes:
        kind: poster, backdrop, logo, profile, still, season or network.
        title: the main text drawn on the image ("" for textless art).
        width: declared width of the `original` rendition, in pixels.
        height: declared height of the `original` rendition.
        design: seed of the composition; equal seeds give near-identical images.
        subtitle: a smaller second line (year, language tag, episode number).
        fmt: "JPEG" or "PNG" (logos are PNG with transparency).
    """

    kind: str
    title: str
    width: int
    height: int
    design: str
    subtitle: str = ""
    fmt: str = "JPEG"


def opaque_name(key: str, ext: str = "jpg") -> str:
    """A TMDB-like file path (`/` + 27 base62 characters) derived from `key`."""
    number = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest(), "big")
    chars = []
    for _ in range(27):
        number, digit = divmod(number, 62)
        chars.append(_ALPHABET[digit])
    return "/" + "".join(chars) + "." + ext


def size_for(spec: ArtSpec, size: str) -> tuple[int, int] | None:
    """Pixel size of the rendition `size` (`w500`, `h632`, `original`), or None if invalid."""
    if size == "original":
        return spec.width, spec.height
    if len(size) < 2 or size[0] not in "wh" or not size[1:].isdigit():
        return None
    value = int(size[1:])
    if not 16 <= value <= 4000:
        return None
    if size[0] == "w":
        return value, max(1, round(value * spec.height / spec.width))
    return max(1, round(value * spec.width / spec.height)), value


def _colour(rng: random.Random, light: bool) -> tuple[int, int, int]:
    base = (150, 255) if light else (10, 110)
    return (rng.randint(*base), rng.randint(*base), rng.randint(*base))


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError):  # Pillow built without FreeType
        return ImageFont.load_default()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, max_width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and draw.textlength(trial, font=font) > max_width:  # type: ignore[arg-type]
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines[:4]


def _background(spec: ArtSpec, width: int, height: int) -> Image.Image:
    rng = random.Random(spec.design)
    gradient = Image.linear_gradient("L").rotate(rng.choice((0, 45, 90, 135, 180, 270)))
    gradient = gradient.resize((width, height))
    image = ImageOps.colorize(gradient, _colour(rng, False), _colour(rng, True)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 6)):
        x0, y0 = rng.uniform(-0.2, 0.9) * width, rng.uniform(-0.2, 0.9) * height
        x1 = x0 + rng.uniform(0.15, 0.7) * width
        y1 = y0 + rng.uniform(0.15, 0.7) * height
        fill = _colour(rng, rng.random() < 0.5)
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=fill)
        else:
            draw.rectangle((x0, y0, x1, y1), fill=fill)
    return image


def _draw_text(image: Image.Image, spec: ArtSpec, colour: tuple[int, ...]) -> None:
    width, height = image.size
    if not spec.title:
        return
    draw = ImageDraw.Draw(image)
    font_size = max(8, min(width // 10, height // 5))
    font = _font(font_size)
    lines = _wrap(draw, spec.title, font, int(width * 0.9))
    line_height = int(font_size * 1.2)
    top = height - line_height * (len(lines) + 1) - height // 12
    if spec.kind == "logo":
        top = max(0, (height - line_height * len(lines)) // 2)
    for index, line in enumerate(lines):
        text_width = draw.textlength(line, font=font)
        x = (width - text_width) / 2
        draw.text(
            (x, top + index * line_height),
            line,
            font=font,
            fill=colour,
            stroke_width=max(1, font_size // 24),
            stroke_fill=(0, 0, 0),
        )
    if spec.subtitle:
        small = _font(max(8, font_size // 2))
        text_width = draw.textlength(spec.subtitle, font=small)
        y = top + len(lines) * line_height + line_height // 4
        draw.text(((width - text_width) / 2, y), spec.subtitle, font=small, fill=colour)


def render(spec: ArtSpec, width: int, height: int) -> bytes:
    """Draw `spec` at `width` x `height` and encode it (JPEG quality 85, or PNG)."""
    if spec.fmt == "PNG":
        image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        rng = random.Random(spec.design)
        _draw_text(image, spec, (*_colour(rng, True), 255))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False)
        return buffer.getvalue()
    image = _background(spec, width, height)
    _draw_text(image, spec, (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class ArtCache:
    """A thread-safe LRU of rendered images, bounded by total bytes."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, name: str, spec: ArtSpec, width: int, height: int) -> bytes:
        """The encoded image for `name` at that size, rendered on a miss."""
        key = (name, width, height)
        with self._lock:
            cached = self._items.get(key)
            if cached is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return cached
            self.misses += 1
        body = render(spec, width, height)  # outside the lock: rendering is the slow part
        with self._lock:
            if key not in self._items:
                self._items[key] = body
                self._bytes += len(body)
            while self._bytes > self._max_bytes and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)
        return body
