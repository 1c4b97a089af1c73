"""TmdbProvider against saved real TMDB payloads (respx; no network)."""

from __future__ import annotations

import pytest
import respx

from matinee.errors import BadResponse, NotFound
from matinee.model import FIELD_BY_NAME, Candidate, EntityKind, Ids
from matinee.providers.base import Provider, SearchQuery
from matinee.providers.tmdb import MOVIE_APPEND, TV_APPEND, TmdbProvider

from .support import IMAGE_URL, KEY, fight_club, game_of_thrones, load
from .support import settings as make_settings

MOVIE, SERIES = EntityKind.MOVIE, EntityKind.SERIES


def _params(route: respx.Route) -> dict[str, str]:
    return dict(route.calls.last.request.url.params.multi_items())


def test_provider_satisfies_the_protocol() -> None:
    provider = TmdbProvider(make_settings())
    assert isinstance(provider, Provider)
    assert (provider.id, provider.name) == ("tmdb", "TMDB")
    assert provider.kinds == frozenset({MOVIE, SERIES})


# --- search and find -------------------------------------------------------------------------


async def test_search_movie_returns_candidates(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    api.get("/search/movie").respond(json=load("search_movie_the_matrix_2017.json"))
    found = await tmdb.search(SearchQuery(MOVIE, "The Matrix", 1999))
    assert len(found) == 20
    assert found[0] == Candidate(
        provider="tmdb",
        id="603",
        kind=MOVIE,
        title="The Matrix",
        year=1999,
        original_title="The Matrix",
        popularity=35.568523,
    )
    assert [(c.id, c.year) for c in found[1:3]] == [("604", 2003), ("605", 2003)]
    assert tmdb.requests_made == 1


async def test_search_empty_release_date_gives_no_year(
    api: respx.MockRouter, tmdb: TmdbProvider
) -> None:
    api.get("/search/movie").respond(json=load("search_movie_the_matrix_2017.json"))
    by_id = {c.id: c for c in await tmdb.search(SearchQuery(MOVIE, "The Matrix"))}
    assert by_id["472854"].year is None
    assert by_id["465940"].year is None


async def test_search_sends_only_title_year_and_settings(
    api: respx.MockRouter, tmdb: TmdbProvider
) -> None:
    """The privacy contract: nothing but the cleaned title, the year and fixed settings."""
    route = api.get("/search/movie").respond(json=load("search_movie_the_matrix_2017.json"))
    await tmdb.search(SearchQuery(MOVIE, "The Matrix", 1999))
    request = route.calls.last.request
    assert request.url.path == "/3/search/movie"
    assert sorted(request.url.params.multi_items()) == sorted(
        [
            ("query", "The Matrix"),
            ("year", "1999"),
            ("include_adult", "false"),
            ("language", "en-US"),
            ("api_key", KEY),
        ]
    )
    assert "authorization" not in request.headers


async def test_search_without_year_sends_no_year(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    route = api.get("/search/movie").respond(json=load("search_movie_the_matrix_2017.json"))
    await tmdb.search(SearchQuery(MOVIE, "The Matrix"))
    assert set(_params(route)) == {"query", "include_adult", "language", "api_key"}


async def test_search_tv(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    route = api.get("/search/tv").respond(json=load("search_tv_query_game_of_thrones.json"))
    found = await tmdb.search(SearchQuery(SERIES, "Game of Thrones", 2011))
    assert _params(route)["first_air_date_year"] == "2011"
    assert "year" not in _params(route)
    assert _params(route)["query"] == "Game of Thrones"
    first = found[0]
    assert (first.id, first.kind, first.title, first.year) == (
        "1399",
        SERIES,
        "Game of Thrones",
        2011,
    )
    assert first.original_title == "Game of Thrones"
    assert all(c.kind is SERIES and c.provider == "tmdb" for c in found)


async def test_bearer_token_goes_in_the_header_not_the_query(api: respx.MockRouter) -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ0ZXN0In0.c2lnbmF0dXJl"
    route = api.get("/search/movie").respond(json=load("search_movie_the_matrix_2017.json"))
    provider = TmdbProvider(make_settings(api_key=token))
    try:
        await provider.search(SearchQuery(MOVIE, "The Matrix", 1999))
    finally:
        await provider.aclose()
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {token}"
    assert "api_key" not in request.url.params
    assert token not in str(request.url)


async def test_find_movie_by_imdb_id(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    route = api.get("/find/tt0936501").respond(json=load("find_imdb_tt0936501_taken_2017.json"))
    found = await tmdb.find_by_imdb("tt0936501")
    assert _params(route) == {"external_source": "imdb_id", "api_key": KEY}
    assert [(c.id, c.kind, c.title, c.year) for c in found] == [("8681", MOVIE, "Taken", 2008)]


async def test_find_movie_2025_payload(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    api.get("/find/tt31193180").respond(json=load("find_imdb_movie_result.json"))
    found = await tmdb.find_by_imdb("tt31193180")
    assert [(c.id, c.kind, c.title, c.year) for c in found] == [("1233413", MOVIE, "Sinners", 2025)]


async def test_find_series_ignores_episode_hits(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    api.get("/find/tt0348914").respond(json=load("find_imdb_tv_result.json"))
    found = await tmdb.find_by_imdb("tt0348914")
    assert [(c.id, c.kind, c.title, c.year) for c in found] == [("1406", SERIES, "Deadwood", 2004)]


async def test_find_rejects_a_non_imdb_id_without_a_request(tmdb: TmdbProvider) -> None:
    with pytest.raises(NotFound):
        await tmdb.find_by_imdb("../movie/550")
    assert tmdb.requests_made == 0


# --- movie details ---------------------------------------------------------------------------


async def test_fetch_movie_fight_club(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    route = api.get("/movie/550").respond(json=fight_club())
    record = await tmdb.fetch(MOVIE, Ids(tmdb=550))
    assert tmdb.requests_made == 1
    assert _params(route) == {
        "append_to_response": MOVIE_APPEND,
        "language": "en-US",
        "include_image_language": "en,null",
        "api_key": KEY,
    }
    assert MOVIE_APPEND == "credits,images,release_dates,external_ids,keywords,videos"
    f = record.fields
    assert (record.provider, record.kind) == ("tmdb", MOVIE)
    assert record.ids == Ids(tmdb=550, imdb="tt0137523", tvdb=None)
    assert f["title"] == f["original_title"] == "Fight Club"
    assert (f["year"], f["release_date"], f["runtime"]) == (1999, "1999-10-15", 139)
    assert f["content_rating"] == "R"
    assert f["tagline"] == "Mischief. Mayhem. Soap."
    assert f["plot"].startswith("A ticking-time-bomb insomniac")
    assert f["directors"] == ["David Fincher"]
    assert f["writers"] == ["Chuck Palahniuk", "Jim Uhls"]
    assert f["cast"][0] == {"name": "Edward Norton", "character": "Narrator", "order": 0}
    assert f["cast"][1]["name"] == "Brad Pitt"
    assert len(f["cast"]) == 15
    assert [c["order"] for c in f["cast"]] == sorted(c["order"] for c in f["cast"])
    assert f["genres"] == ["Drama"]
    assert f["studios"][:2] == ["Fox 2000 Pictures", "Regency Enterprises"]
    assert f["countries"] == ["Germany", "United States of America"]
    assert f["languages"] == ["English"]
    assert "dual identity" in f["keywords"] and len(f["keywords"]) == 14
    assert f["trailer"] == "https://www.youtube.com/watch?v=dfeUzm6KF4g"
    assert (f["tmdb_rating"], f["tmdb_votes"]) == (8.44, 27917)
    assert (f["tmdb_id"], f["imdb_id"]) == (550, "tt0137523")
    assert f["poster"] == f"{IMAGE_URL}/original/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg"
    assert f["fanart"] == f"{IMAGE_URL}/original/hZkgoQYus5vegHoetLkCJzb17zJ.jpg"
    assert "collection" not in f  # belongs_to_collection is null
    for name in f:
        assert MOVIE in FIELD_BY_NAME[name].kinds, name


async def test_fetch_movie_credits(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    api.get("/movie/550").respond(json=fight_club())
    record = await tmdb.fetch(MOVIE, Ids(tmdb=550))
    by_role: dict[str, list[str]] = {}
    for credit in record.credits:
        by_role.setdefault(credit.role, []).append(credit.name)
    assert by_role["director"] == ["David Fincher"]
    assert by_role["writer"] == ["Chuck Palahniuk", "Jim Uhls"]
    assert len(by_role["actor"]) == 15
    norton = record.credits[0]
    assert (norton.name, norton.character, norton.order, norton.provider_id) == (
        "Edward Norton",
        "Narrator",
        0,
        "819",
    )
    assert norton.image_url == f"{IMAGE_URL}/w185/5XBzD5WuTyVQZeS4VI25z2moMeY.jpg"
    palahniuk = next(c for c in record.credits if c.name == "Chuck Palahniuk")
    assert palahniuk.job == "Novel"


def test_parse_star_wars_2025_trimmed_append() -> None:
    record = TmdbProvider(make_settings()).parse_details(
        MOVIE, load("movie_11_star_wars_append_credits_images_2025__TRIMMED.json")
    )
    f = record.fields
    assert record.ids == Ids(tmdb=11, imdb="tt0076759")
    assert (f["title"], f["year"], f["runtime"]) == ("Star Wars", 1977, 121)
    assert f["collection"] == "Star Wars Collection"
    assert f["cast"][0] == {"name": "Mark Hamill", "character": "Luke Skywalker", "order": 0}
    assert f["genres"] == ["Adventure", "Action", "Science Fiction"]
    # The author trimmed crew to four non-director jobs, and the call had no release_dates.
    assert "directors" not in f and "writers" not in f and "content_rating" not in f


def test_parse_movie_composite_append_all() -> None:
    record = TmdbProvider(make_settings()).parse_details(
        MOVIE, load("movie_12313_details_append_to_response_all__COMPOSITE_EDITED.json")
    )
    f = record.fields
    assert record.ids == Ids(tmdb=12313, imdb="tt0409732")
    assert f["directors"] == ["Joseph Vilsmaier"]
    assert f["writers"] == ["Klaus Richter", "Adalbert Stifter"]
    assert f["keywords"] == ["mountain village"]
    assert f["collection"] == "Kung Fu Panda Collection"
    assert record.alternative_titles == ("Мост",)
    assert "trailer" not in f  # the only video is a Teaser
    assert "content_rating" not in f  # no US release in this fixture


def test_certification_prefers_theatrical_over_earlier_types() -> None:
    body = fight_club()
    body["release_dates"] = {
        "results": [
            {"iso_3166_1": "GB", "release_dates": [{"type": 3, "certification": "18"}]},
            {
                "iso_3166_1": "US",
                "release_dates": [
                    {"type": 1, "certification": "NR"},
                    {"type": 4, "certification": "PG-13"},
                    {"type": 2, "certification": ""},
                    {"type": 3, "certification": "R"},
                ],
            },
        ]
    }
    provider = TmdbProvider(make_settings())
    assert provider.parse_details(MOVIE, body).fields["content_rating"] == "R"
    body["release_dates"]["results"][1]["release_dates"].pop()
    assert provider.parse_details(MOVIE, body).fields["content_rating"] == "NR"


def test_empty_values_are_left_out() -> None:
    body = fight_club()
    body.update(tagline="", runtime=0, imdb_id=None, poster_path=None, overview="  ")
    body["external_ids"]["imdb_id"] = None
    body["videos"] = {"results": []}
    record = TmdbProvider(make_settings()).parse_details(MOVIE, body)
    for name in ("tagline", "runtime", "imdb_id", "poster", "plot", "trailer"):
        assert name not in record.fields, name
    assert record.ids.imdb is None


def test_odd_shapes_become_missing_fields_not_crashes() -> None:
    body = {
        "id": 7,
        "title": "Odd",
        "genres": [1, None, {"name": "Drama"}, {"id": 3}],
        "credits": "oops",
        "release_dates": {"results": "x"},
        "videos": None,
        "spoken_languages": [{"name": "Deutsch"}],
        "vote_average": 7.5,
        "vote_count": 0,
    }
    record = TmdbProvider(make_settings()).parse_details(MOVIE, body)
    assert record.fields == {
        "title": "Odd",
        "genres": ["Drama"],
        "languages": ["Deutsch"],
        "tmdb_id": 7,
        "tmdb_votes": 0,
    }


async def test_details_without_an_id_is_a_bad_response(
    api: respx.MockRouter, tmdb: TmdbProvider
) -> None:
    api.get("/movie/550").respond(json={"title": "Fight Club"})
    with pytest.raises(BadResponse):
        await tmdb.fetch(MOVIE, Ids(tmdb=550))


# --- series ----------------------------------------------------------------------------------


async def test_fetch_series_game_of_thrones(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    route = api.get("/tv/1399").respond(json=game_of_thrones())
    record = await tmdb.fetch(SERIES, Ids(tmdb=1399))
    assert _params(route)["append_to_response"] == TV_APPEND
    f = record.fields
    assert record.ids == Ids(tmdb=1399, imdb="tt0944947", tvdb=121361)
    assert (f["title"], f["year"], f["release_date"]) == ("Game of Thrones", 2011, "2011-04-17")
    assert f["content_rating"] == "TV-MA"
    assert f["tvdb_id"] == 121361
    assert f["creators"] == ["David Benioff", "D.B. Weiss"]
    assert f["networks"] == ["HBO"]
    assert f["runtime"] == 80  # episode_run_time is [] -> last_episode_to_air.runtime
    assert f["status"] == "Ended"
    assert f["countries"] == ["US"]
    assert f["cast"][0] == {"name": "Peter Dinklage", "character": "Tyrion Lannister", "order": 0}
    assert record.seasons == (0, 1, 2, 3, 4, 5, 6, 7, 8)
    assert "directors" not in f and "collection" not in f
    creators = [c for c in record.credits if c.role == "creator"]
    assert [(c.name, c.provider_id) for c in creators] == [
        ("David Benioff", "9813"),
        ("D.B. Weiss", "228068"),
    ]
    for name in f:
        assert SERIES in FIELD_BY_NAME[name].kinds, name


def test_parse_series_composite_append_all() -> None:
    """Shape only: this hand-assembled fixture carries Halo's ids and a placeholder rating."""
    record = TmdbProvider(make_settings()).parse_details(
        SERIES, load("tv_1399_details_append_to_response_all__COMPOSITE_EDITED.json")
    )
    f = record.fields
    assert (f["content_rating"], f["tvdb_id"], f["runtime"]) == ("TV-14", 366524, 60)
    assert f["trailer"] == "https://www.youtube.com/watch?v=b4doITNi2RE"
    assert f["keywords"][:2] == ["space travel", "alien"]
    assert "Halo the Series" in record.alternative_titles
    assert f["creators"] == ["David Benioff", "D.B. Weiss"]


async def test_fetch_season_one(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    api.get("/tv/1399/season/1").respond(json=load("tv_1399_season_1.json"))
    episodes = await tmdb.fetch_season(Ids(tmdb=1399), 1)
    assert len(episodes) == 10
    assert [e.episode for e in episodes] == list(range(1, 11))
    assert {e.season for e in episodes} == {1}
    assert episodes[0].fields["title"] == "Winter Is Coming"
    assert episodes[9].fields["title"] == "Fire and Blood"
    first = episodes[0]
    assert first.ids == Ids(tmdb=63056)
    assert first.fields["directors"] == ["Timothy Van Patten"]
    assert first.fields["writers"] == ["David Benioff", "D.B. Weiss"]
    assert (first.fields["release_date"], first.fields["runtime"]) == ("2011-04-17", 62)
    assert first.fields["thumb"] == f"{IMAGE_URL}/original/9hGF3WUkBf7cSjMg0cdMDHJkByd.jpg"
    assert (first.fields["tmdb_rating"], first.fields["tmdb_votes"]) == (7.86, 307)


async def test_season_without_episodes_is_a_bad_response(
    api: respx.MockRouter, tmdb: TmdbProvider
) -> None:
    api.get("/tv/1399/season/1").respond(json={"id": 3624, "name": "Season 1"})
    with pytest.raises(BadResponse):
        await tmdb.fetch_season(Ids(tmdb=1399), 1)


async def test_image_sizes_are_fetched_once(api: respx.MockRouter, tmdb: TmdbProvider) -> None:
    route = api.get("/configuration").respond(json=load("configuration.json"))
    sizes = await tmdb.image_sizes()
    again = await tmdb.image_sizes()
    assert sizes is again
    assert route.call_count == 1 and tmdb.requests_made == 1
    assert sizes["poster"] == ("w92", "w154", "w185", "w342", "w500", "w780", "original")
    assert sizes["profile"] == ("w45", "w185", "h632", "original")
