"""score: five named parts (resolution 30, aspect 20, language 20, votes 20, provider 10)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matinee.assets.model import TEXTLESS, AssetCandidate, ImageInfo
from matinee.assets.score import AssetPolicy, pre_score, score

POLICY = AssetPolicy()


def art(slot: str = "poster", **fields: Any) -> AssetCandidate:
    values: dict[str, Any] = {"provider": "tmdb", "url": f"https://img.test/{slot}.jpg"}
    values.update(fields)
    return AssetCandidate(entity_id=1, slot=slot, **values)


def shape(width: int, height: int) -> ImageInfo:
    return ImageInfo(width=width, height=height, format="JPEG", phash="0" * 16)


# --- language ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "points"), [("de", 20.0), ("en", 12.0), (None, 6.0), ("00", 6.0), ("fr", 0.0)]
)
def test_poster_wants_the_preferred_language_then_english_then_textless(
    language: str | None, points: float
) -> None:
    policy = AssetPolicy(preferred_language="de")
    assert score(art(language=language), policy).language == points


@pytest.mark.parametrize(("language", "points"), [(None, 20.0), ("en", 12.0), ("fr", 0.0)])
def test_fanart_wants_textless_first(language: str | None, points: float) -> None:
    assert score(art("fanart", language=language), POLICY).language == points


def test_english_is_the_preferred_language_by_default() -> None:
    assert score(art(language="EN"), POLICY).language == 20.0
    assert score(art("characterart", language=None), POLICY).language == 20.0
    assert score(art("characterart", language="en"), POLICY).language == 0.0


def test_config_overrides_replace_only_the_named_slots() -> None:
    policy = AssetPolicy.with_overrides(
        preferred_language="ja", languages={"poster": (TEXTLESS, "preferred")}
    )
    assert score(art(language=None), policy).language == 20.0
    assert score(art(language="ja"), policy).language == 12.0
    assert score(art("banner", language="ja"), policy).language == 20.0  # default kept
    assert score(art("banner", language="en"), policy).language == 12.0


# --- aspect --------------------------------------------------------------------------------


def test_a_wrong_measured_shape_loses_the_aspect_points() -> None:
    declared_poster = art(width=1000, height=1500)
    assert score(declared_poster, POLICY).aspect == 20.0
    assert score(declared_poster, POLICY, measured=shape(300, 450)).aspect == 20.0
    wrong = score(declared_poster, POLICY, measured=shape(300, 169))  # a backdrop in disguise
    assert wrong.aspect == 0.0
    assert wrong.total == score(declared_poster, POLICY).total - 20.0


def test_a_stored_measurement_counts_but_not_for_the_pre_score() -> None:
    measured_wrong = art(width=1000, height=1500, real_width=300, real_height=300)
    assert score(measured_wrong, POLICY).aspect == 0.0
    assert pre_score(measured_wrong, POLICY).aspect == 20.0


def test_aspect_points_fall_off_with_the_distance_from_the_ideal_shape() -> None:
    assert score(art(width=1000, height=1426), POLICY).aspect == 20.0  # fanart.tv's 0.70
    near = score(art(width=1000, height=1300), POLICY).aspect  # 0.77, 14% off
    nearer = score(art(width=1000, height=1400), POLICY).aspect
    assert 0.0 < near < nearer <= 20.0
    assert score(art(width=1000, height=1000), POLICY).aspect == 0.0


def test_free_shaped_slot_always_gets_the_aspect_points() -> None:
    assert score(art("characterart", width=300, height=900), POLICY).aspect == 20.0


def test_unknown_size_gets_half_marks_for_resolution_and_aspect() -> None:
    parts = score(art(), POLICY)
    assert (parts.resolution, parts.aspect) == (15.0, 10.0)
    measured = score(art(), POLICY, measured=shape(300, 450))
    assert (measured.resolution, measured.aspect) == (15.0, 20.0)


# --- resolution ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slot", "size", "points"),
    [
        ("poster", (2000, 3000), 30.0),
        ("poster", (1000, 1500), 30.0),
        ("poster", (750, 1125), 20.0),
        ("poster", (500, 750), 10.0),
        ("poster", (250, 375), 5.0),
        ("fanart", (3840, 2160), 30.0),
        ("fanart", (1280, 720), 10.0),
        ("clearlogo", (800, 310), 30.0),
        ("banner", (758, 140), 10.0),
    ],
)
def test_resolution_runs_from_minimum_to_ideal(
    slot: str, size: tuple[int, int], points: float
) -> None:
    assert score(art(slot, width=size[0], height=size[1]), POLICY).resolution == points


def test_one_declared_side_is_completed_from_the_slot_shape() -> None:
    assert score(art(width=1000), POLICY).resolution == 30.0
    assert score(art(height=750), POLICY).resolution == 10.0


# --- votes and provider --------------------------------------------------------------------


def test_votes_are_relative_to_the_slot_and_log_scaled() -> None:
    def points(votes: int) -> float:
        return score(art(votes=votes), POLICY, max_votes=100).votes

    assert points(100) == 20.0
    assert points(0) == 0.0
    assert points(10) == round(20 * math.log(11) / math.log(101), 2) == 10.39
    assert points(10) > 20 * 10 / 100  # far more than linear
    assert points(1) < points(2) < points(10) < points(50) < points(100)
    assert score(art(votes=5), POLICY, max_votes=0).votes == 20.0  # the most in its slot
    assert score(art(votes=10), POLICY, max_votes=10_000).votes < points(10)


@pytest.mark.parametrize(
    ("provider", "points"),
    [("tmdb", 10.0), ("fanart", 7.5), ("tvdb", 5.0), ("omdb", 2.5), ("elsewhere", 0.0)],
)
def test_provider_order_gives_10_then_less(provider: str, points: float) -> None:
    assert score(art(provider=provider), POLICY).provider == points


def test_provider_order_comes_from_the_policy() -> None:
    policy = AssetPolicy(provider_order=("fanart", "tmdb"))
    assert score(art(provider="fanart"), policy).provider == 10.0
    assert score(art(provider="tmdb"), policy).provider == 5.0


# --- totals --------------------------------------------------------------------------------


def test_a_perfect_candidate_scores_100() -> None:
    parts = score(art(width=2000, height=3000, language="en", votes=40), POLICY, max_votes=40)
    assert parts.as_dict() == {
        "resolution": 30.0,
        "aspect": 20.0,
        "language": 20.0,
        "votes": 20.0,
        "provider": 10.0,
        "total": 100.0,
    }


@given(
    slot=st.sampled_from(["poster", "fanart", "banner", "clearlogo", "discart", "characterart"]),
    width=st.none() | st.integers(1, 8000),
    height=st.none() | st.integers(1, 8000),
    measured=st.none() | st.tuples(st.integers(1, 2000), st.integers(1, 2000)),
    language=st.sampled_from([None, "en", "de", "00", "fr"]),
    votes=st.integers(0, 5000),
    max_votes=st.integers(0, 5000),
    provider=st.sampled_from(["tmdb", "fanart", "tvdb", "omdb", "other"]),
)
def test_parts_stay_in_range_and_add_up_to_the_total(
    slot: str,
    width: int | None,
    height: int | None,
    measured: tuple[int, int] | None,
    language: str | None,
    votes: int,
    max_votes: int,
    provider: str,
) -> None:
    c = art(slot, width=width, height=height, language=language, votes=votes, provider=provider)
    info = shape(*measured) if measured else None
    parts = score(c, POLICY, measured=info, max_votes=max_votes)
    values = parts.as_dict()
    assert 0 <= values["resolution"] <= 30 and 0 <= values["aspect"] <= 20
    assert 0 <= values["language"] <= 20 and 0 <= values["votes"] <= 20
    assert 0 <= values["provider"] <= 10
    assert 0 <= parts.total <= 100
    assert math.isclose(sum(v for k, v in values.items() if k != "total"), parts.total)
    assert score(c, POLICY, measured=info, max_votes=max_votes) == parts  # deterministic


def test_policy_rejects_negative_limits() -> None:
    with pytest.raises(ValueError, match="limit"):
        AssetPolicy(limits={"poster": -1})
    assert AssetPolicy().limit("fanart") == 3
    assert AssetPolicy().limit("banner") == 1
    assert AssetPolicy.with_overrides(limits={"banner": 2}).limit("banner") == 2
    assert AssetPolicy.with_overrides(limits={"banner": 2}).limit("fanart") == 3
