"""Rebuild ``movies.json`` from The Movies Dataset (Kaggle, CC0) CSV.

This is a maintainer script, not part of the runtime: the demo reads the JSON it writes.
It keeps the most-voted released titles that carry an IMDb id, a release date, an overview
and a runtime, then adds both versions of a few remade titles so that a bare title without a
year is ambiguous (the sample library relies on that).

Usage::

    python src/matinee/demo/data/build_movies.py \
        /work/shared/datasets/the_movies_dataset__movies_metadata__first2996rows.csv \
        src/matinee/demo/data/movies.json
"""

from __future__ import annotations

import ast
import csv
import json
import sys
from pathlib import Path
from typing import Any

TOP_BY_VOTES = 231
# Remakes whose titles collide: both versions are kept (tmdb ids).
REMAKE_PAIRS: tuple[tuple[int, int], ...] = (
    (564, 15849),  # The Mummy 1999 / 1932
    (539, 11252),  # Psycho 1960 / 1998
    (929, 1678),  # Godzilla 1998 / 1954
    (9426, 11815),  # The Fly 1986 / 1958
    (1598, 11349),  # Cape Fear 1991 / 1962
    (244, 10730),  # King Kong 1933 / 1976
    (9325, 10714),  # The Jungle Book 1967 / 1994
)


def _literal(text: str) -> Any:
    """Parse a Python-repr column (the dataset's list columns are not JSON)."""
    if not text or text in ("nan", "None"):
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None


def _usable(row: dict[str, str]) -> bool:
    try:
        runtime = float(row["runtime"] or 0)
        int(row["id"])
    except ValueError:
        return False
    return (
        row["imdb_id"].startswith("tt")
        and bool(row["release_date"])
        and bool(row["overview"].strip())
        and runtime > 0
        and row["status"] == "Released"
        and row["adult"] == "False"
    )


def _compact(row: dict[str, str]) -> dict[str, Any]:
    collection = _literal(row["belongs_to_collection"])
    return {
        "id": int(row["id"]),
        "imdb_id": row["imdb_id"],
        "title": row["title"],
        "original_title": row["original_title"],
        "original_language": row["original_language"],
        "release_date": row["release_date"],
        "overview": row["overview"].strip(),
        "tagline": row["tagline"].strip(),
        "runtime": int(float(row["runtime"])),
        "genres": _literal(row["genres"]) or [],
        "production_companies": _literal(row["production_companies"]) or [],
        "production_countries": _literal(row["production_countries"]) or [],
        "spoken_languages": _literal(row["spoken_languages"]) or [],
        "vote_average": float(row["vote_average"]),
        "vote_count": int(float(row["vote_count"])),
        "popularity": round(float(row["popularity"]), 3),
        "budget": int(float(row["budget"] or 0)),
        "revenue": int(float(row["revenue"] or 0)),
        "homepage": row["homepage"] if row["homepage"] not in ("", "nan") else "",
        "collection": (
            {"id": collection["id"], "name": collection["name"]}
            if isinstance(collection, dict)
            else None
        ),
    }


def build(csv_path: Path) -> list[dict[str, Any]]:
    """Select and compact the catalog rows, most-voted first."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if _usable(row)]
    rows.sort(key=lambda row: -int(float(row["vote_count"] or 0)))
    by_id = {int(row["id"]): row for row in rows}
    chosen: dict[int, dict[str, str]] = {}
    for row in rows[:TOP_BY_VOTES]:
        chosen[int(row["id"])] = row
    for pair in REMAKE_PAIRS:
        for tmdb_id in pair:
            chosen[tmdb_id] = by_id[tmdb_id]
    return [_compact(row) for row in chosen.values()]


def main(argv: list[str]) -> int:
    source, target = Path(argv[1]), Path(argv[2])
    movies = build(source)
    target.write_text(
        json.dumps(movies, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{len(movies)} movies, {target.stat().st_size} bytes -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
