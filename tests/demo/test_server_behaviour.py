"""The catalog server's behaviour: matching, paging, auth, errors, rate limit, log, overrides."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from matinee.demo.catalog import load_catalog
from matinee.demo.server import CatalogServer

from .conftest import API_KEY, real


def ids(api: httpx.Client, query: str, **params: int) -> list[int]:
    body = api.get("/search/movie", params={"query": query, **params}).json()
    return [hit["id"] for hit in body["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("the matrix", 603),
        ("THE MATRIX!", 603),
        ("the matirx", 603),  # a typo still matches (token_set_ratio >= 80)
        ("terminator 2 judgment day", 280),  # punctuation dropped
        ("la vita e bella", 637),  # original title, accents folded
        ("schindlers list", 424),  # apostrophe dropped
    ],
)
def test_search_matching_is_realistically_fuzzy(
    api: httpx.Client, query: str, expected: int
) -> None:
    assert expected in ids(api, query)


def test_search_year_filters_and_bare_remake_titles_are_ambiguous(api: httpx.Client) -> None:
    assert ids(api, "Psycho") == [539, 11252]  # by popularity
    assert ids(api, "Psycho", year=1998) == [11252]
    assert ids(api, "Psycho", primary_release_year=1960) == [539]
    assert ids(api, "Psycho", year=2005) == []
    assert ids(api, "zzzz nothing like this") == []


def test_search_pages_by_twenty(api: httpx.Client) -> None:
    first = api.get("/search/movie", params={"query": "the"}).json()
    assert len(first["results"]) == 20
    assert first["total_pages"] == -(-first["total_results"] // 20)
    last = api.get("/search/movie", params={"query": "the", "page": first["total_pages"]}).json()
    assert len(last["results"]) == first["total_results"] - 20 * (first["total_pages"] - 1)
    popularity = [hit["popularity"] for hit in first["results"]]
    assert popularity == sorted(popularity, reverse=True)


def test_search_without_query_is_a_validation_error(api: httpx.Client) -> None:
    response = api.get("/search/movie", params={"query": ""})
    assert response.status_code == 422
    assert response.json() == real("error_422_validation.json")


def test_bad_page_and_too_many_appends(api: httpx.Client) -> None:
    page = api.get("/search/movie", params={"query": "heat", "page": 0})
    assert page.status_code == 400 and page.json()["status_code"] == 22
    appends = ",".join(["credits"] * 21)
    many = api.get("/movie/550", params={"append_to_response": appends})
    assert many.status_code == 400 and many.json()["status_code"] == 27


def test_unknown_id_is_tmdbs_404(api: httpx.Client) -> None:
    saved = real("error_404_resource_not_found.json")
    for path in ("/movie/1", "/tv/1", "/tv/1396/season/9", "/no/such/endpoint"):
        response = api.get(path)
        assert response.status_code == 404, path
        body = response.json()
        assert body["status_code"] == saved["status_code"] == 34
        assert body["status_message"] == saved["status_message"]
        assert body["success"] is False


def test_auth_failures_answer_tmdbs_401(server: CatalogServer) -> None:
    saved = real("error_401_invalid_api_key.json")
    url = f"{server.tmdb_base_url}/movie/550"
    for response in (
        httpx.get(url),
        httpx.get(url, params={"api_key": "wrong"}),
        httpx.get(url, headers={"Authorization": "Bearer wrong"}),
    ):
        assert response.status_code == 401
        assert response.json() == saved
    assert httpx.get(url, headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200


def test_request_log_records_method_path_and_masked_query(server: CatalogServer) -> None:
    server.clear_requests()
    url = f"{server.tmdb_base_url}/search/movie"
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda q: httpx.get(url, params={"query": q, "api_key": API_KEY}),
                      [f"heat {n}" for n in range(16)]))  # fmt: skip
    assert server.request_count == 16
    assert server.statuses == [200] * 16
    method, path, query = server.requests[0]
    assert (method, path) == ("GET", "/tmdb/3/search/movie")
    assert query["api_key"] == "****"
    assert sorted(q["query"] for _, _, q in server.requests) == sorted(
        f"heat {n}" for n in range(16)
    )


def test_rate_limit_answers_429_with_retry_after() -> None:
    now = [100.0]
    with (
        CatalogServer(load_catalog(), rate_limit_per_second=3, clock=lambda: now[0]) as server,
        httpx.Client(base_url=server.tmdb_base_url, params={"api_key": API_KEY}) as api,
    ):
        codes = [api.get("/configuration").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = api.get("/configuration")
        assert limited.headers["retry-after"] == "1"
        body = limited.json()
        assert body["status_code"] == 25 and body["success"] is False
        assert body["status_message"].startswith("Your request count (5) is over")
        assert body["status_message"].endswith("allowed limit of 3.")
        image = server.catalog.movies[550]["poster_path"]
        assert httpx.get(f"{server.tmdb_image_base_url}/w92{image}").status_code == 200
        now[0] += 1.0
        assert api.get("/configuration").status_code == 200


def test_offline_switch_answers_503(fresh_server: CatalogServer) -> None:
    fresh_server.offline = True
    response = httpx.get(f"{fresh_server.tmdb_base_url}/configuration", params={"api_key": API_KEY})
    assert response.status_code == 503 and response.json()["status_code"] == 9


def test_override_changes_the_served_value(fresh_server: CatalogServer) -> None:
    url = f"{fresh_server.tmdb_base_url}/movie/550"
    params = {"api_key": API_KEY, "append_to_response": "release_dates"}
    before = httpx.get(url, params=params).json()
    fresh_server.catalog.override("movie", 550, "overview", "A new plot.")
    fresh_server.catalog.override("movie", 550, "certification", "NC-17")
    after = httpx.get(url, params=params).json()
    assert before["overview"] != "A new plot."
    assert after["overview"] == "A new plot."
    us = next(r for r in after["release_dates"]["results"] if r["iso_3166_1"] == "US")
    assert {d["certification"] for d in us["release_dates"] if d["type"] == 3} == {"NC-17"}


def test_image_language_filter(api: httpx.Client) -> None:
    every = api.get("/movie/550/images").json()
    english = api.get(
        "/movie/550/images", params={"language": "en-US", "include_image_language": "en,null"}
    ).json()
    languages = {entry["iso_639_1"] for entry in english["posters"]}
    assert languages <= {"en", None} and "en" in languages
    assert len(english["posters"]) < len(every["posters"])
