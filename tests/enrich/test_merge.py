"""Merge rules (DESIGN.md §6): locks hold, empty never erases, lower rank only fills gaps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from matinee.enrich.authority import DEFAULT_AUTHORITY, FILE, USER, Authority
from matinee.enrich.completeness import measure
from matinee.enrich.merge import aggregate, merge
from matinee.model import EntityKind, is_empty

A = DEFAULT_AUTHORITY


def test_empty_field_takes_any_value() -> None:
    r = merge({}, {}, frozenset(), {"plot": ("A plot.", "tmdb")}, A)
    assert r.fields == {"plot": "A plot."}
    assert r.sources == {"plot": "tmdb"}
    assert [(c.field, c.old, c.new, c.provider) for c in r.changes] == [
        ("plot", None, "A plot.", "tmdb")
    ]


def test_empty_new_value_never_replaces_a_value() -> None:
    r = merge(
        {"tagline": "Keep me"}, {"tagline": "tmdb"}, frozenset(), {"tagline": ("", "tmdb")}, A
    )
    assert r.fields["tagline"] == "Keep me"
    assert r.changes == []


def test_locked_field_never_changes() -> None:
    r = merge(
        {"title": "Mine"}, {"title": USER}, frozenset({"title"}), {"title": ("Theirs", "tmdb")}, A
    )
    assert r.fields["title"] == "Mine"
    assert r.changes == []


def test_lower_ranked_provider_does_not_replace_higher() -> None:
    # plot: tmdb then omdb
    r = merge(
        {"plot": "TMDB plot"}, {"plot": "tmdb"}, frozenset(), {"plot": ("OMDb plot", "omdb")}, A
    )
    assert r.fields["plot"] == "TMDB plot"
    assert r.changes == []


def test_same_or_higher_rank_replaces_and_is_logged() -> None:
    r = merge({"plot": "old"}, {"plot": "omdb"}, frozenset(), {"plot": ("new", "tmdb")}, A)
    assert r.fields["plot"] == "new"
    assert r.sources["plot"] == "tmdb"
    assert r.visible_change is True


def test_any_provider_replaces_a_value_guessed_from_the_file() -> None:
    r = merge(
        {"title": "the matrix"}, {"title": FILE}, frozenset(), {"title": ("The Matrix", "tmdb")}, A
    )
    assert r.fields["title"] == "The Matrix"


def test_aggregate_follows_authority_and_exclusive_fields() -> None:
    answers = {"tmdb": {"plot": "", "imdb_rating": 9.9, "title": "T"}, "omdb": {"plot": "O plot"}}
    out = aggregate(answers, A)
    assert out["plot"] == ("O plot", "omdb")  # tmdb empty: falls back
    assert "imdb_rating" not in out  # OMDb only
    assert out["title"] == ("T", "tmdb")


def test_completeness_counts_expected_fields_for_the_kind() -> None:
    expected = ["title", "plot", "directors", "poster"]
    pct, missing = measure(EntityKind.SERIES, {"title": "x", "plot": ""}, expected)
    # series have no directors: 1 of 3 filled
    assert pct == 33.3
    assert [m.field for m in missing] == ["plot", "poster"]
    assert missing[0].display_name == "Plot" and missing[0].category == "metadata"


values = st.one_of(st.none(), st.just(""), st.just([]), st.text(min_size=1, max_size=5),
                   st.integers(0, 5))  # fmt: skip
providers = st.sampled_from(["tmdb", "omdb", "tvdb", "fanart"])
field_names = st.sampled_from(["title", "plot", "genres", "poster", "fanart", "imdb_rating"])


@given(
    steps=st.lists(st.dictionaries(field_names, st.tuples(values, providers)), max_size=8),
    locks=st.frozensets(field_names),
    start=st.dictionaries(field_names, st.text(min_size=1, max_size=3)),
)
def test_property_no_erase_no_lock_change_no_downgrade(
    steps: list[dict[str, tuple[object, str]]], locks: frozenset[str], start: dict[str, str]
) -> None:
    fields: dict[str, object] = dict(start)
    sources: dict[str, str] = {k: USER for k in start}
    auth = Authority()
    for incoming in steps:
        before, before_sources = dict(fields), dict(sources)
        r = merge(fields, sources, locks, incoming, auth)
        for name, old in before.items():
            if not is_empty(old):
                assert not is_empty(r.fields.get(name)), "a filled field became empty"
            if name in locks:
                assert r.fields.get(name) == old, "a locked field changed"
            if not is_empty(old) and r.fields.get(name) != old and name in before_sources:
                assert auth.rank(name, r.sources[name]) <= auth.rank(name, before_sources[name])
        fields = r.fields
        sources = {**sources, **r.sources}
