"""ffprobe: duration, resolution and codecs of a video file, when ffprobe is installed.

Identification compares a candidate's runtime with the file's duration, and the library shows
resolution and codecs; ffprobe gives them. It is optional: without it on PATH the scan still
works and `probe_many` returns nothing. A probe costs ~100 ms of process start-up, so the
caller caches results by (path, size, mtime) and we run a bounded number at once; this module
caches nothing. A file that cannot be probed gives None, never an exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ProbeResult", "ffprobe_available", "parse_ffprobe_json", "probe_file", "probe_many"]

_MAX_OUTPUT = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What ffprobe says about a file; None where it said nothing usable."""

    duration: float | None
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codec: str | None
    audio_channels: int | None


def ffprobe_available() -> bool:
    """True when an `ffprobe` executable is on PATH."""
    return shutil.which("ffprobe") is not None


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        n = float(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < float("inf") else None


def _int(value: Any) -> int | None:
    n = _float(value)
    return int(n) if n is not None else None


def _tag_duration(tags: Any) -> float | None:
    """MKV stores a stream's length as a `DURATION` tag like `00:01:02.500000000`."""
    if not isinstance(tags, dict):
        return None
    raw = next((v for k, v in tags.items() if str(k).upper().startswith("DURATION")), None)
    if not isinstance(raw, str):
        return None
    try:
        h, m, s = raw.split(":")
        total = int(h) * 3600 + int(m) * 60 + float(s)
    except ValueError:
        return None
    return total if total > 0 else None


def parse_ffprobe_json(data: dict[str, Any]) -> ProbeResult:
    """Turn ffprobe's `-show_format -show_streams` JSON into a `ProbeResult`.

    The duration comes from `format.duration` (MKV streams carry none), falling back to the
    video stream's duration or its `DURATION` tag. Cover art (an `attached_pic` video stream)
    is not the video; the audio stream is the default one, else the first.

    Args:
        data: the decoded JSON object ffprobe printed.
    """
    fmt = data.get("format")
    fmt = fmt if isinstance(fmt, dict) else {}
    raw_streams = data.get("streams")
    streams = (
        [s for s in raw_streams if isinstance(s, dict)] if isinstance(raw_streams, list) else []
    )

    def is_pic(s: dict[str, Any]) -> bool:
        disp = s.get("disposition")
        return isinstance(disp, dict) and disp.get("attached_pic") == 1

    videos = [s for s in streams if s.get("codec_type") == "video" and not is_pic(s)]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    video = videos[0] if videos else None
    audio = next(
        (
            s
            for s in audios
            if isinstance(s.get("disposition"), dict) and s["disposition"].get("default") == 1
        ),
        audios[0] if audios else None,
    )
    duration = _float(fmt.get("duration"))
    if duration is None and video is not None:
        duration = _float(video.get("duration")) or _tag_duration(video.get("tags"))
    return ProbeResult(
        duration=duration,
        width=_int(video.get("width")) if video else None,
        height=_int(video.get("height")) if video else None,
        video_codec=str(video["codec_name"]) if video and video.get("codec_name") else None,
        audio_codec=str(audio["codec_name"]) if audio and audio.get("codec_name") else None,
        audio_channels=_int(audio.get("channels")) if audio else None,
    )


async def probe_file(path: str, timeout: float = 30.0) -> ProbeResult | None:  # noqa: ASYNC109
    """Probe one file with ffprobe.

    Args:
        path: the file (a surrogate-escaped str is passed through as the original bytes).
        timeout: seconds before the probe is killed.

    Returns:
        The result, or None when ffprobe is missing, fails, times out, or finds neither a
        duration nor a video stream.
    """
    exe = shutil.which("ffprobe")
    if exe is None:
        return None
    args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams"]
    try:
        # "file:" keeps names with a colon or a leading dash from being read as options/URLs.
        proc = await asyncio.create_subprocess_exec(
            exe,
            *args,
            "file:" + path,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except (OSError, ValueError):
        return None
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        return None
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
    if proc.returncode != 0 or not out or len(out) > _MAX_OUTPUT:
        return None
    try:
        data = json.loads(out)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    result = parse_ffprobe_json(data)
    if result.duration is None and result.width is None:
        return None
    return result


async def probe_many(
    paths: Sequence[str],
    concurrency: int = 2,
    on_result: Callable[[str, ProbeResult | None], None] | None = None,
) -> dict[str, ProbeResult | None]:
    """Probe many files, at most `concurrency` at a time.

    Args:
        paths: the files; duplicates are probed once.
        concurrency: the number of ffprobe processes running at once.
        on_result: called with (path, result) as each probe finishes.

    Returns:
        path -> result (None for files that could not be probed); `{}` without ffprobe.
    """
    if not paths or not ffprobe_available():
        return {}
    results: dict[str, ProbeResult | None] = {}
    unique = list(dict.fromkeys(paths))
    pending = iter(unique)

    async def worker() -> None:
        # A few workers pulling from one iterator: no task per file for a 100k-file library.
        for path in pending:
            result = await probe_file(path)
            results[path] = result
            if on_result is not None:
                on_result(path, result)

    async with asyncio.TaskGroup() as tg:
        for _ in range(min(max(1, concurrency), len(unique))):
            tg.create_task(worker())
    return {p: results.get(p) for p in unique}
