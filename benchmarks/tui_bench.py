"""The TUI at 100k movies in a real terminal: first library frame, key-to-frame, memory.

The parent builds a real SQLite library (benchmarks/list_bench.py's builder), then starts
`matinee`'s app over the real `Engine` in a child process on a pseudo-terminal (160x48,
xterm-256color), exactly as a user's terminal would run it, and plays the user:

- time to the first library frame: from spawning the child process (Python start-up, imports,
  engine start, the first page of titles) to the first frame written with titles in it; and
  when the whole list of movies had arrived;
- key-to-frame: it types Down every 40 ms (300 times) while the child's engine bus carries a
  simulated bulk run of 200 events per second (100 RunProgressed + 100 EnrichmentFinished for
  random titles, each of which makes the library re-read that row from SQLite). A key's time
  runs from the parent writing its bytes to the child writing the frame that shows the cursor
  moved (the child timestamps its terminal writes; both use the system-wide monotonic clock);
- peak resident memory of the child (VmHWM).

It prints figures and asserts nothing (targets: first frame < 1.5 s, p95 < 50 ms, < 400 MB).

    .venv/bin/python benchmarks/tui_bench.py [--movies 100000] [--keys 300]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import random
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Any

COLS, ROWS = 160, 48
KEY_INTERVAL_S = 0.04
DOWN = b"\x1b[B"


# --- child: the app in the terminal ---------------------------------------------------------


class Recorder:
    def __init__(self, spawned: float, movies: int) -> None:
        self.spawned = spawned
        self.movies = movies
        self.rows_at: float | None = None
        self.loaded_at: float | None = None
        self.first_frame: float | None = None
        self.pending: list[float] = []
        self.frames: list[tuple[float, float]] = []  # (key handled, frame written)
        self.events = 0
        self.load_started: float | None = None
        self.shown = asyncio.Event()

    def on_write(self) -> None:
        now = time.monotonic()
        if self.first_frame is None and self.rows_at is not None:
            self.first_frame = now
        if self.loaded_at is not None and not self.shown.is_set():
            self.shown.set()
        if self.pending:
            self.frames.extend((handled, now) for handled in self.pending)
            self.pending.clear()


async def child(db: Path, cache: Path, report: Path, spawned: float, movies: int) -> None:
    from textual.drivers.linux_driver import LinuxDriver

    from matinee.config import CacheSettings, DatabaseSettings, Settings
    from matinee.engine.core import Engine
    from matinee.engine.events import EnrichmentFinished, RunProgressed, RunStarted
    from matinee.model import EntityKind, Ref
    from matinee.tui.app import MatineeApp
    from matinee.tui.widgets.virtual_table import VirtualTable

    rec = Recorder(spawned, movies)
    write = LinuxDriver.write

    def timed_write(self: LinuxDriver, data: str) -> None:
        rec.on_write()
        write(self, data)

    set_rows, move_cursor = VirtualTable.set_rows, VirtualTable.move_cursor

    def timed_set_rows(self: VirtualTable, rows: Any) -> None:
        set_rows(self, rows)
        if rec.rows_at is None and self.row_count:
            rec.rows_at = time.monotonic()
        if rec.loaded_at is None and self.row_count >= movies:
            rec.loaded_at = time.monotonic()

    def timed_move(self: VirtualTable, row: int) -> None:
        move_cursor(self, row)
        rec.pending.append(time.monotonic())

    LinuxDriver.write = timed_write  # type: ignore[method-assign]
    VirtualTable.set_rows = timed_set_rows  # type: ignore[method-assign]
    VirtualTable.move_cursor = timed_move  # type: ignore[method-assign]

    settings = Settings(database=DatabaseSettings(db), cache=CacheSettings(dir=cache), offline=True)
    engine = Engine(settings)
    await engine.start()
    app = MatineeApp(engine, start="library")

    async def bulk_run() -> None:
        """200 events a second, paced on an absolute schedule, like a busy bulk run."""
        await rec.shown.wait()
        (report.parent / "ready").touch()
        rng = random.Random(3)
        engine.bus.publish(RunStarted(movies, "scheduled"))
        start, n = time.monotonic(), 0
        rec.load_started = start
        while True:
            n += 1
            ref = Ref(EntityKind.MOVIE, rng.randint(1, movies))
            engine.bus.publish(RunProgressed(n, movies, f"Movie {ref.id:06d}", n / 100))
            engine.bus.publish(
                EnrichmentFinished(ref, f"Movie {ref.id:06d}", ("plot",), 93.8, False)
            )
            rec.events += 2
            await asyncio.sleep(max(0.0, start + n * 0.01 - time.monotonic()))

    import gc

    pauses: list[float] = []
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                started.append(time.perf_counter())
            elif started:
                pauses.append(time.perf_counter() - started.pop())

    gc.callbacks.append(on_gc)
    load = asyncio.create_task(bulk_run())
    try:
        await app.run_async()
    finally:
        load.cancel()
        await engine.stop()
    status = Path("/proc/self/status").read_text()
    peak_kib = int(
        next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]
    )
    report.write_text(
        json.dumps(
            {
                "first_frame_s": None if rec.first_frame is None else rec.first_frame - spawned,
                "loaded_s": None if rec.loaded_at is None else rec.loaded_at - spawned,
                "frames": rec.frames,
                "events": rec.events,
                "events_per_s": rec.events / (time.monotonic() - (rec.load_started or 0)),
                "peak_rss_mib": peak_kib / 1024,
                "gc2_pauses_ms": [round(p * 1000, 1) for p in pauses],
            }
        )
    )


# --- parent: the user at the keyboard -----------------------------------------------------


def _drain(fd: int, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * q) - 1)]


def parent(movies: int, keys: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from list_bench import build

    with tempfile.TemporaryDirectory() as tmp_text:
        tmp = Path(tmp_text)
        db, report = tmp / "library.db", tmp / "report.json"
        t = time.perf_counter()
        build(db, movies)
        print(f"built a library of {movies:,} movies in {time.perf_counter() - t:.1f} s")
        spawned = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the app
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.environ["TERM"] = "xterm-256color"
            argv = [sys.executable, __file__, "--child", str(db), str(tmp / "cache"),
                    str(report), repr(spawned), str(movies)]  # fmt: skip
            os.execv(sys.executable, argv)
        stop = threading.Event()
        reader = threading.Thread(target=_drain, args=(fd, stop), daemon=True)
        reader.start()
        deadline = time.monotonic() + 120
        while not (tmp / "ready").exists():
            if time.monotonic() > deadline:
                raise SystemExit("the app did not show the library within 120 s")
            time.sleep(0.05)
        time.sleep(1.0)  # let the simulated run reach its pace
        sent = []
        for _ in range(keys):
            sent.append(time.monotonic())
            os.write(fd, DOWN)
            time.sleep(KEY_INTERVAL_S)
        time.sleep(0.5)
        os.write(fd, b"q")
        os.waitpid(pid, 0)
        stop.set()
        data = json.loads(report.read_text())
    frames = data["frames"]
    first, loaded = data["first_frame_s"] * 1000, data["loaded_s"] * 1000
    print(f"time to first library frame (titles on screen): {first:.0f} ms (target < 1500 ms)")
    print(f"every title loaded: {loaded:.0f} ms")
    if len(frames) != len(sent):
        print(f"warning: {len(sent)} keys sent, {len(frames)} cursor moves seen")
    lat = [(written - at) * 1000 for at, (_, written) in zip(sent, frames, strict=False)]
    print(
        f"key-to-frame over {len(lat)} Down keys with {data['events']:,} engine events in "
        f"the background ({data['events_per_s']:.0f}/s): "
        f"median {statistics.median(lat):.1f} ms, p95 {_p(lat, 0.95):.1f} ms, "
        f"max {max(lat):.1f} ms (target p95 < 50 ms)"
    )
    print(f"full garbage collections: {data['gc2_pauses_ms']} ms")
    print(f"peak resident memory: {data['peak_rss_mib']:.0f} MiB (target < 400 MB)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        db, cache, report, spawned, movies = sys.argv[2:7]
        asyncio.run(child(Path(db), Path(cache), Path(report), float(spawned), int(movies)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--movies", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=300)
    args = parser.parse_args()
    parent(args.movies, args.keys)


if __name__ == "__main__":
    main()
