"""Table-driven tests of the filename parser: scene, Plex, Jellyfin, Kodi, anime, odd titles."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matinee.library.parse import ParsedName, parse_name, parse_path
from matinee.model import Ids

M, E = "movie", "episode"

# (name, expected fields); fields not named are not checked.
NAMES: list[tuple[str, dict[str, Any]]] = [
    # --- scene movies
    ("The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv",
     {"kind": M, "title": "The Matrix", "year": 1999, "resolution": "1080p", "source": "BluRay",
      "codec": "x264", "group": "GROUP", "proper": False}),
    ("the.matrix.1999.1080p.bluray.x264-group.mkv",
     {"title": "the matrix", "year": 1999, "source": "BluRay", "group": "group"}),
    ("Inception.2010.2160p.UHD.BluRay.REMUX.HDR.HEVC.Atmos-EPSiLON.mkv",
     {"title": "Inception", "year": 2010, "resolution": "2160p", "source": "REMUX",
      "codec": "HEVC", "group": "EPSiLON"}),
    ("Dune.Part.Two.2024.1080p.WEB-DL.DDP5.1.Atmos.H.264-FLUX.mkv",
     {"title": "Dune Part Two", "year": 2024, "source": "WEB-DL", "codec": "H.264",
      "group": "FLUX", "part": None}),
    ("Movie.Name.2010.PROPER.720p.BluRay.x264-SECTOR7.mkv",
     {"title": "Movie Name", "year": 2010, "proper": True, "resolution": "720p"}),
    ("Movie.Name.2010.REPACK.1080p.WEBRip.x265-RARBG.mp4",
     {"title": "Movie Name", "repack": True, "source": "WEBRip", "codec": "x265",
      "group": "RARBG"}),
    ("Heat.1995.DVDRip.XviD-DiAMOND.avi",
     {"title": "Heat", "year": 1995, "source": "DVDRip", "codec": "XviD", "group": "DiAMOND"}),
    ("Avatar.2009.EXTENDED.1080p.BluRay.x264-SPARKS.mkv",
     {"title": "Avatar", "year": 2009, "edition": "Extended"}),
    ("Blade.Runner.1982.The.Final.Cut.1080p.BluRay.DTS.x264-ESiR.mkv",
     {"title": "Blade Runner", "year": 1982, "edition": "Final Cut"}),
    ("Apocalypse.Now.1979.Directors.Cut.720p.BluRay.x264.mkv",
     {"title": "Apocalypse Now", "year": 1979, "edition": "Director's Cut", "group": None}),
    ("The.Dark.Knight.2008.IMAX.1080p.BluRay.x264.mkv",
     {"title": "The Dark Knight", "year": 2008, "edition": "IMAX"}),
    ("Movie.2015.UNRATED.1080p.WEB-DL.AAC2.0.H264-FGT.mkv",
     {"title": "Movie", "edition": "Unrated", "codec": "H.264", "group": "FGT"}),
    ("Some_Movie_2005_720p_HDTV.mkv", {"title": "Some Movie", "year": 2005, "source": "HDTV"}),
    ("Old.Film.1950.1080p.WEB.h264-GRP.mkv",
     {"title": "Old Film", "year": 1950, "source": "WEB", "codec": "H.264"}),
    ("Casino.Royale.2006.iNTERNAL.1080p.BluRay.x264-MOOVEE.mkv",
     {"title": "Casino Royale", "year": 2006, "group": "MOOVEE"}),
    ("Movie.Title.2012.1080p.BluRay.x264-YTS.MX.mp4", {"title": "Movie Title", "group": "YTS.MX"}),
    ("Movie.Title.1080p.BluRay.x264-GRP.mkv", {"title": "Movie Title", "year": None}),
    ("Spider-Man.2002.1080p.BluRay.x264.mkv", {"title": "Spider-Man", "year": 2002, "group": None}),
    ("X-Men.mkv", {"kind": M, "title": "X-Men", "group": None}),
    # --- Plex / Jellyfin / Kodi movies
    ("The Matrix (1999).mkv", {"kind": M, "title": "The Matrix", "year": 1999}),
    ("The Matrix (1999) {tmdb-603}.mkv", {"title": "The Matrix", "ids": Ids(tmdb=603)}),
    ("The Matrix (1999) [tmdbid=603].mkv", {"title": "The Matrix", "ids": Ids(tmdb=603)}),
    ("The Matrix (1999) [imdbid-tt0133093].mkv",
     {"title": "The Matrix", "year": 1999, "ids": Ids(imdb="tt0133093")}),
    ("The Matrix (1999) {imdb-tt0133093} {tmdb-603}.mkv",
     {"title": "The Matrix", "ids": Ids(tmdb=603, imdb="tt0133093")}),
    ("Blade Runner (1982) {edition-Director's Cut}.mkv",
     {"title": "Blade Runner", "year": 1982, "edition": "Director's Cut"}),
    ("Aliens (1986) - Special Edition.mkv", {"title": "Aliens", "edition": "Special Edition"}),
    ("Heat (1995) - cd1.avi", {"title": "Heat", "year": 1995, "part": 1}),
    ("Heat (1995) - part2.avi", {"title": "Heat", "year": 1995, "part": 2}),
    ("Heat (1995) CD2.avi", {"title": "Heat", "part": 2}),
    ("Heat.1995.disc1.mkv", {"title": "Heat", "part": 1}),
    ("Heat - cd1.avi", {"title": "Heat", "year": None, "part": 1}),
    ("Harry Potter and the Deathly Hallows Part 1 (2010).mkv",
     {"title": "Harry Potter and the Deathly Hallows Part 1", "year": 2010, "part": None}),
    ("Kill Bill Vol. 1 (2003).mkv", {"title": "Kill Bill Vol. 1", "year": 2003}),
    ("Mr. Nobody (2009) [1080p].mkv", {"title": "Mr. Nobody", "year": 2009, "resolution": "1080p"}),
    ("Amélie (2001).mkv", {"title": "Amélie", "year": 2001}),
    ("(500) Days of Summer (2009).mkv", {"title": "(500) Days of Summer", "year": 2009}),
    ("Birdman or (The Unexpected Virtue of Ignorance) (2014).mkv",
     {"title": "Birdman or (The Unexpected Virtue of Ignorance)", "year": 2014}),
    ("Uncut Gems (2019).mkv", {"title": "Uncut Gems", "edition": None}),
    ("Charlotte's Web (2006).mkv", {"title": "Charlotte's Web", "source": None}),
    ("heat.mkv", {"kind": M, "title": "heat", "year": None}),
    # --- titles with numbers and years
    ("2001 A Space Odyssey (1968).mkv", {"title": "2001 A Space Odyssey", "year": 1968}),
    ("2001.A.Space.Odyssey.1968.1080p.BluRay.x264.mkv",
     {"title": "2001 A Space Odyssey", "year": 1968}),
    ("Blade Runner 2049 (2017).mkv", {"title": "Blade Runner 2049", "year": 2017}),
    ("Blade.Runner.2049.2017.2160p.UHD.BluRay.x265.mkv",
     {"title": "Blade Runner 2049", "year": 2017, "resolution": "2160p"}),
    ("1917 (2019).mkv", {"title": "1917", "year": 2019}),
    ("1917.2019.1080p.WEB-DL.mkv", {"title": "1917", "year": 2019}),
    ("1917.mkv", {"title": "1917", "year": None}),
    ("2012.2009.720p.BluRay.mkv", {"title": "2012", "year": 2009}),
    ("Se7en (1995).mkv", {"kind": M, "title": "Se7en", "year": 1995}),
    ("Se7en.1995.1080p.BluRay.mkv", {"kind": M, "title": "Se7en"}),
    ("Ocean's Eleven (2001).mkv", {"title": "Ocean's Eleven", "year": 2001}),
    ("300.2006.1080p.BluRay.mkv", {"kind": M, "title": "300", "year": 2006}),
    ("District.9.2009.720p.mkv", {"kind": M, "title": "District 9", "year": 2009}),
    ("A.I.Artificial.Intelligence.2001.mkv",
     {"title": "A.I. Artificial Intelligence", "year": 2001}),
    ("L.A.Confidential.1997.1080p.mkv", {"title": "L.A. Confidential", "year": 1997}),
    # --- scene episodes
    ("Breaking.Bad.S05E14.720p.HDTV.x264-IMMERSE.mkv",
     {"kind": E, "title": "Breaking Bad", "season": 5, "episodes": (14,), "resolution": "720p",
      "source": "HDTV", "codec": "x264", "group": "IMMERSE", "episode_title": None}),
    ("breaking.bad.s05e14.proper.720p.hdtv.x264-immerse.mkv",
     {"title": "breaking bad", "season": 5, "episodes": (14,), "proper": True,
      "episode_title": None}),
    ("Breaking.Bad.S05E14.Ozymandias.1080p.WEB-DL.mkv",
     {"season": 5, "episodes": (14,), "episode_title": "Ozymandias", "source": "WEB-DL"}),
    ("Game.of.Thrones.S08E06.REPACK.1080p.WEB.H264-MEMENTO.mkv",
     {"title": "Game of Thrones", "repack": True, "source": "WEB", "group": "MEMENTO"}),
    ("Doctor.Who.2005.S01E01.Rose.720p.mkv",
     {"title": "Doctor Who", "year": 2005, "season": 1, "episodes": (1,), "episode_title": "Rose"}),
    ("S.W.A.T.2017.S01E01.720p.HDTV.mkv",
     {"title": "S.W.A.T.", "year": 2017, "season": 1, "episodes": (1,)}),
    ("Marvels.Agents.of.S.H.I.E.L.D.S01E01.mkv", {"title": "Marvels Agents of S.H.I.E.L.D."}),
    ("The.Office.US.S02E01.mkv", {"title": "The Office US", "season": 2, "episodes": (1,)}),
    ("Show.S01E01E02.720p.mkv", {"kind": E, "season": 1, "episodes": (1, 2)}),
    ("Show.S01E01E02E03.mkv", {"episodes": (1, 2, 3)}),
    ("Show.S01E01-E03.mkv", {"episodes": (1, 2, 3)}),
    ("Show.S01E01-02.mkv", {"episodes": (1, 2)}),
    ("Show.S01E05-E06.1080p-GRP.mkv", {"episodes": (5, 6), "resolution": "1080p"}),
    ("Show.S10E100.mkv", {"season": 10, "episodes": (100,)}),
    ("Show.s2010e05.mkv", {"season": 2010, "episodes": (5,)}),
    # --- Plex / Jellyfin / Kodi episodes
    ("Show (2010) - s01e02 - Title.mkv",
     {"kind": E, "title": "Show", "year": 2010, "season": 1, "episodes": (2,),
      "episode_title": "Title"}),
    ("Grey's Anatomy - S03E04 - What I Am.mkv",
     {"title": "Grey's Anatomy", "episode_title": "What I Am"}),
    ("Show Name S01E01 Episode Name.mkv",
     {"title": "Show Name", "episode_title": "Episode Name"}),
    ("Show - S01E01-E02 - The Pilot.mkv", {"episodes": (1, 2), "episode_title": "The Pilot"}),
    ("Show - S01E01 - Spider-Man.mkv", {"episode_title": "Spider-Man", "group": None}),
    ("Show 1x02.mkv", {"kind": E, "title": "Show", "season": 1, "episodes": (2,)}),
    ("Show - 2x03 - Title.avi",
     {"title": "Show", "season": 2, "episodes": (3,), "episode_title": "Title"}),
    ("Show.10x10.HDTV.mkv", {"season": 10, "episodes": (10,)}),
    ("Show 1x02-03.mkv", {"season": 1, "episodes": (2, 3)}),
    ("Show Season 1 Episode 2.mkv", {"kind": E, "title": "Show", "season": 1, "episodes": (2,)}),
    ("Show - Season 3 Episode 10 - Finale.mkv",
     {"season": 3, "episodes": (10,), "episode_title": "Finale"}),
    ("Show (2010) {tvdb-121361} - S01E01.mkv",
     {"title": "Show", "year": 2010, "ids": Ids(tvdb=121361)}),
    ("Show [tvdbid-121361] S01E01.mkv", {"title": "Show", "ids": Ids(tvdb=121361)}),
    ("E03 - Title.mkv", {"kind": E, "title": "", "episodes": (3,), "episode_title": "Title"}),
    ("Episode 7.mkv", {"kind": E, "episodes": (7,)}),
    # --- date-based
    ("The.Daily.Show.2011.03.14.720p.HDTV.mkv",
     {"kind": E, "title": "The Daily Show", "air_date": "2011-03-14", "year": None,
      "resolution": "720p", "season": None}),
    ("The Tonight Show 2019-01-31 Guest Name.mkv",
     {"title": "The Tonight Show", "air_date": "2019-01-31", "episode_title": "Guest Name"}),
    ("Jeopardy_2020_12_01.mkv", {"title": "Jeopardy", "air_date": "2020-12-01"}),
    # --- anime
    ("[SubsPlease] One Piece - 1071 (1080p) [ABCD1234].mkv",
     {"kind": E, "title": "One Piece", "absolute": (1071,), "season": None, "episodes": (),
      "group": "SubsPlease", "resolution": "1080p"}),
    ("[Group] Title - 12 [1080p][ABCD1234].mkv",
     {"kind": E, "title": "Title", "absolute": (12,), "group": "Group", "resolution": "1080p"}),
    ("[HorribleSubs] Boku no Hero Academia - 88 [720p].mkv",
     {"title": "Boku no Hero Academia", "absolute": (88,), "resolution": "720p"}),
    ("[Erai-raws] Shingeki no Kyojin - 05v2 [1080p].mkv",
     {"title": "Shingeki no Kyojin", "absolute": (5,), "group": "Erai-raws"}),
    ("[Group]_Some_Anime_-_07_[720p].mkv", {"title": "Some Anime", "absolute": (7,)}),
    ("[Group] Anime Title S2 - 05 [1080p].mkv",
     {"title": "Anime Title", "season": 2, "episodes": (5,)}),
    ("Naruto Shippuden - 045.mkv", {"kind": E, "title": "Naruto Shippuden", "absolute": (45,)}),
    ("Rocky - 2.mkv", {"kind": M, "title": "Rocky - 2"}),
    ("[Group] Anime Movie (2016) [1080p].mkv",
     {"kind": M, "title": "Anime Movie", "year": 2016, "group": "Group"}),
    # --- odds and ends
    ("Movie.Name.2010.German.DL.1080p.BluRay.mkv", {"title": "Movie Name", "year": 2010}),
    ("Movie Name 2010 Extended.mkv", {"title": "Movie Name", "year": 2010, "edition": "Extended"}),
    ("Movie.EXTENDED.1080p.mkv", {"title": "Movie", "edition": "Extended"}),
    ("Movie Name.mp4", {"kind": M, "title": "Movie Name"}),
    ("Movie Name", {"kind": M, "title": "Movie Name"}),
    ("Star.Wars.Episode.IV.A.New.Hope.1977.mkv",
     {"kind": M, "title": "Star Wars Episode IV A New Hope", "year": 1977}),
    ("Star Wars Episode 4 A New Hope (1977).mkv", {"kind": M, "year": 1977}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), NAMES, ids=[n for n, _ in NAMES])
def test_parse_name(name: str, expected: dict[str, Any]) -> None:
    parsed = parse_name(name)
    got = {key: getattr(parsed, key) for key in expected}
    assert got == expected


def test_table_is_broad() -> None:
    assert len(NAMES) >= 80
    kinds = {parse_name(n).kind for n, _ in NAMES}
    assert kinds == {"movie", "episode"}


PATHS: list[tuple[str, str | None, dict[str, Any]]] = [
    ("/m/Movies/Heat (1995)/heat.mkv", "/m",
     {"kind": M, "title": "Heat", "year": 1995}),
    ("/m/Movies/Heat (1995)/movie.mkv", "/m", {"title": "Heat", "year": 1995}),
    ("/m/Heat (1995)/Heat (1995) - cd2.avi", "/m", {"title": "Heat", "part": 2}),
    ("/m/Heat (1995)/CD1/heat.avi", "/m", {"title": "Heat", "year": 1995, "part": 1}),
    ("/m/The Matrix (1999) {tmdb-603}/The Matrix.mkv", "/m",
     {"title": "The Matrix", "year": 1999, "ids": Ids(tmdb=603)}),
    ("/m/The.Matrix.1999.1080p.BluRay.x264-GRP/the.matrix.1999.1080p.bluray.x264-grp.mkv", "/m",
     {"title": "The Matrix", "year": 1999, "group": "grp"}),
    ("/m/Movies/The.Matrix.1999.mkv", "/m", {"title": "The Matrix", "year": 1999}),
    ("/m/Movies/Collection/Alien.1979.mkv", "/m", {"title": "Alien", "year": 1979}),
    ("/m/Show Name (2010)/Season 02/03.mkv", "/m",
     {"kind": E, "title": "Show Name", "year": 2010, "season": 2, "episodes": (3,)}),
    ("/m/Show Name (2010)/Season 02/03 - The Title.mkv", "/m",
     {"season": 2, "episodes": (3,), "episode_title": "The Title"}),
    ("/m/Show/Season 2/Show - 2x03.mkv", "/m",
     {"kind": E, "title": "Show", "season": 2, "episodes": (3,)}),
    ("/m/Show/S02/E03 - Title.mkv", "/m",
     {"kind": E, "title": "Show", "season": 2, "episodes": (3,), "episode_title": "Title"}),
    ("/m/Show/Specials/Show - S00E01.mkv", "/m", {"title": "Show", "season": 0}),
    ("/m/Show/Specials/01.mkv", "/m", {"kind": E, "title": "Show", "season": 0, "episodes": (1,)}),
    ("/m/TV/Breaking Bad/Season 5/breaking.bad.s05e14.720p.mkv", "/m",
     {"title": "Breaking Bad", "season": 5, "episodes": (14,), "resolution": "720p"}),
    ("/m/TV/Breaking Bad/breaking.bad.s05e14.mkv", "/m", {"title": "Breaking Bad"}),
    ("/m/TV/Breaking.Bad.S05E14.720p.HDTV.x264-IMMERSE.mkv", "/m",
     {"title": "Breaking Bad", "group": "IMMERSE"}),
    ("/m/Show (2010) {tvdb-121361}/Season 1/Show - S01E01.mkv", "/m",
     {"title": "Show", "year": 2010, "ids": Ids(tvdb=121361)}),
    ("/m/Show Name Season 3/S03E04.mkv", "/m", {"title": "Show Name", "season": 3}),
    ("/m/Anime/One Piece/[SubsPlease] One Piece - 1071 (1080p).mkv", "/m",
     {"title": "One Piece", "absolute": (1071,)}),
    # The root's own name and anything above it are never read.
    ("/lib/Heat (1995)/movie.mkv", "/lib/Heat (1995)", {"title": "movie", "year": None}),
    ("/lib/Show/Season 1/03.mkv", "/lib/Show/Season 1", {"kind": M, "title": "03"}),
    ("/elsewhere/Heat (1995)/heat.mkv", "/lib", {"title": "heat", "year": None}),
    ("/x/Heat (1995)/heat.mkv", None, {"title": "Heat", "year": 1995}),
]  # fmt: skip


@pytest.mark.parametrize(("path", "root", "expected"), PATHS, ids=[p for p, _, _ in PATHS])
def test_parse_path(path: str, root: str | None, expected: dict[str, Any]) -> None:
    parsed = parse_path(path, root)
    got = {key: getattr(parsed, key) for key in expected}
    assert got == expected


def test_parsed_name_defaults() -> None:
    p = ParsedName(kind="movie", title="X")
    assert (p.episodes, p.absolute, p.ids, p.part) == ((), (), Ids(), None)


_PIECES = [*"aS0E1x9. -_[](){}ép", "1999", "1080p", "S01E02", "tmdb-", "Season ", "cd1"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_any_name_parses_to_a_clean_title(name: str) -> None:
    parsed = parse_name(name)
    assert parsed.kind in ("movie", "episode")
    assert parsed.title == parsed.title.strip()
    assert "_" not in parsed.title
    assert parsed.year is None or 1900 <= parsed.year <= 2100
    assert all(n >= 0 for n in parsed.episodes + parsed.absolute)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=20).filter(lambda s: "/" not in s), max_size=5))
def test_any_path_parses_and_never_reads_above_root(parts: list[str]) -> None:
    path = "/root/" + "/".join([*parts, "file.mkv"])
    parsed = parse_path(path, "/root")
    assert parsed.kind in ("movie", "episode")
    assert parse_path("/outside/Heat (1995)/x.mkv", "/root").year is None
