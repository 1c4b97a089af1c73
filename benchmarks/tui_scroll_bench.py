"""How fast the library screen is at 100k movies: first frame and per-key latency.

Runs the real `MatineeApp` headless (`run_test`) over the tests' in-memory FakeEngine and
prints figures; it asserts nothing. Usage:

    .venv/bin/python benchmarks/tui_scroll_bench.py [--movies 100000] [--presses 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.tui.fakes

from tests.tui.fakes import FakeEngine

from matinee.tui.app import MatineeApp
from matinee.tui.screens.library import LibraryScreen


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)]


async def _presses(pilot, key: str, count: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(count):
        start = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        times.append((time.perf_counter() - start) * 1000)
    return times


async def main(movies: int, presses: int) -> None:
    t0 = time.perf_counter()
    engine = FakeEngine(movies=movies, series=0)
    print(f"fake engine with {movies:,} movies built in {time.perf_counter() - t0:.2f} s")
    app = MatineeApp(engine)  # real 10 Hz bridge timer
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, LibraryScreen) and app.screen.loaded):
            await pilot.pause()
        await pilot.pause()  # one more turn: the frame with the rows
        first = time.perf_counter() - start
        screen = app.screen
        assert screen.table.row_count == movies
        print(f"time to first library frame: {first * 1000:.0f} ms")
        # "f24" is bound to nothing: the cost of Pilot's press + pause round trip itself.
        for key in ("f24", "down", "pagedown"):
            times = await _presses(pilot, key, presses)
            label = "no-op key (Pilot floor)" if key == "f24" else key
            print(
                f"{presses} x {label:<23}: median {statistics.median(times):6.1f} ms  "
                f"p95 {_p95(times):6.1f} ms  max {max(times):6.1f} ms"
            )
        # The widget's own cost, without Pilot's idle detection: the action plus drawing every
        # visible line (what a scroll repaints).
        table = screen.table
        height = table.scrollable_content_region.height
        direct = []
        for _ in range(presses):
            start = time.perf_counter()
            table.action_page_down()
            for y in range(height):
                table.render_line(y)
            direct.append((time.perf_counter() - start) * 1000)
        print(
            f"{presses} x pagedown action + {height} render_line calls: "
            f"median {statistics.median(direct):.2f} ms  p95 {_p95(direct):.2f} ms  "
            f"max {max(direct):.2f} ms"
        )
        start = time.perf_counter()
        await pilot.press("slash", "e", "c", "h", "o")
        await pilot.pause()
        print(
            f"filter 'echo' over {movies:,} titles, 4 keystrokes: "
            f"{(time.perf_counter() - start) * 1000:.0f} ms total, {screen.table.row_count:,} rows"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.movies, args.presses))
