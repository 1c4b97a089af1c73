"""IdentifyScreen: candidates with explained scores, search again, an id, apply, and errors."""

from __future__ import annotations

from typing import Any

import pytest
from textual.content import Content
from textual.widgets import Input, Static

from matinee.errors import UsageError
from matinee.model import Candidate, EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.screens.identify import IdentifyScreen, explain, parse_id, parse_year

from .conftest import settle
from .fakes import FakeEngine
from .test_detail import open_detail

REF = Ref(EntityKind.MOVIE, 2)
TITLE = "Silent Red 000001"


async def open_identify(app: MatineeApp, pilot: Any) -> IdentifyScreen:
    await open_detail(app, pilot, downs=1)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(app.screen, IdentifyScreen)
    return app.screen


def text(screen: IdentifyScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).visual)


def errors(app: MatineeApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def test_opens_with_the_candidates_and_the_best_ones_reasons(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        assert engine.calls_of("search_candidates") == [((REF,), {"title": None, "year": None})]
        table = screen.table
        assert [table.row_texts(i) for i in range(table.row_count)] == [
            (TITLE, "1951", "tmdb:500", "95%", "strong"),
            (TITLE, "1952", "tmdb:501", "65%", "weak"),
            (TITLE, "1953", "tmdb:502", "35%", "weak"),
        ]
        assert text(screen, "#reasons").splitlines() == [
            f"{TITLE} (1951) · tmdb:500 · score 95% (strong)",
            "  title   100% × 0.60  same title",
            "  year    100% × 0.30  year off by 0",
        ]
        assert text(screen, "#message").startswith(f"3 candidates for “{TITLE}” (its own title)")
        assert text(screen, "#heading") == f"Identify {TITLE} (1951) · movie:2"
        await pilot.press("down")
        assert text(screen, "#reasons").splitlines()[1:] == [
            "  title    80% × 0.60  same title",
            "  year     50% × 0.30  year off by 1",
        ]


async def test_enter_applies_the_highlighted_candidate_and_returns_to_the_detail(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        second = screen.candidates[1]
        engine.calls.clear()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert engine.calls_of("identify") == [
            ((REF,), {"tmdb": None, "imdb": None, "candidate": None, "chosen": second})
        ]
        assert isinstance(app.screen, DetailScreen)
        assert ("show", (REF,), {}) in engine.calls  # the detail reloaded on return
        assert any(
            "identified as Silent Red 000001 (1952) · tmdb:501" in n.message
            for n in app._notifications
        )


async def test_slash_searches_again_with_another_title_and_year(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        await pilot.press("slash")
        title_box = screen.query_one("#search-title", Input)
        year_box = screen.query_one("#search-year", Input)
        assert title_box.has_focus
        assert (title_box.value, year_box.value) == (TITLE, "1951")
        title_box.value = "The Matrix"
        year_box.value = "1999"
        await pilot.press("enter")
        await settle(pilot)
        assert engine.calls_of("search_candidates")[-1] == (
            (REF,),
            {"title": "The Matrix", "year": 1999},
        )
        assert screen.table.row_texts(0)[:2] == ("The Matrix", "1999")
        assert screen.query_one("#search-form").has_class("-hidden")
        assert screen.table.has_focus
        assert text(screen, "#message").startswith("3 candidates for “The Matrix”, year 1999")


async def test_a_year_that_is_not_a_number_is_refused_and_the_form_stays(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        await pilot.press("slash")
        screen.query_one("#search-year", Input).value = "19x9"
        await pilot.press("enter")
        await settle(pilot)
        assert len(engine.calls_of("search_candidates")) == 1  # only the opening search
        assert errors(app) == ["The year must be a number like 1999, not '19x9'"]
        assert not screen.query_one("#search-form").has_class("-hidden")
        assert screen.query_one("#search-year", Input).has_focus


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("603", {"tmdb": 603, "imdb": None}),
        (" tt0133093 ", {"tmdb": None, "imdb": "tt0133093"}),
    ],
)
async def test_number_sign_identifies_by_tmdb_or_imdb_id(
    app: MatineeApp, engine: FakeEngine, typed: str, expected: dict[str, Any]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        await pilot.press("number_sign")
        box = screen.query_one("#id-input", Input)
        assert box.has_focus
        await pilot.press(*typed, "enter")
        await settle(pilot)
        assert engine.calls_of("identify") == [
            ((REF,), expected | {"candidate": None, "chosen": None})
        ]
        assert isinstance(app.screen, DetailScreen)


async def test_a_bad_id_is_refused(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        await pilot.press("number_sign", *"matrix", "enter")
        await settle(pilot)
        assert engine.calls_of("identify") == []
        assert errors(app) == [
            "Not an id: 'matrix'. Type a TMDB number (603) or an IMDb id (tt0133093)."
        ]
        assert app.screen is screen
        assert screen.query_one("#id-input", Input).value == "matrix"


async def test_no_identifier_configured_is_a_message_not_a_traceback(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async def refuse(*args: object, **kwargs: object) -> list[Candidate]:
        raise UsageError("no identifier is configured: add a TMDB key")

    engine.search_candidates = refuse  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        assert app.is_running and screen.table.row_count == 0
        assert text(screen, "#message") == "no identifier is configured: add a TMDB key"
        assert errors(app) == ["no identifier is configured: add a TMDB key"]
        await pilot.press("enter")  # nothing to apply
        await settle(pilot)
        assert engine.calls_of("identify") == []
        assert any("No candidate to apply" in n.message for n in app._notifications)


async def test_nothing_found_says_what_was_searched(app: MatineeApp, engine: FakeEngine) -> None:
    async def nothing(*args: object, **kwargs: object) -> list[Candidate]:
        return []

    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        engine.search_candidates = nothing  # type: ignore[method-assign]
        await pilot.press("slash")
        screen.query_one("#search-title", Input).value = "Zzyzx"
        screen.query_one("#search-year", Input).value = "1888"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.table.row_count == 0
        assert text(screen, "#message").startswith("Nothing found for “Zzyzx”, year 1888.")
        assert text(screen, "#reasons") == ""


async def test_a_refused_identification_stays_on_the_screen(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async def refuse(*args: object, **kwargs: object) -> None:
        raise UsageError("tmdb has no movie 999999")

    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        engine.identify = refuse  # type: ignore[method-assign]
        await pilot.press("number_sign", *"999999", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert errors(app) == ["tmdb has no movie 999999"]
        assert text(screen, "#message") == "tmdb has no movie 999999"


async def test_escape_closes_an_open_form_first(app: MatineeApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_identify(app, pilot)
        await pilot.press("slash")
        await pilot.press("escape")
        assert app.screen is screen
        assert screen.query_one("#search-form").has_class("-hidden")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)


def test_parse_year_and_id() -> None:
    assert parse_year(" ") is None
    assert parse_year("1999") == 1999
    for bad in ("99x", "-1", "12"):
        with pytest.raises(UsageError):
            parse_year(bad)
    assert parse_id("TT0133093") == {"imdb": "tt0133093"}
    for bad in ("0", "tt12", "abc", ""):
        with pytest.raises(UsageError):
            parse_id(bad)


def test_explain_escapes_markup_and_names_the_original_title() -> None:
    candidate = Candidate("tmdb", "1", EntityKind.MOVIE, "[i]Odd[/i]", None, "Originel")
    assert Content.from_markup(explain(candidate)).plain.splitlines() == [
        "[i]Odd[/i] · tmdb:1 · score 0% (weak) · original title Originel",
        "  no reasons given",
    ]


def test_identify_snapshot_at_80x24(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await open_identify(pilot.app, pilot)

    app = MatineeApp(FakeEngine(movies=20, series=2), bridge_timer=False, start="library")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
