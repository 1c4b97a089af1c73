"""The command palette offers every action a key can reach, plus a few without a key.

Entries come from the bindings active on the screen the palette was opened from (the focused
widget's, the screen's and the app's), so a new binding is a new palette entry with no list to
keep in step. Each runs in the namespace that owns the binding, as the key would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

__all__ = ["EXTRA_ACTIONS", "MatineeCommands", "palette_entries"]

# (title, app action, help) for actions that have no key of their own.
EXTRA_ACTIONS: tuple[tuple[str, str, str], ...] = ()


def palette_entries(provider: Provider) -> Iterator[tuple[str, Callable[[], object], str]]:
    """(title, run, help) for every enabled binding with a description, then the extras."""
    seen: set[tuple[int, str]] = set()
    app = provider.app
    for active in provider.screen.active_bindings.values():
        binding, node = active.binding, active.node
        if not binding.description or not active.enabled:
            continue
        if not isinstance(node, Screen | App) and not binding.show:
            continue  # a widget's own cursor keys (Up, Page down, …) are not commands
        marker = (id(node), binding.action)
        if marker in seen:
            continue
        seen.add(marker)
        key = app.get_key_display(binding)
        help_text = binding.tooltip or f"key {key}"
        yield binding.description, partial(_run, node, binding.action), help_text
    for title, action, help_text in EXTRA_ACTIONS:
        yield title, partial(app.run_action, action), help_text
    for name in sorted(app.available_themes, key=lambda n: (not n.startswith("matinee"), n)):
        # set_theme also keeps the choice in the config file (`[ui] theme`)
        yield f"Theme: {name}", partial(app.run_action, f"app.set_theme({name!r})"), "Use it"


async def _run(node: DOMNode, action: str) -> None:
    await node.app.run_action(action, node)


class MatineeCommands(Provider):
    """matinee's actions for the command palette."""

    async def discover(self) -> Hits:
        for title, run, help_text in palette_entries(self):
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, help_text in palette_entries(self):
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)
