"""The command palette offers every action a key can reach, and every theme.

Entries are the bindings `bindings.listed_bindings` names on the screen the palette was opened
from (the key map lists the same), so a new binding is a new palette entry with no list to keep
in step. Each runs in the namespace that owns the binding, as the key would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from matinee.tui.bindings import listed_bindings

__all__ = ["MatineeCommands", "palette_entries"]


def palette_entries(provider: Provider) -> Iterator[tuple[str, Callable[[], object], str]]:
    """(title, run, help) for every binding a user can name, then one entry per theme."""
    app = provider.app
    seen: set[tuple[int, str]] = set()  # an action on two keys (q, ctrl+q) is one command
    for node, binding in listed_bindings(provider.screen):
        if (id(node), binding.action) in seen:
            continue
        seen.add((id(node), binding.action))
        help_text = binding.tooltip or f"key {app.get_key_display(binding)}"
        yield binding.description, partial(_run, node, binding.action), help_text
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
