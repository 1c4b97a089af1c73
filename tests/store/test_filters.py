"""The library filters on a real SQLite file: a hand-built library, every criterion, exact ids."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from matinee.model import EntityKind, Identification, Ids, Ref
from matinee.store.library_ops import sort_key
from matinee.store.records import EntityWrite, FileTarget, FileUpsert
from matinee.store.repo import Repository

MOVIE, SERIES = EntityKind.MOVIE, EntityKind.SERIES

LIBRARY: dict[str, tuple[EntityKind, dict[str, Any]]] = {
    "Alpha": (MOVIE, {
        "genres": ["Drama", "Crime"], "plot": "A tale.", "poster": "https://img/a.jpg",
        "cast": [{"name": "Tom Hanks", "character": "Émile", "order": 0}],
        "directors": ["Robert Zemeckis"],
    }),
    "Beta": (MOVIE, {  # spelt in lower case; a cast typed by hand (plain names)
        "genres": ["drama"], "plot": "", "poster": None, "runtime": 0,
        "cast": ["Émile Zola"], "writers": ["Ann Smith"],
    }),
    "Gamma": (MOVIE, {  # "drama" only as a keyword; "Tom Hanks" only as a character
        "genres": ["Science Fiction"], "keywords": ["drama"], "plot": "   ",
        "cast": [{"name": "Joe Bloggs", "character": "Tom Hanks", "order": 0}],
        "directors": ["Søren Kierkegaard"],
    }),
    "Delta": (MOVIE, {}),  # scanned only: every field absent
    "Epsilon": (MOVIE, {
        "genres": ["Ciencia Ficción"], "plot": "Une histoire.", "studios": [],
        "cast": [{"name": "ÉMILE DURAND", "character": None, "order": 0}],
        "directors": ["Maxb Jones"], "tagline": {},
    }),
    "Show": (SERIES, {"genres": ["Drama"], "creators": ["Vince Gilligan"], "plot": "Chem."}),
}  # fmt: skip


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[Repository]:
    r = Repository(tmp_path / "m.db")
    await r.open()
    yield r
    await r.close()


@pytest.fixture
async def refs(repo: Repository) -> dict[str, Ref]:
    """The library above, scanned and then written like an enrichment writes fields."""
    upserts = []
    for title, (kind, _) in LIBRARY.items():
        target = (
            FileTarget(MOVIE, title.lower(), title, 2000)
            if kind is MOVIE
            else FileTarget(EntityKind.EPISODE, title.lower(), title, 2000, 1, (1,))
        )
        upserts.append(FileUpsert(f"/lib/{title}.mkv", "/lib", 10, 1.0, {}, target))
    await repo.apply_scan(upserts, [])
    found = {s.title: s.ref for s in await repo.list_summaries() if s.ref.kind in (MOVIE, SERIES)}
    writes = [
        EntityWrite(
            found[title].id, {"title": title, **fields}, {}, time.time(), Ids(),
            Identification("identified"), 50.0, title, 2000, sort_key(title), enriched=False,
        )
        for title, (_, fields) in LIBRARY.items()
    ]  # fmt: skip
    await repo.write(writes)
    return found


async def match(repo: Repository, refs: dict[str, Ref], kind: EntityKind, **kw: Any) -> set[str]:
    ids = await repo.match_ids(kind, **kw)
    names = {ref.id: name for name, ref in refs.items()}
    assert ids == sorted(ids)
    return {names[i] for i in ids}


@pytest.mark.parametrize(
    ("genre", "expected"),
    [
        ("drama", {"Alpha", "Beta"}),  # both spellings, not Gamma's keyword
        ("DRAMA", {"Alpha", "Beta"}),
        ("Dram", set()),  # equal, not a part
        ("science fiction", {"Gamma"}),
        ("ciencia ficción", {"Epsilon"}),
        ("CIENCIA FICCIÓN", {"Epsilon"}),  # non-ASCII letters in another case
        ("crime", {"Alpha"}),
        ("western", set()),
    ],
)
async def test_genre_is_an_equal_value_ignoring_case(
    repo: Repository, refs: dict[str, Ref], genre: str, expected: set[str]
) -> None:
    assert await match(repo, refs, MOVIE, genre=genre) == expected


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("hanks", {"Alpha"}),  # the cast's name, not Gamma's character
        ("TOM HANKS", {"Alpha"}),
        ("zemeck", {"Alpha"}),  # directors
        ("smith", {"Beta"}),  # writers
        ("émile", {"Beta", "Epsilon"}),  # a plain typed cast name; an upper-case one
        ("ÉMILE", {"Beta", "Epsilon"}),
        ("søren", {"Gamma"}),
        ("SØREN K", {"Gamma"}),
        ("a_b", set()),  # LIKE's wildcards are plain characters ("Maxb" has no "a_b")
        ("tale", set()),  # only in a plot
        ("gilligan", set()),  # a series' creator, not a movie's
    ],
)
async def test_person_is_part_of_a_cast_or_crew_name_ignoring_case(
    repo: Repository, refs: dict[str, Ref], person: str, expected: set[str]
) -> None:
    assert await match(repo, refs, MOVIE, person=person) == expected


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("plot", {"Beta", "Gamma", "Delta"}),  # empty, blank, absent
        ("poster", {"Beta", "Gamma", "Delta", "Epsilon"}),  # null or absent
        ("runtime", {"Alpha", "Gamma", "Delta", "Epsilon"}),  # 0 is a value
        ("studios", {"Alpha", "Beta", "Gamma", "Delta", "Epsilon"}),  # [] or absent
        ("tagline", {"Alpha", "Beta", "Gamma", "Delta", "Epsilon"}),  # {} or absent
        ("title", set()),
        ("genres", {"Delta"}),
    ],
)
async def test_missing_means_empty_like_is_empty_says(
    repo: Repository, refs: dict[str, Ref], field: str, expected: set[str]
) -> None:
    assert await match(repo, refs, MOVIE, missing=field) == expected


async def test_criteria_combine_and_kinds_stay_apart(
    repo: Repository, refs: dict[str, Ref]
) -> None:
    assert await match(repo, refs, MOVIE, genre="drama", person="hanks") == {"Alpha"}
    assert await match(repo, refs, MOVIE, genre="drama", missing="plot") == {"Beta"}
    assert await match(repo, refs, MOVIE, genre="drama", person="émile", missing="poster") == {
        "Beta"
    }
    assert await match(repo, refs, MOVIE, genre="crime", missing="plot") == set()
    assert await match(repo, refs, SERIES, genre="drama", person="GILLIGAN") == {"Show"}
    assert await match(repo, refs, SERIES, missing="plot") == set()
    assert await match(repo, refs, MOVIE) == {"Alpha", "Beta", "Gamma", "Delta", "Epsilon"}


async def test_genre_counts_keep_each_spelling(repo: Repository, refs: dict[str, Ref]) -> None:
    assert await repo.genre_counts() == Counter(
        {"Drama": 2, "drama": 1, "Crime": 1, "Science Fiction": 1, "Ciencia Ficción": 1}
    )
