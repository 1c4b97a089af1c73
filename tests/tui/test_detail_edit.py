"""Editing a field in place on the detail screen: the value sent, the lock, the user badge, and
an edit that survives the engine refusing it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.widgets import Input, TextArea

from matinee.errors import UsageError
from matinee.model import FIELD_BY_NAME, EntityDetail, EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.screens.detail_edit import edited_value, editor_text, uses_text_area

from .conftest import settle
from .fakes import FakeEngine
from .test_detail import open_detail

SIZE = (120, 40)
REF = Ref(EntityKind.MOVIE, 2)


class EditingEngine(FakeEngine):
    """Like the engine: an edited field's source becomes "user", and a year must be a number."""

    async def show(self, ref: Ref) -> EntityDetail:
        detail = await super().show(ref)
        edited = dict.fromkeys(self.edits.get(ref, {}), "user")
        return replace(detail, field_sources=detail.field_sources | edited)

    async def set_field(self, ref: Ref, field: str, value: Any) -> None:
        if field == "year" and not str(value).strip().isdigit():
            self._record("set_field", ref, field, value)
            raise UsageError(f"year takes a number, not {value!r}")
        await super().set_field(ref, field, value)


def make_app() -> tuple[MatineeApp, EditingEngine]:
    engine = EditingEngine(movies=10, series=1)
    return MatineeApp(engine, bridge_timer=False, start="library"), engine


async def move_to(screen: DetailScreen, pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    index = screen.table.index_of(name)
    assert index is not None
    screen.table.move_cursor(index)
    await pilot.pause()


async def retype(pilot, text: str, old_length: int) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*(["backspace"] * old_length), *text)


def row(screen: DetailScreen, name: str, column: str) -> str:
    return screen.table.cell(screen.table.index_of(name), column)  # type: ignore[arg-type]


async def test_e_edits_a_number_in_place_and_locks_it() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await move_to(screen, pilot, "year")
        await pilot.press("e")
        await pilot.pause()
        box = screen.query_one("#editor-input", Input)
        assert screen.editor.is_open and screen.editor.field == "year"
        assert box.has_focus and box.value == "1951"
        await retype(pilot, "2001", 4)
        await pilot.press("enter")
        await settle(pilot)
        assert engine.calls_of("set_field") == [((REF, "year", "2001"), {})]
        assert not screen.editor.is_open
        assert screen.table.has_focus
        assert row(screen, "year", "value") == "2001"
        assert row(screen, "year", "source") == "user"
        assert row(screen, "year", "locked") == "🔒"
        assert any(n.message == "Year saved and locked" for n in app._notifications)


async def test_a_refused_value_keeps_the_editor_open_with_the_typed_text() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await move_to(screen, pilot, "year")
        await pilot.press("e")
        await retype(pilot, "19x9", 4)
        await pilot.press("enter")
        await settle(pilot)
        assert engine.calls_of("set_field") == [((REF, "year", "19x9"), {})]
        errors = [n for n in app._notifications if n.severity == "error"]
        assert [n.message for n in errors] == ["year takes a number, not '19x9'"]
        assert errors[0].title == "Year not saved"
        box = screen.query_one("#editor-input", Input)
        assert screen.editor.is_open and box.value == "19x9" and box.has_focus
        assert row(screen, "year", "value") == "1951"
        assert row(screen, "year", "locked") == ""
        # Fixing the text saves it.
        await retype(pilot, "1999", 4)
        await pilot.press("enter")
        await settle(pilot)
        assert engine.calls_of("set_field")[-1] == ((REF, "year", "1999"), {})
        assert row(screen, "year", "value") == "1999"


async def test_plot_is_edited_whole_in_a_text_area_and_saved_with_ctrl_s() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await move_to(screen, pilot, "plot")
        await pilot.press("e")
        await pilot.pause()
        area = screen.query_one("#editor-area", TextArea)
        assert area.has_focus
        assert area.text == "A long plot. " * 40  # 520 characters: not the table's 400-cut
        area.text = "A short plot."
        area.move_cursor(area.document.end)
        await pilot.press("enter", *"Second line.")  # enter is a new line here, not a save
        assert screen.editor.is_open
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert engine.calls_of("set_field") == [((REF, "plot", "A short plot.\nSecond line."), {})]
        assert row(screen, "plot", "value") == "A short plot. Second line."
        assert row(screen, "plot", "source") == "user"


async def test_a_list_is_edited_comma_separated_and_saved_as_a_list() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await move_to(screen, pilot, "genres")
        await pilot.press("e")
        await pilot.pause()
        assert screen.query_one("#editor-input", Input).value == "Drama, Thriller"
        await pilot.press("end", *", Film noir")
        await pilot.press("enter")
        await settle(pilot)
        assert engine.calls_of("set_field") == [
            ((REF, "genres", ["Drama", "Thriller", "Film noir"]), {})
        ]
        assert row(screen, "genres", "value") == "Drama, Thriller, Film noir"


async def test_escape_cancels_without_saving() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await move_to(screen, pilot, "title")
        await pilot.press("e", "x", "escape")
        await settle(pilot)
        assert not screen.editor.is_open
        assert engine.calls_of("set_field") == []
        assert app.screen is screen  # escape closed the editor, not the screen
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen


async def test_leaving_with_an_unsaved_edit_is_refused() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await move_to(screen, pilot, "tagline")
        await pilot.press("e", *"Hello")
        screen.table.focus()
        await pilot.press("down", "e")  # another field: the edit in progress wins
        assert screen.query_one("#editor-input", Input).has_focus
        screen.table.focus()
        await pilot.press("escape")  # the screen's back: refused too
        await settle(pilot)
        assert app.screen is screen
        assert screen.editor.field == "tagline"
        assert screen.query_one("#editor-input", Input).value == "Hello"
        assert screen.query_one("#editor-input", Input).has_focus
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("Finish the edit of Tagline first" in m for m in warnings)
        assert any("Tagline has an unsaved edit" in m for m in warnings)
        assert engine.calls_of("set_field") == []


async def test_e_again_on_the_field_being_edited_keeps_the_typed_text() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await move_to(screen, pilot, "tagline")
        await pilot.press("e", *"Half typed")
        screen.table.focus()
        await pilot.press("e")
        box = screen.query_one("#editor-input", Input)
        assert box.has_focus and box.value == "Half typed"


async def test_artwork_fields_point_to_the_artwork_screen() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await move_to(screen, pilot, "poster")
        await pilot.press("e")
        await settle(pilot)
        assert not screen.editor.is_open
        assert any("artwork screen: press a" in n.message for n in app._notifications)


async def test_a_blank_value_clears_the_field() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await move_to(screen, pilot, "imdb_rating")
        await pilot.press("e")
        await retype(pilot, "", 3)
        await pilot.press("enter")
        await settle(pilot)
        assert engine.calls_of("set_field") == [((REF, "imdb_rating", None), {})]
        assert row(screen, "imdb_rating", "missing") == "missing"
        assert row(screen, "imdb_rating", "locked") == "🔒"
        assert any(n.message == "IMDb rating cleared and locked" for n in app._notifications)


def test_editor_text_is_the_whole_value() -> None:
    spec = FIELD_BY_NAME
    assert editor_text(spec["imdb_rating"], 7.5) == "7.5"
    assert editor_text(spec["year"], 1999) == "1999"
    assert editor_text(spec["year"], None) == ""
    assert editor_text(spec["genres"], ["A"] * 300) == ", ".join(["A"] * 300)
    cast = [{"name": "Ada", "character": "Countess"}, {"name": "Alan", "character": None}]
    assert editor_text(spec["cast"], cast) == "Ada (Countess), Alan"


def test_text_area_for_long_text_only() -> None:
    spec = FIELD_BY_NAME
    assert uses_text_area(spec["plot"], None)
    assert uses_text_area(spec["tagline"], "x" * 101)
    assert uses_text_area(spec["awards"], "one\ntwo")
    assert not uses_text_area(spec["tagline"], "short")
    assert not uses_text_area(spec["genres"], ["x" * 200])


def test_edited_value_per_kind() -> None:
    spec = FIELD_BY_NAME
    assert edited_value(spec["year"], " 1999 ") == "1999"  # the engine coerces numbers
    assert edited_value(spec["title"], "   ") is None
    assert edited_value(spec["plot"], "One.\nTwo.\n") == "One.\nTwo.\n"
    assert edited_value(spec["genres"], "Drama, , Noir ,") == ["Drama", "Noir"]
    current = [{"name": "Ada", "character": "Countess", "order": 0, "id": 7}]
    assert edited_value(spec["cast"], "Alan (Himself (voice)), Ada (Queen), Grace", current) == [
        {"name": "Alan", "character": "Himself (voice)", "order": 0},
        {"name": "Ada", "character": "Queen", "order": 1, "id": 7},
        {"name": "Grace", "character": None, "order": 2},
    ]
