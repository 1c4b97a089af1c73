"""Grouping keys: the same title written differently must land in one group."""

from __future__ import annotations

import pytest

from matinee.library.group import movie_key, normalize_title, series_key, sort_title
from matinee.library.parse import ParsedName, parse_name, parse_path


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("The Matrix", "matrix"),
        ("the.matrix", "matrix"),
        ("Amélie", "amelie"),
        ("Pokémon: The First Movie", "pokemon the first movie"),
        ("Fast & Furious", "fast and furious"),
        ("Ocean's Eleven", "oceans eleven"),
        ("Ocean’s Eleven", "oceans eleven"),
        ("  Mad   Max:  Fury Road!! ", "mad max fury road"),
        ("A Beautiful Mind", "beautiful mind"),
        ("An Education", "education"),
        ("The", "the"),
        ("WALL·E", "wall e"),
        ("Smørrebrød", "smorrebrod"),
        ("Straße", "strasse"),
        ("S.W.A.T.", "s w a t"),
        ("", ""),
    ],
)
def test_normalize_title(title: str, expected: str) -> None:
    assert normalize_title(title) == expected


def test_series_key_groups_spellings_and_keeps_year() -> None:
    a = parse_name("Doctor.Who.2005.S01E01.mkv")
    b = parse_name("Doctor Who (2005) - S02E03 - Title.mkv")
    c = parse_name("Doctor Who - 1x01.mkv")
    assert series_key(a) == series_key(b) == "doctor who|2005"
    assert series_key(c) == "doctor who"


def test_movie_key_parts_share_a_key() -> None:
    cd1 = parse_path("/m/Heat (1995)/Heat (1995) - cd1.avi", "/m")
    cd2 = parse_path("/m/Heat (1995)/heat - cd2.avi", "/m")
    other = parse_path("/m/Heat (1986)/Heat (1986).avi", "/m")
    assert movie_key(cd1, "/m/Heat (1995)") == movie_key(cd2, "/m/Heat (1995)/")
    assert movie_key(cd1, "/m/Heat (1995)") == "/m/Heat (1995)|heat|1995"
    assert movie_key(other, "/m/Heat (1986)") != movie_key(cd1, "/m/Heat (1995)")
    assert movie_key(cd1, "/m/Heat (1995)") != movie_key(cd1, "/m/Other")


def test_movie_key_without_year() -> None:
    assert movie_key(ParsedName(kind="movie", title="The Thing"), "/m/x") == "/m/x|thing|"


@pytest.mark.parametrize(
    ("title", "expected"),
    [("The Matrix", "matrix"), ("A Quiet Place", "quiet place"), ("Anora", "anora"),
     ("Heat", "heat"), ("The", "the"), ("An  Education", "education")],
)  # fmt: skip
def test_sort_title(title: str, expected: str) -> None:
    assert sort_title(title) == expected
