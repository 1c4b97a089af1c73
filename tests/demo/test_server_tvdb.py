"""The catalog server answers TheTVDB v4 (`/tvdb/v4`) with the swagger's shapes, auth and paging.

Key sets are compared with the hand-built spec fixtures in tests/fixtures/tvdb (they follow
`OFFICIAL_swagger_v4.yml`): what those carry, the demo carries too.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from matinee.demo.catalog import Catalog
from matinee.demo.server import CatalogServer

from .conftest import API_KEY, call, saved

BREAKING_BAD = 81189


@pytest.fixture(scope="module")
def tvdb(catalog: Catalog) -> Iterator[CatalogServer]:
    """A running server with TheTVDB pages of 10 episodes, so paging shows."""
    with CatalogServer(catalog, tvdb_page_size=10) as running:
        yield running


@pytest.fixture(scope="module")
def auth(tvdb: CatalogServer) -> dict[str, str]:
    status, _, body = call(
        tvdb, "/tvdb/v4/login", body=json.dumps({"apikey": API_KEY}).encode(), method="POST"
    )
    assert status == 200
    return {"authorization": f"Bearer {body['data']['token']}"}


def get(server: CatalogServer, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    status, _, body = call(server, "/tvdb/v4" + path, headers)
    return status, body


def union_keys(records: list[dict[str, Any]]) -> set[str]:
    return set().union(*(set(record) for record in records))


def test_login_issues_a_token_and_refuses_a_bad_key(tvdb: CatalogServer) -> None:
    real = saved("tvdb", "login_200.json")
    status, _, body = call(tvdb, "/tvdb/v4/login", body=b'{"apikey":"demo-key","pin":"1234"}',
                           method="POST")  # fmt: skip
    assert status == 200 and set(body) == set(real) and set(body["data"]) == {"token"}
    assert body["status"] == "success" and len(body["data"]["token"]) > 40
    status, _, body = call(tvdb, "/tvdb/v4/login", body=b'{"apikey":"nope"}', method="POST")
    assert (status, body) == (401, {"status": "failure", "message": "InvalidAPIKey", "data": None})
    status, _, body = call(tvdb, "/tvdb/v4/login", body=b"{not json", method="POST")
    assert status == 400 and body["status"] == "failure"


def test_every_other_call_needs_a_bearer_token(tvdb: CatalogServer) -> None:
    failure = {"status": "failure", "message": "Unauthorized", "data": None}
    path = f"/series/{BREAKING_BAD}/extended"
    assert get(tvdb, path, {}) == (401, failure)
    assert get(tvdb, path, {"authorization": "Bearer made-up"}) == (401, failure)
    assert get(tvdb, path, {"authorization": f"Bearer {API_KEY}"}) == (401, failure)


def test_search_returns_search_results_with_string_ids(
    tvdb: CatalogServer, auth: dict[str, str]
) -> None:
    real = saved("tvdb", "search_series_la_casa_de_papel.json")
    status, body = get(tvdb, "/search?query=breaking%20bad&type=series", auth)
    assert status == 200 and body["status"] == "success"
    assert set(real["links"]) <= set(body["links"])
    hit = body["data"][0]
    assert set(real["data"][0]) <= set(hit)
    assert hit["tvdb_id"] == str(BREAKING_BAD) and hit["id"] == f"series-{BREAKING_BAD}"
    assert hit["name"] == "Breaking Bad" and hit["year"] == "2008"
    assert hit["primary_language"] == "eng" and hit["country"] == "usa"
    assert {"id": "tt0903747", "type": 2, "sourceName": "IMDB"} in hit["remote_ids"]
    assert hit["image_url"].startswith(tvdb.tvdb_image_base_url + "/banners/")
    assert get(tvdb, "/search?query=breaking%20bad&year=2008", auth)[1]["data"][0] == hit
    assert get(tvdb, "/search?query=breaking%20bad&year=1990", auth)[1]["data"] == []
    assert get(tvdb, "/search?query=breaking%20bad&type=movie", auth)[1]["data"] == []
    assert get(tvdb, "/search", auth)[0] == 400


def test_search_by_remote_id(tvdb: CatalogServer, auth: dict[str, str]) -> None:
    real = saved("tvdb", "search_remoteid_tt6468322.json")
    status, body = get(tvdb, "/search/remoteid/tt0903747", auth)
    assert status == 200 and len(body["data"]) == 1
    series = body["data"][0]["series"]
    assert set(real["data"][0]["series"]) <= set(series)
    assert series["id"] == BREAKING_BAD and series["status"]["name"] == "Ended"
    assert get(tvdb, "/search/remoteid/tt0000001", auth) == (200, {"status": "success", "data": []})


def test_extended_record_has_the_spec_shape(tvdb: CatalogServer, auth: dict[str, str]) -> None:
    real = saved("tvdb", "series_327417_extended_translations.json")["data"]
    status, body = get(tvdb, f"/series/{BREAKING_BAD}/extended?meta=translations&short=false", auth)
    assert status == 200 and body["status"] == "success"
    data = body["data"]
    assert set(real) <= set(data)
    for key in ("artworks", "characters", "seasons", "contentRatings", "companies", "genres",
                "trailers", "remoteIds"):  # fmt: skip
        assert union_keys(real[key]) <= union_keys(data[key]), key
    assert set(real["translations"]) == set(data["translations"])
    assert set(real["originalNetwork"]) == set(data["originalNetwork"])


def test_extended_record_values_come_from_the_catalog(
    tvdb: CatalogServer, auth: dict[str, str], catalog: Catalog
) -> None:
    show = catalog.series[1396]
    data = get(tvdb, f"/series/{BREAKING_BAD}/extended?meta=translations&short=false", auth)[1][
        "data"
    ]
    assert data["id"] == BREAKING_BAD and data["name"] == "Breaking Bad"
    assert data["firstAired"] == show["first_air_date"] and data["averageRuntime"] == 47
    english = [t for t in data["translations"]["nameTranslations"] if t["language"] == "eng"]
    assert english[0]["name"] == "Breaking Bad"
    overview = data["translations"]["overviewTranslations"][0]
    assert overview["language"] == "eng" and overview["overview"] == show["overview"]
    usa = [rating for rating in data["contentRatings"] if rating["country"] == "usa"]
    assert usa[0]["name"] == "TV-MA"
    assert [genre["name"] for genre in data["genres"]] == ["Drama", "Crime"]
    assert data["originalNetwork"]["name"] == "AMC"
    studios = [c["name"] for c in data["companies"] if c["primaryCompanyType"] == 1]
    assert studios == ["AMC"]
    actors = [c for c in data["characters"] if c["peopleType"] == "Actor"]
    assert [(a["personName"], a["name"]) for a in actors] == [
        (member["name"], member["character"]) for member in show["cast"]
    ]
    assert [a["sort"] for a in actors] == sorted(a["sort"] for a in actors)
    assert all(isinstance(a["peopleId"], int) for a in actors)
    sources = {ref["sourceName"]: ref["id"] for ref in data["remoteIds"]}
    assert sources["IMDB"] == "tt0903747" and sources["TheMovieDB.com"] == "1396"
    assert all(
        trailer["url"].startswith("https://www.youtube.com/") for trailer in data["trailers"]
    )
    assert [s["number"] for s in data["seasons"]] == [1, 2]
    assert all(s["type"]["type"] == "official" for s in data["seasons"])


def test_artworks_follow_thetvdb_types(tvdb: CatalogServer, auth: dict[str, str]) -> None:
    data = get(tvdb, f"/series/{BREAKING_BAD}/extended?short=false", auth)[1]["data"]
    artworks = data["artworks"]
    assert {art["type"] for art in artworks} <= {1, 2, 3, 7, 22, 23}
    assert {2, 3, 7, 23} <= {art["type"] for art in artworks}
    season_ids = {season["id"] for season in data["seasons"]}
    for art in artworks:
        assert art["image"].startswith("/banners/") and art["thumbnail"].startswith("/banners/")
        assert art["language"] is None or len(art["language"]) == 3
        assert isinstance(art["score"], int) and art["width"] > 0 and art["height"] > 0
        assert (art["seasonId"] in season_ids) == (art["type"] == 7)
    assert any(art["language"] is None for art in artworks if art["type"] == 3)
    assert "translations" not in data  # only with meta=translations


def test_short_record_drops_characters_and_artworks(
    tvdb: CatalogServer, auth: dict[str, str]
) -> None:
    data = get(tvdb, f"/series/{BREAKING_BAD}/extended?short=true", auth)[1]["data"]
    assert data["characters"] is None and data["artworks"] is None
    assert data["name"] == "Breaking Bad"


def test_episodes_page_from_zero_with_links(
    tvdb: CatalogServer, auth: dict[str, str], catalog: Catalog
) -> None:
    real = saved("tvdb", "series_327417_episodes_default_s1_page0.json")["data"]
    path = f"/series/{BREAKING_BAD}/episodes/default"
    first = get(tvdb, f"{path}?page=0&season=2", auth)[1]
    assert set(real) == set(first["data"])
    assert union_keys(real["episodes"]) <= union_keys(first["data"]["episodes"])
    assert len(first["data"]["episodes"]) == 10
    links = first["links"]
    assert links["prev"] is None and links["total_items"] == 13 and links["page_size"] == 10
    assert links["next"] == f"{tvdb.tvdb_base_url}{path}?page=1&season=2"
    second = get(tvdb, f"{path}?page=1&season=2", auth)[1]
    assert len(second["data"]["episodes"]) == 3 and second["links"]["next"] is None
    assert second["links"]["prev"] == f"{tvdb.tvdb_base_url}{path}?page=0&season=2"
    beyond = get(tvdb, f"{path}?page=2&season=2", auth)[1]
    assert beyond["data"]["episodes"] == [] and beyond["links"]["next"] is None
    served = first["data"]["episodes"] + second["data"]["episodes"]
    expected = catalog.season(1396, 2)
    assert expected is not None
    assert [(e["seasonNumber"], e["number"], e["name"], e["aired"]) for e in served] == [
        (2, e["episode_number"], e["name"], e["air_date"]) for e in expected["episodes"]
    ]
    assert served[-1]["finaleType"] == "series"
    assert [e["absoluteNumber"] for e in served] == list(range(8, 21))


def test_all_episodes_without_a_season_filter(tvdb: CatalogServer, auth: dict[str, str]) -> None:
    path = f"/series/{BREAKING_BAD}/episodes/official"
    pages, page = [], 0
    while True:
        body = get(tvdb, f"{path}?page={page}", auth)[1]
        pages.append(body["data"]["episodes"])
        if body["links"]["next"] is None:
            break
        page += 1
    assert [len(found) for found in pages] == [10, 10]
    ids = [episode["id"] for found in pages for episode in found]
    assert len(set(ids)) == 20


def test_unknown_series_and_bad_requests(tvdb: CatalogServer, auth: dict[str, str]) -> None:
    real = saved("tvdb", "failure_envelope.json")
    assert get(tvdb, "/series/1/extended", auth) == (404, real)
    assert get(tvdb, "/series/1/episodes/default?page=0", auth) == (404, real)
    assert get(tvdb, "/series/abc/extended", auth)[0] == 400
    assert get(tvdb, f"/series/{BREAKING_BAD}/episodes/nonsense?page=0", auth)[0] == 400
    assert get(tvdb, f"/series/{BREAKING_BAD}/episodes/default?episodeNumber=1", auth)[0] == 400
    assert get(tvdb, "/no/such/path", auth)[1]["status"] == "failure"


def test_translations_and_artwork_types(tvdb: CatalogServer, auth: dict[str, str]) -> None:
    status, body = get(tvdb, "/series/334824/translations/eng", auth)  # Dark, German original
    assert status == 200 and body["data"]["name"] == "Dark" and body["data"]["isPrimary"] is False
    assert get(tvdb, "/series/334824/translations/deu", auth)[1]["data"]["isPrimary"] is True
    assert get(tvdb, "/series/334824/translations/kor", auth)[0] == 404
    types = get(tvdb, "/artwork/types", auth)[1]["data"]
    assert {t["id"] for t in types} == {1, 2, 3, 7, 22, 23}


def test_images_are_served_under_the_image_base_url(
    tvdb: CatalogServer, auth: dict[str, str]
) -> None:
    data = get(tvdb, f"/series/{BREAKING_BAD}/extended?short=false", auth)[1]["data"]
    logo = next(art for art in data["artworks"] if art["type"] == 23)
    poster = next(art for art in data["artworks"] if art["type"] == 2)
    with httpx.Client(base_url=tvdb.tvdb_image_base_url) as client:
        for art, fmt in ((logo, "PNG"), (poster, "JPEG")):
            image = Image.open(io.BytesIO(client.get(art["image"]).content))
            assert image.format == fmt and image.size == (art["width"], art["height"])
            thumb = Image.open(io.BytesIO(client.get(art["thumbnail"]).content))
            assert thumb.size == (art["thumbnailWidth"], art["thumbnailHeight"])
        actor = next(c for c in data["characters"] if c["personImgURL"])
        assert client.get(actor["personImgURL"]).headers["content-type"] == "image/jpeg"
        episodes = get(tvdb, f"/series/{BREAKING_BAD}/episodes/default?page=0", auth)[1]
        still = client.get(episodes["data"]["episodes"][0]["image"])
        assert Image.open(io.BytesIO(still.content)).size == (640, 360)
        assert client.get("/banners/v4/series/1/posters/nothing.jpg").status_code == 404


def test_the_whole_flow_over_http(tvdb: CatalogServer) -> None:
    with httpx.Client(base_url=tvdb.tvdb_base_url) as client:
        token = client.post("/login", json={"apikey": API_KEY}).json()["data"]["token"]
        headers = {"Authorization": f"Bearer {token}"}
        hits = client.get("/search", params={"query": "dark", "type": "series"}, headers=headers)
        tvdb_id = hits.json()["data"][0]["tvdb_id"]
        record = client.get(f"/series/{tvdb_id}/extended", headers=headers,
                            params={"meta": "translations", "short": "false"})  # fmt: skip
        assert record.status_code == 200 and record.json()["data"]["originalLanguage"] == "deu"
        assert client.get(f"/series/{tvdb_id}/extended").status_code == 401
