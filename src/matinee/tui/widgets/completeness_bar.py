"""A one-line completeness bar: a block bar as wide as the widget, then the percentage.

Reusable wherever a 0-100 completeness is shown large (the dashboard's average, a title's
detail). Colour follows the completeness category through `-good`/`-warn`/`-bad` classes, so
the theme decides what those look like; nothing here knows about the engine.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from matinee.tui import format as fmt

__all__ = ["CompletenessBar", "bar_content"]

_LABEL_CELLS = 5  # " 100%"


def bar_content(value: float, width: int) -> Content:
    """The bar for `value` (0-100) in `width` cells: filled blocks, a dim track, the percent."""
    value = max(0.0, min(100.0, value))
    label = f"{value:3.0f}%"
    cells = max(1, width - _LABEL_CELLS)
    filled = fmt.bar(value, cells).rstrip()
    track = "░" * (cells - len(filled))
    return Content.assemble(filled, (track, "dim"), " ", (label, "bold"))


class CompletenessBar(Widget):
    """`CompletenessBar(62.5)`: a bar across the widget's width, coloured by category."""

    DEFAULT_CSS = """
    CompletenessBar { height: 1; width: 1fr; min-width: 10; }
    CompletenessBar.-good { color: $success; }
    CompletenessBar.-warn { color: $warning; }
    CompletenessBar.-bad { color: $error; }
    """

    value: reactive[float] = reactive(0.0)
    """The completeness shown, 0-100."""

    def __init__(
        self,
        value: float = 0.0,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(CompletenessBar.value, value)
        self._set_category(value)

    def watch_value(self, value: float) -> None:
        self._set_category(value)

    def _set_category(self, value: float) -> None:
        style = fmt.category_style(value)
        for name in ("good", "warn", "bad"):
            self.set_class(name == style, f"-{name}")

    def render(self) -> RenderResult:
        return bar_content(self.value, self.content_region.width or self.size.width)
