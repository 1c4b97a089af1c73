"""Grouping keys: which files are one movie, which episodes are one series.

Matching and grouping must not care about case, accents, punctuation or a leading article:
"The Lord of the Rings: The Return of the King" and "lord.of.the.rings.the.return.of.the.king"
are the same title. `normalize_title` is that one definition, shared by the scan (grouping) and
identification (comparing a parsed title with a provider's); the keys built on it are plain
strings so the store can index them.
"""

from __future__ import annotations

import os
import re
import unicodedata

from matinee.library.parse import ParsedName

__all__ = ["movie_key", "normalize_title", "series_key", "sort_title"]

# Letters that carry no combining mark in NFKD but that people type without the mark.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
_APOSTROPHES = str.maketrans("", "", "'’`´")
_NON_WORD_RE = re.compile(r"[\W_]+")
_ARTICLE_RE = re.compile(r"^(?:the|a|an) (?=\S)")
_SORT_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+(?=\S)", re.I)


def normalize_title(title: str) -> str:
    """The comparable form of a title.

    Casefolded, accents stripped, `&` read as "and", apostrophes dropped ("Ocean's" is
    "oceans"), other punctuation turned into spaces, spaces collapsed, and a leading "the",
    "a" or "an" dropped (unless it is the whole title).

    Args:
        title: any title text.

    Returns:
        The normalized title, e.g. `"The Lord of the Rings: Fellowship"` ->
        `"lord of the rings fellowship"`.
    """
    text = unicodedata.normalize("NFKD", title.casefold())
    if not text.isascii():
        text = "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLD)
    text = text.replace("&", " and ").translate(_APOSTROPHES)
    text = _NON_WORD_RE.sub(" ", text).strip()
    return _ARTICLE_RE.sub("", text)


def series_key(parsed: ParsedName) -> str:
    """The key that groups episodes into one series: normalized title and, if known, year."""
    key = normalize_title(parsed.title)
    return f"{key}|{parsed.year}" if parsed.year else key


def movie_key(parsed: ParsedName, folder: str) -> str:
    """The key that groups the files of one movie.

    Files in the same folder with the same normalized title and year (the parts CD1/CD2 of one
    movie, or two editions side by side) share one key; the same title in two folders does not.

    Args:
        parsed: the parsed file name.
        folder: the folder holding the file.
    """
    where = os.path.normcase(os.path.normpath(folder))
    return f"{where}|{normalize_title(parsed.title)}|{parsed.year or ''}"


def sort_title(title: str) -> str:
    """The title to sort by: casefolded, without a leading "The", "A" or "An"."""
    return _SORT_ARTICLE_RE.sub("", title.strip()).casefold()
