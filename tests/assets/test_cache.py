"""ArtCache: content addressing, previews, safe paths and eviction, on real files."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

import pytest
from PIL import Image

from matinee.assets.cache import PREVIEW_SUFFIX, ArtCache, CachedFile


def image_bytes(size: tuple[int, int], fmt: str = "JPEG", color: str = "red") -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def cache(root: Path) -> ArtCache:
    return ArtCache(root)


def files_under(path: Path) -> set[str]:
    return {p.relative_to(path).as_posix() for p in path.rglob("*") if not p.is_dir()}


# --- content addressing --------------------------------------------------------------------


def test_store_names_the_file_by_its_content(cache: ArtCache, root: Path) -> None:
    data = image_bytes((400, 600))
    digest = hashlib.sha256(data).hexdigest()

    stored = cache.store("poster", data, "JPEG")

    assert stored == CachedFile(
        rel_path=f"poster/{digest[:2]}/{digest}.jpg",
        sha256=digest,
        size=len(data),
        preview_rel_path=f"poster/{digest[:2]}/{digest}{PREVIEW_SUFFIX}",
    )
    assert stored.preview_rel_path is not None
    original = root / stored.rel_path
    assert original.read_bytes() == data
    assert stat.S_IMODE(original.stat().st_mode) == 0o644
    assert stat.S_IMODE((root / stored.preview_rel_path).stat().st_mode) == 0o644
    assert files_under(root) == {stored.rel_path, stored.preview_rel_path}


def test_the_extension_comes_from_the_format(cache: ArtCache) -> None:
    png = cache.store("clearlogo", image_bytes((80, 30), "PNG"), "PNG")
    webp = cache.store("fanart", image_bytes((80, 45), "WEBP"), "webp")
    jpg = cache.store("people", image_bytes((30, 45)), "jpg")

    assert png.rel_path.startswith("clearlogo/") and png.rel_path.endswith(".png")
    assert webp.rel_path.startswith("fanart/") and webp.rel_path.endswith(".webp")
    assert jpg.rel_path.startswith("people/") and jpg.rel_path.endswith(".jpg")


def test_storing_the_same_bytes_again_rewrites_nothing(cache: ArtCache, root: Path) -> None:
    data = image_bytes((400, 600))
    first = cache.store("poster", data, "JPEG")
    original = root / first.rel_path
    os.utime(original, ns=(1_000_000_000, 1_000_000_000))

    second = cache.store("poster", data, "JPEG")

    assert second == first
    assert original.stat().st_mtime_ns == 1_000_000_000
    assert files_under(root) == {first.rel_path, first.preview_rel_path}  # no temp files left


def test_the_same_image_for_two_slots_is_two_files(cache: ArtCache) -> None:
    data = image_bytes((400, 600))
    poster = cache.store("poster", data, "JPEG")
    keyart = cache.store("keyart", data, "JPEG")

    assert poster.sha256 == keyart.sha256
    assert poster.rel_path != keyart.rel_path


def test_a_missing_preview_is_made_again(cache: ArtCache, root: Path) -> None:
    data = image_bytes((400, 600))
    stored = cache.store("poster", data, "JPEG")
    assert stored.preview_rel_path is not None
    (root / stored.preview_rel_path).unlink()

    again = cache.store("poster", data, "JPEG")

    assert again.preview_rel_path == stored.preview_rel_path
    assert (root / stored.preview_rel_path).is_file()


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (image_bytes((10, 10), "PNG"), "JPEG"),  # bytes and format disagree
        (image_bytes((10, 10)), "GIF"),  # a format we do not cache
        (b"<html>not an image</html>", "JPEG"),
        (b"", "JPEG"),
    ],
)
def test_bytes_that_are_not_the_declared_format_are_refused(
    cache: ArtCache, root: Path, data: bytes, fmt: str
) -> None:
    with pytest.raises(ValueError):
        cache.store("poster", data, fmt)
    assert not root.exists()


# --- previews ------------------------------------------------------------------------------


def test_the_preview_is_a_small_jpeg(cache: ArtCache, root: Path) -> None:
    data = image_bytes((1000, 1500))
    stored = cache.store("poster", data, "JPEG")

    assert stored.preview_rel_path is not None
    preview = (root / stored.preview_rel_path).read_bytes()
    with Image.open(io.BytesIO(preview)) as image:
        assert image.format == "JPEG"
        assert image.size == (200, 300)
    assert len(preview) < len(data)


def test_a_transparent_png_gets_an_opaque_jpeg_preview(cache: ArtCache, root: Path) -> None:
    out = io.BytesIO()
    Image.new("RGBA", (800, 310), (255, 255, 255, 0)).save(out, "PNG")
    stored = cache.store("clearlogo", out.getvalue(), "PNG")

    assert stored.preview_rel_path is not None
    with Image.open(root / stored.preview_rel_path) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (300, 116))
        # Drawn on the dark backdrop, not on white or black.
        assert all(abs(c - 32) <= 3 for c in image.getpixel((150, 58)))  # type: ignore[union-attr]


def test_a_small_image_keeps_its_size_in_the_preview(cache: ArtCache, root: Path) -> None:
    stored = cache.store("people", image_bytes((90, 135)), "JPEG")

    assert stored.preview_rel_path is not None
    with Image.open(root / stored.preview_rel_path) as image:
        assert image.size == (90, 135)


def test_undecodable_bytes_are_kept_without_a_preview(cache: ArtCache, root: Path) -> None:
    data = b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50

    stored = cache.store("poster", data, "JPEG")

    assert stored.preview_rel_path is None
    assert files_under(root) == {stored.rel_path}


# --- kinds and paths -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["", "Poster", "poster\n", "fan-art", "x1", "a/b", "..", "../poster", "/tmp", "é"]
)
def test_a_kind_must_be_lowercase_letters(cache: ArtCache, root: Path, kind: str) -> None:
    with pytest.raises(ValueError, match="kind"):
        cache.store(kind, image_bytes((10, 10)), "JPEG")
    assert not root.exists()


def test_path_resolves_a_stored_file(cache: ArtCache, root: Path) -> None:
    stored = cache.store("poster", image_bytes((40, 60)), "JPEG")

    resolved = cache.path(stored.rel_path)

    assert resolved == (root / stored.rel_path).resolve()
    assert resolved.read_bytes() == (root / stored.rel_path).read_bytes()


@pytest.mark.parametrize(
    "rel",
    [
        "../x",
        "poster/../../x",
        "poster/ab/../../../etc/passwd",
        "/etc/passwd",
        "C:/Windows/win.ini",
        "poster\\..\\..\\x",
        "",
        ".",
        "poster/\x00.jpg",
    ],
)
def test_path_rejects_escapes(cache: ArtCache, rel: str) -> None:
    with pytest.raises(ValueError):
        cache.path(rel)


def test_a_symlink_inside_the_root_cannot_lead_outside(
    cache: ArtCache, root: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / "ab").mkdir(parents=True)
    (outside / "ab" / "secret.jpg").write_bytes(b"secret")
    root.mkdir()
    (root / "poster").symlink_to(outside, target_is_directory=True)

    with pytest.raises(ValueError, match="outside"):
        cache.path("poster/ab/secret.jpg")
    with pytest.raises(ValueError, match="outside"):
        cache.store("poster", image_bytes((40, 60)), "JPEG")
    assert files_under(outside) == {"ab/secret.jpg"}

    data = image_bytes((40, 60))
    digest = hashlib.sha256(data).hexdigest()
    assert cache.evict(["poster/ab/secret.jpg", f"poster/{digest[:2]}/x.jpg"], keep=[]) == []
    assert (outside / "ab" / "secret.jpg").read_bytes() == b"secret"


def test_a_symlinked_root_works(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    cache = ArtCache(link)

    stored = cache.store("fanart", image_bytes((160, 90)), "JPEG")

    assert cache.path(stored.rel_path) == real / stored.rel_path
    assert (real / stored.rel_path).is_file()
    assert cache.evict([stored.rel_path], keep=[]) == [stored.rel_path]
    assert files_under(real) == set()


# --- eviction ------------------------------------------------------------------------------


def test_evict_removes_only_written_files_that_are_not_kept(
    cache: ArtCache, root: Path, tmp_path: Path
) -> None:
    old = cache.store("poster", image_bytes((40, 60), color="red"), "JPEG")
    kept = cache.store("poster", image_bytes((40, 60), color="blue"), "JPEG")
    unrecorded = cache.store("fanart", image_bytes((160, 90), color="green"), "JPEG")
    old_folder = (root / old.rel_path).parent
    foreign = old_folder.parent / "mine.txt"
    foreign.write_text("a user's file")
    assert old_folder != (root / kept.rel_path).parent

    removed = cache.evict([old.rel_path, kept.rel_path], keep=[kept.rel_path])

    assert removed == [old.rel_path]
    assert not old_folder.exists()  # emptied <hash[:2]> folder removed
    assert files_under(root) == {
        kept.rel_path,
        kept.preview_rel_path,
        unrecorded.rel_path,  # not written by this run: never touched
        unrecorded.preview_rel_path,
        "poster/mine.txt",
    }


def test_evict_keeps_a_shared_folder_and_matches_spellings(cache: ArtCache, root: Path) -> None:
    stored = cache.store("poster", image_bytes((40, 60)), "JPEG")
    neighbour = (root / stored.rel_path).parent / "notes.txt"
    neighbour.write_text("kept")

    # `keep` spelled differently still protects the file.
    assert cache.evict([stored.rel_path], keep=["poster//" + stored.rel_path[7:]]) == []
    removed = cache.evict([stored.rel_path], keep=[])

    assert removed == [stored.rel_path]
    assert neighbour.read_text() == "kept"
    assert files_under(root) == {neighbour.relative_to(root).as_posix()}


def test_evict_tolerates_files_already_gone(cache: ArtCache, root: Path) -> None:
    gone = cache.store("poster", image_bytes((40, 60), color="red"), "JPEG")
    present = cache.store("banner", image_bytes((100, 18), color="blue"), "JPEG")
    (root / gone.rel_path).unlink()

    removed = cache.evict([gone.rel_path, present.rel_path], keep=[])

    assert removed == [gone.rel_path, present.rel_path]
    assert files_under(root) == set()


def test_evict_skips_unsafe_entries_and_symlinks(
    cache: ArtCache, root: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not delete")
    stored = cache.store("poster", image_bytes((40, 60)), "JPEG")
    link = (root / stored.rel_path).parent / "link.jpg"
    link.symlink_to(root / stored.rel_path)

    link_rel = link.relative_to(root).as_posix()
    removed = cache.evict(["../victim.txt", str(victim), link_rel], keep=[])

    assert removed == []
    assert victim.read_text() == "do not delete"
    assert (root / stored.rel_path).is_file()
    assert link.is_symlink()
