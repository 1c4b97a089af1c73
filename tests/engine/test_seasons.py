"""Season rows get their own fields, end to end against the catalog server.

A season row (made by a scan, for a season with a file) is merged like its series and episodes
from the seasons each provider lists on the series record, and written in the same unit: TMDB's
name, overview, air date and poster; TheTVDB's season id. Locks and user edits hold, a season
no provider names keeps its scan title, and a season without a file gets no row.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from matinee.config import Settings
from matinee.demo.catalog import Catalog
from matinee.engine.core import Engine
from matinee.model import EntityDetail, EntityKind, EntitySummary
from tests.engine.test_tv import BREAKING_BAD, add_specials, scanned, series


def season(catalog: Catalog, number: int) -> dict[str, Any]:
    found = catalog.season(BREAKING_BAD, number)
    assert found is not None
    return found


async def season_rows(engine: Engine) -> dict[int, EntitySummary]:
    rows = await engine.list_entities(EntityKind.SEASON)
    out = {row.season_number: row for row in rows if row.season_number is not None}
    assert len(out) == len(rows), "two rows for one season"
    return out


async def season_detail(engine: Engine, number: int) -> EntityDetail:
    return await engine.show((await season_rows(engine))[number].ref)


async def test_season_rows_take_the_providers_fields(
    engine: Engine, settings: Settings, catalog: Catalog
) -> None:
    first = season(catalog, 1)
    first["name"] = "Season One: The Cook"
    await scanned(engine, settings, ["Season 01/Breaking.Bad.S01E01.mkv"])
    report = await engine.enrich()
    assert report.updated == 1
    rows = await season_rows(engine)
    assert list(rows) == [1]
    assert rows[1].title == "Season One: The Cook"  # the row's title too, not only the field
    detail = await engine.show(rows[1].ref)
    f, sources = detail.fields, detail.field_sources
    assert f["title"] == "Season One: The Cook"
    assert f["plot"] == first["overview"]
    assert f["plot"].startswith("Diagnosed with cancer")
    assert (f["release_date"], f["year"]) == ("2008-01-20", 2008)
    image_base = settings.provider("tmdb").image_base_url.rstrip("/")
    assert f["poster"] == f"{image_base}/original{first['poster_path']}"
    assert f["tmdb_id"] == first["id"]
    for name in ("title", "plot", "release_date", "poster", "tmdb_id"):
        assert sources[name] == "tmdb", name
    assert sources["tvdb_id"] == "tvdb" and isinstance(f["tvdb_id"], int)
    assert detail.summary.ids.tmdb == first["id"]
    assert detail.summary.last_enriched is not None
    # the series keeps its own fields and ids
    show = await series(engine)
    assert show.fields["title"] == "Breaking Bad" and show.summary.ids.tmdb == BREAKING_BAD
    assert show.fields["plot"] != f["plot"]


async def test_season_changes_are_logged_with_the_series(
    engine: Engine, settings: Settings
) -> None:
    await scanned(engine, settings, ["Season 02/Breaking.Bad.S02E01.mkv"])
    await engine.enrich()
    row = (await season_rows(engine))[2]
    with sqlite3.connect(settings.database.path) as con:
        (changes,) = con.execute(
            "SELECT changes FROM enrichment_log WHERE entity_id = ?", (row.ref.id,)
        ).fetchone()
    assert '"plot"' in changes and '"tmdb"' in changes
    again = await engine.enrich(all=True, force=True)
    assert again.processed == 1
    assert (await season_detail(engine, 2)).fields["title"] == "Season 2"


async def test_locked_season_fields_survive_a_forced_refresh(
    engine: Engine, settings: Settings, catalog: Catalog
) -> None:
    await scanned(engine, settings, ["Season 01/Breaking.Bad.S01E01.mkv"])
    await engine.enrich()
    ref = (await season_rows(engine))[1].ref
    await engine.lock(ref, ["plot"])
    await engine.set_field(ref, "title", "My Season")
    first = season(catalog, 1)
    first["name"] = "Renamed Season"
    first["overview"] = "Rewritten overview."
    first["air_date"] = "2008-01-21"
    detail = await series(engine)
    report = await engine.enrich([detail.summary.ref], force=True)
    assert report.updated == 1
    after = await engine.show(ref)
    assert after.fields["plot"].startswith("Diagnosed with cancer")  # locked
    assert "plot" in after.locks
    assert after.fields["title"] == after.summary.title == "My Season"  # a user edit locks
    assert after.field_sources["title"] == "user" and "title" in after.locks
    assert after.fields["release_date"] == "2008-01-21"  # unlocked: the provider's new value
    assert after.field_sources["release_date"] == "tmdb"


async def test_a_season_without_a_file_has_no_row(
    engine: Engine, settings: Settings, catalog: Catalog
) -> None:
    assert catalog.season(BREAKING_BAD, 2) is not None  # the providers list season 2
    await scanned(engine, settings, ["Season 01/Breaking.Bad.S01E01.mkv"])
    await engine.enrich()
    await engine.enrich(all=True, force=True)
    assert list(await season_rows(engine)) == [1]
    with sqlite3.connect(settings.database.path) as con:
        (count,) = con.execute("SELECT count(*) FROM entities WHERE kind = 'season'").fetchone()
    assert count == 1


async def test_specials_keep_their_name_unless_a_provider_gives_one(
    engine: Engine, settings: Settings, catalog: Catalog
) -> None:
    add_specials(catalog)  # TMDB names season 0 "Specials"
    await scanned(engine, settings, ["Specials/Breaking.Bad.S00E01.mkv"])
    await engine.enrich()
    specials = await season_detail(engine, 0)
    assert specials.summary.title == specials.fields["title"] == "Specials"
    assert specials.field_sources["title"] == "tmdb"
    assert specials.fields["release_date"] == "2009-02-17"


async def test_an_unnamed_season_keeps_its_scan_title(
    engine: Engine, settings: Settings, catalog: Catalog
) -> None:
    add_specials(catalog)
    season(catalog, 0)["name"] = ""  # no provider names it
    await scanned(engine, settings, ["Specials/Breaking.Bad.S00E01.mkv"])
    await engine.enrich()
    specials = await season_detail(engine, 0)
    assert specials.summary.title == specials.fields["title"] == "Specials"  # the scan's title
    assert specials.field_sources["title"] == "file"
    assert specials.fields["release_date"] == "2009-02-17"  # the rest is filled
    assert specials.field_sources["release_date"] == "tmdb"
