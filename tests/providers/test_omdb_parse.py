"""OmdbProvider field mapping: saved real OMDb payloads, by IMDb id and by title (respx)."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from matinee.errors import NotFound
from matinee.model import FIELD_BY_NAME, EntityKind, Ids
from matinee.providers.base import Artwork, Credit, SearchQuery
from matinee.providers.omdb import OmdbProvider

from .omdb_support import KEY, MOVIE, SERIES, load, make_settings, params


def no_na(value: Any) -> bool:
    """True when no string anywhere in `value` is OMDb's "N/A"."""
    if isinstance(value, dict):
        return all(no_na(v) for v in value.values())
    if isinstance(value, list):
        return all(no_na(v) for v in value)
    return not (isinstance(value, str) and value == "N/A")


# --- by IMDb id ---------------------------------------------------------------------------------


async def test_fetch_movie_by_imdb_id(omdb_api: respx.MockRouter, omdb: OmdbProvider) -> None:
    route = omdb_api.get("/").respond(json=load("by_id_tt3896198_guardians2_2018.json"))
    record = await omdb.fetch(MOVIE, Ids(imdb="tt3896198"))
    request = route.calls.last.request
    assert request.url.path == "/"
    assert params(route) == {"i": "tt3896198", "plot": "short", "type": "movie", "apikey": KEY}
    assert (record.provider, record.kind, record.ids) == ("omdb", MOVIE, Ids(imdb="tt3896198"))
    assert record.fields == {
        "title": "Guardians of the Galaxy Vol. 2",
        "year": 2017,
        "release_date": "2017-05-05",
        "outline": "The Guardians must fight to keep their newfound family together as they "
        "unravel the mystery of Peter Quill's true parentage.",
        "runtime": 136,
        "content_rating": "PG-13",
        "imdb_rating": 7.7,
        "imdb_votes": 397820,
        "rotten_tomatoes_score": 83,
        "metacritic_score": 67,
        "awards": "Nominated for 1 Oscar. Another 12 wins & 42 nominations.",
        "genres": ["Action", "Adventure", "Sci-Fi"],
        "cast": [
            {"name": "Chris Pratt", "character": None, "order": 0},
            {"name": "Zoe Saldana", "character": None, "order": 1},
            {"name": "Dave Bautista", "character": None, "order": 2},
            {"name": "Vin Diesel", "character": None, "order": 3},
        ],
        "countries": ["USA"],
        "languages": ["English"],
        "imdb_id": "tt3896198",
        "directors": ["James Gunn"],
        "writers": [
            "James Gunn",
            "Dan Abnett",
            "Andy Lanning",
            "Steve Englehart",
            "Steve Gan",
            "Jim Starlin",
            "Stan Lee",
            "Larry Lieber",
            "Jack Kirby",
            "Bill Mantlo",
            "Keith Giffen",
            "Steve Gerber",
            "Val Mayerik",
        ],
    }
    assert isinstance(record.fields["imdb_rating"], float)
    assert record.artwork == (
        Artwork(
            slot="poster",
            url="https://m.media-amazon.com/images/M/MV5BMTg2MzI1MTg3OF5BMl5BanBnXkFtZTgwNTU3NDA2"
            "MTI@._V1_SX300.jpg",
            provider="omdb",
            width=300,
        ),
    )
    assert "poster" not in record.fields
    assert record.credits[:2] == (
        Credit(name="Chris Pratt", role="actor", order=0),
        Credit(name="Zoe Saldana", role="actor", order=1),
    )
    assert [c.role for c in record.credits].count("actor") == 4
    assert [c.name for c in record.credits if c.role == "director"] == ["James Gunn"]
    assert len([c for c in record.credits if c.role == "writer"]) == 13
    assert all(c.provider_id is None and c.character is None for c in record.credits)
    assert record.seasons == ()
    assert omdb.requests_made == 1


async def test_every_field_is_a_registry_field_for_its_kind(
    omdb_api: respx.MockRouter, omdb: OmdbProvider
) -> None:
    omdb_api.get("/").respond(json=load("by_id_tt3896198_guardians2_2018.json"))
    movie = await omdb.fetch(MOVIE, Ids(imdb="tt3896198"))
    omdb_api.get("/").respond(json=load("title_t_inhumans_series.json"))
    series = await omdb.fetch(SERIES, Ids(imdb="tt4154858"))
    for record in (movie, series):
        for name in record.fields:
            assert record.kind in FIELD_BY_NAME[name].kinds, name


async def test_id_wins_over_a_title_hint(omdb_api: respx.MockRouter, omdb: OmdbProvider) -> None:
    route = omdb_api.get("/").respond(json=load("by_id_tt3896198_guardians2_2018.json"))
    hint = SearchQuery(MOVIE, "Something Else", 1990)
    record = await omdb.fetch(MOVIE, Ids(imdb="tt3896198"), hint)
    assert set(params(route)) == {"i", "plot", "type", "apikey"}
    assert record.fields["title"] == "Guardians of the Galaxy Vol. 2"  # not checked against hint


# --- by title -----------------------------------------------------------------------------------


async def test_fetch_by_title_sends_only_title_year_and_kind(
    omdb_api: respx.MockRouter, omdb: OmdbProvider
) -> None:
    """The privacy contract: the cleaned title, the year, the kind; never a path or file name."""
    route = omdb_api.get("/").respond(json=load("title_t_black_panther_2018.json"))
    record = await omdb.fetch(MOVIE, Ids(), SearchQuery(MOVIE, "Black Panther", 2018))
    request = route.calls.last.request
    assert request.url.path == "/"
    assert sorted(request.url.params.multi_items()) == sorted(
        [
            ("t", "Black Panther"),
            ("y", "2018"),
            ("type", "movie"),
            ("plot", "short"),
            ("apikey", KEY),
        ]
    )
    assert record.ids == Ids(imdb="tt1825683")
    f = record.fields
    assert (f["title"], f["year"], f["release_date"], f["runtime"]) == (
        "Black Panther",
        2018,
        "2018-02-16",
        134,
    )
    assert f["writers"] == ["Ryan Coogler", "Joe Robert Cole", "Stan Lee", "Jack Kirby"]
    assert f["languages"] == ["Swahili", "Nama", "English", "Xhosa", "Korean"]
    assert f["countries"] == ["USA", "South Africa", "South Korea", "Australia"]
    assert (f["imdb_rating"], f["imdb_votes"]) == (7.4, 415699)
    assert (f["rotten_tomatoes_score"], f["metacritic_score"]) == (97, 88)
    assert f["awards"] == "14 nominations."
    assert f["outline"].startswith("After the death of his father, Prince T'Challa")


async def test_fetch_by_title_without_year_sends_no_year(
    omdb_api: respx.MockRouter, omdb: OmdbProvider
) -> None:
    route = omdb_api.get("/").respond(json=load("title_t_black_panther_2018.json"))
    await omdb.fetch(MOVIE, Ids(), SearchQuery(MOVIE, "Black Panther"))
    assert params(route) == {"t": "Black Panther", "type": "movie", "plot": "short", "apikey": KEY}


async def test_series_by_title(omdb_api: respx.MockRouter, omdb: OmdbProvider) -> None:
    route = omdb_api.get("/").respond(json=load("title_t_inhumans_series.json"))
    record = await omdb.fetch(SERIES, Ids(), SearchQuery(SERIES, "Inhumans", 2017))
    assert params(route)["type"] == "series"
    assert (record.kind, record.ids) == (SERIES, Ids(imdb="tt4154858"))
    assert record.seasons == (1,)  # totalSeasons "1"
    f = record.fields
    assert (f["title"], f["year"], f["content_rating"], f["runtime"]) == (
        "Inhumans",
        2017,
        "TV-PG",
        43,
    )
    assert f["creators"] == ["Scott Buck"]  # OMDb's Writer of a series is its creators
    assert "directors" not in f and "writers" not in f  # Director is N/A; not series fields
    assert (f["imdb_rating"], f["imdb_votes"]) == (5.1, 17590)
    assert "metacritic_score" not in f and "rotten_tomatoes_score" not in f
    assert "awards" not in f
    assert [c.role for c in record.credits] == ["actor"] * 4 + ["creator"]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("2017", 2017),
        (None, 1992),  # the real series range of search_s_batman_2025.json: "1992–1995"
        ("2023–", 2023),  # an open run, EN DASH (PROVIDERS.md §2)
        ("N/A", None),
    ],
)
def test_series_year_ranges_give_the_first_year(year: str | None, expected: int | None) -> None:
    if year is None:
        found = load("search_s_batman_2025.json")["Search"]
        year = next(r["Year"] for r in found if r["Title"] == "Batman: The Animated Series")
        assert year == "1992\u20131995"
    body = {**load("title_t_inhumans_series.json"), "Year": year}
    record = OmdbProvider(make_settings()).parse(SERIES, body)
    assert record.fields.get("year") == expected


async def test_venom_has_no_rotten_tomatoes(omdb_api: respx.MockRouter, omdb: OmdbProvider) -> None:
    omdb_api.get("/").respond(json=load("title_t_venom_no_rotten_tomatoes.json"))
    record = await omdb.fetch(MOVIE, Ids(), SearchQuery(MOVIE, "Venom", 2018))
    f = record.fields
    assert "rotten_tomatoes_score" not in f
    assert f["metacritic_score"] == 35
    assert "content_rating" not in f and "awards" not in f  # both N/A
    # Annotations stripped, repeated people ("screenplay by", "screen story by") once.
    assert f["writers"] == [
        "Jeff Pinkner",
        "Scott Rosenberg",
        "Kelly Marcel",
        "Todd McFarlane",
        "David Michelinie",
    ]
    assert f["release_date"] == "2018-10-05"
    assert no_na(f)


async def test_yahsi_bati_many_na_fields_are_absent(
    omdb_api: respx.MockRouter, omdb: OmdbProvider
) -> None:
    omdb_api.get("/").respond(json=load("title_t_yahsi_bati_many_NA.json"))
    # The cleaned title names the main title only, with its Turkish letters; 2010 is ±1 of 2009.
    record = await omdb.fetch(MOVIE, Ids(), SearchQuery(MOVIE, "Yahşi Batı", 2010))
    f = record.fields
    assert f["title"] == "Yahsi Bati - The Ottoman Cowboys"
    assert f["directors"] == ["Ömer Faruk Sorak"]
    assert f["cast"][1] == {"name": "Ozan Güven", "character": None, "order": 1}
    for absent in ("content_rating", "awards", "metacritic_score", "rotten_tomatoes_score"):
        assert absent not in f
    assert (f["year"], f["release_date"], f["imdb_rating"]) == (2009, "2010-01-01", 7.3)
    assert no_na(f)


async def test_captain_marvel_prerelease_answer(
    omdb_api: respx.MockRouter, omdb: OmdbProvider
) -> None:
    """Asked without a year before the 2019 film, OMDb answered with a 1962 short."""
    omdb_api.get("/").respond(json=load("title_t_captain_marvel_prerelease_NA.json"))
    with pytest.raises(NotFound, match="no confident title match"):
        await omdb.fetch(MOVIE, Ids(), SearchQuery(MOVIE, "Captain Marvel", 2019))
    record = await omdb.fetch(MOVIE, Ids(), SearchQuery(MOVIE, "Captain Marvel"))
    f = record.fields
    for absent in ("release_date", "content_rating", "awards", "metacritic_score"):
        assert absent not in f
    assert (f["year"], f["runtime"], f["imdb_rating"], f["imdb_votes"]) == (1962, 10, 6.1, 27)
    assert f["genres"] == ["Short", "Action", "Adventure"]
    assert no_na(f)
    assert record.artwork[0].width == 300


async def test_superman_2025_answer(omdb_api: respx.MockRouter, omdb: OmdbProvider) -> None:
    """Asked for `Superman` in 2025, OMDb answered with the 1978 film (3 actors, newer awards)."""
    omdb_api.get("/").respond(json=load("title_t_superman_2025.json"))
    with pytest.raises(NotFound, match="no confident title match"):
        await omdb.fetch(MOVIE, Ids(), SearchQuery(MOVIE, "Superman", 2025))
    record = await omdb.fetch(MOVIE, Ids(), SearchQuery(MOVIE, "Superman", 1978))
    f = record.fields
    assert [c["name"] for c in f["cast"]] == ["Christopher Reeve", "Margot Kidder", "Gene Hackman"]
    assert f["countries"] == ["United States", "United Kingdom", "Switzerland", "Panama"]
    assert f["awards"] == "Nominated for 3 Oscars. 19 wins & 23 nominations total"
    assert (f["release_date"], f["runtime"], f["content_rating"]) == ("1978-12-15", 143, "PG")
    assert (f["rotten_tomatoes_score"], f["metacritic_score"]) == (93, 82)
    assert record.ids == Ids(imdb="tt0078346")


@pytest.mark.parametrize(
    ("kind", "hint", "fixture"),
    [
        (MOVIE, SearchQuery(MOVIE, "The Heat", 2013), "title_t_black_panther_2018.json"),
        (MOVIE, SearchQuery(MOVIE, "Black Panther", 2016), "title_t_black_panther_2018.json"),
        (SERIES, SearchQuery(SERIES, "Black Panther", 2018), "title_t_black_panther_2018.json"),
        (MOVIE, SearchQuery(MOVIE, "Yahsi Bati"), "title_t_yahsi_bati_many_NA.json"),
    ],
    ids=["other-title", "year-off-by-two", "movie-for-a-series", "main-title-without-year"],
)
async def test_title_mismatch_is_not_found(
    omdb_api: respx.MockRouter,
    omdb: OmdbProvider,
    kind: EntityKind,
    hint: SearchQuery,
    fixture: str,
) -> None:
    omdb_api.get("/").respond(json=load(fixture))
    with pytest.raises(NotFound) as info:
        await omdb.fetch(kind, Ids(), hint)
    assert str(info.value) == "omdb: no confident title match"
    assert omdb.requests_made == 1


def _fopp_lookups() -> list[tuple[str, dict[str, Any]]]:
    cache = load("fopp_cache_all_19_title_lookups.json")
    return [(key.split("_t-", 1)[1], body) for key, body in cache.items()]


@pytest.mark.parametrize(("asked", "body"), _fopp_lookups(), ids=[t for t, _ in _fopp_lookups()])
async def test_every_cached_lookup_matches_the_title_it_was_asked_for(
    omdb_api: respx.MockRouter, omdb: OmdbProvider, asked: str, body: dict[str, Any]
) -> None:
    """19 real `?t=` answers, each checked against the title that was asked (case, accents)."""
    omdb_api.get("/").respond(json=body)
    kind = SERIES if body["Type"] == "series" else MOVIE
    record = await omdb.fetch(kind, Ids(), SearchQuery(kind, asked, int(body["Year"][:4])))
    assert record.fields["title"] == body["Title"]
    assert record.ids == Ids(imdb=body["imdbID"])
    assert no_na(record.fields)
