"""AssetScreen: slots and candidates with marks, score parts, previews, select/lock/unlock/refresh
through `engine.artwork`, season art, the empty and error paths, and two snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from textual.pilot import Pilot
from textual.widgets import Static

from matinee.assets.model import AssetCandidate, ScoreParts
from matinee.engine.events import EntityChanged
from matinee.errors import NotFoundError, UsageError
from matinee.model import EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.screens.assets import NO_CANDIDATES, AssetScreen
from matinee.tui.widgets import poster

from .conftest import settle
from .fakes import FakeArtwork, FakeEngine

REF = Ref(EntityKind.MOVIE, 1)
SEASON_ID = 19
SIZE = (120, 36)


@pytest.fixture(autouse=True)
def halfblock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(poster, "FORCE_HALFBLOCK", True)
    yield


class ScoredArtwork(FakeArtwork):
    """FakeArtwork with scores as the engine gives them (0-100, five parts in points) and a
    season 1 poster; records the season each select named."""

    def __init__(self, engine: FakeEngine) -> None:
        super().__init__(engine)
        self.season_pick: int | None = None

    async def candidates(self, ref: Ref) -> list[AssetCandidate]:
        out = []
        for c in await super().candidates(ref):
            n = (c.id or 0) % 10
            language = {"en": 20.0, None: 12.0}.get(c.language, 6.0)
            parts = ScoreParts(30.0 - 3 * n, 20.0 - 2 * n, language, 20.0 - 4 * n, 10.0 - n)
            real = (300, 450) if c.slot == "poster" else (320, 180)
            out.append(
                replace(
                    c,
                    score=parts.total,
                    parts=parts.as_dict(),
                    real_width=real[0],
                    real_height=real[1],
                )
            )
        parts = ScoreParts(20.0, 20.0, 20.0, 4.0, 10.0)
        out.append(
            AssetCandidate(
                ref.id,
                "poster",
                "tmdb",
                "https://img/s1.jpg",
                id=ref.id * 10 + 9,
                season=1,
                language="en",
                votes=3,
                width=680,
                height=1000,
                score=parts.total,
                parts=parts.as_dict(),
                selected=True,
                selected_by="user" if self.season_pick else "auto",
            )
        )
        return out

    async def select(
        self, ref: Ref, slot: str, asset_id: int, season: int | None = None
    ) -> AssetCandidate:
        if season is None:
            return await super().select(ref, slot, asset_id)
        self._engine._record("artwork.select", ref, slot, asset_id, season)
        self.season_pick = asset_id
        return next(c for c in await self.candidates(ref) if c.id == asset_id)


def make_engine(images: Path | None = None) -> FakeEngine:
    engine = FakeEngine(movies=5, series=1)
    engine.artwork = ScoredArtwork(engine)
    engine.artwork.images = images
    return engine


def make_images(folder: Path, ids: range = range(10, 15)) -> Path:
    """Small two-tone JPEGs named `<candidate id>.jpg` (posters tall, fanart wide)."""
    folder.mkdir(exist_ok=True)
    for cid in ids:
        size = (200, 300) if cid % 10 < 3 or cid % 10 == 9 else (320, 180)
        image = Image.new("RGB", size, (200, 40 * (cid % 10), 40))
        image.paste((30, 60, 200), (0, size[1] // 2, size[0], size[1]))
        image.save(folder / f"{cid}.jpg", quality=90)
    return folder


async def open_assets(app: MatineeApp, pilot: Pilot[int], engine: FakeEngine) -> AssetScreen:
    await settle(pilot)
    screen = AssetScreen(engine, REF)
    await app.push_screen(screen)
    await settle(pilot)
    await settle(pilot)  # the preview's decoding worker starts after the load worker ends
    assert app.screen is screen
    return screen


def slot_labels(screen: AssetScreen) -> list[tuple[str, str]]:
    return [(row.label, "locked" if row.locked else "") for row in screen.slots.rows]


def candidate_ids(screen: AssetScreen) -> list[int | None]:
    return [c.id for c in screen.table.rows]


def marks(screen: AssetScreen) -> dict[int | None, str]:
    return {c.id: screen.table.cell(i, "mark") for i, c in enumerate(screen.table.rows)}


def messages(app: MatineeApp) -> list[tuple[str, str]]:
    return [(n.message, n.severity) for n in app._notifications]


def static_text(screen: AssetScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def test_lists_slots_candidates_and_score_parts() -> None:
    engine = make_engine()
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assets(app, pilot, engine)
        assert slot_labels(screen) == [("poster", ""), ("fanart", ""), ("season 1 poster", "")]
        assert screen.slot == ("poster", None)
        assert candidate_ids(screen) == [10, 11, 12]  # best score first
        assert screen.table.row_texts(1) == ("", "fanart", "1000×1500", "9", "82%", "textless")
        assert marks(screen) == {10: "✓", 11: "", 12: ""}
        assert screen.candidate is not None and screen.candidate.id == 10
        parts = static_text(screen, "#parts")
        assert parts.splitlines()[0] == "tmdb · en · score 100%"
        assert "resolution ███" in parts and "30.0/30 1000×1500" in parts
        assert "aspect" in parts and "300×450 seen" in parts
        assert "Chosen automatically" in parts
        assert static_text(screen, "#heading") == "Red Red 000000 (1950) · artwork"
        assert screen.query_one("#parts").border_title == "poster · 3 candidates · automatic"
        assert not screen.query_one("#message").display

        await pilot.press("down")
        await settle(pilot)
        parts = static_text(screen, "#parts")
        assert parts.startswith("fanart · textless") and "Chosen" not in parts


async def test_enter_chooses_the_highlighted_candidate_and_locks_the_slot() -> None:
    engine = make_engine()
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assets(app, pilot, engine)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert engine.calls_of("artwork.select") == [((REF, "poster", 12), {})]
        assert marks(screen) == {10: "", 11: "", 12: "🔒"}
        assert slot_labels(screen)[0] == ("poster", "locked")
        assert screen.candidate is not None and screen.candidate.id == 12  # cursor stays
        assert ("tmdb image (de) chosen; poster is locked", "information") in messages(app)
        assert "Chosen by you" in static_text(screen, "#parts")
        await pilot.press("enter")  # the user's pick already: nothing to ask the engine
        await settle(pilot)
        assert len(engine.calls_of("artwork.select")) == 1
        assert ("The poster is this image already", "information") in messages(app)
        assert screen.query_one("#parts").border_title == "poster · 3 candidates · locked"


async def test_lock_keeps_the_automatic_choice_and_unlock_hands_it_back() -> None:
    engine = make_engine()
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assets(app, pilot, engine)
        await pilot.press("u")  # not locked: nothing to do
        await settle(pilot)
        assert engine.calls_of("artwork.unlock") == []
        assert ("poster is automatic already", "information") in messages(app)

        await pilot.press("down", "l")  # the highlighted row does not matter: lock keeps 10
        await settle(pilot)
        assert engine.calls_of("artwork.select") == [((REF, "poster", 10), {})]
        assert marks(screen)[10] == "🔒"

        await pilot.press("l")
        await settle(pilot)
        assert len(engine.calls_of("artwork.select")) == 1
        assert ("poster is locked already", "information") in messages(app)

        await pilot.press("u")
        await settle(pilot)
        assert engine.calls_of("artwork.unlock") == [((REF, "poster", None), {})]
        assert marks(screen) == {10: "✓", 11: "", 12: ""}
        assert slot_labels(screen)[0] == ("poster", "")


async def test_refresh_reports_counts_and_reloads() -> None:
    engine = make_engine()
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        await open_assets(app, pilot, engine)
        loads = len(engine.calls_of("show"))
        await pilot.press("r")
        await settle(pilot)
        assert engine.calls_of("artwork.refresh") == [((REF,), {})]
        assert ("5 analysed, 2 selected, 0 downloaded", "information") in messages(app)
        assert len(engine.calls_of("show")) == loads  # the title is fetched once


async def test_slot_switching_with_arrows_tab_and_wraparound() -> None:
    engine = make_engine()
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assets(app, pilot, engine)
        await pilot.press("right")
        await settle(pilot)
        assert screen.slot == ("fanart", None)
        assert candidate_ids(screen) == [13, 14]
        await pilot.press("down", "enter")  # choose the second fanart
        await settle(pilot)
        assert engine.calls_of("artwork.select") == [((REF, "fanart", 14), {})]

        await pilot.press("tab")
        await settle(pilot)
        assert screen.slot == ("poster", 1)
        assert candidate_ids(screen) == [SEASON_ID]
        await pilot.press("tab")  # wraps to the first slot
        await settle(pilot)
        assert screen.slot == ("poster", None)
        await pilot.press("left")  # and back round to the last
        await settle(pilot)
        assert screen.slot == ("poster", 1)
        await pilot.press("shift+tab")
        await settle(pilot)
        assert screen.slot == ("fanart", None)
        # A slot opens on its current choice.
        assert screen.candidate is not None and screen.candidate.id == 14

        await pilot.click("#slots", offset=(2, 1))  # the list's first row (under its header)
        await settle(pilot)
        assert screen.slot == ("poster", None)


async def test_season_art_is_labelled_and_selected_with_its_season() -> None:
    engine = make_engine()
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assets(app, pilot, engine)
        await pilot.press("left", "enter")
        await settle(pilot)
        assert engine.calls_of("artwork.select") == [((REF, "poster", SEASON_ID, 1), {})]
        assert slot_labels(screen)[2] == ("season 1 poster", "locked")
        await pilot.press("u")
        await settle(pilot)
        assert engine.calls_of("artwork.unlock") == [((REF, "poster", 1), {})]


async def test_preview_shows_the_cached_file_of_the_highlighted_candidate(
    tmp_path: Path,
) -> None:
    images = make_images(tmp_path / "cache", ids=range(10, 12))
    engine = make_engine(images)
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assets(app, pilot, engine)
        assert screen.preview.path == images / "10.jpg"
        assert screen.preview.image is not None and screen.preview.image.size == (200, 300)
        await pilot.press("down")
        await settle(pilot)
        assert screen.preview.path == images / "11.jpg"
        assert screen.preview.image is not None
        await pilot.press("down")  # 12 has no cached file
        await settle(pilot)
        assert screen.preview.path is None
        assert screen.preview.placeholder_text == "no preview cached yet"
        assert screen.preview.image is None


async def test_a_title_without_candidates_says_how_to_get_some() -> None:
    engine = make_engine()

    async def nothing(ref: Ref) -> list[AssetCandidate]:
        return []

    engine.artwork.candidates = nothing  # type: ignore[method-assign]
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assets(app, pilot, engine)
        assert static_text(screen, "#message") == NO_CANDIDATES
        assert screen.query_one("#message").display
        assert not screen.query_one("#body").display
        await pilot.press("enter", "l", "u", "right")
        await settle(pilot)
        assert engine.calls_of("artwork.select") == engine.calls_of("artwork.unlock") == []


async def test_engine_errors_become_notifications() -> None:
    engine = make_engine()

    async def missing(ref: Ref) -> list[AssetCandidate]:
        raise NotFoundError(f"{ref}: no such title")

    good = engine.artwork.candidates
    engine.artwork.candidates = missing  # type: ignore[method-assign]
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assets(app, pilot, engine)
        assert ("movie:1: no such title", "error") in messages(app)
        assert static_text(screen, "#message") == "movie:1: no such title"

        engine.artwork.candidates = good  # type: ignore[method-assign]

        async def refused(
            ref: Ref, slot: str, asset_id: int, season: int | None = None
        ) -> AssetCandidate:
            raise UsageError(f"unknown slot {slot!r}")

        engine.artwork.select = refused  # type: ignore[method-assign]
        engine.bus.publish(EntityChanged(REF, ("poster",)))
        app.bridge.flush()
        await settle(pilot)
        assert screen.query_one("#body").display  # the event reloaded the candidates
        await pilot.press("enter")
        await settle(pilot)
        assert ("unknown slot 'poster'", "error") in messages(app)
        assert marks(screen)[10] == "✓"  # nothing changed
        assert app.screen is screen


async def test_escape_goes_back() -> None:
    engine = make_engine()
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assets(app, pilot, engine)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(make_images(tmp_path / "cache"))
    app = MatineeApp(engine, bridge_timer=False, start="library")

    async def open_screen(pilot: Pilot[int]) -> None:
        await open_assets(app, pilot, engine)

    assert snap_compare(app, terminal_size=size, run_before=open_screen)
