"""analyze_image: only whole JPEG, PNG and WEBP bodies of a sane size pass, with size and phash.

Every image is drawn here with Pillow; the helpers (`poster`, `other_poster`, `encode`, ...) are
shared with the selection tests.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image, ImageDraw, ImageFile

from matinee.assets.analyze import BadImage, analyze_image, similarity

PALETTE = {
    "night": (18, 24, 72),
    "dusk": (196, 74, 52),
    "sun": (244, 204, 84),
    "hill": (32, 120, 104),
    "ink": (240, 236, 224),
}


def _gradient(
    w: int, h: int, top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> Image.Image:
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    for y in range(h):
        t = y / (h - 1)
        draw.line(
            [(0, y), (w, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return image


def poster(w: int = 600, h: int = 900) -> Image.Image:
    """A dusk sky, a sun, hills, a title and a credits block."""
    image = _gradient(w, h, PALETTE["night"], PALETTE["dusk"])
    draw = ImageDraw.Draw(image)
    draw.ellipse([w * 0.25, h * 0.18, w * 0.75, h * 0.51], fill=PALETTE["sun"])
    hills = [(0, h * 0.62), (w * 0.35, h * 0.40), (w * 0.7, h * 0.66), (w, h * 0.5), (w, h), (0, h)]
    draw.polygon(hills, fill=PALETTE["hill"])
    draw.rectangle([w * 0.12, h * 0.05, w * 0.88, h * 0.11], fill=PALETTE["ink"])
    draw.rectangle([w * 0.3, h * 0.90, w * 0.7, h * 0.93], fill=PALETTE["ink"])
    return image


def other_poster(w: int = 600, h: int = 900) -> Image.Image:
    """The same palette in a different layout: another image, not a copy."""
    image = _gradient(w, h, PALETTE["dusk"], PALETTE["night"])
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, h * 0.55, w * 0.55, h], fill=PALETTE["hill"])
    draw.ellipse([w * 0.5, h * 0.08, w * 1.1, h * 0.42], fill=PALETTE["sun"])
    draw.polygon(
        [(w * 0.2, h * 0.2), (w * 0.45, h * 0.75), (w * 0.05, h * 0.75)], fill=PALETTE["ink"]
    )
    draw.rectangle([w * 0.55, h * 0.86, w * 0.95, h * 0.9], fill=PALETTE["ink"])
    return image


def encode(image: Image.Image, fmt: str = "JPEG", **options: int) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def trimmed(image: Image.Image, fraction: float) -> Image.Image:
    """The image with `fraction` of its width and height cut away, evenly on both sides."""
    w, h = image.size
    dx, dy = round(w * fraction / 2), round(h * fraction / 2)
    return image.crop((dx, dy, w - dx, h - dy))


def near_copies() -> dict[str, bytes]:
    """The poster as another site would serve it."""
    art = poster()
    half = art.resize((300, 450), Image.Resampling.LANCZOS)
    both = trimmed(art, 0.03).resize((291, 437), Image.Resampling.LANCZOS)
    return {
        "jpeg quality 60": encode(art, quality=60),
        "resized to 50%": encode(half, quality=90),
        "cropped 2%": encode(trimmed(art, 0.02), quality=90),
        "cropped 3%": encode(trimmed(art, 0.03), quality=90),
        "cropped 3%, halved, quality 60": encode(both, quality=60),
        "webp": encode(art, "WEBP", quality=70),
    }


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int) -> bytes:
    """A 1-bit greyscale PNG of a few hundred bytes whose header declares width x height."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


# --- good images ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mode", "size"),
    [("JPEG", "RGB", (300, 450)), ("PNG", "RGBA", (500, 194)), ("WEBP", "RGB", (640, 360))],
)
def test_good_images_report_size_format_and_phash(
    fmt: str, mode: str, size: tuple[int, int]
) -> None:
    image = poster(*size).convert(mode)
    info = analyze_image(encode(image, fmt))
    assert (info.width, info.height, info.format) == (*size, fmt)
    assert len(info.phash) == 16
    int(info.phash, 16)  # hex digits
    assert info.phash == analyze_image(encode(image, fmt)).phash  # deterministic


def test_transparent_logo_hash_ignores_the_hidden_colour() -> None:
    def logo(hidden: tuple[int, int, int, int]) -> bytes:
        image = Image.new("RGBA", (400, 155), hidden)
        draw = ImageDraw.Draw(image)
        draw.rectangle([40, 40, 200, 115], fill=(250, 250, 250, 255))
        draw.ellipse([230, 30, 370, 125], fill=(250, 250, 250, 255))
        return encode(image, "PNG")

    red, black = analyze_image(logo((255, 0, 0, 0))), analyze_image(logo((0, 0, 0, 0)))
    assert red.phash == black.phash


def test_analysis_gives_the_same_answers_from_many_threads() -> None:
    bodies = [encode(poster(300, 450)), encode(other_poster(300, 450), "PNG"), b"<html>"] * 4

    def run(body: bytes) -> str:
        try:
            return analyze_image(body).phash
        except BadImage as exc:
            return exc.reason

    expected = [run(b) for b in bodies]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(run, bodies)) == expected
    assert expected[2] == "an HTML page, not an image"


# --- similarity ----------------------------------------------------------------------------


@pytest.mark.parametrize("variant", list(near_copies()))
def test_near_copies_are_at_least_90_percent_similar(variant: str) -> None:
    original = analyze_image(encode(poster(), "PNG")).phash
    copy = analyze_image(near_copies()[variant]).phash
    assert similarity(original, copy) >= 0.90


def test_another_image_in_the_same_colours_is_not_similar() -> None:
    original = analyze_image(encode(poster(), "PNG")).phash
    other = analyze_image(encode(other_poster(), quality=60)).phash
    assert similarity(original, other) < 0.90


def test_similarity_counts_differing_bits() -> None:
    assert similarity("ffffffffffffffff", "ffffffffffffffff") == 1.0
    assert similarity("0000000000000000", "ffffffffffffffff") == 0.0
    assert similarity("0000000000000000", "000000000000000f") == 1 - 4 / 64
    assert similarity("ABCDEF0123456789", "abcdef0123456789") == 1.0
    with pytest.raises(ValueError, match="16 hex digits"):
        similarity("abc", "0000000000000000")


# --- bad bodies ----------------------------------------------------------------------------


def _truncated(fmt: str) -> bytes:
    body = encode(poster(300, 450), fmt)
    return body[: len(body) // 2]


BAD_BODIES = {
    "zero bytes": (b"", "empty body"),
    "html page": (b"\n  <!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "an HTML page"),
    "json error": (b'{"status_code": 34, "status_message": "not found"}', "a JSON body"),
    "json list": (b"  [1, 2, 3]", "a JSON body"),
    "plain text": (b"Not Found", "not an image"),
    "gif": (encode(poster(60, 90), "GIF"), "unsupported image format GIF"),
    "bmp": (encode(poster(60, 90), "BMP"), "unsupported image format BMP"),
    "truncated jpeg": (_truncated("JPEG"), "truncated JPEG"),
    "truncated png": (_truncated("PNG"), "truncated PNG"),
    "truncated webp": (_truncated("WEBP"), "truncated WEBP"),
    "png declaring 50000x50000": (png_declaring(50_000, 50_000), "decompression bomb"),
}


@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_bad_bodies_are_refused_with_a_one_line_reason(name: str) -> None:
    body, reason = BAD_BODIES[name]
    with pytest.raises(BadImage) as caught:
        analyze_image(body)
    assert caught.value.reason.startswith(reason)
    assert "\n" not in caught.value.reason
    assert str(caught.value) == caught.value.reason


def test_declared_size_is_checked_before_any_decoding() -> None:
    # 8000x6000 is under Pillow's own limit; the IDAT could never fill it, so decoding would
    # fail as "corrupt": the reason proves the header check came first.
    with pytest.raises(BadImage) as caught:
        analyze_image(png_declaring(8000, 6000))
    assert caught.value.reason == (
        "decompression bomb: PNG declares 8000x6000 (48,000,000 pixels, limit 40,000,000)"
    )


def test_pillow_s_bomb_warning_raised_as_an_error_still_reads_as_a_bomb() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with pytest.raises(BadImage) as caught:
            analyze_image(png_declaring(10_000, 10_000))  # 100 Mpx: Pillow warns in open()
    assert caught.value.reason.startswith("decompression bomb: ")


def test_max_pixels_is_the_caller_s_choice() -> None:
    body = encode(poster(100, 150), "PNG")
    assert analyze_image(body, max_pixels=15_000).width == 100
    with pytest.raises(BadImage, match="decompression bomb"):
        analyze_image(body, max_pixels=14_999)


def test_a_png_with_its_data_cut_out_is_refused_by_the_decoder() -> None:
    body = encode(poster(300, 450), "PNG")
    cut = body[: len(body) // 2] + _png_chunk(b"IEND", b"")  # ends properly, data missing
    with pytest.raises(BadImage) as caught:
        analyze_image(cut)
    assert caught.value.reason.startswith("truncated or corrupt PNG: ")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_images_stay_refused_when_pillow_is_told_to_load_them(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(BadImage, match=f"truncated {fmt}"):
        analyze_image(_truncated(fmt))


def test_pillow_s_global_switches_are_left_alone() -> None:
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    analyze_image(encode(poster(60, 90)))
    with pytest.raises(BadImage):
        analyze_image(png_declaring(50_000, 50_000))
    assert before == (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
