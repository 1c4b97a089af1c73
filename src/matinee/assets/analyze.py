"""Checking a downloaded image body and measuring it: real size, format and perceptual hash.

Provider CDNs sometimes answer an image URL with an HTML error page, a JSON error, a cut-off
body or something that is not a poster at all; a hostile body can declare billions of pixels.
`analyze_image` accepts only whole JPEG, PNG and WEBP images of a sane size and says in one line
why anything else was refused. It decodes, so it is synchronous and CPU-bound: the caller runs
it in a thread. It keeps no state and changes no Pillow global (`Image.MAX_IMAGE_PIXELS` and
`ImageFile.LOAD_TRUNCATED_IMAGES` are left alone), so any number of threads may call it.
"""

from __future__ import annotations

import io
import re
import struct

import imagehash
from PIL import Image

# Registering the three plugins at import time means Image.open never lazily imports plugins
# (module-level state) from a worker thread.
from PIL import JpegImagePlugin as _Jpeg  # noqa: F401
from PIL import PngImagePlugin as _Png  # noqa: F401
from PIL import WebPImagePlugin as _Webp  # noqa: F401

from matinee.assets.model import ImageInfo

__all__ = ["ACCEPTED_FORMATS", "BadImage", "analyze_image", "similarity"]

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
DEFAULT_MAX_PIXELS = 40_000_000

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_OTHER_IMAGES = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "PSD"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
)
_HEX64 = re.compile(r"[0-9a-fA-F]{16}")
_JPEG_TAIL = 1024
"""A whole JPEG has its end-of-image marker within this many bytes of the end."""
_NEUTRAL = (128, 128, 128, 255)


class BadImage(Exception):
    """A body that is not an acceptable image; `reason` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def analyze_image(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> ImageInfo:
    """Check an image body and measure it.

    Args:
        data: the whole response body.
        max_pixels: the most pixels (width x height, as the header declares them) accepted;
            larger images are refused before anything is decoded.

    Returns:
        The real width and height, the format (JPEG, PNG or WEBP) and the 64-bit perceptual hash
        of the decoded image as 16 hex digits.

    Raises:
        BadImage: an empty body, HTML or JSON, another format, a truncated or corrupt image or
            a decompression bomb.
    """
    fmt = _sniff(data)
    _check_complete(data, fmt)
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own limit (about 179 Mpx, or 89 Mpx where warnings are errors) can trip
        # while it reads the header, before our `max_pixels` check.
        raise BadImage(f"decompression bomb: {_one_line(exc)}") from None
    except Exception as exc:  # a malformed header can make a plugin raise nearly anything
        raise BadImage(f"unreadable {fmt} header: {_one_line(exc)}") from None
    with image:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise BadImage(f"{fmt} declares an empty size {width}x{height}")
        if width * height > max_pixels:
            raise BadImage(
                f"decompression bomb: {fmt} declares {width}x{height} "
                f"({width * height:,} pixels, limit {max_pixels:,})"
            )
        try:
            image.load()
            digest = str(imagehash.phash(_flattened(image)))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise BadImage(f"decompression bomb: {_one_line(exc)}") from None
        except Exception as exc:  # truncated data, bad CRC, broken stream: all mean "bad body"
            raise BadImage(f"truncated or corrupt {fmt}: {_one_line(exc)}") from None
    return ImageInfo(width=width, height=height, format=fmt, phash=digest)


def similarity(a: str, b: str) -> float:
    """How alike two perceptual hashes are: 1 - differing bits / 64 (1.0 = same image).

    Raises:
        ValueError: either is not 16 hex digits.
    """
    for value in (a, b):
        if not _HEX64.fullmatch(value):
            raise ValueError(f"not a 64-bit hash as 16 hex digits: {value!r}")
    return 1.0 - (int(a, 16) ^ int(b, 16)).bit_count() / 64


def _sniff(data: bytes) -> str:
    """The format the leading bytes announce (JPEG, PNG or WEBP), or BadImage saying what the
    body is instead."""
    if not data:
        raise BadImage("empty body (0 bytes)")
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(_PNG_MAGIC):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    for magic, name in _OTHER_IMAGES:
        if data.startswith(magic):
            raise BadImage(f"unsupported image format {name} (only JPEG, PNG and WEBP)")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    if head.startswith(b"<"):
        kind = "an HTML page" if b"html" in head else "an XML or HTML body"
        raise BadImage(f"{kind}, not an image")
    if head.startswith((b"{", b"[")):
        raise BadImage("a JSON body, not an image")
    if not head:
        raise BadImage("a blank body, not an image")
    raise BadImage(f"not an image (unknown leading bytes {data[:8].hex()})")


def _check_complete(data: bytes, fmt: str) -> None:
    """Refuse a body cut short by its structure alone.

    Pillow refuses truncated data too, but only while the process-wide
    `ImageFile.LOAD_TRUNCATED_IMAGES` is False; this check holds whatever another library set.
    """
    if fmt == "PNG":
        complete = data.rfind(b"IEND") >= len(_PNG_MAGIC)
    elif fmt == "WEBP":
        if len(data) < 12:
            complete = False
        else:
            (riff_size,) = struct.unpack("<I", data[4:8])
            complete = len(data) >= riff_size + 8
    else:
        # Entropy-coded JPEG data never holds FF D9 outside the end-of-image marker (an EXIF
        # thumbnail's own marker sits near the start), so a whole file ends with one.
        complete = data.rfind(b"\xff\xd9") >= max(2, len(data) - _JPEG_TAIL)
    if not complete:
        raise BadImage(f"truncated {fmt}: the body ends before the image does ({len(data):,} B)")


def _flattened(image: Image.Image) -> Image.Image:
    """The image as the eye sees it: transparency laid over a neutral grey, so a logo's hash
    does not depend on the colour hidden under its transparent pixels."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, _NEUTRAL), rgba)
    return image


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
