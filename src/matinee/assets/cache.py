"""The content-addressed artwork cache: where selected originals and headshots live on disk.

A file is named by what it contains, `<kind>/<hash[:2]>/<hash>.<ext>` (sha256 of the bytes, the
extension from the detected format, never from a provider's URL), so storing the same image twice
writes it once, and two entities sharing a poster share a file. Beside each original sits a small
JPEG preview (`<hash>.preview.jpg`) for the TUI. The store records which files matinee wrote
(`cache_files`); eviction deletes only those, so anything else a user keeps under the root is safe.

Every path is checked to stay inside the root after resolving symlinks: neither a kind, a stored
relative path nor a symlink planted inside the cache can make matinee read, write or delete
outside it. Nothing here knows about providers, HTTP or the database, and writing decodes an image
for its preview: call `ArtCache.store` off the event loop (`asyncio.to_thread`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import tempfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from PIL import Image, ImageOps

from matinee.errors import MatineeError

__all__ = ["PREVIEW_PX", "ArtCache", "CacheError", "CachedFile"]

log = logging.getLogger(__name__)

PREVIEW_PX = 300
"""Longest side of a preview, in pixels: enough for a poster in a terminal pane."""
PREVIEW_SUFFIX = ".preview.jpg"
MAX_PREVIEW_PIXELS = 64_000_000
"""Larger images get no preview: decoding them would cost too much memory for a thumbnail."""
FILE_MODE = 0o644

_EXTENSIONS = {"jpeg": "jpg", "jpg": "jpg", "png": "png", "webp": "webp"}
_KIND = re.compile(r"[a-z]+")
_ORIGINAL = re.compile(r"(?P<hash>[0-9a-f]{64})\.(?:jpg|png|webp)")
# Previews are drawn on a dark grey, like the TUI's background, so transparent logos stay legible.
_BACKDROP = (32, 32, 32)


class CacheError(MatineeError):
    """The cache folder cannot be written (disk full, permissions...)."""


@dataclass(frozen=True, slots=True)
class CachedFile:
    """One file in the cache.

    Attributes:
        rel_path: where it is, relative to the cache root (`poster/ab/ab12....jpg`).
        sha256: hex digest of its bytes.
        size: its size in bytes.
        preview_rel_path: its small JPEG rendition, or None when none could be made.
    """

    rel_path: str
    sha256: str
    size: int
    preview_rel_path: str | None


class ArtCache:
    """Artwork files under one root folder, named by content.

    Args:
        root: the cache folder; created on first write. It may be a symlink.
        preview_px: longest side of the previews written beside each file.
    """

    def __init__(self, root: Path, *, preview_px: int = PREVIEW_PX) -> None:
        if preview_px < 1:
            raise ValueError("preview_px must be at least 1")
        self.root = root
        self.preview_px = preview_px

    def store(self, kind: str, data: bytes, fmt: str) -> CachedFile:
        """Write `data` (an image of format `fmt`) into the cache, once, with its preview.

        Storing the same bytes again returns the same path and rewrites nothing (a missing
        preview is made again). Blocking: decodes the image for its preview.

        Args:
            kind: the slot (`poster`, `fanart`...) or `people`: lowercase letters only.
            data: the image's bytes.
            fmt: its detected format (`JPEG`, `PNG`, `WEBP`, any case; `jpg` too).

        Raises:
            ValueError: a bad kind, an unknown format, bytes that are not of that format, or a
                path that would leave the root.
            CacheError: the file cannot be written.
        """
        if not isinstance(kind, str) or not _KIND.fullmatch(kind):
            raise ValueError(f"bad cache kind {kind!r}: lowercase letters only")
        ext = _EXTENSIONS.get(fmt.lower())
        if ext is None:
            raise ValueError(f"unsupported image format {fmt!r}")
        if _sniff(data) != ext:
            raise ValueError(f"the data is not a {ext} image")
        digest = hashlib.sha256(data).hexdigest()
        rel = PurePosixPath(kind, digest[:2], f"{digest}.{ext}")
        preview_rel = rel.with_name(digest + PREVIEW_SUFFIX)

        root = self.root.resolve()
        folder = self._inside(root, root / rel.parent)  # before mkdir: no folder made outside
        try:
            folder.mkdir(parents=True, exist_ok=True)
            folder = self._inside(root, folder)
            target = folder / rel.name
            if not _same_file(target, len(data)):
                _write_atomic(target, data)
            preview: PurePosixPath | None = preview_rel
            preview_path = folder / preview_rel.name
            if not _same_file(preview_path, None):
                rendition = _render_preview(data, self.preview_px)
                if rendition is None:
                    preview = None
                else:
                    _write_atomic(preview_path, rendition)
        except OSError as exc:
            raise CacheError(f"cannot write {rel} in the artwork cache: {exc.strerror}") from exc
        return CachedFile(
            rel_path=rel.as_posix(),
            sha256=digest,
            size=len(data),
            preview_rel_path=preview.as_posix() if preview is not None else None,
        )

    def path(self, rel_path: str) -> Path:
        """The absolute, resolved path of a stored relative path.

        Raises:
            ValueError: the path is empty, absolute, has `..`, or resolves outside the root
                (through a symlink, say).
        """
        rel = _relative(rel_path)
        root = self.root.resolve()
        return self._inside(root, root / rel)

    def evict(self, written: Iterable[str], keep: Collection[str]) -> list[str]:
        """Delete the files matinee wrote (`written`) that are not in `keep`, with their previews.

        Nothing outside `written` is deleted, except the preview of an evicted original (unless
        that preview is kept); unsafe paths and symlinks are skipped. Emptied `<hash[:2]>` folders
        are removed.

        Returns:
            The entries of `written` that are no longer in the cache: deleted now, or already
            gone. The caller can forget them.
        """
        kept = {_normal(k) for k in keep}
        root = self.root.resolve()
        removed: list[str] = []
        seen: set[str] = set()
        folders: set[Path] = set()
        for rel_path in written:
            rel = _normal(rel_path)
            if rel in kept or rel in seen:
                continue
            seen.add(rel)
            try:
                target = self._locate(root, rel)
            except ValueError as exc:
                log.warning("not evicting %r: %s", rel_path, exc)
                continue
            if not _unlink(target):
                continue
            removed.append(rel_path)
            folders.add(target.parent)
            match = _ORIGINAL.fullmatch(target.name)
            if match is not None:
                preview_name = match["hash"] + PREVIEW_SUFFIX
                if PurePosixPath(rel).with_name(preview_name).as_posix() not in kept:
                    _unlink(target.with_name(preview_name))
        for folder in folders:
            if len(folder.relative_to(root).parts) == 2:  # <kind>/<hash[:2]>, never higher
                with contextlib.suppress(OSError):  # not empty (or gone): leave it
                    folder.rmdir()
        return removed

    # --- paths -------------------------------------------------------------------------------

    @staticmethod
    def _inside(root: Path, path: Path) -> Path:
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            raise ValueError(f"{path} is outside the artwork cache")
        return resolved

    def _locate(self, root: Path, rel_path: str) -> Path:
        """The file itself (not what a symlink there points to), its folder checked."""
        rel = _relative(rel_path)
        return self._inside(root, root / rel.parent) / rel.name


def _relative(rel_path: str) -> PurePosixPath:
    """Check the shape of a stored relative path: no escape by name alone."""
    if not rel_path or "\x00" in rel_path or "\\" in rel_path:
        raise ValueError(f"bad cache path {rel_path!r}")
    rel = PurePosixPath(rel_path)
    if rel.is_absolute() or PureWindowsPath(rel_path).drive:
        raise ValueError(f"cache path {rel_path!r} is absolute")
    if ".." in rel.parts:
        raise ValueError(f"cache path {rel_path!r} goes up")
    if not rel.parts or rel.name in ("", "."):
        raise ValueError(f"bad cache path {rel_path!r}")
    return rel


def _normal(rel_path: str) -> str:
    """One spelling per path (`a//b/./c` is `a/b/c`), so `keep` matches `written`."""
    return PurePosixPath(rel_path).as_posix() if rel_path else rel_path


def _sniff(data: bytes) -> str | None:
    """The format the bytes announce (magic numbers), as an extension."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _same_file(path: Path, size: int | None) -> bool:
    """A regular file already there (of that size): content addressing says it is ours."""
    try:
        stat = path.lstat()
    except FileNotFoundError:
        return False
    if path.is_symlink() or not path.is_file():
        raise ValueError(f"{path} is not a regular file")
    return size is None or stat.st_size == size


def _write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target and rename over it: readers see the whole file or none."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _unlink(path: Path) -> bool:
    """Delete one regular file; True when it is gone (even if it already was)."""
    try:
        if path.is_symlink():  # matinee never writes symlinks: not ours to delete
            log.warning("not evicting %s: it is a symlink", path)
            return False
        path.unlink()
    except FileNotFoundError:
        return True
    except OSError as exc:
        log.warning("cannot evict %s: %s", path, exc.strerror)
        return False
    return True


def _render_preview(data: bytes, longest: int) -> bytes | None:
    """A JPEG whose longest side is at most `longest`; None if the image cannot be decoded."""
    try:
        with Image.open(io.BytesIO(data)) as source:
            if source.width * source.height > MAX_PREVIEW_PIXELS:
                return None
            source.draft("RGB", (longest, longest))  # JPEG: decode at a reduced scale
            image: Image.Image = source
            if image.mode not in ("RGB", "RGBA", "L"):
                image = image.convert("RGBA")
            image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
            image = ImageOps.exif_transpose(image)
            if image.mode == "RGBA":
                flat = Image.new("RGB", image.size, _BACKDROP)
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
            return out.getvalue()
    # A preview is a convenience: Pillow raises many types on odd files (OSError, SyntaxError,
    # DecompressionBombError...), and none of them should lose the original.
    except Exception as exc:
        log.info("no preview: %s", exc)
        return None
