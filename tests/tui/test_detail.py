"""DetailScreen: registry rows, ages, lock toggles through the engine, refresh, partial warning,
the poster, and the keys that open the identify and artwork screens."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from textual.widgets import Static

from matinee.engine.events import EntityChanged
from matinee.model import EntityDetail, EntityKind, MissingField, Ref, fields_for
from matinee.tui.app import MatineeApp
from matinee.tui.screens.assets import AssetScreen
from matinee.tui.screens.detail import DetailScreen, missing_line
from matinee.tui.screens.detail_fields import age
from matinee.tui.screens.identify import IdentifyScreen
from matinee.tui.screens.library import LibraryScreen
from matinee.tui.widgets import poster as poster_module

from .conftest import settle
from .fakes import FakeEngine, make_summary

SIZE = (120, 40)


async def open_detail(app: MatineeApp, pilot, downs: int = 0) -> DetailScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press(*(["down"] * downs), "enter")
    await settle(pilot)
    assert isinstance(app.screen, DetailScreen)
    return app.screen


def static_text(screen: DetailScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def test_detail_lists_every_registry_field(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        table = screen.table
        names = [row.name for row in table.rows]
        assert names == [f.name for f in fields_for(EntityKind.MOVIE)]
        cast = table.index_of("cast")
        assert cast is not None
        assert table.cell(cast, "value") == "Ada Lovelace (Countess), Alan Turing (Himself)"
        assert table.cell(cast, "source") == "tmdb"
        assert table.cell(table.index_of("genres"), "value") == "Drama, Thriller"  # type: ignore[arg-type]
        assert table.cell(table.index_of("tagline"), "missing") == "missing"  # type: ignore[arg-type]
        title = engine.table[Ref(EntityKind.MOVIE, 2)]
        assert static_text(screen, "#title") == f"{title.title} ({title.year})"
        missing = static_text(screen, "#missing")
        assert missing.startswith("Missing 28 (metadata 12, ratings 6, people 2, artwork 8): ")
        assert "Tagline" in missing
        assert "1.4 GB" in static_text(screen, "#files")
        assert "1920x1080" in static_text(screen, "#files")
        assert screen.query_one("#warning").has_class("-hidden")


async def test_partial_warning_names_rate_limited_providers(app: MatineeApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=0)  # movie:1 is partial in the fake
        warning = screen.query_one("#warning", Static)
        assert not warning.has_class("-hidden")
        assert "rate limited: omdb" in str(warning.content)


async def test_l_locks_then_unlocks_the_highlighted_field(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        ref = Ref(EntityKind.MOVIE, 2)
        await pilot.press("down", "down", "down")  # title, original_title, sort_title, year
        assert screen.table.cursor_key == "year"
        assert screen.table.cell(3, "locked") == ""
        await pilot.press("l")
        await settle(pilot)
        assert engine.calls_of("lock") == [((ref, ["year"]), {})]
        assert screen.detail is not None and "year" in screen.detail.locks
        assert screen.table.cursor_key == "year"  # the cursor survived the reload
        assert screen.table.cell(3, "locked") == "🔒"
        await pilot.press("l")
        await settle(pilot)
        assert engine.calls_of("unlock") == [((ref, ["year"]), {})]
        assert screen.table.cell(3, "locked") == ""


async def test_r_and_R_refresh_this_ref(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, downs=4)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        ref = Ref(EntityKind.MOVIE, 5)
        assert [(a, k["force"]) for a, k in engine.calls_of("enrich")] == [
            (([ref],), False),
            (([ref],), True),
        ]


async def test_event_for_this_ref_reloads_and_others_do_not(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, downs=1)
        engine.calls.clear()
        engine.bus.publish(EntityChanged(Ref(EntityKind.MOVIE, 99), ("plot",)))
        app.bridge.flush()
        await settle(pilot)
        assert ("show", (Ref(EntityKind.MOVIE, 2),), {}) not in engine.calls
        engine.bus.publish(EntityChanged(Ref(EntityKind.MOVIE, 2), ("plot",)))
        app.bridge.flush()
        await settle(pilot)
        assert ("show", (Ref(EntityKind.MOVIE, 2),), {}) in engine.calls


async def test_escape_returns_and_library_refetches_the_opened_row(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, downs=1)
        engine.calls.clear()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert engine.calls_of("summaries") == [(([Ref(EntityKind.MOVIE, 2)],), {})]


async def test_engine_failure_becomes_a_notification(app: MatineeApp, engine: FakeEngine) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("provider exploded")

    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, downs=1)
        engine.lock = broken  # type: ignore[method-assign]
        await pilot.press("l")
        await settle(pilot)
        assert app.is_running
        assert any("provider exploded" in n.message for n in app._notifications)


class FetchedEngine(FakeEngine):
    """Values fetched three days and two years ago, so the Age column has something to say."""

    async def show(self, ref: Ref) -> EntityDetail:
        detail = await super().show(ref)
        now = datetime.now(UTC)
        fetched = {"title": now - timedelta(days=3), "plot": now - timedelta(days=800)}
        return replace(detail, field_fetched=fetched)


def test_age_reads_in_one_short_word() -> None:
    now = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    assert [age(now - timedelta(days=d), now) for d in (0, 3, 20, 90, 800)] == [
        "today",
        "3d",
        "2w",
        "3mo",
        "2y",
    ]
    assert age(None, now) == ""


async def test_age_column_shows_when_each_value_was_fetched() -> None:
    app = MatineeApp(FetchedEngine(movies=5, series=1), bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot)
        table = screen.table
        assert table.cell(table.index_of("title"), "age") == "3d"  # type: ignore[arg-type]
        assert table.cell(table.index_of("plot"), "age") == "2y"  # type: ignore[arg-type]
        assert table.cell(table.index_of("year"), "age") == ""  # type: ignore[arg-type]


def test_missing_line_counts_per_category_then_names() -> None:
    detail = replace(
        _plain_detail(),
        missing=(
            MissingField("tagline", "Tagline", "metadata"),
            MissingField("outline", "Outline", "metadata"),
            MissingField("metacritic_score", "Metacritic", "ratings"),
        ),
    )
    assert missing_line(detail) == "Missing 3 (metadata 2, ratings 1): Tagline, Outline, Metacritic"
    assert missing_line(replace(detail, missing=())) == "Nothing missing"


def _plain_detail() -> EntityDetail:
    summary = make_summary(EntityKind.MOVIE, 0)
    return EntityDetail(summary, {}, {}, {}, frozenset(), (), None, (), (), ())


async def test_i_opens_identify_and_the_detail_reloads_on_return(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(app, pilot, downs=1)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, IdentifyScreen)
        assert app.screen.ref == Ref(EntityKind.MOVIE, 2)
        engine.calls.clear()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is detail
        assert engine.calls_of("show") == [((Ref(EntityKind.MOVIE, 2),), {})]


async def test_a_opens_the_artwork_screen_for_this_title(app: MatineeApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, downs=2)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AssetScreen)
        assert app.screen.ref == Ref(EntityKind.MOVIE, 3)


def make_poster(folder: Path, candidate_id: int) -> Path:
    """A small two-colour JPEG named as FakeArtwork expects (`<candidate id>.jpg`)."""
    image = Image.new("RGB", (40, 60), (200, 40, 40))
    image.paste((30, 60, 200), (0, 30, 40, 60))
    path = folder / f"{candidate_id}.jpg"
    image.save(path)
    return path


async def test_poster_shows_the_selected_posters_file(
    app: MatineeApp, engine: FakeEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(poster_module, "FORCE_HALFBLOCK", True)
    engine.artwork.images = tmp_path
    path = make_poster(tmp_path, 20)  # movie:2's first poster is selected
    make_poster(tmp_path, 21)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        poster = screen.poster
        assert poster.path == path
        assert poster.image is not None and poster.image.size == (40, 60)
        assert poster.display and screen.has_class("-wide")
        # Another poster chosen on the artwork screen shows on return.
        await engine.artwork.select(Ref(EntityKind.MOVIE, 2), "poster", 21)
        app.bridge.flush()
        await settle(pilot)
        assert poster.path == tmp_path / "21.jpg"


async def test_poster_is_hidden_at_80_columns_and_a_missing_file_is_a_placeholder(
    app: MatineeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(poster_module, "FORCE_HALFBLOCK", True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        assert screen.has_class("-narrow")
        assert not screen.poster.region  # not laid out: the fields keep the width
        assert screen.poster.path is None
        assert screen.poster.placeholder_text == "no poster"
        assert screen.table.size.width >= 76
