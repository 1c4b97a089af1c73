"""ffprobe: the JSON mapping on saved-shape payloads, and one real probe when ffmpeg exists."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from matinee.library.probe import ProbeResult, parse_ffprobe_json, probe_file, probe_many

# Shape of `ffprobe -show_format -show_streams` on an MKV: streams carry no duration,
# only a DURATION tag; a cover image is an attached_pic video stream.
MKV: dict[str, Any] = {
    "streams": [
        {"index": 0, "codec_name": "hevc", "codec_type": "video", "width": 3840, "height": 1608,
         "disposition": {"default": 1, "attached_pic": 0},
         "tags": {"DURATION": "02:16:17.042000000"}},
        {"index": 1, "codec_name": "truehd", "codec_type": "audio", "channels": 8,
         "disposition": {"default": 0, "attached_pic": 0}},
        {"index": 2, "codec_name": "ac3", "codec_type": "audio", "channels": 6,
         "disposition": {"default": 1, "attached_pic": 0}},
        {"index": 3, "codec_name": "subrip", "codec_type": "subtitle"},
        {"index": 4, "codec_name": "mjpeg", "codec_type": "video", "width": 600, "height": 900,
         "disposition": {"default": 0, "attached_pic": 1}},
    ],
    "format": {"filename": "x.mkv", "format_name": "matroska,webm", "duration": "8177.042000",
               "size": "1234", "bit_rate": "1"},
}  # fmt: skip
MP4: dict[str, Any] = {
    "streams": [
        {"index": 0, "codec_name": "mjpeg", "codec_type": "video", "width": 300, "height": 300,
         "disposition": {"attached_pic": 1}},
        {"index": 1, "codec_name": "h264", "codec_type": "video", "width": "1920",
         "height": "1080", "duration": "5400.5"},
        {"index": 2, "codec_name": "aac", "codec_type": "audio", "channels": 2},
    ],
    "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "5400.500000"},
}  # fmt: skip


def test_parse_mkv() -> None:
    assert parse_ffprobe_json(MKV) == ProbeResult(8177.042, 3840, 1608, "hevc", "ac3", 6)


def test_parse_mp4_skips_cover_art() -> None:
    assert parse_ffprobe_json(MP4) == ProbeResult(5400.5, 1920, 1080, "h264", "aac", 2)


def test_parse_falls_back_to_stream_duration_tag() -> None:
    data = {"streams": MKV["streams"], "format": {"duration": "N/A"}}
    result = parse_ffprobe_json(data)
    assert result.duration == pytest.approx(2 * 3600 + 16 * 60 + 17.042)


def test_parse_garbage_shapes() -> None:
    empty = ProbeResult(None, None, None, None, None, None)
    assert parse_ffprobe_json({}) == empty
    assert parse_ffprobe_json({"streams": "x", "format": []}) == empty
    odd = {"streams": [{"codec_type": "video", "width": "wide", "height": None}, 3]}
    assert parse_ffprobe_json(odd) == empty


async def test_probe_many_without_ffprobe_returns_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert await probe_many(["/a.mkv", "/b.mkv"]) == {}
    assert await probe_file("/a.mkv") is None


needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg/ffprobe not on PATH (CI installs them)",
)


@pytest.fixture
def tiny_video(tmp_path: Path) -> Path:
    video = tmp_path / "clip: -odd name.mkv"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=320x240:rate=10",
         "-f", "lavfi", "-i", "sine=duration=1", "-ac", "2", "-c:v", "mpeg4", "-c:a", "mp2",
         "-shortest", f"file:{video}"],
        check=True, timeout=60,
    )  # fmt: skip
    return video


@needs_ffmpeg
async def test_real_probe(tmp_path: Path, tiny_video: Path) -> None:
    video = tiny_video
    text = tmp_path / "notes.mkv"
    text.write_text("not a video at all\n")
    seen: list[str] = []
    results = await probe_many(
        [str(video), str(text), str(video), str(tmp_path / "missing.mkv")],
        on_result=lambda path, result: seen.append(path),
    )
    got = results[str(video)]
    assert got is not None
    assert (got.width, got.height, got.video_codec) == (320, 240, "mpeg4")
    assert (got.audio_codec, got.audio_channels) == ("mp2", 2)
    assert got.duration == pytest.approx(1.0, abs=0.2)
    assert results[str(text)] is None
    assert results[str(tmp_path / "missing.mkv")] is None
    assert list(results) == [str(video), str(text), str(tmp_path / "missing.mkv")]
    assert sorted(seen) == sorted(results)


def fake_ffprobe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """Put an `ffprobe` on PATH that runs `body` (Python) instead of the real one."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "ffprobe"
    exe.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.mark.parametrize(
    "body",
    [
        "sys.exit(1)",
        "print('not json')",
        "print('[1, 2]')",
        'print(\'{"format": {}, "streams": []}\')',
    ],
)
async def test_probe_failures_give_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    fake_ffprobe(tmp_path, monkeypatch, body)
    assert await probe_file(str(tmp_path / "x.mkv")) is None


async def test_probe_passes_the_path_and_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        "import json\n"
        "assert sys.argv[-1] == 'file:' + sys.argv[-1][5:] and sys.argv[-1].endswith('x.mkv')\n"
        "print(json.dumps({'format': {'duration': '60.0'}, 'streams': "
        "[{'codec_type': 'video', 'codec_name': 'h264', 'width': 640, 'height': 360}]}))"
    )
    fake_ffprobe(tmp_path, monkeypatch, body)
    results = await probe_many([str(tmp_path / "x.mkv")], concurrency=3)
    assert results == {str(tmp_path / "x.mkv"): ProbeResult(60.0, 640, 360, "h264", None, None)}


async def test_probe_timeout_kills_and_gives_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_ffprobe(tmp_path, monkeypatch, "time.sleep(30)")
    assert await probe_file(str(tmp_path / "x.mkv"), timeout=0.2) is None
