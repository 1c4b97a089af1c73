"""Fixtures for the demo tests: the bundled catalog, a running catalog server, saved payloads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from matinee.demo.catalog import Catalog, load_catalog
from matinee.demo.server import CatalogServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tmdb"
API_KEY = "demo-key"


def real(name: str) -> Any:
    """A saved real TMDB payload from tests/fixtures/tmdb."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def saved(provider: str, name: str) -> Any:
    """A saved payload from tests/fixtures/{provider} (omdb, fanart, tvdb)."""
    path = FIXTURES.parent / provider / name
    return json.loads(path.read_text(encoding="utf-8"))


def call(server: CatalogServer, target: str, headers: dict[str, str] | None = None,
         body: bytes = b"", method: str = "GET") -> tuple[int, dict[str, str], Any]:  # fmt: skip
    """`server.handle` without sockets: (status, headers, decoded JSON body)."""
    status, answer_headers, data = server.handle(method, target, headers or {}, body)
    return status, answer_headers, json.loads(data)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The bundled catalog, shared read-only by a module's tests."""
    return load_catalog()


@pytest.fixture(scope="module")
def server(catalog: Catalog) -> Iterator[CatalogServer]:
    """A running server over the shared catalog (tests must not override values on it)."""
    with CatalogServer(catalog) as running:
        yield running


@pytest.fixture(scope="module")
def api(server: CatalogServer) -> Iterator[httpx.Client]:
    """An httpx client on the server's TMDB prefix, sending the API key as TMDB clients do."""
    with httpx.Client(base_url=server.tmdb_base_url, params={"api_key": API_KEY}) as client:
        yield client


@pytest.fixture
def fresh_server() -> Iterator[CatalogServer]:
    """A server over its own catalog, for tests that change values."""
    with CatalogServer(load_catalog()) as running:
        yield running
