"""Which key bindings a user can name: the ones the key map (`?`) and the palette list.

Both list the same set, so it is decided here once: enabled bindings with a description, of
the screen or the app (a widget's only when it shows them in the footer; its cursor keys are
not commands), plus a screen binding whose key a focused widget also binds without naming it
(the table's Enter over the screen's "Open"): the key still does what the screen says.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

__all__ = ["listed_bindings"]


def listed_bindings(screen: Screen[object]) -> list[tuple[DOMNode, Binding]]:
    """(owner, binding) pairs, one per key, in the order `active_bindings` gives."""
    out: list[tuple[DOMNode, Binding]] = []
    active = screen.active_bindings
    for item in active.values():
        binding, node = item.binding, item.node
        if not binding.description or not item.enabled:
            continue
        if isinstance(node, Screen | App) or binding.show:
            out.append((node, binding))
    for key, binding in screen._bindings:
        owner = active[key].node if key in active else None
        shadowed = owner is not None and not isinstance(owner, Screen | App)  # by a widget
        action = binding.action.split("(", 1)[0]
        if binding.description and shadowed and screen.check_action(action, ()) is not False:
            out.append((screen, binding))
    return out
