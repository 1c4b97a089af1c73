"""Title search over the demo catalog, behaving like TMDB's `/search/movie` and `/search/tv`.

A title matches when every query word appears among the words of its title or original
title, or when rapidfuzz's `token_set_ratio` reaches 80 (so small typos and extra words still
find it). Text is normalized first: case, accents, apostrophes, `&` and punctuation. A year
filters on the release (or first air) year; hits come back by popularity, 20 to a page.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

__all__ = ["PAGE_SIZE", "matches", "normalize", "paginate", "search"]

PAGE_SIZE = 20
FUZZY_THRESHOLD = 80.0

_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Lower-case, accent-free, punctuation-free words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.casefold().replace("&", " and ").replace("'", "").replace("’", "")
    return " ".join(_NON_WORD.sub(" ", plain).replace("_", " ").split())


def matches(query: str, titles: Iterable[str]) -> bool:
    """Whether the (raw) query finds a record known under any of `titles`."""
    wanted = normalize(query)
    if not wanted:
        return False
    words = set(wanted.split())
    for title in titles:
        candidate = normalize(title)
        if not candidate:
            continue
        if words <= set(candidate.split()):
            return True
        if fuzz.token_set_ratio(wanted, candidate) >= FUZZY_THRESHOLD:
            return True
    return False


def search(
    records: Iterable[dict[str, Any]],
    query: str,
    *,
    title_keys: tuple[str, str],
    date_key: str,
    year: int | None,
) -> list[dict[str, Any]]:
    """Records matching `query` (and `year`), most popular first."""
    hits = []
    for record in records:
        if year is not None and str(record.get(date_key) or "")[:4] != str(year):
            continue
        if matches(query, (str(record.get(key) or "") for key in title_keys)):
            hits.append(record)
    hits.sort(key=lambda record: (-float(record.get("popularity") or 0), int(record["id"])))
    return hits


def paginate(items: list[dict[str, Any]], page: int) -> dict[str, Any]:
    """TMDB's paged envelope: `{page, results, total_pages, total_results}`."""
    start = (page - 1) * PAGE_SIZE
    return {
        "page": page,
        "results": items[start : start + PAGE_SIZE],
        "total_pages": max(1, math.ceil(len(items) / PAGE_SIZE)),
        "total_results": len(items),
    }
