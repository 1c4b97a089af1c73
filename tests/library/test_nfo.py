"""NFO ids: every shape Kodi, Jellyfin and scene releases write, and garbage that must not raise."""

from __future__ import annotations

from pathlib import Path

import pytest

from matinee.library.nfo import MAX_NFO_BYTES, ids_from_nfo_text, read_nfo_ids
from matinee.model import Ids

KODI_MOVIE = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<movie>
  <title>The Matrix</title>
  <uniqueid type="imdb">tt0133093</uniqueid>
  <uniqueid type="tmdb" default="true">603</uniqueid>
  <actor><name>Keanu Reeves</name><tmdbid>6384</tmdbid></actor>
</movie>
"""
JELLYFIN_MOVIE = b"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<movie>
  <actor><name>Keanu Reeves</name><tmdbid>6384</tmdbid><imdbid>nm0000206</imdbid></actor>
  <imdbid>tt0133093</imdbid>
  <tmdbid>603</tmdbid>
</movie>
"""
TVSHOW = b"""<tvshow><title>Breaking Bad</title><id>81189</id>
<uniqueid type="tvdb" default="true">81189</uniqueid><imdb_id>tt0903747</imdb_id></tvshow>"""


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (KODI_MOVIE, Ids(tmdb=603, imdb="tt0133093")),
        (JELLYFIN_MOVIE, Ids(tmdb=603, imdb="tt0133093")),
        (TVSHOW, Ids(imdb="tt0903747", tvdb=81189)),
        (b"<movie><id>tt0133093</id></movie>", Ids(imdb="tt0133093")),
        (b"<movie><id>12345</id></movie>", Ids()),
        (b"https://www.imdb.com/title/tt0133093/\n", Ids(imdb="tt0133093")),
        (b"https://www.themoviedb.org/movie/603-the-matrix", Ids(tmdb=603)),
        (b"http://www.thetvdb.com/?tab=series&id=81189", Ids(tvdb=81189)),
        # Kodi "combination" NFO: XML then a URL line.
        (b"<movie><title>X</title></movie>\nhttps://www.imdb.com/title/tt0133093/",
         Ids(imdb="tt0133093")),
        # Malformed XML: the regex fallback still finds the ids, never the actor's.
        (b"<movie><title>Broken & bad<uniqueid type=\"tmdb\">603</uniqueid>"
         b"<actor><tmdbid>6384</tmdbid></actor>", Ids(tmdb=603)),
        (b"<movie><title>oops<actor><tmdbid>6384</tmdbid></actor> imdb: tt0133093",
         Ids(imdb="tt0133093")),
        # Jellyfin multi-episode NFO: several roots, the first one counts.
        (b"<episodedetails><uniqueid type=\"tvdb\">111</uniqueid></episodedetails>"
         b"<episodedetails><uniqueid type=\"tvdb\">222</uniqueid></episodedetails>",
         Ids(tvdb=111)),
        # Scene NFO with ASCII art.
        ("\u2591\u2592\u2593 GROUP \u2593\u2592\u2591\n IMDB ..: http://imdb.com/title/tt1375666\n"
         .encode("cp437", "replace"), Ids(imdb="tt1375666")),
        (b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><movie><tmdbid>&a;</tmdbid></movie>", Ids()),
        (b"", Ids()),
        (b"\x00\xff\xfe garbage", Ids()),
        (b"<movie><uniqueid type=\"imdb\">not-an-id</uniqueid><tmdbid>-4</tmdbid></movie>", Ids()),
    ],
)  # fmt: skip
def test_ids_from_nfo_text(data: bytes, expected: Ids) -> None:
    assert ids_from_nfo_text(data) == expected


def test_stem_nfo_then_movie_nfo(tmp_path: Path) -> None:
    video = tmp_path / "The Matrix.mkv"
    video.write_bytes(b"")
    (tmp_path / "movie.nfo").write_bytes(KODI_MOVIE)
    assert read_nfo_ids(str(video)) == (
        Ids(tmdb=603, imdb="tt0133093"),
        str(tmp_path / "movie.nfo"),
    )
    stem = tmp_path / "The Matrix.nfo"
    stem.write_bytes(b"https://www.themoviedb.org/movie/604")
    assert read_nfo_ids(str(video)) == (Ids(tmdb=604), str(stem))


def test_stem_nfo_without_ids_falls_through(tmp_path: Path) -> None:
    video = tmp_path / "x.mkv"
    (tmp_path / "x.nfo").write_bytes(b"just some release notes")
    (tmp_path / "movie.nfo").write_bytes(b"<movie><tmdbid>7</tmdbid></movie>")
    assert read_nfo_ids(str(video)) == (Ids(tmdb=7), str(tmp_path / "movie.nfo"))


def test_episode_uses_tvshow_nfo_in_series_dir(tmp_path: Path) -> None:
    season = tmp_path / "Season 1"
    season.mkdir()
    video = season / "Show - S01E01.mkv"
    (tmp_path / "tvshow.nfo").write_bytes(TVSHOW)
    (season / "movie.nfo").write_bytes(b"<movie><tmdbid>9</tmdbid></movie>")
    ids, used = read_nfo_ids(str(video), series_dir=str(tmp_path))
    assert (ids, used) == (Ids(imdb="tt0903747", tvdb=81189), str(tmp_path / "tvshow.nfo"))


def test_no_nfo_and_oversized_nfo(tmp_path: Path) -> None:
    video = tmp_path / "a.mkv"
    assert read_nfo_ids(str(video)) == (Ids(), None)
    (tmp_path / "a.nfo").write_bytes(b"tt0133093 " + b" " * MAX_NFO_BYTES)
    assert read_nfo_ids(str(video)) == (Ids(), None)


def test_unreadable_nfo_is_no_ids(tmp_path: Path) -> None:
    video = tmp_path / "a.mkv"
    (tmp_path / "a.nfo").mkdir()  # a folder where a file should be: open() fails
    assert read_nfo_ids(str(video)) == (Ids(), None)
