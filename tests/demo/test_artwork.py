"""Generated artwork served under /tmdb-images: decodable images at the requested size."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from matinee.demo.artwork import ArtSpec, opaque_name, render, size_for
from matinee.demo.server import CatalogServer


def fetch(server: CatalogServer, size: str, file_path: str) -> httpx.Response:
    return httpx.get(f"{server.tmdb_image_base_url}/{size}{file_path}")


@pytest.mark.parametrize(
    ("size", "expected"), [("w185", (185, 278)), ("w300", (300, 450)), ("w500", (500, 750))]
)
def test_poster_is_a_jpeg_of_the_requested_width(
    server: CatalogServer, size: str, expected: tuple[int, int]
) -> None:
    response = fetch(server, size, server.catalog.movies[603]["poster_path"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "JPEG"
    assert image.size == expected


def test_original_sizes_match_the_declared_ones(server: CatalogServer) -> None:
    movie = server.catalog.movies[550]
    poster = Image.open(io.BytesIO(fetch(server, "original", movie["poster_path"]).content))
    assert poster.size == (1000, 1500)
    entry = movie["images"]["backdrops"][0]
    backdrop = Image.open(io.BytesIO(fetch(server, "w780", entry["file_path"]).content))
    assert backdrop.size == (780, 439)
    assert abs(backdrop.size[0] / backdrop.size[1] - 16 / 9) < 0.01


def test_logos_are_transparent_pngs(server: CatalogServer) -> None:
    logo = server.catalog.movies[550]["images"]["logos"][0]
    response = fetch(server, "w300", logo["file_path"])
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0  # type: ignore[index]


def test_unknown_image_or_size_is_404(server: CatalogServer) -> None:
    assert fetch(server, "w500", "/doesnotexist.jpg").status_code == 404
    assert fetch(server, "x500", server.catalog.movies[550]["poster_path"]).status_code == 404


def test_rendered_images_are_cached(server: CatalogServer) -> None:
    path = server.catalog.movies[862]["poster_path"]
    first = fetch(server, "w154", path)
    hits = server.images.hits
    second = fetch(server, "w154", path)
    assert first.content == second.content
    assert server.images.hits == hits + 1


def test_distinct_designs_differ_and_rendering_is_deterministic() -> None:
    a = ArtSpec("poster", "Heat", 1000, 1500, "movie:949:poster:0", "1995")
    b = ArtSpec("poster", "Heat", 1000, 1500, "movie:949:poster:1", "1995")
    assert render(a, 92, 138) == render(a, 92, 138)
    assert render(a, 92, 138) != render(b, 92, 138)
    assert size_for(a, "h632") == (421, 632)
    assert size_for(a, "big") is None
    name = opaque_name("movie:949:poster:0")
    assert name.startswith("/") and name.endswith(".jpg") and len(name) == 32
