"""The catalog server answers fanart.tv v3 (`/fanart/v3`) in the real shapes and serves the art."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image

from matinee.demo.catalog import Catalog
from matinee.demo.server import CatalogServer

from .conftest import API_KEY, call, saved

MOVIE_ART = {"hdmovielogo", "hdmovieclearart", "moviedisc", "movieposter", "movieart",
             "movielogo", "moviethumb", "moviebackground", "moviebanner"}  # fmt: skip
TV_ART = {"hdtvlogo", "hdclearart", "clearlogo", "clearart", "tvposter", "showbackground",
          "tvthumb", "tvbanner", "characterart", "seasonposter", "seasonthumb",
          "seasonbanner"}  # fmt: skip
SIZES = {
    "movieposter": (1000, 1426, "JPEG"),
    "moviebackground": (1920, 1080, "JPEG"),
    "hdmovielogo": (800, 310, "PNG"),
    "hdmovieclearart": (1000, 562, "PNG"),
    "moviedisc": (1000, 1000, "PNG"),
    "moviebanner": (1000, 185, "JPEG"),
    "moviethumb": (1000, 562, "JPEG"),
}


def fanart(server: CatalogServer, path: str, **params: str) -> tuple[int, Any]:
    query = "&".join(f"{key}={value}" for key, value in {"api_key": API_KEY, **params}.items())
    status, _, body = call(server, f"/fanart/v3{path}?{query}")
    return status, body


def items(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for value in body.values() if isinstance(value, list) for item in value]


def movie_with_art(server: CatalogServer, catalog: Catalog, *kinds: str) -> dict[str, Any]:
    for movie_id in sorted(catalog.movies):
        status, body = fanart(server, f"/movies/{movie_id}")
        if status == 200 and all(kind in body for kind in kinds):
            return dict(body)
    raise AssertionError(f"no movie has {kinds}")


def test_movie_art_has_the_real_v3_shape(server: CatalogServer, catalog: Catalog) -> None:
    real = saved("fanart", "movies_70160_the_hunger_games_v3.json")
    body = movie_with_art(server, catalog, "moviedisc", "moviebanner")
    assert list(body)[:3] == list(real)[:3] == ["name", "tmdb_id", "imdb_id"]
    movie = catalog.movies[int(body["tmdb_id"])]
    assert body["name"] == movie["title"] and body["imdb_id"] == movie["imdb_id"]
    assert set(body) - {"name", "tmdb_id", "imdb_id"} <= MOVIE_ART
    assert {"movieposter", "moviebackground", "hdmovielogo"} <= set(body)
    for item in items(body):
        assert set(real["movieposter"][0]) <= set(item)
        assert all(isinstance(value, str) for value in item.values())
        assert item["id"].isdigit() and item["likes"].isdigit()
    assert set(real["moviedisc"][0]) == set(body["moviedisc"][0])
    assert {d["disc_type"] for d in body["moviedisc"]} <= {"bluray", "dvd"}
    for kind in body:
        if kind in MOVIE_ART:
            likes = [int(item["likes"]) for item in body[kind]]
            assert likes == sorted(likes, reverse=True)  # best-liked first
            assert all(f"/fanart/movies/{body['tmdb_id']}/{kind}/" in i["url"] for i in body[kind])
    langs = {item["lang"] for item in items(body)}
    assert langs <= {"", "00", "en", "de", "fr", "es", "it", "pt", "ru"}


def test_movie_by_imdb_id_is_the_same_answer(server: CatalogServer, catalog: Catalog) -> None:
    body = movie_with_art(server, catalog)
    assert fanart(server, f"/movies/{body['imdb_id']}") == (200, body)


def test_a_deterministic_share_of_movies_has_no_art(
    server: CatalogServer, catalog: Catalog
) -> None:
    answers = [fanart(server, f"/movies/{movie_id}") for movie_id in sorted(catalog.movies)]
    missing = [body for status, body in answers if status == 404]
    assert 0.10 * len(answers) <= len(missing) <= 0.20 * len(answers)
    assert all(body == {"status": "error", "error message": "Not found"} for body in missing)
    again = CatalogServer(catalog)  # not started: same art, URLs without a host
    for movie_id, (status, body) in zip(sorted(catalog.movies), answers, strict=True):
        status_again, body_again = fanart(again, f"/movies/{movie_id}")
        assert status_again == status
        assert [i["id"] for i in items(body)] == [i["id"] for i in items(body_again)]
    assert fanart(server, "/movies/1")[0] == 404
    assert fanart(server, "/movies/tt0000001")[0] == 404


def test_tv_art_has_the_real_v3_shape(server: CatalogServer, catalog: Catalog) -> None:
    real = saved("fanart", "tv_79349_dexter_v3.json")
    status, body = fanart(server, "/tv/81189")
    assert status == 200
    assert list(body)[:2] == list(real)[:2] == ["name", "thetvdb_id"]
    assert body["name"] == "Breaking Bad" and body["thetvdb_id"] == "81189"
    assert set(body) - {"name", "thetvdb_id"} <= TV_ART
    expected = {"tvposter", "showbackground", "hdtvlogo", "hdclearart", "tvbanner", "tvthumb",
                "seasonposter"}  # fmt: skip
    assert expected <= set(body)
    assert set(real["seasonposter"][0]) == set(body["seasonposter"][0])
    seasons = {str(s["season_number"]) for s in catalog.series[1396]["seasons"]}
    assert {item["season"] for item in body["seasonposter"]} <= seasons
    backgrounds = [item["season"] for item in body["showbackground"]]
    assert all(season == "all" or season in seasons for season in backgrounds)
    assert fanart(server, "/tv/1") == (404, {"status": "error", "error message": "Not found"})


def test_key_errors_are_401_with_fanarts_body(server: CatalogServer) -> None:
    saved_body = saved("fanart", "errors_quoted_in_issue_threads.json")["errors"][0]["body"]
    status, _, body = call(server, "/fanart/v3/movies/603")
    assert (status, body) == (401, saved_body)  # "API key is required"
    status, _, body = call(server, "/fanart/v3/movies/603?api_key=wrong")
    assert (status, body) == (401, {"status": "error", "error message": "Invalid API key"})
    status, _, body = call(server, "/fanart/v3/movies/603", {"api-key": API_KEY})
    assert status == 200 and body["tmdb_id"] == "603"
    status, _, _ = call(server, f"/fanart/v3/movies/603?api_key={API_KEY}&client_key=mine")
    assert status == 200


def test_assets_and_previews_are_served_at_plausible_sizes(
    server: CatalogServer, catalog: Catalog
) -> None:
    body = movie_with_art(server, catalog, *SIZES)
    with httpx.Client() as client:
        for kind, (width, height, fmt) in SIZES.items():
            url = body[kind][0]["url"]
            assert url.startswith(server.fanart_assets_base_url + "/fanart/movies/")
            response = client.get(url)
            assert response.status_code == 200, url
            image = Image.open(io.BytesIO(response.content))
            assert (image.size, image.format) == ((width, height), fmt), kind
            preview = client.get(url.replace("/fanart/", "/preview/", 1))
            small = Image.open(io.BytesIO(preview.content))
            assert small.width == 200 and small.format == fmt
            assert abs(small.height - round(200 * height / width)) <= 1
        assert (
            client.get(server.fanart_assets_base_url + "/fanart/movies/1/x/y.png").status_code
            == 404
        )


def test_tv_assets_are_served(server: CatalogServer) -> None:
    _, body = fanart(server, "/tv/305288")
    response = httpx.get(body["hdtvlogo"][0]["url"])
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (800, 310)
    poster = httpx.get(body["seasonposter"][0]["url"].replace("/fanart/", "/preview/", 1))
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
