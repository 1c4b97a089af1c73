"""The request log across providers (secrets masked), per-provider counts, URLs and demo wiring."""

from __future__ import annotations

from pathlib import Path

import httpx

from matinee.config import Settings
from matinee.demo.catalog import Catalog
from matinee.demo.realism import Realism
from matinee.demo.run import DEMO_KEY, demo_settings, prepare
from matinee.demo.server import (
    FANART_PREFIX,
    OMDB_PREFIX,
    TMDB_PREFIX,
    TVDB_PREFIX,
    CatalogServer,
)

from .conftest import API_KEY


def test_base_urls_and_prefixes(catalog: Catalog) -> None:
    server = CatalogServer(catalog)
    assert server.omdb_base_url == OMDB_PREFIX  # not started: no host yet
    with server:
        base = server.base_url
        assert server.omdb_base_url == base + "/omdb"
        assert server.tvdb_base_url == base + "/tvdb/v4"
        assert server.tvdb_image_base_url == base + "/tvdb-art"
        assert server.fanart_base_url == base + "/fanart/v3"
        assert server.fanart_assets_base_url == base + "/fanart-assets"
        assert server.tmdb_base_url == base + TMDB_PREFIX


def test_every_secret_is_masked_and_the_authorization_header_never_logged(
    catalog: Catalog,
) -> None:
    with CatalogServer(catalog) as server:
        httpx.get(f"{server.tmdb_base_url}/movie/550", params={"api_key": API_KEY})
        httpx.get(f"{server.omdb_base_url}/", params={"apikey": API_KEY, "i": "tt0137523"})
        httpx.get(
            f"{server.fanart_base_url}/movies/550",
            params={"api_key": API_KEY, "client_key": "personal-secret"},
        )
        login = httpx.post(f"{server.tvdb_base_url}/login", json={"apikey": API_KEY, "pin": "4321"})
        token = login.json()["data"]["token"]
        headers = {"Authorization": f"Bearer {token}"}
        httpx.get(f"{server.tvdb_base_url}/series/81189/extended", headers=headers)
        httpx.get(f"{server.tmdb_base_url}/configuration", headers={"Authorization": "Bearer x"})
        log = server.requests
    text = repr(log)
    for secret in (API_KEY, "personal-secret", "4321", token, "Bearer"):
        assert secret not in text, secret
    by_path = {path: query for _, path, query in log}
    assert by_path["/tmdb/3/movie/550"] == {"api_key": "****"}
    assert by_path["/omdb/"] == {"apikey": "****", "i": "tt0137523"}
    assert by_path["/fanart/v3/movies/550"] == {"api_key": "****", "client_key": "****"}
    assert ("POST", "/tvdb/v4/login", {}) in log


def test_counts_per_provider_and_status(catalog: Catalog) -> None:
    server = CatalogServer(catalog)
    server.handle("GET", f"/tmdb/3/movie/550?api_key={API_KEY}", {})
    server.handle("GET", "/tmdb/3/movie/550", {})
    server.handle("GET", f"/omdb/?apikey={API_KEY}&i=tt0137523", {})
    server.handle("GET", "/tvdb/v4/search?query=dark", {})
    server.handle("GET", f"/fanart/v3/movies/1?api_key={API_KEY}", {})
    image = catalog.movies[550]["poster_path"]
    server.handle("GET", f"/tmdb-images/t/p/w92{image}", {})
    assert server.provider_counts() == {"tmdb": 2, "omdb": 1, "tvdb": 1, "fanart": 1}
    assert server.status_counts("tmdb") == {200: 1, 401: 1}
    assert server.status_counts("tvdb") == {401: 1}
    assert server.status_counts("fanart") == {404: 1}
    assert server.request_count == 6 and server.statuses[-1] == 200
    assert [path for _, path, _ in server.api_requests(OMDB_PREFIX)] == ["/omdb/"]
    assert len(server.api_requests(TVDB_PREFIX)) == 1
    assert len(server.api_requests(FANART_PREFIX)) == 1
    assert len(server.api_requests()) == 2  # TMDB by default
    server.clear_requests()
    assert server.provider_counts() == {"tmdb": 0, "omdb": 0, "tvdb": 0, "fanart": 0}
    assert server.requests == [] and server.status_counts("tmdb") == {}


def test_unknown_paths_belong_to_no_provider(catalog: Catalog) -> None:
    server = CatalogServer(catalog)
    assert server.handle("GET", "/nowhere", {})[0] == 404
    assert server.handle("GET", "/omdbx/?apikey=demo-key", {})[0] == 404
    assert server.provider_counts() == {"tmdb": 0, "omdb": 0, "tvdb": 0, "fanart": 0}


def test_demo_settings_point_all_four_providers_at_the_server(
    tmp_path: Path, catalog: Catalog
) -> None:
    with CatalogServer(catalog) as server:
        settings = demo_settings(Settings(), tmp_path, server)
    expected = {
        "tmdb": (server.tmdb_base_url, server.tmdb_image_base_url),
        "omdb": (server.omdb_base_url, None),
        "tvdb": (server.tvdb_base_url, server.tvdb_image_base_url),
        "fanart": (server.fanart_base_url, None),
    }
    for provider_id, (base_url, image_base_url) in expected.items():
        provider = settings.provider(provider_id)
        assert provider.enabled and provider.api_key == DEMO_KEY, provider_id
        assert provider.base_url == base_url
        if image_base_url is not None:
            assert provider.image_base_url == image_base_url
        assert provider.pin == "" and provider.client_key == ""


def test_prepare_passes_realism_to_the_server(tmp_path: Path) -> None:
    server, truth = prepare(tmp_path, Realism(omdb_daily_quota=7, seed=3))
    try:
        assert server.realism.omdb_daily_quota == 7 and server.base_url
        assert truth.entries
    finally:
        server.stop()
    plain, _ = prepare(tmp_path)  # the sample library is reused
    try:
        assert plain.realism == Realism() and plain.rate_limit_per_second is None
    finally:
        plain.stop()
