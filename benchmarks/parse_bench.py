"""Benchmark of the filename parser: how many paths `parse_path` reads per second.

A script, not a test: `python benchmarks/parse_bench.py [--rounds N]`. It builds a few thousand
realistic paths (scene, Plex, Jellyfin and Kodi naming, anime, date-based shows, multi-part
movies) from templates and title lists, parses them several times and prints the rate. The
target is at least 20,000 names/s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time

from matinee.library.parse import parse_path

MOVIES = [
    ("The Matrix", 1999), ("Heat", 1995), ("Blade Runner 2049", 2017), ("1917", 2019),
    ("2001 A Space Odyssey", 1968), ("Se7en", 1995), ("Inception", 2010), ("Amélie", 2001),
    ("The Dark Knight", 2008), ("Spider-Man", 2002), ("Ocean's Eleven", 2001), ("Alien", 1979),
    ("L.A. Confidential", 1997), ("Mad Max Fury Road", 2015), ("Parasite", 2019), ("Up", 2009),
    ("Dune Part Two", 2024), ("Kill Bill Vol. 1", 2003), ("The Thing", 1982), ("Heat", 1986),
]  # fmt: skip
SHOWS = [
    ("Breaking Bad", 2008), ("The Office US", 2005), ("Doctor Who", 2005), ("Dark", 2017),
    ("Game of Thrones", 2011), ("S.W.A.T.", 2017), ("Grey's Anatomy", 2005), ("Severance", 2022),
]  # fmt: skip
ANIME = ["One Piece", "Shingeki no Kyojin", "Boku no Hero Academia", "Frieren"]
DAILY = ["The Daily Show", "The Tonight Show", "Jeopardy"]
JUNK = [
    "1080p.BluRay.x264-GROUP", "2160p.UHD.BluRay.REMUX.HDR.HEVC.Atmos-EPSiLON",
    "720p.HDTV.x264-IMMERSE", "1080p.WEB-DL.DDP5.1.H.264-FLUX", "PROPER.720p.WEBRip.x265-RARBG",
    "EXTENDED.1080p.BluRay.DTS.x264-SPARKS", "DVDRip.XviD-DiAMOND",
]  # fmt: skip


def dotted(title: str) -> str:
    return title.replace(" ", ".")


def build(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """`count` (path, root) pairs over every naming family, shuffled."""
    rnd = random.Random(seed)
    root = "/media/library"
    out: list[tuple[str, str]] = []
    for i in itertools.count():
        if len(out) >= count:
            break
        title, year = MOVIES[i % len(MOVIES)]
        show, syear = SHOWS[i % len(SHOWS)]
        s, e = rnd.randint(1, 12), rnd.randint(1, 24)
        junk = JUNK[i % len(JUNK)]
        out += [
            (f"{root}/Movies/{title} ({year})/{title} ({year}).mkv", root),
            (f"{root}/Movies/{dotted(title)}.{year}.{junk}.mkv", root),
            (f"{root}/Movies/{title} ({year})/{title.lower()}.mkv", root),
            (f"{root}/Movies/{title} ({year}) {{tmdb-{600 + i}}}/{title} - cd{1 + i % 2}.avi",
             root),
            (f"{root}/TV/{show} ({syear})/Season {s:02d}/{show} ({syear}) - s{s:02d}e{e:02d}"
             f" - Episode {e}.mkv", root),
            (f"{root}/TV/{show}/Season {s}/{dotted(show)}.S{s:02d}E{e:02d}.{junk}.mkv", root),
            (f"{root}/TV/{show}/Season {s}/{show} - {s}x{e:02d}.mkv", root),
            (f"{root}/TV/{show}/S{s:02d}/{e:02d}.mkv", root),
            (f"{root}/TV/{dotted(show)}.S{s:02d}E{e:02d}E{e + 1:02d}.{junk}.mkv", root),
            (f"{root}/Anime/{ANIME[i % len(ANIME)]}/[SubsPlease] {ANIME[i % len(ANIME)]} - "
             f"{rnd.randint(1, 1100):02d} (1080p) [ABCD{i % 10000:04d}].mkv", root),
            (f"{root}/TV/{dotted(DAILY[i % len(DAILY)])}.20{10 + i % 14}.{1 + i % 12:02d}."
             f"{1 + i % 28:02d}.720p.HDTV.x264-SORNY.mkv", root),
        ]  # fmt: skip
    rnd.shuffle(out)
    return out[:count]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--names", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    paths = build(args.names)
    rates = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for path, root in paths:
            parse_path(path, root)
        rates.append(len(paths) / (time.perf_counter() - start))
    episodes = sum(parse_path(p, r).kind == "episode" for p, r in paths)
    print(f"names: {len(paths)} ({episodes} episodes), rounds: {args.rounds}")
    # The first round also fills the folder-name cache, as a first scan would.
    print(f"names/s: {max(rates):.0f} (best round; first round {rates[0]:.0f})")


if __name__ == "__main__":
    main()
