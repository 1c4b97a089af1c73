"""asset_format: the picker's slot order and its explanation of a score, without a terminal."""

from __future__ import annotations

from matinee.assets.model import AssetCandidate, ScoreParts
from matinee.tui.asset_format import explain, group_by_slot, slot_rows


def test_slots_are_ordered_title_art_first_then_seasons() -> None:
    def cand(slot: str, season: int | None = None, score: float | None = 50.0) -> AssetCandidate:
        return AssetCandidate(1, slot, "tmdb", "u", season=season, score=score)

    groups = group_by_slot(
        [
            cand("poster", 2),
            cand("fanart", score=None),
            cand("poster", 1),
            cand("fanart", score=70.0),
            cand("logo-from-the-future"),
            cand("poster"),
        ]
    )
    assert list(groups) == [
        ("poster", None),
        ("fanart", None),
        ("logo-from-the-future", None),
        ("poster", 1),
        ("poster", 2),
    ]
    assert [c.score for c in groups[("fanart", None)]] == [70.0, None]  # unscored last
    assert [row.label for row in slot_rows(groups)][-1] == "season 2 poster"


def test_explain_names_the_points_of_each_part_and_odd_cases() -> None:
    parts = ScoreParts(15.0, 10.0, 6.0, 0.0, 10.0).as_dict()
    c = AssetCandidate(
        1, "poster", "fanart", "u", language="de", votes=0, score=41.0, parts=parts, rating=5.5
    )
    lines = explain(c).splitlines()
    assert lines[0] == "fanart · de · score 41%"
    assert lines[1] == "resolution ██▌   15.0/30 not declared"
    assert lines[2] == "aspect     ██▌   10.0/20 unknown"
    assert lines[4] == "votes             0.0/20 0 votes, rated 5.5"
    assert len(lines) == 6  # not selected: no choice line, and "total" is not a part

    rejected = AssetCandidate(1, "poster", "tmdb", "u", score=0.0, parts={"rejected": 1.0})
    assert "Rejected" in explain(rejected)
    odd = AssetCandidate(1, "poster", "tmdb", "u", parts={"sharpness": 0.25})
    assert explain(odd).splitlines() == ["tmdb · textless · score —", "sharpness  0.25"]
