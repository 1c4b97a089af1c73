"""One line of live progress per provider while a title is being enriched.

`tmdb ✓  omdb …  fanart ✗ timed out`: the detail screen feeds it the `ProviderAnswered` events
for its title (`answer`), and says when the enrichment starts and ends (`start`, `finish`). It
knows nothing of the engine or of which title it follows; colours come from theme variables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content
from textual.markup import escape
from textual.widgets import Static

__all__ = ["OUTCOMES", "ProviderProgress", "progress_markup"]

WAITING = "waiting"
NOT_ASKED = "not_asked"

# outcome -> (mark, words shown when the provider gave no detail, theme variable)
OUTCOMES: dict[str, tuple[str, str, str]] = {
    "ok": ("✓", "", "$success"),
    "not_found": ("∅", "not found", "$warning"),
    "failed": ("✗", "failed", "$error"),
    "rate_limited": ("✗", "rate limited", "$warning"),
    "skipped": ("–", "skipped", "$text-muted"),
    WAITING: ("…", "", "$text-muted"),
    NOT_ASKED: ("–", "not asked", "$text-muted"),
}
DETAIL_LIMIT = 24


def _part(provider: str, outcome: str, detail: str) -> str:
    mark, words, colour = OUTCOMES.get(outcome, ("?", outcome, "$text-muted"))
    text = detail or words
    if len(text) > DETAIL_LIMIT:
        text = text[: DETAIL_LIMIT - 1] + "…"
    label = f"{mark} {text}" if text else mark
    return f"{escape(provider)} [{colour}]{escape(label)}[/]"


def progress_markup(states: dict[str, tuple[str, str]], running: bool) -> str:
    """The line for `states` (provider -> (outcome, detail)), in Textual content markup."""
    head = "[b]Refreshing[/b]" if running else "[b]Last refresh[/b]"
    if not states:
        return f"{head}: no provider to ask"
    if not running and all(o in (NOT_ASKED, WAITING) for o, _ in states.values()):
        return f"{head}: no provider was asked (the title is up to date)"
    return f"{head}  " + "  ".join(_part(p, o, d) for p, (o, d) in states.items())


class ProviderProgress(Static):
    """Each provider's state for the title being enriched; hidden until `start` is called."""

    DEFAULT_CSS = """
    ProviderProgress { height: auto; padding: 0 1; }
    ProviderProgress.-idle { display: none; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.add_class("-idle")
        self.states: dict[str, tuple[str, str]] = {}
        """provider -> (outcome, detail), in the order the providers were configured."""
        self.running = False
        self._markup = ""

    @property
    def plain(self) -> str:
        """The line as plain text (what a test asserts on)."""
        return Content.from_markup(self._markup).plain

    @property
    def answered(self) -> bool:
        """Whether any provider has answered in the enrichment shown."""
        return any(o not in (WAITING, NOT_ASKED) for o, _ in self.states.values())

    def start(self, providers: Iterable[str]) -> None:
        """A new enrichment of the title began: every provider is waiting."""
        self.states = {p: (WAITING, "") for p in providers}
        self.running = True
        self._render_line()

    def answer(self, provider: str, outcome: str, detail: str = "") -> None:
        """One provider answered; an enrichment nobody announced starts here."""
        if not self.running:
            self.start(())
        self.states[provider] = (outcome, detail)
        self._render_line()

    def finish(self, failed: Sequence[str] = (), rate_limited: Sequence[str] = ()) -> None:
        """The enrichment ended: providers named by its result and never heard from are marked,
        the others still waiting were not asked."""
        if not self.running and not self.states:
            return
        for provider in rate_limited:
            if self.states.get(provider, (WAITING, ""))[0] == WAITING:
                self.states[provider] = ("rate_limited", "")
        for provider in failed:
            if self.states.get(provider, (WAITING, ""))[0] == WAITING:
                self.states[provider] = ("failed", "")
        self.states = {
            p: ((NOT_ASKED, "") if o == WAITING else (o, d)) for p, (o, d) in self.states.items()
        }
        self.running = False
        self._render_line()

    def _render_line(self) -> None:
        self.remove_class("-idle")
        self.set_class(self.running, "-running")
        self._markup = progress_markup(self.states, self.running)
        self.update(self._markup)
