"""The sample library: placeholder files with a realistic mix of names, and its truth.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matinee.demo.catalog import Catalog
from matinee.demo.sample_library import TRUTH_FILE, SampleTruth, build_sample_library
from matinee.demo.tmdb_search import normalize, search

VIDEO_SUFFIXES = {".mkv", ".mp4", ".avi"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> SampleTruth:
    return build_sample_library(tmp_path_factory.mktemp("library"), catalog)


def videos(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in VIDEO_SUFFIXES
    )


def test_every_written_video_has_a_truth_entry(built: SampleTruth) -> None:
    assert videos(built.root) == sorted(built.entries)
    for relative in built.entries:
        size = (built.root / relative).stat().st_size
        assert 250 <= size <= 1000, relative


def test_every_catalog_movie_has_one_file(built: SampleTruth, catalog: Catalog) -> None:
    identified = [e.tmdb_id for e in built.entries.values() if e.kind == "movie" and e.tmdb_id]
    ambiguous = [c for e in built.ambiguous for c in e.candidates[:1]]
    assert sorted(identified + ambiguous) == sorted(catalog.movies)


def test_every_catalog_episode_has_a_file(built: SampleTruth, catalog: Catalog) -> None:
    covered = {
        (e.tmdb_id, e.season, number)
        for e in built.entries.values()
        if e.kind == "episode" and e.tmdb_id is not None
        for number in e.episodes
    }
    expected = {
        (show_id, season["season_number"], episode["episode_number"])
        for show_id, show in catalog.series.items()
        for season in show["seasons"]
        for episode in season["episodes"]
    }
    assert covered == expected
    multi = [e for e in built.entries.values() if len(e.episodes) > 1]
    assert [(m.tmdb_id, m.season, m.episodes) for m in multi] == [(2316, 2, (1, 2))]


def test_the_promised_mix_of_name_styles(built: SampleTruth) -> None:
    styles = built.count_by_style()
    assert styles["nfo"] == 6
    assert styles["tmdb-tag"] >= 10
    assert styles["imdb-tag"] >= 5
    assert styles["scene"] + styles["scene-folder"] + styles["scene-obfuscated"] >= 60
    assert styles["plex"] + styles["plex-flat"] + styles["plex-quality"] >= 80
    assert styles["ambiguous"] == 7
    assert styles["unmatchable"] == 5
    for tv_style in ("tv-scene", "tv-plex", "tv-tag", "tv-x", "tv-words", "tv-multi", "tv-nfo"):
        assert styles[tv_style] >= 1, tv_style
    kinds = built.count_by_kind()
    assert kinds["extra"] == 6


def test_named_examples_are_where_the_brief_says(built: SampleTruth) -> None:
    fight_club = built.expected("Movies/Fight Club (1999) {tmdb-550}/Fight Club (1999).mkv")
    assert (fight_club.kind, fight_club.tmdb_id, fight_club.style) == ("movie", 550, "tmdb-tag")
    heat = built.expected("Movies/Heat (1995)/Heat (1995).mkv")
    assert heat.tmdb_id == 949
    bad = built.expected("TV/Breaking Bad/Season 01/Breaking.Bad.S01E01.720p.HDTV.x264-GRP.mkv")
    assert (bad.kind, bad.tmdb_id, bad.season, bad.episodes) == ("episode", 1396, 1, (1,))
    sherlock = built.expected(
        "TV/Sherlock (2010)/Season 2/Sherlock - S02E01 - A Scandal in Belgravia.mkv"
    )
    assert sherlock.tmdb_id == 19885
    home = built.expected(built.root / "Movies/home video 2019-07-04.mp4")
    assert (home.tmdb_id, home.why) == (None, "unmatchable")


def test_nfo_folders_carry_the_ids(built: SampleTruth, catalog: Catalog) -> None:
    nfo_entries = [e for e in built.entries.values() if e.style == "nfo"]
    for entry in nfo_entries:
        folder = (built.root / entry.path).parent
        text = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.nfo"))
        movie = catalog.movies[entry.tmdb_id]  # type: ignore[index]
        assert str(movie["id"]) in text or movie["imdb_id"] in text
    matrix = next(e for e in nfo_entries if e.tmdb_id == 603)
    matrix_nfo = "".join(p.read_text() for p in (built.root / matrix.path).parent.glob("*.nfo"))
    assert '<uniqueid type="tmdb" default="true">603</uniqueid>' in matrix_nfo
    assert '<uniqueid type="imdb">tt0133093</uniqueid>' in matrix_nfo
    assert (built.root / "TV/Dark (2017)/tvshow.nfo").read_text().count("70523") == 1


def test_unmatchable_names_find_nothing_and_ambiguous_ones_find_several(
    built: SampleTruth, catalog: Catalog
) -> None:
    for entry in built.unmatchable:
        stem = Path(entry.path).stem.split(" (")[0].split(" - S")[0]
        hits = search(
            list(catalog.movies.values()) + [
                {**s, "title": s["name"], "original_title": s["original_name"],
                 "release_date": s["first_air_date"]} for s in catalog.series.values()
            ],
            normalize(stem), title_keys=("title", "original_title"), date_key="release_date",
            year=None,
        )  # fmt: skip
        assert hits == [], entry.path
    for entry in built.ambiguous:
        title = Path(entry.path).stem
        assert sorted(m["id"] for m in catalog.by_title(title)) == sorted(entry.candidates)
        assert len(entry.candidates) >= 2


def test_truth_json_round_trips_and_build_is_deterministic(
    built: SampleTruth, catalog: Catalog, tmp_path: Path
) -> None:
    loaded = SampleTruth.load(built.root)
    assert loaded.entries == built.entries
    document = json.loads((built.root / TRUTH_FILE).read_text(encoding="utf-8"))
    assert document["files"]["Movies/Fight Club (1999) {tmdb-550}/Fight Club (1999).mkv"] == {
        "kind": "movie",
        "tmdb_id": 550,
        "why": None,
        "style": "tmdb-tag",
        "season": None,
        "episodes": [],
        "candidates": [],
    }
    again = build_sample_library(tmp_path / "again", catalog)
    assert sorted(again.entries) == sorted(built.entries)
    for relative in list(built.entries)[:25]:
        assert (again.root / relative).read_bytes() == (built.root / relative).read_bytes()
        assert (again.root / relative).stat().st_mtime == (built.root / relative).stat().st_mtime
