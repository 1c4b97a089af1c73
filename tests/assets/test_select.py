"""select_slot and to_analyze: near-duplicates, limits, user picks, locks and tie-breaks."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest

from matinee.assets.analyze import analyze_image
from matinee.assets.model import AssetCandidate
from matinee.assets.score import AssetPolicy, score
from matinee.assets.select import analysis_url, select_slot, to_analyze
from tests.assets.test_analyze import encode, near_copies, other_poster, poster

POLICY = AssetPolicy()


def art(name: str, slot: str = "poster", **fields: Any) -> AssetCandidate:
    values: dict[str, Any] = {"provider": "tmdb", "url": f"https://img.test/{name}.jpg"}
    values.update(fields)
    return AssetCandidate(entity_id=7, slot=slot, **values)


def chosen(result: list[AssetCandidate]) -> list[str]:
    return [c.url.rsplit("/", 1)[-1].removesuffix(".jpg") for c in result if c.selected]


def names(result: list[AssetCandidate]) -> list[str]:
    return [c.url.rsplit("/", 1)[-1].removesuffix(".jpg") for c in result]


@pytest.fixture(scope="module")
def hashes() -> dict[str, str]:
    found = {"original": analyze_image(encode(poster(), "PNG")).phash}
    found.update({k: analyze_image(v).phash for k, v in near_copies().items()})
    found["other"] = analyze_image(encode(other_poster(), quality=60)).phash
    return found


# --- near-duplicates -----------------------------------------------------------------------


def test_a_near_copy_is_shown_once_and_another_image_is_kept(hashes: dict[str, str]) -> None:
    policy = AssetPolicy.with_overrides(limits={"poster": 2})
    original = art(
        "original", width=2000, height=3000, language="en", votes=12, phash=hashes["original"]
    )
    copy = art(
        "copy",
        provider="fanart",
        width=1000,
        height=1426,
        language="en",
        votes=3,
        phash=hashes["cropped 3%, halved, quality 60"],
    )
    other = art(
        "other",
        provider="tvdb",
        width=680,
        height=1000,
        language="en",
        votes=1,
        phash=hashes["other"],
    )

    result = select_slot([copy, other, original], policy)
    assert names(result) == ["original", "copy", "other"]  # best first
    assert [c.score for c in result] == [100.0, 87.31, 67.33]
    assert chosen(result) == ["original", "other"]
    assert [c.selected_by for c in result] == ["auto", None, "auto"]


def test_of_two_copies_the_higher_score_is_kept(hashes: dict[str, str]) -> None:
    policy = AssetPolicy.with_overrides(limits={"poster": 2})
    small = art("small", width=500, height=750, phash=hashes["original"])
    large = art("large", width=2000, height=3000, phash=hashes["resized to 50%"])
    assert chosen(select_slot([small, large], policy)) == ["large"]
    assert chosen(select_slot([large, small], policy)) == ["large"]


def test_every_near_copy_collapses_into_one(hashes: dict[str, str]) -> None:
    policy = AssetPolicy.with_overrides(limits={"poster": 10})
    copies = [
        art(f"copy{i}", votes=i, phash=hashes[key])
        for i, key in enumerate(["original", *near_copies()])
    ]
    result = select_slot([*copies, art("other", phash=hashes["other"])], policy)
    assert chosen(result) == ["copy6", "other"]  # most votes wins among equals


def test_candidates_without_a_hash_are_never_duplicates(hashes: dict[str, str]) -> None:
    policy = AssetPolicy.with_overrides(limits={"poster": 3})
    result = select_slot(
        [art("a", phash=hashes["original"]), art("b"), art("c", phash=None)], policy
    )
    assert sorted(chosen(result)) == ["a", "b", "c"]


# --- locks, user picks, limits -------------------------------------------------------------


def test_a_locked_slot_is_returned_untouched() -> None:
    before = [
        art("kept", selected=True, selected_by="auto", score=12.0, parts={"total": 12.0}),
        art("better", width=2000, height=3000, votes=50),
    ]
    after = select_slot(before, POLICY, locked=True)
    assert after == before
    assert all(a is b for a, b in zip(after, before, strict=True))


def test_a_user_pick_stays_selected_and_counts_toward_the_limit() -> None:
    fanart = [art(f"f{i}", "fanart", width=1920, height=1080, votes=10 * i) for i in range(5)]
    fanart[0] = dataclasses.replace(fanart[0], selected=True, selected_by="user")
    result = select_slot(fanart, POLICY)  # limit 3: the user's pick and the best two
    assert chosen(result) == ["f4", "f3", "f0"]
    assert {c.url: c.selected_by for c in result if c.selected} == {
        "https://img.test/f4.jpg": "auto",
        "https://img.test/f3.jpg": "auto",
        "https://img.test/f0.jpg": "user",
    }


def test_user_picks_beyond_the_limit_all_stay() -> None:
    posters = [
        art("mine1", selected=True, selected_by="user"),
        art("mine2", selected=True, selected_by="user"),
        art("best", width=2000, height=3000, votes=99),
    ]
    assert sorted(chosen(select_slot(posters, POLICY))) == ["mine1", "mine2"]


def test_a_user_s_deselection_is_not_overridden() -> None:
    posters = [art("refused", width=2000, height=3000, selected_by="user"), art("fallback")]
    result = select_slot(posters, POLICY)
    assert chosen(result) == ["fallback"]
    assert result[0].selected_by == "user" and not result[0].selected


def test_a_previous_auto_choice_that_lost_is_deselected() -> None:
    old = art("old", selected=True, selected_by="auto")
    new = art("new", width=2000, height=3000)
    result = select_slot([old, new], POLICY)
    assert chosen(result) == ["new"]
    assert (result[1].selected, result[1].selected_by) == (False, None)


@pytest.mark.parametrize(("slot", "limit"), [("poster", 1), ("fanart", 3), ("banner", 1)])
def test_default_limits_per_slot(slot: str, limit: int) -> None:
    result = select_slot([art(f"{slot}{i}", slot, votes=i) for i in range(6)], POLICY)
    assert len(chosen(result)) == limit
    assert chosen(result) == [f"{slot}{i}" for i in range(5, 5 - limit, -1)]


def test_a_limit_of_zero_selects_nothing() -> None:
    policy = AssetPolicy.with_overrides(limits={"discart": 0})
    assert chosen(select_slot([art("d", "discart")], policy)) == []


def test_scores_and_parts_are_written_on_the_candidates() -> None:
    c = art("p", width=1000, height=1500, language="en", votes=4)
    (result,) = select_slot([c], POLICY)
    expected = score(c, POLICY, max_votes=4)
    assert result.score == expected.total == 100.0
    assert result.parts == expected.as_dict()


def test_one_slot_at_a_time() -> None:
    with pytest.raises(ValueError, match="one slot"):
        select_slot([art("a"), art("b", "fanart")], POLICY)
    with pytest.raises(ValueError, match="one slot"):
        select_slot([art("a", season=1), art("b", season=2)], POLICY)
    assert select_slot([], POLICY) == []


# --- tie-breaks ----------------------------------------------------------------------------


def test_equal_scores_break_on_votes_then_provider_then_url() -> None:
    # For fanart, 1440x810 is worth 15 resolution points and 1600x900 is worth 20: with tmdb's
    # 10 provider points against tvdb's 5 they tie; 1000 and 1001 votes both round to 20.0.
    def fanart(name: str, provider: str, votes: int) -> AssetCandidate:
        size = (1440, 810) if provider == "tmdb" else (1600, 900)
        return art(name, "fanart", provider=provider, votes=votes, width=size[0], height=size[1])

    candidates = [
        fanart("tvdb-b", "tvdb", 1001),
        fanart("fewer-votes", "tmdb", 1000),
        fanart("tmdb-b", "tmdb", 1001),
        fanart("tvdb-a", "tvdb", 1001),
        fanart("tmdb-a", "tmdb", 1001),
    ]
    expected = ["tmdb-a", "tmdb-b", "tvdb-a", "tvdb-b", "fewer-votes"]
    policy = AssetPolicy.with_overrides(limits={"fanart": 2})
    for order in itertools.permutations(candidates):
        result = select_slot(order, policy)
        assert len({c.score for c in result}) == 1  # a real tie
        assert names(result) == expected
        assert chosen(result) == ["tmdb-a", "tmdb-b"]


# --- to_analyze ----------------------------------------------------------------------------


def test_to_analyze_takes_the_top_k_per_slot_and_season() -> None:
    policy = AssetPolicy(analyze_top=2)
    candidates = [
        *(art(f"p{i}", votes=i) for i in range(4)),
        *(art(f"s1-{i}", season=1, votes=i) for i in range(3)),
        art("s2-0", season=2),
        *(
            art(f"f{i}", "fanart", votes=i, preview_url=f"https://img.test/w300/f{i}.jpg")
            for i in range(5)
        ),
    ]
    picked = to_analyze(candidates, policy)
    assert names(picked) == ["p3", "p2", "s1-2", "s1-1", "s2-0", "f4", "f3"]
    assert analysis_url(picked[-1]) == "https://img.test/w300/f3.jpg"
    assert analysis_url(picked[0]) == "https://img.test/p3.jpg"  # no preview: the original


def test_to_analyze_ranks_on_declared_data_only() -> None:
    # A stored measurement (wrong shape) must not hide a candidate from a fresh analysis.
    measured_wrong = art("measured", width=2000, height=3000, real_width=300, real_height=169)
    plain = art("plain", width=1000, height=1500, votes=0)
    picked = to_analyze([plain, measured_wrong], AssetPolicy(analyze_top=1))
    assert names(picked) == ["measured"]


def test_to_analyze_skips_candidates_without_a_url_and_honours_zero() -> None:
    assert to_analyze([art("x", url="")], POLICY) == []
    assert to_analyze([art("x")], AssetPolicy(analyze_top=0)) == []
