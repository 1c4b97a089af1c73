"""Season records: the seasons a series record lists, with their own fields (no extra request).

TMDB from the saved real `/tv/1399` payload; TheTVDB from the hand-built v4 fixture.
"""

from __future__ import annotations

from matinee.model import FIELD_BY_NAME, EntityKind, Ids
from matinee.providers.base import SeasonRecord
from matinee.providers.tmdb import TmdbProvider
from matinee.providers.tvdb import TvdbProvider

from .support import IMAGE_URL, game_of_thrones, load
from .support import settings as tmdb_settings
from .tvdb_support import SID, extended
from .tvdb_support import settings as tvdb_settings

SEASON = EntityKind.SEASON
TVDB_ART = "https://artworks.thetvdb.com/banners/seasons"


def _season_fields_only(records: tuple[SeasonRecord, ...]) -> None:
    for record in records:
        for name in record.fields:
            assert SEASON in FIELD_BY_NAME[name].kinds, name


def test_tmdb_series_lists_its_seasons_with_their_fields() -> None:
    record = TmdbProvider(tmdb_settings()).parse_details(EntityKind.SERIES, game_of_thrones())
    by_number = {s.season: s for s in record.season_records}
    assert sorted(by_number) == list(record.seasons) == list(range(9))
    specials, first = by_number[0], by_number[1]
    assert specials.fields == {
        "title": "Specials",  # no overview ("") and a zero vote average: left out
        "release_date": "2010-12-05",
        "year": 2010,
        "poster": f"{IMAGE_URL}/original/aos6lC1JGYt6ZRL85lgstNsfSeY.jpg",
        "tmdb_id": 3627,
    }
    assert specials.ids == Ids(tmdb=3627)
    assert first.fields["title"] == "Season 1"
    assert first.fields["plot"].startswith("Trouble is brewing in the Seven Kingdoms of Westeros.")
    assert (first.fields["release_date"], first.fields["year"]) == ("2011-04-18", 2011)
    assert first.fields["poster"] == f"{IMAGE_URL}/original/wgfKiqzuMrFIkU1M68DDDY8kGC1.jpg"
    assert (first.fields["tmdb_id"], first.ids) == (3624, Ids(tmdb=3624))
    assert by_number[2].fields["title"] == "Season 2" and by_number[2].ids == Ids(tmdb=3625)
    assert "seasons" not in record.fields  # the series' own fields are unchanged
    _season_fields_only(record.season_records)


def test_tmdb_movie_has_no_season_records() -> None:
    body = load("movie_550_fight_club_details.json")
    record = TmdbProvider(tmdb_settings()).parse_details(EntityKind.MOVIE, body)
    assert record.season_records == ()


def test_tmdb_odd_seasons_are_skipped_not_fatal() -> None:
    body = game_of_thrones()
    body["seasons"] = [
        "not an object",
        {"name": "no number"},
        {"season_number": 3, "name": "  ", "poster_path": "relative.jpg", "air_date": "soon"},
    ]
    record = TmdbProvider(tmdb_settings()).parse_details(EntityKind.SERIES, body)
    assert record.season_records == (SeasonRecord(3, {}, Ids()),)


def test_tvdb_series_lists_its_official_seasons() -> None:
    record = TvdbProvider(tvdb_settings()).parse_series(extended()["data"])
    by_number = {s.season: s for s in record.season_records}
    assert sorted(by_number) == list(record.seasons) == [0, 1, 2, 3, 4, 5]  # no Netflix order
    # The season's own `image` first; else its best season poster (type 7) among `artworks`.
    assert by_number[1].fields == {
        "year": 2017,
        "poster": f"{TVDB_ART}/{SID}-1.jpg",
        "tvdb_id": 1002,
    }
    assert by_number[0].fields == {
        "year": 2017,
        "poster": f"{TVDB_ART}/{SID}-0.jpg",
        "tvdb_id": 1001,
    }
    assert by_number[5].fields == {"year": 2021, "tvdb_id": 1006}  # no poster, no name
    assert by_number[1].ids == Ids(tvdb=1002)
    _season_fields_only(record.season_records)


def test_tvdb_season_name_becomes_its_title() -> None:
    data = extended()["data"]
    for season in data["seasons"]:
        if season["id"] == 1002:
            season["name"] = "Part 1"
        if season["id"] == 2001:  # the alternate order's season 1 is not ours
            season["name"] = "Netflix Part 1"
    record = TvdbProvider(tvdb_settings()).parse_series(data)
    by_number = {s.season: s for s in record.season_records}
    assert by_number[1].fields["title"] == "Part 1"
    assert "title" not in by_number[2].fields
