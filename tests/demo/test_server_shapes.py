"""The catalog server answers TMDB v3 endpoints with the real response shapes.

Every check compares key sets with a saved real payload in tests/fixtures/tmdb: what TMDB sends,
the demo sends too (extra keys seen in newer responses are allowed).
"""

from __future__ import annotations

from typing import Any

import httpx

from matinee.demo.server import CatalogServer

from .conftest import real

ALL_MOVIE_APPENDS = "credits,images,release_dates,external_ids,keywords,videos"


def keys(record: dict[str, Any]) -> set[str]:
    return set(record)


def test_movie_details_have_every_real_top_level_key(api: httpx.Client) -> None:
    body = api.get("/movie/550").json()
    assert keys(real("movie_550_fight_club_details.json")) <= keys(body)
    assert body["id"] == 550
    assert body["imdb_id"] == "tt0137523"
    assert body["runtime"] == 139
    assert not set(ALL_MOVIE_APPENDS.split(",")) & keys(body)  # nothing appended unasked
    company = body["production_companies"][0]
    assert keys(real("movie_550_fight_club_details.json")["production_companies"][0]) == keys(
        company
    )


def test_appended_parts_match_standalone_bodies_without_id(api: httpx.Client) -> None:
    body = api.get("/movie/550", params={"append_to_response": ALL_MOVIE_APPENDS}).json()
    for name in ALL_MOVIE_APPENDS.split(","):
        standalone = real(f"movie_550_fight_club_{name}.json")
        assert keys(body[name]) == keys(standalone) - {"id"}, name
    credits = real("movie_550_fight_club_credits.json")
    assert keys(credits["cast"][0]) <= keys(body["credits"]["cast"][0])
    assert keys(credits["crew"][0]) <= keys(body["credits"]["crew"][0])
    images = real("movie_550_fight_club_images.json")
    for kind in ("backdrops", "logos", "posters"):
        assert keys(images[kind][0]) <= keys(body["images"][kind][0])
    dates = real("movie_550_fight_club_release_dates.json")["results"][0]
    assert keys(dates) == keys(body["release_dates"]["results"][0])
    assert keys(dates["release_dates"][0]) == keys(
        body["release_dates"]["results"][0]["release_dates"][0]
    )
    video = real("movie_550_fight_club_videos.json")["results"][0]
    assert keys(video) == keys(body["videos"]["results"][0])
    keyword = real("movie_550_fight_club_keywords.json")["keywords"][0]
    assert keys(keyword) == keys(body["keywords"]["keywords"][0])


def test_us_certification_sits_where_clients_look(api: httpx.Client, server: CatalogServer) -> None:
    body = api.get("/movie/603", params={"append_to_response": "release_dates"}).json()
    us = next(r for r in body["release_dates"]["results"] if r["iso_3166_1"] == "US")
    theatrical = next(d for d in us["release_dates"] if d["type"] == 3)
    assert theatrical["certification"] == server.catalog.movies[603]["certification"]
    assert theatrical["release_date"].startswith("1999-03-30T")


def test_standalone_sub_resources_carry_their_id(api: httpx.Client) -> None:
    body = api.get("/movie/550/credits").json()
    assert keys(body) == keys(real("movie_550_fight_club_credits.json"))
    assert body["id"] == 550


def test_search_movie_envelope_and_result_shape(api: httpx.Client) -> None:
    saved = real("search_movie_the_matrix_2017.json")
    body = api.get("/search/movie", params={"query": "The Matrix", "year": 1999}).json()
    assert keys(body) == keys(saved)
    assert [hit["id"] for hit in body["results"]] == [603]
    assert keys(saved["results"][0]) <= keys(body["results"][0])
    assert body["total_results"] == 1 and body["total_pages"] == 1 and body["page"] == 1


def test_search_tv_shape(api: httpx.Client) -> None:
    saved = real("search_tv_query_game_of_thrones.json")
    body = api.get("/search/tv", params={"query": "game of thrones"}).json()
    assert keys(body) == keys(saved)
    assert body["results"][0]["id"] == 1399
    assert keys(saved["results"][0]) <= keys(body["results"][0])
    dated = api.get("/search/tv", params={"query": "Dark", "first_air_date_year": 2017}).json()
    assert [hit["id"] for hit in dated["results"]] == [70523]


def test_tv_details_with_appends(api: httpx.Client) -> None:
    appends = "external_ids,content_ratings,credits,images,keywords,videos"
    body = api.get("/tv/1396", params={"append_to_response": appends}).json()
    saved = real("tv_1399_game_of_thrones_details.json")
    assert keys(saved) <= keys(body)
    assert keys(saved["seasons"][1]) <= keys(body["seasons"][0])
    assert keys(saved["last_episode_to_air"]) <= keys(body["last_episode_to_air"])
    assert keys(saved["created_by"][0]) <= keys(body["created_by"][0])
    assert keys(saved["networks"][0]) <= keys(body["networks"][0])
    assert keys(body["external_ids"]) == keys(real("tv_1399_external_ids.json")) - {"id"}
    assert body["external_ids"]["tvdb_id"] == 81189
    ratings = real("tv_1399_content_ratings.json")
    assert keys(body["content_ratings"]) == keys(ratings) - {"id"}
    assert keys(ratings["results"][0]) == keys(body["content_ratings"]["results"][0])
    us = [r["rating"] for r in body["content_ratings"]["results"] if r["iso_3166_1"] == "US"]
    assert us == ["TV-MA"]
    credits = real("tv_1399_credits.json")
    assert keys(credits["cast"][0]) == keys(body["credits"]["cast"][0])
    assert set(body["keywords"]) == {"results"}  # TV keywords live under `results`
    assert body["number_of_seasons"] == 2 and body["number_of_episodes"] == 20


def test_season_and_episode_shapes(api: httpx.Client) -> None:
    saved = real("tv_1399_season_1.json")
    body = api.get("/tv/1399/season/1").json()
    assert keys(saved) == keys(body)
    assert [e["name"] for e in body["episodes"]][:2] == ["Winter Is Coming", "The Kingsroad"]
    assert keys(saved["episodes"][0]) <= keys(body["episodes"][0])
    assert keys(saved["episodes"][0]["crew"][0]) <= keys(body["episodes"][0]["crew"][0])
    guest = saved["episodes"][0]["guest_stars"][0]
    assert keys(guest) <= keys(body["episodes"][0]["guest_stars"][0])
    episode = api.get("/tv/1399/season/1/episode/1").json()
    assert keys(real("tv_1399_s01e01.json")) <= keys(episode)
    assert episode["name"] == "Winter Is Coming"


def test_find_by_imdb_id(api: httpx.Client) -> None:
    saved = real("find_imdb_movie_result.json")
    body = api.get("/find/tt0133093", params={"external_source": "imdb_id"}).json()
    assert keys(saved) == keys(body)
    assert keys(saved["movie_results"][0]) <= keys(body["movie_results"][0])
    assert body["movie_results"][0]["id"] == 603
    assert body["movie_results"][0]["media_type"] == "movie"
    tv = api.get("/find/tt0903747", params={"external_source": "imdb_id"}).json()
    saved_tv = real("find_imdb_tv_result.json")["tv_results"][0]
    assert keys(saved_tv) <= keys(tv["tv_results"][0])
    assert tv["tv_results"][0]["id"] == 1396 and tv["movie_results"] == []
    by_tvdb = api.get("/find/81189", params={"external_source": "tvdb_id"}).json()
    assert [hit["id"] for hit in by_tvdb["tv_results"]] == [1396]
    none = api.get("/find/tt0000001", params={"external_source": "imdb_id"}).json()
    assert all(value == [] for value in none.values())


def test_configuration_matches_the_real_one_but_points_here(
    api: httpx.Client, server: CatalogServer
) -> None:
    saved = real("configuration.json")
    body = api.get("/configuration").json()
    assert body["change_keys"] == saved["change_keys"]
    for name, sizes in saved["images"].items():
        if name.endswith("sizes"):
            assert body["images"][name] == sizes
    assert body["images"]["base_url"] == f"{server.base_url}/tmdb-images/t/p/"
    assert body["images"]["secure_base_url"] == body["images"]["base_url"]
