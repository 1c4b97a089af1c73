"""The library's series tree: series > season > episode, loaded lazily, missing episodes marked."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.style import Style
from textual.pilot import Pilot
from textual.widgets import Static

from matinee.engine.events import EnrichmentFinished
from matinee.model import (
    EntityDetail,
    EntityKind,
    EntitySummary,
    Identification,
    Ids,
    Ref,
    category_for,
)
from matinee.tui.app import MatineeApp
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.screens.library import LibraryScreen
from matinee.tui.widgets.series_tree import Season, SeriesTree, group_seasons

from .conftest import settle
from .fakes import FakeEngine

SIZE = (120, 40)
SERIES = EntityKind.SERIES
FIRST = Ref(SERIES, 1)


def episode(
    series: Ref, season: int | None, number: int | None, on_disk: bool = True
) -> EntitySummary:
    completeness = 80.0 if on_disk else 0.0
    return EntitySummary(
        ref=Ref(EntityKind.EPISODE, series.id * 1000 + (season or 0) * 100 + (number or 0)),
        title=f"Episode {number} of season {season}",
        year=None,
        ids=Ids(),
        identification=Identification("identified"),
        completeness=completeness,
        category=category_for(completeness),
        last_enriched=None,
        partial=False,
        parent=Ref(EntityKind.SEASON, series.id * 10 + (season or 0)),
        season_number=season,
        episode_number=number,
        on_disk=on_disk,
        files=(f"/media/series/{series.id}/S{season}E{number}.mkv",) if on_disk else (),
    )


class SeriesEngine(FakeEngine):
    """A FakeEngine whose series have episodes: season 1 holds 3, all on disk; season 2 lists 4,
    of which episodes 3 and 4 are not on disk."""

    def __init__(self, movies: int = 100, series: int = 20) -> None:
        super().__init__(movies=movies, series=series)
        self.episodes: dict[Ref, tuple[EntitySummary, ...]] = {}
        for ref in [r for r in self.table if r.kind == SERIES]:
            eps = [episode(ref, 1, n) for n in (1, 2, 3)]
            eps += [episode(ref, 2, n, on_disk=n < 3) for n in (1, 2, 3, 4)]
            self.episodes[ref] = tuple(eps)
            self.table.update((e.ref, e) for e in eps)  # `show(episode)` finds them

    async def show(self, ref: Ref) -> EntityDetail:
        summary = self.table[ref]
        if summary.files:
            detail = await super().show(ref)
        else:  # FakeEngine.show reads a title's first file; an episode not on disk has none
            self.table[ref] = replace(summary, files=("/none",))
            try:
                detail = replace(await super().show(ref), summary=summary, files=())
            finally:
                self.table[ref] = summary
        if ref.kind == SERIES:
            detail = replace(detail, children=self.episodes[ref])
        return detail


def make_app() -> tuple[MatineeApp, SeriesEngine]:
    engine = SeriesEngine()
    return MatineeApp(engine, bridge_timer=False, start="library"), engine


async def series_view(pilot: Pilot[Any]) -> tuple[LibraryScreen, SeriesTree]:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return screen, screen.series_tree


def plain(tree: SeriesTree, node: Any) -> str:
    return tree.render_label(node, Style(), Style()).plain.rstrip()


def test_group_seasons_orders_and_counts() -> None:
    eps = [
        episode(FIRST, 2, 2, on_disk=False),
        episode(FIRST, None, 1),
        episode(FIRST, 2, 1),
        episode(FIRST, 0, 1),
        episode(FIRST, 1, 1),
    ]
    groups = group_seasons(FIRST, eps)
    assert [s for s, _ in groups] == [
        Season(FIRST, 0, 1, 1),
        Season(FIRST, 1, 1, 1),
        Season(FIRST, 2, 1, 2),
        Season(FIRST, None, 1, 1),
    ]
    assert [e.episode_number for e in groups[2][1]] == [1, 2]
    assert [s.label for s, _ in groups] == [
        "Specials · 1/1 on disk",
        "Season 1 · 1/1 on disk",
        "Season 2 · 1/2 on disk",
        "No season · 1/1 on disk",
    ]


async def test_episodes_load_only_when_a_series_is_expanded() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        _, tree = await series_view(pilot)
        assert engine.calls_of("show") == []
        assert tree.series_count == 20
        assert plain(tree, tree.root.children[0]).startswith("▶ Red Red 000000 ")
        await pilot.press("space")
        await settle(pilot)
        assert engine.calls_of("show") == [((FIRST,), {})]
        node = tree.root.children[0]
        assert node.is_expanded
        assert [plain(tree, c) for c in node.children] == [
            "▶ Season 1 · 3/3 on disk",
            "▶ Season 2 · 2/4 on disk",
        ]
        # Collapsing and expanding again uses what the tree holds.
        await pilot.press("space", "space")
        await settle(pilot)
        assert len(engine.calls_of("show")) == 1


async def test_missing_episodes_are_marked_in_warning_style() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        _, tree = await series_view(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # Enter on a season toggles it
        await settle(pilot)
        season = tree.root.children[0].children[1]
        assert season.is_expanded and isinstance(season.data, Season)
        warn = tree.get_component_rich_style("series-tree--warn", partial=True)
        labels = [tree.render_label(e, Style(), Style()) for e in season.children]
        texts = [label.plain.split() for label in labels]
        assert [t[0] for t in texts] == ["S02E01", "S02E02", "S02E03", "S02E04"]
        assert ["missing" in t for t in texts] == [False, False, True, True]
        for label in labels[2:]:
            start = label.plain.index("missing")
            styles = [s.style for s in label.spans if s.start <= start < s.end]
            assert warn in styles
        season_label = tree.render_label(season, Style(), Style())
        assert season_label.plain.strip() == "▼ Season 2 · 2/4 on disk"
        assert any(s.style == warn for s in season_label.spans)


async def test_enter_opens_the_series_or_the_episode_and_refresh_targets_the_series() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        _, tree = await series_view(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.ref == FIRST
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("space", "down", "space")  # expand the series, then season 1
        await settle(pilot)
        await pilot.press("down", "down")
        assert tree.cursor_ref == engine.episodes[FIRST][1].ref
        assert tree.cursor_series == FIRST
        await pilot.press("r")
        await settle(pilot)
        assert [args for args, _ in engine.calls_of("enrich")] == [([FIRST],)]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.ref == engine.episodes[FIRST][1].ref
        assert [n for n in app._notifications if n.severity == "error"] == []
        await pilot.press("escape")
        await settle(pilot)
        # Enter on a season (the cursor is back on the episode: go up to season 1) toggles it.
        await pilot.press("up", "up", "enter")
        await settle(pilot)
        assert not tree.root.children[0].children[0].is_expanded
        assert isinstance(app.screen, LibraryScreen)


async def test_an_event_refreshes_the_series_line_and_its_episodes() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        _, tree = await series_view(pilot)
        await pilot.press("space")
        await settle(pilot)
        engine.table[FIRST] = replace(engine.table[FIRST], title="Renamed")
        engine.episodes[FIRST] = engine.episodes[FIRST][:3]  # season 2 gone
        engine.calls.clear()
        engine.bus.publish(EnrichmentFinished(FIRST, "Renamed", ("title",), 95.0, False))
        app.bridge.flush()
        await settle(pilot)
        assert engine.calls == [("show", (FIRST,), {})]
        node = tree.root.children[0]
        assert plain(tree, node).startswith("▼ Renamed ")
        assert [plain(tree, c) for c in node.children] == ["▶ Season 1 · 3/3 on disk"]


async def test_sort_search_keep_the_expanded_series_and_show_in_the_caption() -> None:
    app, engine = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, tree = await series_view(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("s", "s")  # year ascending, then descending
        await settle(pilot)
        years = [n.data.year for n in tree.root.children if isinstance(n.data, EntitySummary)]
        assert years == sorted(years, reverse=True)
        caption = str(screen.query_one("#tree-caption", Static).render())
        assert caption.startswith("20 series · sorted by Year ▼")
        first = next(n for n in tree.root.children if n.data is not None and n.data.ref == FIRST)
        assert first.is_expanded and len(first.children) == 2
        assert tree.cursor_ref == FIRST  # the cursor followed its series
        assert len(engine.calls_of("show")) == 1
        await pilot.press("slash", "n", "o", "t", "h", "i", "n", "g")
        await pilot.pause()
        assert tree.series_count == 0 and tree.cursor_ref is None
        await pilot.press("enter", "r")
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["Nothing selected"]


async def test_a_failing_show_is_reported_and_expanding_again_retries() -> None:
    app, engine = make_app()

    async def broken(ref: Ref) -> EntityDetail:
        from matinee.errors import NotFoundError

        raise NotFoundError(f"no entity {ref}")

    async with app.run_test(size=SIZE) as pilot:
        _, tree = await series_view(pilot)
        working = engine.show
        engine.show = broken  # type: ignore[method-assign]
        await pilot.press("space")
        await settle(pilot)
        node = tree.root.children[0]
        assert [plain(tree, c) for c in node.children] == [
            "Could not load the episodes: collapse and expand to try again"
        ]
        assert [(n.severity, n.message) for n in app._notifications] == [
            ("error", "Loading episodes of series:1 failed: no entity series:1")
        ]
        engine.show = working  # type: ignore[method-assign]
        await pilot.press("space", "space")
        await settle(pilot)
        assert len(node.children) == 2 and isinstance(node.children[0].data, Season)


def test_snapshot_series_tree_expanded_at_160x48(snap_compare: Any) -> None:
    app, _ = make_app()

    async def run_before(pilot: Pilot[Any]) -> None:
        await series_view(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("down", "down", "space", "down")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)
