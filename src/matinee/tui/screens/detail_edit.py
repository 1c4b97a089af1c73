"""Editing one field in place on the detail screen, without ever losing what was typed.

`FieldEditor` is a panel under the fields table: an `Input` for scalars and lists (a list is
typed comma-separated), a `TextArea` for long text. It only posts `Saved`/`Cancelled`; the
screen calls `engine.set_field` and closes the editor only once the engine accepted the value,
so a refused value (a year that is not a number) leaves the typed text in place.

The text <-> value helpers are pure: `editor_text` is the untruncated prefill (the table's
cells are cut at 400 characters, an edit must not be), `edited_value` what is sent to the
engine, which coerces numbers and dates itself and raises `UsageError` when it cannot.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static, TextArea

from matinee.model import FieldKind, FieldSpec
from matinee.tui import format as fmt

__all__ = ["LONG_TEXT", "FieldEditor", "edited_value", "editor_text", "uses_text_area"]

LONG_TEXT = frozenset({"plot", "outline"})
"""Text fields edited in a TextArea whatever their length."""
LONG_LIMIT = 100

_PERSON = re.compile(r"^(?P<name>.*?)\s*\((?P<role>.*)\)$")


def uses_text_area(spec: FieldSpec, value: Any) -> bool:
    """Long text (a plot, or any text that is long or has line breaks) gets a TextArea."""
    if spec.kind is not FieldKind.TEXT:
        return False
    text = value if isinstance(value, str) else ""
    return spec.name in LONG_TEXT or len(text) > LONG_LIMIT or "\n" in text


def editor_text(spec: FieldSpec, value: Any) -> str:
    """The editor's prefill: the whole value, a list comma-separated."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:g}"
    return fmt.field_value(value, limit=1_000_000)


def edited_value(spec: FieldSpec, text: str, current: Any = None) -> Any:
    """What `set_field` receives for the typed `text`.

    Blank clears the field (None); a list becomes a list of its comma-separated items, and a
    list of people (the cast) a list of `{"name", "character"}` from `Name (Character)`, keeping
    what else was known about a person already there; anything else is the text, which the
    engine coerces to the field's kind.
    """
    stripped = text.strip()
    if not stripped:
        return None
    if spec.kind is not FieldKind.LIST:
        return text if spec.kind is FieldKind.TEXT and "\n" in stripped else stripped
    items = [part.strip() for part in stripped.split(",") if part.strip()]
    people = isinstance(current, list | tuple) and any(isinstance(v, Mapping) for v in current)
    if not people:
        return items
    known = {
        str(v.get("name")): dict(v) for v in current if isinstance(v, Mapping) and v.get("name")
    }
    out = []
    for order, item in enumerate(items):
        match = _PERSON.match(item)
        name, role = (match["name"], match["role"].strip() or None) if match else (item, None)
        person = known.get(name, {}) | {"name": name, "character": role, "order": order}
        out.append(person)
    return out


class FieldEditor(Vertical):
    """The in-place editor: opened on a field, posts `Saved` or `Cancelled`, hidden otherwise."""

    DEFAULT_CSS = """
    FieldEditor { height: auto; }
    FieldEditor.-closed { display: none; }
    FieldEditor #editor-area { display: none; height: 8; }
    FieldEditor.-long #editor-area { display: block; }
    FieldEditor.-long #editor-input { display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", show=True, tooltip="Save the value and lock the field"),
        Binding("escape", "cancel", "Cancel edit", show=True),
    ]

    class Saved(Message):
        """The user asked to save `text` as the value of `field`."""

        def __init__(self, field: str, text: str) -> None:
            super().__init__()
            self.field = field
            self.text = text

    class Cancelled(Message):
        """The user gave up the edit of `field`."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-closed")
        self.spec: FieldSpec | None = None
        self.original = ""

    def compose(self) -> ComposeResult:
        yield Static(id="editor-label", markup=False)
        yield Input(id="editor-input", compact=True)
        yield TextArea(id="editor-area", soft_wrap=True, show_line_numbers=False)

    @property
    def is_open(self) -> bool:
        return self.spec is not None

    @property
    def field(self) -> str | None:
        return self.spec.name if self.spec else None

    @property
    def _input(self) -> Input:
        return self.query_one("#editor-input", Input)

    @property
    def _area(self) -> TextArea:
        return self.query_one("#editor-area", TextArea)

    @property
    def text(self) -> str:
        """What is typed now."""
        if self.spec is None:
            return ""
        return self._area.text if self.has_class("-long") else self._input.value

    @property
    def changed(self) -> bool:
        return self.is_open and self.text != self.original

    def open(self, spec: FieldSpec, value: Any) -> None:
        """Show the editor for `spec`, prefilled with `value`, and focus it."""
        self.spec = spec
        long = uses_text_area(spec, value)
        self.original = editor_text(spec, value)
        hint = "ctrl+s saves" if long else "enter saves"
        if spec.kind is FieldKind.LIST:
            hint = "comma-separated · " + hint
        self.query_one("#editor-label", Static).update(
            f"Edit {spec.display_name} ({hint}, escape cancels; saving locks the field)"
        )
        self.set_class(long, "-long")
        if long:
            self._area.load_text(self.original)
            self._area.move_cursor(self._area.document.end)
        else:
            self._input.value = self.original
            self._input.cursor_position = len(self.original)
        self.remove_class("-closed")
        self.focus_editor()

    def focus_editor(self) -> None:
        (self._area if self.has_class("-long") else self._input).focus()

    def close(self) -> None:
        self.spec = None
        self.original = ""
        self.add_class("-closed")

    def action_save(self) -> None:
        if self.spec is not None:
            self.post_message(self.Saved(self.spec.name, self.text))

    def action_cancel(self) -> None:
        if self.spec is not None:
            self.post_message(self.Cancelled(self.spec.name))

    @on(Input.Submitted, "#editor-input")
    def _on_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.action_save()
