"""TV in full: series, seasons and episodes, enriched end to end against the catalog server.

Episodes are matched to the providers' by (season, episode): a multi-episode file gets one
row per number, specials are season 0, and the providers' episodes that the disk lacks (in the
seasons it has) become rows marked not on disk, which a later scan links to the file.
"""

from __future__ import annotations

import copy
import sqlite3
from typing import Any

from matinee.config import Settings
from matinee.demo.catalog import Catalog
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.model import EntityDetail, EntityKind, EntitySummary, Ref
from tests.engine.conftest import touch

BREAKING_BAD = 1396
SHOW = "TV/Breaking Bad"


async def scanned(engine: Engine, settings: Settings, names: list[str]) -> None:
    root = settings.library.roots[0]
    for name in names:
        touch(root, f"{SHOW}/{name}")
    await engine.scan()


async def series(engine: Engine) -> EntityDetail:
    (only,) = await engine.list_entities(EntityKind.SERIES)
    return await engine.show(only.ref)


def numbered(detail: EntityDetail) -> dict[tuple[int, int], EntitySummary]:
    out: dict[tuple[int, int], EntitySummary] = {}
    for child in detail.children:
        assert child.season_number is not None and child.episode_number is not None
        key = (child.season_number, child.episode_number)
        assert key not in out, f"two rows for {key}"
        out[key] = child
    return out


def on_disk(settings: Settings, ref: Ref) -> bool:
    """The `on_disk` flag as stored (the summaries carry it too)."""
    with sqlite3.connect(settings.database.path) as con:
        row = con.execute("SELECT on_disk FROM entities WHERE id = ?", (ref.id,)).fetchone()
    return bool(row[0])


def episode(catalog: Catalog, season: int, number: int) -> dict[str, Any]:
    found = catalog.episode(BREAKING_BAD, season, number)
    assert found is not None
    return found


def add_specials(catalog: Catalog) -> list[dict[str, Any]]:
    """Give Breaking Bad a season 0 of two specials (the bundled catalog has none)."""
    show = catalog.show(BREAKING_BAD)
    assert show is not None
    first = show["seasons"][0]
    specials = copy.deepcopy(first)
    specials.update(season_number=0, id=first["id"] - 1, name="Specials", air_date="2009-02-17")
    specials["episodes"] = specials["episodes"][:2]
    for number, (ep, title) in enumerate(
        zip(specials["episodes"], ("Good Cop Bad Cop", "Wedding Day"), strict=True), start=1
    ):
        ep.update(
            season_number=0, episode_number=number, id=20_000_000 + number, name=title,
            overview=f"Minisode {number}: {title.lower()}.", air_date=f"2009-02-{16 + number}",
        )  # fmt: skip
    catalog.override("tv", BREAKING_BAD, "seasons", [specials, *show["seasons"]])
    return list(specials["episodes"])


async def test_multi_episode_file_gets_both_episodes(
    engine: Engine, settings: Settings, catalog: Catalog
) -> None:
    await scanned(engine, settings, ["Season 01/Breaking.Bad.S01E02E03.720p.HDTV.x264-GRP.mkv"])
    report = await engine.enrich()
    assert report.updated == 1
    rows = numbered(await series(engine))
    two, three = rows[(1, 2)], rows[(1, 3)]
    assert two.ref != three.ref
    assert two.files == three.files and len(two.files) == 1  # one file, two rows
    d2, d3 = await engine.show(two.ref), await engine.show(three.ref)
    assert d2.fields["title"] == episode(catalog, 1, 2)["name"] == "Cat's in the Bag..."
    assert d3.fields["title"] == episode(catalog, 1, 3)["name"]
    assert d3.fields["title"] == "...And the Bag's in the River"
    assert d2.fields["plot"] == episode(catalog, 1, 2)["overview"]
    assert d3.fields["plot"] == episode(catalog, 1, 3)["overview"]
    assert d2.fields["plot"] != d3.fields["plot"]
    assert d2.fields["tmdb_id"] != d3.fields["tmdb_id"]
    assert d2.field_sources["title"] == d3.field_sources["title"] == "tmdb"
    assert on_disk(settings, two.ref) and on_disk(settings, three.ref)


async def test_specials_are_fetched_and_matched(
    engine: Engine, settings: Settings, catalog: Catalog, server: CatalogServer
) -> None:
    specials = add_specials(catalog)
    await scanned(engine, settings, ["Specials/Breaking.Bad.S00E01.mkv"])
    await engine.enrich()
    paths = [path for _, path, _ in server.api_requests()]
    assert f"/tmdb/3/tv/{BREAKING_BAD}/season/0" in paths
    assert f"/tmdb/3/tv/{BREAKING_BAD}/season/1" not in paths  # no file in season 1
    rows = numbered(await series(engine))
    assert sorted(rows) == [(0, 1), (0, 2)]  # the other special is listed, as missing
    special = await engine.show(rows[(0, 1)].ref)
    assert special.fields["title"] == "Good Cop Bad Cop" == specials[0]["name"]
    assert special.fields["plot"] == "Minisode 1: good cop bad cop."
    assert special.fields["release_date"] == "2009-02-17"
    assert special.files and on_disk(settings, special.summary.ref)
    other = await engine.show(rows[(0, 2)].ref)
    assert other.fields["title"] == "Wedding Day"
    assert other.files == () and not on_disk(settings, other.summary.ref)


async def test_missing_episodes_are_listed_then_linked_when_found(
    engine: Engine, settings: Settings, catalog: Catalog
) -> None:
    # episode 7 has not aired yet: it is not "missing"
    episode(catalog, 1, 7)["air_date"] = "2999-01-01"
    await scanned(engine, settings, [
        "Season 01/Breaking.Bad.S01E01.mkv",
        "Season 01/Breaking.Bad.S01E03.mkv",
    ])  # fmt: skip
    report = await engine.enrich()
    assert report.updated == 1
    rows = numbered(await series(engine))
    assert sorted(rows) == [(1, n) for n in range(1, 7)]  # nothing of season 2: no file there
    seasons = await engine.list_entities(EntityKind.SEASON)
    assert [s.season_number for s in seasons] == [1]
    for (_, number), row in rows.items():
        owned = number in (1, 3)
        assert on_disk(settings, row.ref) is owned
        assert row.on_disk is owned  # what `show` and the TUI read
        assert bool(row.files) is owned
        assert row.title == episode(catalog, 1, number)["name"]
    missing = await engine.show(rows[(1, 4)].ref)
    assert missing.fields["title"] == "Cancer Man"
    assert missing.fields["plot"] == episode(catalog, 1, 4)["overview"]
    assert missing.field_sources["plot"] == "tmdb"
    assert missing.summary.parent is not None
    assert missing.summary.parent == seasons[0].ref
    ids = {key: row.ref for key, row in rows.items()}

    again = await engine.enrich(all=True, force=True)
    assert again.processed == 1
    assert {k: r.ref for k, r in numbered(await series(engine)).items()} == ids

    await scanned(engine, settings, ["Season 01/Breaking.Bad.S01E04.720p.mkv"])
    after = numbered(await series(engine))
    assert {k: r.ref for k, r in after.items()} == ids  # linked, not duplicated
    found = after[(1, 4)]
    assert found.files and found.files[0].endswith("Breaking.Bad.S01E04.720p.mkv")
    assert on_disk(settings, found.ref) and found.on_disk
    assert (await engine.show(found.ref)).fields["title"] == "Cancer Man"  # kept its metadata
    assert not on_disk(settings, after[(1, 5)].ref)
    assert len(await engine.list_entities(EntityKind.EPISODE)) == 6


async def test_locked_episode_field_survives_force_refresh(
    engine: Engine, settings: Settings, catalog: Catalog
) -> None:
    await scanned(engine, settings, ["Season 01/Breaking.Bad.S01E01.mkv"])
    await engine.enrich()
    detail = await series(engine)
    rows = numbered(detail)
    pilot, missing = rows[(1, 1)].ref, rows[(1, 2)].ref
    await engine.lock(pilot, ["title"])
    await engine.set_field(missing, "plot", "My own notes.")
    for number in (1, 2):
        ep = episode(catalog, 1, number)
        ep["name"] = f"Renamed {number}"
        ep["overview"] = f"Rewritten {number}."
    report = await engine.enrich([detail.summary.ref], force=True)
    assert report.updated == 1
    after_pilot, after_missing = await engine.show(pilot), await engine.show(missing)
    assert after_pilot.fields["title"] == "Pilot"  # locked
    assert after_pilot.fields["plot"] == "Rewritten 1."  # unlocked: the provider's new value
    assert "title" in after_pilot.locks
    assert after_missing.fields["plot"] == "My own notes."  # a user edit locks the field
    assert after_missing.field_sources["plot"] == "user"
    assert after_missing.fields["title"] == "Renamed 2"
