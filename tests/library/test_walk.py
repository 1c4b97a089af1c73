"""The walk over a hostile tree: every problem reported once, the scan always finishes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from matinee.library.walk import FoundFile, display_path, walk_roots

EXTS = (".mkv", "mp4", ".AVI")


def touch(path: Path, size: int = 10) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    return path


def names(files: list[FoundFile], root: Path) -> list[str]:
    return sorted(os.path.relpath(f.path, root) for f in files)


def test_keeps_videos_and_skips_extras(tmp_path: Path) -> None:
    touch(tmp_path / "Movies/Heat (1995)/Heat (1995).mkv")
    touch(tmp_path / "Movies/Heat (1995)/Heat (1995)-trailer.mkv")
    touch(tmp_path / "Movies/Heat (1995)/heat.sample.mkv")
    touch(tmp_path / "Movies/Heat (1995)/Sample/heat.mkv")
    touch(tmp_path / "Movies/Heat (1995)/Extras/making of.mkv")
    touch(tmp_path / "Movies/Heat (1995)/Behind The Scenes/x.mkv")
    touch(tmp_path / "Movies/Heat (1995)/Featurettes/x.mkv")
    touch(tmp_path / "Movies/Heat (1995)/heat.nfo")
    touch(tmp_path / "Movies/Heat (1995)/poster.jpg")
    touch(tmp_path / "Movies/Alien (1979)/Alien.MP4")
    touch(tmp_path / "Movies/Alien (1979)/alien.Avi")
    touch(tmp_path / "Movies/.hidden/x.mkv")
    touch(tmp_path / "Movies/@eaDir/x.mkv")
    touch(tmp_path / "#recycle/x.mkv")
    touch(tmp_path / "Movies/._Heat.mkv")  # macOS AppleDouble
    touch(tmp_path / "Movies/Samplers (2010)/Samplers (2010).mkv")
    result = walk_roots([str(tmp_path)], EXTS)
    assert names(result.files, tmp_path) == [
        "Movies/Alien (1979)/Alien.MP4",
        "Movies/Alien (1979)/alien.Avi",
        "Movies/Heat (1995)/Heat (1995).mkv",
        "Movies/Samplers (2010)/Samplers (2010).mkv",
    ]
    assert result.problems == []
    assert result.roots_missing == []
    heat = next(f for f in result.files if f.path.endswith("Heat (1995).mkv"))
    assert (heat.root, heat.size) == (str(tmp_path), 10)
    assert heat.mtime == os.stat(heat.path).st_mtime


def test_ignore_globs_are_relative_to_the_root(tmp_path: Path) -> None:
    touch(tmp_path / "Anime/a.mkv")
    touch(tmp_path / "Movies/b.mkv")
    touch(tmp_path / "Movies/c.partial.mkv")
    result = walk_roots([str(tmp_path)], EXTS, ignore=["Anime", "*.partial.*"])
    assert names(result.files, tmp_path) == ["Movies/b.mkv"]


def test_missing_root_is_listed_and_others_still_scanned(tmp_path: Path) -> None:
    touch(tmp_path / "lib/a.mkv")
    gone = str(tmp_path / "gone")
    result = walk_roots([gone, str(tmp_path / "lib")], EXTS)
    assert result.roots_missing == [gone]
    assert names(result.files, tmp_path) == ["lib/a.mkv"]


def test_undecodable_and_long_names_are_kept(tmp_path: Path) -> None:
    root = os.fsencode(tmp_path)
    with open(os.path.join(root, b"bad\xff name.mkv"), "wb") as fh:
        fh.write(b"x")
    os.mkdir(os.path.join(root, b"dir\xfe"))
    with open(os.path.join(root, b"dir\xfe", b"inside.mkv"), "wb") as fh:
        fh.write(b"x")
    long_ascii = "a" * 251 + ".mkv"
    long_utf8 = "é" * 125 + "x.mkv"
    assert len(long_ascii.encode()) == len(long_utf8.encode()) == 255
    touch(tmp_path / long_ascii)
    touch(tmp_path / long_utf8)
    result = walk_roots([str(tmp_path)], EXTS)
    got = names(result.files, tmp_path)
    assert len(got) == 4
    assert long_ascii in got and long_utf8 in got
    bad = next(f for f in result.files if "bad" in f.path)
    assert os.path.exists(bad.path)  # the surrogate-escaped path still opens the file
    assert bad.path == os.fsdecode(os.path.join(root, b"bad\xff name.mkv"))
    problems = {(p.path, p.error) for p in result.problems}
    assert problems == {
        (display_path(bad.path), "name is not valid UTF-8"),
        (str(tmp_path) + "/dir\\xfe", "name is not valid UTF-8"),
    }


def test_symlink_loop_and_linked_folders(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    touch(lib / "Show/Season 1/e1.mkv")
    os.symlink(lib / "Show", lib / "Show/Season 1/loop")
    outside = touch(tmp_path / "elsewhere/Film (2000)/film.mkv").parent
    os.symlink(outside, lib / "Film link")
    os.symlink(tmp_path / "nowhere.mkv", lib / "broken.mkv")
    os.symlink(tmp_path / "nowhere", lib / "broken dir")
    result = walk_roots([str(lib)], EXTS)
    assert names(result.files, lib) == ["Film link/film.mkv", "Show/Season 1/e1.mkv"]
    assert sorted((os.path.relpath(p.path, lib), p.error) for p in result.problems) == [
        ("Show/Season 1/loop", "symlink loop"),
        ("broken dir", "broken symlink"),
        ("broken.mkv", "broken symlink"),
    ]


class _FakeScandir:
    """os.scandir stand-in: real entries, with a hook that runs after listing."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = entries

    def __enter__(self) -> Iterator[os.DirEntry[str]]:
        return iter(self.entries)

    def __exit__(self, *exc: object) -> None:
        return None


def test_unreadable_folder_is_reported_and_scan_continues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path / "a/ok.mkv")
    locked = touch(tmp_path / "b/locked.mkv").parent
    touch(tmp_path / "c/ok.mkv")
    real = os.scandir
    if os.geteuid() == 0:  # root reads anything: simulate the permission error

        def fake(path: Any) -> Any:
            if os.fspath(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(locked))
            return real(path)

        monkeypatch.setattr(os, "scandir", fake)
    else:
        locked.chmod(0)
    try:
        result = walk_roots([str(tmp_path)], EXTS)
    finally:
        locked.chmod(0o755)
    assert names(result.files, tmp_path) == ["a/ok.mkv", "c/ok.mkv"]
    assert [(p.path, p.error) for p in result.problems] == [(str(locked), "permission denied")]


def test_file_vanishing_during_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path / "a.mkv")
    doomed = touch(tmp_path / "b.mkv")
    touch(tmp_path / "c.mkv")
    real = os.scandir

    def fake(path: Any) -> Any:
        with real(path) as it:
            entries = list(it)
        if os.fspath(path) == str(tmp_path):
            doomed.unlink()  # listed, then gone before we stat it
        return _FakeScandir(entries)

    monkeypatch.setattr(os, "scandir", fake)
    result = walk_roots([str(tmp_path)], EXTS)
    assert names(result.files, tmp_path) == ["a.mkv", "c.mkv"]
    assert [(p.path, p.error) for p in result.problems] == [(str(doomed), "vanished during scan")]


def test_progress_is_reported_every_200_files(tmp_path: Path) -> None:
    for i in range(450):
        touch(tmp_path / f"d{i % 3}/{i:04d}.mkv", size=1)
    calls: list[tuple[int, str]] = []
    result = walk_roots([str(tmp_path)], EXTS, on_progress=lambda n, p: calls.append((n, p)))
    assert len(result.files) == 450
    assert [n for n, _ in calls] == [200, 400, 450]
    assert all(p.endswith(".mkv") for _, p in calls)


def test_same_root_twice_is_walked_once(tmp_path: Path) -> None:
    touch(tmp_path / "a.mkv")
    result = walk_roots([str(tmp_path), str(tmp_path) + "/"], EXTS)
    assert names(result.files, tmp_path) == ["a.mkv"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"plain/name.mkv", "plain/name.mkv"),
        (b"bad\xff.mkv", "bad\\xff.mkv"),
        ("caf\u00e9.mkv".encode(), "caf\u00e9.mkv"),
        (b"new\nline.mkv", "new\\x0aline.mkv"),
    ],
)
def test_display_path(raw: bytes, expected: str) -> None:
    assert display_path(os.fsdecode(raw)) == expected
