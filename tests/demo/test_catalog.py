"""The bundled demo catalog: size, generated extras, determinism, lookups and overrides."""

from __future__ import annotations

import pytest

from matinee.demo.catalog import Catalog, load_catalog


def test_catalog_has_enough_movies_and_series(catalog: Catalog) -> None:
    assert len(catalog.movies) >= 200
    assert len(catalog.series) >= 5
    for show in catalog.series.values():
        assert len(show["seasons"]) >= 2
        for season in show["seasons"]:
            assert len(season["episodes"]) >= 3
            numbers = [episode["episode_number"] for episode in season["episodes"]]
            assert numbers == list(range(1, len(numbers) + 1))


def test_movies_carry_the_dataset_fields(catalog: Catalog) -> None:
    fight_club = catalog.movies[550]
    assert fight_club["title"] == "Fight Club"
    assert fight_club["imdb_id"] == "tt0137523"
    assert fight_club["release_date"] == "1999-10-15"
    assert fight_club["runtime"] == 139
    assert fight_club["tagline"] == "Mischief. Mayhem. Soap."
    assert [genre["name"] for genre in fight_club["genres"]] == ["Drama"]
    assert all(movie["imdb_id"].startswith("tt") for movie in catalog.movies.values())
    assert all(movie["runtime"] > 0 and movie["overview"] for movie in catalog.movies.values())


def test_generated_extras_are_plausible(catalog: Catalog) -> None:
    for movie in catalog.movies.values():
        directors = [c for c in movie["crew"] if c["job"] == "Director"]
        writers = [c for c in movie["crew"] if c["department"] == "Writing"]
        assert len(directors) == 1
        assert 1 <= len(writers) <= 2
        assert 5 <= len(movie["cast"]) <= 8
        assert [c["order"] for c in movie["cast"]] == list(range(len(movie["cast"])))
        assert movie["certification"] in {"G", "PG", "PG-13", "R"}
        assert movie["keywords"], movie["title"]
        assert movie["poster_path"] in catalog.artwork
        assert movie["backdrop_path"] in catalog.artwork


def test_extras_are_deterministic() -> None:
    first, second = load_catalog(), load_catalog()
    assert first.movies[603]["cast"] == second.movies[603]["cast"]
    assert first.movies[603]["poster_path"] == second.movies[603]["poster_path"]
    assert (
        first.series[1396]["seasons"][0]["episodes"]
        == second.series[1396]["seasons"][0]["episodes"]
    )
    assert sorted(first.artwork) == sorted(second.artwork)


def test_people_recur_with_one_id_per_name(catalog: Catalog) -> None:
    names: dict[str, int] = {}
    for movie in catalog.movies.values():
        for person in movie["cast"] + movie["crew"]:
            assert names.setdefault(person["name"], person["id"]) == person["id"]
    appearances = sum(len(movie["cast"]) for movie in catalog.movies.values())
    assert len(names) < appearances  # the name pool is small: people appear in several films


def test_series_are_handcrafted_with_real_ids(catalog: Catalog) -> None:
    breaking_bad = catalog.series[1396]
    assert breaking_bad["external_ids"]["tvdb_id"] == 81189
    assert breaking_bad["external_ids"]["imdb_id"] == "tt0903747"
    assert breaking_bad["content_ratings"]["US"] == "TV-MA"
    assert [c["name"] for c in breaking_bad["created_by"]] == ["Vince Gilligan"]
    assert catalog.episode(1399, 1, 1) is not None
    assert catalog.episode(1399, 1, 1)["name"] == "Winter Is Coming"  # type: ignore[index]
    generated = [e["name"] for e in catalog.series[95396]["seasons"][0]["episodes"]]
    assert len(set(generated)) == len(generated)
    assert not any(name.startswith("Episode ") for name in generated)


def test_lookups(catalog: Catalog) -> None:
    assert catalog.find_external("tt0133093", "imdb_id") == ("movie", 603)
    assert catalog.find_external("tt0944947", "imdb_id") == ("tv", 1399)
    assert catalog.find_external("121361", "tvdb_id") == ("tv", 1399)
    assert catalog.find_external("tt0000000", "imdb_id") is None
    assert [m["id"] for m in catalog.by_title("psycho")] == [539, 11252]
    assert catalog.season(1396, 9) is None
    assert catalog.movie(1) is None


def test_override_changes_a_value_and_returns_the_old_one() -> None:
    catalog = load_catalog()
    old = catalog.override("movie", 550, "overview", "Changed.")
    assert old.startswith("A ticking-time-bomb insomniac")
    assert catalog.movies[550]["overview"] == "Changed."
    assert catalog.override("tv", 1396, "external_ids.tvdb_id", 1) == 81189
    assert catalog.series[1396]["external_ids"]["tvdb_id"] == 1


@pytest.mark.parametrize(
    ("kind", "tmdb_id", "field"),
    [("movie", 1, "title"), ("movie", 550, "no_such_field"), ("person", 550, "title")],
)
def test_override_rejects_unknown_targets(kind: str, tmdb_id: int, field: str) -> None:
    with pytest.raises(KeyError):
        load_catalog().override(kind, tmdb_id, field, "x")
