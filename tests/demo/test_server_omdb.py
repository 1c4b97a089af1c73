"""The catalog server answers OMDb (`/omdb/?apikey=...`) with OMDb's real shapes and errors."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from matinee.demo.catalog import Catalog
from matinee.demo.omdb_data import first_sentence
from matinee.demo.server import CatalogServer

from .conftest import API_KEY, call, saved

COMMAS = re.compile(r"^\d{1,3}(,\d{3})*$")
AWARDS = re.compile(
    r"^(N/A"
    r"|(Won|Nominated for) \d+ Oscars?\. Another \d+ wins? & \d+ nominations?\."
    r"|(Won|Nominated for) \d+ Oscars?\. \d+ wins? & \d+ nominations? total"
    r"|\d+ wins? & \d+ nominations?\.?"
    r"|\d+ nominations?\.?)$"
)


def saved_errors() -> dict[str, Any]:
    """The real OMDb error bodies, by their `Error` text."""
    quoted = saved("omdb", "errors_quoted_in_issue_threads.json")["errors"]
    return {entry["body"]["Error"]: entry["body"] for entry in quoted}


def omdb(server: CatalogServer, **params: str) -> tuple[int, Any]:
    query = "&".join(f"{key}={value}" for key, value in {"apikey": API_KEY, **params}.items())
    status, _, body = call(server, f"/omdb/?{query}")
    return status, body


def test_by_id_has_the_real_movie_shape_and_the_catalogs_values(
    server: CatalogServer, catalog: Catalog
) -> None:
    status, body = omdb(server, i="tt0137523", plot="full")
    real = saved("omdb", "by_id_tt3896198_guardians2_2018.json")
    assert status == 200
    assert list(body) == list(real)  # same keys, in OMDb's order
    assert all(isinstance(value, str) for key, value in body.items() if key != "Ratings")
    movie = catalog.movies[550]
    assert body["Title"] == "Fight Club" and body["Year"] == "1999"
    assert body["imdbID"] == "tt0137523" and body["Type"] == "movie"
    assert body["Response"] == "True"
    assert body["Released"] == "15 Oct 1999" and body["Runtime"] == "139 min"
    assert body["Rated"] == movie["certification"]
    assert body["Plot"] == movie["overview"]
    directors = [m["name"] for m in movie["crew"] if m["job"] == "Director"]
    assert body["Director"] == ", ".join(directors)
    assert body["Actors"] == ", ".join(m["name"] for m in movie["cast"][:4])
    assert abs(float(body["imdbRating"]) - movie["vote_average"]) <= 0.5
    assert COMMAS.match(body["imdbVotes"])
    votes = int(body["imdbVotes"].replace(",", ""))
    assert 40 * movie["vote_count"] <= votes <= 160 * movie["vote_count"]
    assert AWARDS.match(body["Awards"]), body["Awards"]


def test_ratings_list_agrees_with_the_flat_fields(server: CatalogServer) -> None:
    _, body = omdb(server, i="tt0137523")
    real_sources = [
        r["Source"] for r in saved("omdb", "title_t_black_panther_2018.json")["Ratings"]
    ]
    sources = [rating["Source"] for rating in body["Ratings"]]
    assert sources == [s for s in real_sources if s in sources]
    assert sources[0] == "Internet Movie Database"
    by_source = {rating["Source"]: rating["Value"] for rating in body["Ratings"]}
    assert by_source["Internet Movie Database"] == f"{body['imdbRating']}/10"
    if "Metacritic" in by_source:
        assert by_source["Metacritic"] == f"{body['Metascore']}/100"
    else:
        assert body["Metascore"] == "N/A"
    if "Rotten Tomatoes" in by_source:
        assert re.match(r"^\d{1,3}%$", by_source["Rotten Tomatoes"])


def test_short_plot_is_the_first_sentence(server: CatalogServer, catalog: Catalog) -> None:
    _, short = omdb(server, i="tt0137523", plot="short")
    _, default = omdb(server, i="tt0137523")
    overview = catalog.movies[550]["overview"]
    assert short["Plot"] == default["Plot"] == first_sentence(overview)
    assert short["Plot"].endswith(".") and len(short["Plot"]) < len(overview)
    assert overview.startswith(short["Plot"])


def test_series_have_the_real_series_shape(server: CatalogServer) -> None:
    status, body = omdb(server, i="tt0903747", type="series")
    real = saved("omdb", "title_t_inhumans_series.json")
    assert status == 200
    assert set(body) == set(real)
    assert not {"DVD", "BoxOffice", "Production", "Website"} & set(body)
    assert body["Type"] == "series" and body["Title"] == "Breaking Bad"
    assert body["totalSeasons"] == "2" and body["Rated"] == "TV-MA"
    assert re.match(r"^\d{4}–\d{4}$", body["Year"])  # an ended series: EN DASH range
    _, running = omdb(server, t="Stranger Things", type="series")
    assert running["Year"] == "2016–"  # still running: open range


def test_title_lookup_takes_the_best_known_title_unless_a_year_is_given(
    server: CatalogServer,
) -> None:
    assert omdb(server, t="Psycho")[1]["imdbID"] == "tt0054215"  # 1960, most votes
    assert omdb(server, t="psycho", y="1998")[1]["imdbID"] == "tt0155975"
    assert omdb(server, t="The Matrix", type="movie")[1]["imdbID"] == "tt0133093"
    assert omdb(server, t="Breaking Bad")[1]["Type"] == "series"


def test_not_found_errors_are_http_200_bodies(server: CatalogServer) -> None:
    errors = saved_errors()
    assert omdb(server, i="tt9999999") == (200, errors["Incorrect IMDb ID."])
    assert omdb(server, i="nonsense") == (200, errors["Incorrect IMDb ID."])
    assert omdb(server, t="No Such Film At All") == (200, errors["Movie not found!"])
    assert omdb(server, t="Psycho", y="2005") == (200, errors["Movie not found!"])
    assert omdb(server, t="Fight Club", type="series") == (
        200,
        {"Response": "False", "Error": "Series not found!"},
    )


def test_key_errors_are_401_with_omdbs_bodies(server: CatalogServer) -> None:
    errors = saved_errors()
    status, _, body = call(server, "/omdb/?i=tt0137523")
    assert (status, body) == (401, errors["No API key provided."])
    status, _, body = call(server, "/omdb/?apikey=wrong&i=tt0137523")
    assert (status, body) == (401, errors["Invalid API key!"])


def test_search_lists_ten_per_page_with_a_string_total(server: CatalogServer) -> None:
    status, body = omdb(server, s="the")
    real = saved("omdb", "search_s_batman_2025.json")
    assert status == 200 and set(body) == set(real)
    assert len(body["Search"]) == 10 and isinstance(body["totalResults"], str)
    assert set(body["Search"][0]) == set(real["Search"][0])
    last_page = str(-(-int(body["totalResults"]) // 10))
    _, last = omdb(server, s="the", page=last_page)
    assert 1 <= len(last["Search"]) <= 10
    assert omdb(server, s="zzzz nothing")[1] == {"Response": "False", "Error": "Movie not found!"}


def test_generated_values_are_deterministic_and_realistically_patchy(catalog: Catalog) -> None:
    first = CatalogServer(catalog)
    second = CatalogServer(catalog)
    bodies = [omdb(first, i=movie["imdb_id"])[1] for movie in catalog.movies.values()]
    assert bodies == [omdb(second, i=movie["imdb_id"])[1] for movie in catalog.movies.values()]
    count = len(bodies)
    no_rt = sum(all(r["Source"] != "Rotten Tomatoes" for r in b["Ratings"]) for b in bodies)
    no_meta = sum(b["Metascore"] == "N/A" for b in bodies)
    no_awards = sum(b["Awards"] == "N/A" for b in bodies)
    assert 0.05 * count <= no_rt <= 0.16 * count
    assert 0.09 * count <= no_meta <= 0.22 * count
    assert 1 <= no_awards <= 0.12 * count
    assert all(AWARDS.match(b["Awards"]) for b in bodies)
    assert any("Oscar" in b["Awards"] for b in bodies)
    assert any(b["Awards"].endswith("total") for b in bodies)
    ratings = [float(b["imdbRating"]) for b in bodies]
    averages = [movie["vote_average"] for movie in catalog.movies.values()]
    assert max(abs(a - b) for a, b in zip(ratings, averages, strict=True)) <= 0.5


@pytest.mark.parametrize("path", ["/", ""])
def test_over_http_with_the_clients_base_url(server: CatalogServer, path: str) -> None:
    url = server.omdb_base_url + path
    response = httpx.get(url, params={"apikey": API_KEY, "i": "tt0133093"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["Title"] == "The Matrix"
    poster = httpx.get(body["Poster"])  # OMDb posters are 300 px wide
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
