"""Realism flags: TMDB's rate limit, OMDb's quota, offline, and seeded random faults."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from matinee.demo.catalog import Catalog
from matinee.demo.realism import PROVIDERS, Fault, FaultPlan, Realism
from matinee.demo.server import CatalogServer

from .conftest import API_KEY, call

TVDB_SERIES = "/tvdb/v4/series/81189/extended"


def target(provider: str) -> str:
    """One successful API request per provider (TheTVDB's is sent with `bearer`)."""
    return {
        "tmdb": f"/tmdb/3/movie/550?api_key={API_KEY}",
        "omdb": f"/omdb/?apikey={API_KEY}&i=tt0137523",
        "tvdb": TVDB_SERIES,
        "fanart": f"/fanart/v3/tv/81189?api_key={API_KEY}",
    }[provider]


def bearer(server: CatalogServer) -> dict[str, str]:
    saved_realism = server.realism
    server.realism = Realism()  # log in without faults
    _, _, body = call(server, "/tvdb/v4/login", body=b'{"apikey":"demo-key"}', method="POST")
    server.realism = saved_realism
    return {"authorization": f"Bearer {body['data']['token']}"}


def raw(server: CatalogServer, provider: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
    status, answer_headers, data = server.handle("GET", target(provider), headers)
    return status, answer_headers.get("Content-Type", ""), data


def test_realism_is_off_by_default_and_the_preset_turns_it_on() -> None:
    off = Realism()
    assert not off.random_faults and off.rate_limit_per_second is None
    assert off.omdb_daily_quota is None and off.fault_providers == frozenset(PROVIDERS)
    real = Realism.realistic()
    assert real.random_faults and real.rate_limit_per_second == 40
    assert real.omdb_daily_quota == 1000 and real.timeout_s > 10  # past the clients' 10 s
    assert 0 < real.error_rate < 0.1 and 0 < real.empty_rate < 0.1
    with pytest.raises(ValueError):
        Realism(error_rate=0.7, empty_rate=0.7)
    with pytest.raises(ValueError):
        Realism(fault_providers=frozenset({"imdb"}))


def test_rate_limit_from_realism_answers_tmdbs_429(catalog: Catalog) -> None:
    now = [10.0]
    server = CatalogServer(catalog, realism=Realism(rate_limit_per_second=2), clock=lambda: now[0])
    statuses = [call(server, target("tmdb"))[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    status, headers, body = call(server, target("tmdb"))
    assert status == 429 and headers["Retry-After"] == "1"
    assert body["status_code"] == 25 and body["success"] is False
    assert call(server, target("omdb"))[0] == 200  # the limit is TMDB's only
    now[0] += 1.0
    assert call(server, target("tmdb"))[0] == 200
    explicit = CatalogServer(catalog, rate_limit_per_second=1, realism=Realism(), clock=lambda: 0.0)
    assert [call(explicit, target("tmdb"))[0] for _ in range(2)] == [200, 429]


def test_omdb_daily_quota_counts_valid_requests(catalog: Catalog) -> None:
    server = CatalogServer(catalog, realism=Realism(omdb_daily_quota=3))
    assert call(server, "/omdb/?apikey=wrong&i=tt0137523")[0] == 401  # not counted
    assert [call(server, target("omdb"))[0] for _ in range(2)] == [200, 200]
    assert call(server, "/omdb/?apikey=demo-key&t=Nothing%20Here")[0] == 200  # counts too
    status, _, body = call(server, target("omdb"))
    assert (status, body) == (401, {"Response": "False", "Error": "Request limit reached!"})
    assert server.omdb_quota_used == 4
    assert server.status_counts("omdb") == {401: 2, 200: 3}
    assert call(server, target("tmdb"))[0] == 200  # other providers are not affected
    server.reset_omdb_quota()
    assert call(server, target("omdb"))[0] == 200


def test_offline_answers_503_for_every_provider(catalog: Catalog) -> None:
    server = CatalogServer(catalog)
    headers = bearer(server)
    server.offline = True
    for provider in PROVIDERS:
        assert raw(server, provider, headers)[0] == 503, provider
    assert json.loads(raw(server, "tmdb", headers)[2])["status_code"] == 9
    assert raw(server, "fanart", headers)[1].startswith("text/html")
    image = catalog.movies[550]["poster_path"]
    assert server.handle("GET", f"/tmdb-images/t/p/w92{image}", {})[0] == 200
    server.offline = False
    assert raw(server, "omdb", headers)[0] == 200


def test_errors_use_each_providers_5xx_body(catalog: Catalog) -> None:
    server = CatalogServer(catalog, realism=Realism(error_rate=1.0, seed=1))
    headers = {"authorization": "Bearer whatever"}  # never checked: the error comes first
    answers = {provider: raw(server, provider, headers) for provider in PROVIDERS}
    assert answers["tmdb"][0] == 503 and json.loads(answers["tmdb"][2])["status_code"] == 9
    assert answers["omdb"][0] == 503
    assert json.loads(answers["omdb"][2]) == {"Response": "False", "Error": "Something went wrong."}
    assert answers["tvdb"][0] == 503
    tvdb_body = json.loads(answers["tvdb"][2])
    assert tvdb_body["status"] == "failure" and tvdb_body["data"] is None
    status, content_type, data = answers["fanart"]
    assert status == 502 and content_type.startswith("text/html")
    assert b"502 Bad Gateway" in data
    assert server.injected_faults == [(provider, "error") for provider in PROVIDERS]


def test_fault_providers_limit_which_providers_are_hit(catalog: Catalog) -> None:
    realism = Realism(error_rate=1.0, fault_providers=frozenset({"omdb"}))
    server = CatalogServer(catalog, realism=realism)
    assert call(server, target("tmdb"))[0] == 200
    assert server.handle("GET", target("fanart"), {})[0] == 200
    assert server.handle("GET", target("omdb"), {})[0] == 503


def test_faults_are_deterministic_for_a_seed(catalog: Catalog) -> None:
    realism = Realism(error_rate=0.3, malformed_rate=0.1, empty_rate=0.1, seed=7)

    def run() -> list[tuple[int, bytes]]:
        server = CatalogServer(catalog, realism=realism)
        return [server.handle("GET", target("omdb"), {})[::2] for _ in range(40)]

    first = run()
    assert first == run()
    statuses = [status for status, _ in first]
    assert 503 in statuses and 200 in statuses
    plan = FaultPlan(realism)
    decisions = [plan.decide("omdb") for _ in range(40)]
    assert [d.fault if d else None for d in decisions].count(Fault.ERROR) == statuses.count(503)
    other = CatalogServer(catalog, realism=Realism(error_rate=0.3, seed=8))
    assert [other.handle("GET", target("omdb"), {})[0] for _ in range(40)] != statuses


def test_timeouts_sleep_longer_than_clients_wait(catalog: Catalog) -> None:
    slept: list[float] = []
    realism = Realism(timeout_rate=1.0, timeout_s=42.0)
    server = CatalogServer(catalog, realism=realism, sleep=slept.append)
    status, _, body = call(server, target("omdb"))
    assert slept == [42.0]  # the answer itself is normal, only late
    assert status == 200 and body["imdbID"] == "tt0137523"
    assert server.injected_faults == [("omdb", "timeout")]


def test_timeouts_over_http_use_the_injected_sleep(catalog: Catalog) -> None:
    slept: list[float] = []
    realism = Realism(timeout_rate=1.0, timeout_s=30.0, fault_providers=frozenset({"fanart"}))
    with CatalogServer(catalog, realism=realism, sleep=slept.append) as server:
        response = httpx.get(f"{server.fanart_base_url}/tv/81189", params={"api_key": API_KEY})
        assert response.status_code == 200 and slept == [30.0]
        assert httpx.get(f"{server.omdb_base_url}/", params={"apikey": API_KEY}).status_code == 200
        assert slept == [30.0]


def test_malformed_bodies_are_truncated_json_or_html_with_200(catalog: Catalog) -> None:
    server = CatalogServer(catalog, realism=Realism(malformed_rate=1.0, seed=3))
    kinds = set()
    for _ in range(12):
        status, content_type, data = raw(server, "tmdb", {})
        assert status == 200
        with pytest.raises(ValueError):
            json.loads(data)
        if content_type.startswith("text/html"):
            kinds.add("html")
            assert b"<html>" in data
        else:
            kinds.add("truncated")
            assert data.startswith(b'{"adult":')  # the start of the real body, cut short
    assert kinds == {"html", "truncated"}


def blanked(value: Any) -> bool:
    return value in ("", None, [], "N/A")


def test_empty_fields_keep_identity_and_blank_the_rest(catalog: Catalog) -> None:
    server = CatalogServer(catalog, realism=Realism(empty_rate=1.0, seed=5))
    headers = bearer(server)
    status, _, omdb = call(server, target("omdb"))
    assert status == 200 and omdb["imdbID"] == "tt0137523" and omdb["Response"] == "True"
    blank_omdb = [key for key, value in omdb.items() if blanked(value)]
    assert blank_omdb and all(omdb[key] in ("N/A", []) for key in blank_omdb)
    status, _, tmdb = call(server, target("tmdb"))
    assert status == 200 and tmdb["id"] == 550 and tmdb["title"] == "Fight Club"
    full_tmdb = json.loads(CatalogServer(catalog).handle("GET", target("tmdb"), {})[2])
    changed = [key for key in tmdb if tmdb[key] != full_tmdb[key]]
    assert changed and all(blanked(tmdb[key]) for key in changed)
    assert set(tmdb) == set(full_tmdb)  # fields are blanked, never dropped
    status, _, tvdb = call(server, TVDB_SERIES, headers)
    assert status == 200 and tvdb["data"]["id"] == 81189 and tvdb["data"]["name"] == "Breaking Bad"
    assert any(blanked(value) for value in tvdb["data"].values())
    status, _, fanart = call(server, target("fanart"))
    art = [key for key, value in fanart.items() if isinstance(value, list)]
    assert status == 200 and fanart["thetvdb_id"] == "81189"
    full = CatalogServer(catalog).handle("GET", target("fanart"), {})[2]
    assert len(art) < len([v for v in json.loads(full).values() if isinstance(v, list)])


def test_empty_search_results_blank_each_result(catalog: Catalog) -> None:
    server = CatalogServer(catalog, realism=Realism(empty_rate=1.0, seed=2))
    status, _, body = call(server, f"/tmdb/3/search/movie?api_key={API_KEY}&query=psycho")
    assert status == 200 and body["total_results"] == 2
    assert [hit["id"] for hit in body["results"]] == [539, 11252]
    assert all(any(blanked(v) for v in hit.values()) for hit in body["results"])


def test_faults_never_touch_errors_or_images(catalog: Catalog) -> None:
    server = CatalogServer(catalog, realism=Realism(empty_rate=1.0))
    status, _, body = call(server, "/omdb/?apikey=demo-key&i=tt9999999")
    assert (status, body) == (200, {"Response": "False", "Error": "Incorrect IMDb ID."})
    assert call(server, "/tmdb/3/movie/1?api_key=demo-key")[0] == 404
    image = catalog.movies[550]["poster_path"]
    assert server.handle("GET", f"/tmdb-images/t/p/w92{image}", {})[0] == 200
    assert server.injected_faults == [("omdb", "empty"), ("tmdb", "empty")]


def test_setting_realism_restarts_the_fault_sequence(catalog: Catalog) -> None:
    server = CatalogServer(catalog, realism=Realism(error_rate=0.5, seed=11))
    first = [server.handle("GET", target("omdb"), {})[0] for _ in range(20)]
    server.realism = Realism(error_rate=0.5, seed=11)
    assert [server.handle("GET", target("omdb"), {})[0] for _ in range(20)] == first
    server.realism = Realism()
    assert server.rate_limit_per_second is None
    assert all(server.handle("GET", target("omdb"), {})[0] == 200 for _ in range(5))
