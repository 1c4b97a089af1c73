"""Walking the library roots: find the video files, survive whatever the tree holds.

Real libraries are hostile: names that are not UTF-8, folders the user cannot read, symlink
loops, files that vanish while we look, NAS metadata folders (`@eaDir`, `#recycle`). The walk
reports each problem as one short line and scans on to the end; it never raises for the tree's
content. It skips what is not the feature itself (samples, trailers, extras folders), the way
Plex, Jellyfin and Kodi do.

The walk is synchronous (the engine runs it in a thread) and iterative (no recursion limit).
Paths stay `str` as `os.fsdecode` gives them (undecodable bytes become surrogate escapes, so
the path still opens); `display_path` turns one into printable text for people.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["FoundFile", "WalkProblem", "WalkResult", "display_path", "walk_roots"]

PROGRESS_EVERY = 200
SAMPLE_MAX_BYTES = 300 * 1024 * 1024

# Folders that hold extras, samples or NAS/OS housekeeping, never the feature (casefolded).
_SKIP_DIRS = frozenset(
    (
        "extras", "extra", "featurettes", "behind the scenes", "deleted scenes", "interviews",
        "scenes", "shorts", "trailers", "other", "others", "samples", "sample", "@eadir",
        "#recycle", "#snapshot", ".@__thumb", "$recycle.bin", "system volume information",
        "lost+found",
    )
)  # fmt: skip
_EXTRA_FILE_RE = re.compile(
    r"(?i)(?:[-_. ](?:trailer|sample)|-(?:featurette|behindthescenes|deleted|deletedscene|"
    r"interview|scene|short|other|extra))\d*$"
)
_SAMPLE_WORD_RE = re.compile(r"(?i)(?<![a-z])sample(?![a-z])")
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)}


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A video file the walk kept."""

    path: str
    root: str
    size: int
    mtime: float


@dataclass(frozen=True, slots=True)
class WalkProblem:
    """Something in the tree the walk could not read or had to skip."""

    path: str
    error: str


@dataclass(slots=True)
class WalkResult:
    files: list[FoundFile] = field(default_factory=list)
    problems: list[WalkProblem] = field(default_factory=list)
    roots_missing: list[str] = field(default_factory=list)


def display_path(path: str) -> str:
    """Printable text for a path: undecodable bytes as `\\xNN`, control characters escaped."""
    try:
        text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # lone surrogates that did not come from surrogateescape
        text = path.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.translate(_CONTROL) if not text.isprintable() else text


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _short(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.strerror:
        return exc.strerror.lower()
    return type(exc).__name__


class _Walker:
    """One walk: the state shared while scanning every root."""

    def __init__(
        self,
        extensions: Sequence[str],
        ignore: Sequence[str],
        on_progress: Callable[[int, str], None] | None,
    ) -> None:
        self.exts = frozenset(
            e.lower() if e.startswith(".") else "." + e.lower() for e in extensions
        )
        self.ignore = re.compile("|".join(fnmatch.translate(g) for g in ignore)) if ignore else None
        self.on_progress = on_progress
        self.result = WalkResult()
        self.visited: set[tuple[int, int]] = set()

    def problem(self, path: str, error: str) -> None:
        self.result.problems.append(WalkProblem(display_path(path), error))

    def walk(self, root: str) -> None:
        try:
            st = os.stat(root)
        except OSError:
            self.result.roots_missing.append(root)
            return
        if not stat.S_ISDIR(st.st_mode):
            self.result.roots_missing.append(root)
            return
        key = (st.st_dev, st.st_ino)
        if key in self.visited:
            return  # the same root twice, or a root inside another one already walked
        self.visited.add(key)
        # Each entry: (folder path, path relative to root, ancestor dir keys).
        stack: list[tuple[str, str, frozenset[tuple[int, int]]]] = [(root, "", frozenset({key}))]
        while stack:
            folder, rel, ancestors = stack.pop()
            subdirs = self._scan(root, folder, rel, ancestors)
            stack.extend(reversed(subdirs))  # keep a natural (sorted) walk order

    def _scan(
        self, root: str, folder: str, rel: str, ancestors: frozenset[tuple[int, int]]
    ) -> list[tuple[str, str, frozenset[tuple[int, int]]]]:
        subdirs: list[tuple[str, str, frozenset[tuple[int, int]]]] = []
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.problem(folder, _short(exc))
            return subdirs
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            entry_rel = f"{rel}/{name}" if rel else name
            if self.ignore is not None and self.ignore.match(entry_rel):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError as exc:
                self.problem(entry.path, _short(exc))
                continue
            if is_dir:
                if name.casefold() in _SKIP_DIRS:
                    continue
                if not _is_utf8(name):
                    self.problem(entry.path, "name is not valid UTF-8")
                sub = self._enter(entry, ancestors)
                if sub is not None:
                    subdirs.append((entry.path, entry_rel, sub))
            else:
                self._file(root, entry, folder)
        return subdirs

    def _enter(
        self, entry: os.DirEntry[str], ancestors: frozenset[tuple[int, int]]
    ) -> frozenset[tuple[int, int]] | None:
        try:
            st = entry.stat()  # follows symlinks: a linked folder is walked like any other
        except OSError as exc:
            self.problem(entry.path, _short(exc))
            return None
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            self.problem(entry.path, "symlink loop")
            return None
        if key in self.visited:
            self.problem(entry.path, "already scanned through another path")
            return None
        self.visited.add(key)
        return ancestors | {key}

    def _file(self, root: str, entry: os.DirEntry[str], folder: str) -> None:
        name = entry.name
        stem, ext = os.path.splitext(name)
        if ext.lower() not in self.exts:
            if entry.is_symlink() and not os.path.exists(entry.path):
                self.problem(entry.path, "broken symlink")
            return
        if _EXTRA_FILE_RE.search(stem):
            return
        try:
            st = entry.stat()
        except FileNotFoundError:
            broken = entry.is_symlink()
            self.problem(entry.path, "broken symlink" if broken else "vanished during scan")
            return
        except OSError as exc:
            self.problem(entry.path, _short(exc))
            return
        if not stat.S_ISREG(st.st_mode):
            return
        if _SAMPLE_WORD_RE.search(stem) and st.st_size < SAMPLE_MAX_BYTES:
            return
        if not _is_utf8(name):
            self.problem(entry.path, "name is not valid UTF-8")
        files = self.result.files
        files.append(FoundFile(entry.path, root, st.st_size, st.st_mtime))
        if self.on_progress is not None and len(files) % PROGRESS_EVERY == 0:
            self.on_progress(len(files), entry.path)


def walk_roots(
    roots: Sequence[str],
    extensions: Sequence[str],
    ignore: Sequence[str] = (),
    on_progress: Callable[[int, str], None] | None = None,
) -> WalkResult:
    """Find the video files under `roots`.

    Args:
        roots: library folders; missing ones are listed in `roots_missing`.
        extensions: kept file suffixes, with or without the dot (`.mkv`, `mp4`).
        ignore: fnmatch globs matched against a path relative to its root (`Anime/*`).
        on_progress: called with (files found so far, current path) every ~200 files and once
            at the end.

    Returns:
        The files found, the problems met (one short line each) and the missing roots.
    """
    walker = _Walker(extensions, ignore, on_progress)
    for root in roots:
        walker.walk(os.path.abspath(root))
    if on_progress is not None:
        files = walker.result.files
        on_progress(len(files), files[-1].path if files else "")
    return walker.result
