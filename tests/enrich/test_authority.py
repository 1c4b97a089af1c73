"""Field authority from `[authority]`: building it, ranks, and `fill_gaps` in `aggregate`."""

from __future__ import annotations

from matinee.config import AuthoritySettings
from matinee.enrich.authority import DEFAULT_AUTHORITY, FILE, USER, Authority
from matinee.enrich.merge import VISIBLE_FIELDS, aggregate, merge


def test_default_authority_is_the_default_settings() -> None:
    assert Authority.from_settings(AuthoritySettings()) == DEFAULT_AUTHORITY
    assert Authority() == DEFAULT_AUTHORITY
    assert DEFAULT_AUTHORITY.fill_gaps is True
    assert DEFAULT_AUTHORITY.order("imdb_rating") == ("omdb",)
    assert DEFAULT_AUTHORITY.order("plot") == ("tmdb", "omdb", "tvdb", "fanart")
    assert DEFAULT_AUTHORITY.order("fanart") == ("fanart", "tmdb", "omdb", "tvdb")
    assert DEFAULT_AUTHORITY.order("tagline") == ("tmdb", "omdb", "tvdb", "fanart")


def test_from_settings_carries_every_setting() -> None:
    a = Authority.from_settings(
        AuthoritySettings(
            priority=("omdb", "tmdb"),
            exclusive=("tagline",),
            fill_gaps=False,
            fields={"tagline": ("tvdb",), "plot": ("fanart",)},
        )
    )
    assert a.fill_gaps is False
    assert a.order("tagline") == ("tvdb",)
    assert a.order("plot") == ("fanart", "omdb", "tmdb")
    assert a.order("title") == ("omdb", "tmdb")
    assert not a.allows("tagline", "tmdb")
    assert a.allows("imdb_rating", "tmdb")  # no longer exclusive


def test_rank_user_first_file_last_even_past_priority() -> None:
    # the field's list names providers left out of `priority`: file must still rank last
    a = Authority(
        priority=("tmdb",), fields={"plot": ("omdb", "tvdb", "fanart")}, exclusive=frozenset()
    )
    ranks = [a.rank("plot", s) for s in (USER, "omdb", "tvdb", "fanart", "tmdb", "other", FILE)]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert ranks[0] == 0


def test_fill_gaps_true_lets_a_lower_provider_fill() -> None:
    answers = {"tmdb": {"plot": "", "title": "T"}, "omdb": {"plot": "O plot"}}
    assert aggregate(answers, DEFAULT_AUTHORITY)["plot"] == ("O plot", "omdb")


def test_fill_gaps_false_takes_only_the_first_provider_that_answered() -> None:
    a = Authority(fill_gaps=False)
    # tmdb answered the title but had no plot: the plot stays unfilled by this run
    answers = {"tmdb": {"plot": "", "title": "T"}, "omdb": {"plot": "O plot", "title": "O"}}
    out = aggregate(answers, a)
    assert "plot" not in out
    assert out["title"] == ("T", "tmdb")
    # tmdb answered without mentioning plot at all: still answered, still no fallback
    assert "plot" not in aggregate({"tmdb": {"title": "T"}, "omdb": {"plot": "O"}}, a)
    # tmdb failed or was rate limited (absent): the next provider that answered counts
    assert aggregate({"omdb": {"plot": "O plot"}}, a)["plot"] == ("O plot", "omdb")


def test_fill_gaps_false_passes_over_providers_outside_an_exclusive_list() -> None:
    a = Authority(fill_gaps=False)
    answers = {"tmdb": {"imdb_rating": 9.9}, "omdb": {"imdb_rating": 7.1}}
    assert aggregate(answers, a)["imdb_rating"] == (7.1, "omdb")


def test_visible_fields_cover_every_rating_shown() -> None:
    shown = {"title", "plot", "poster", "fanart", "imdb_rating", "tmdb_rating",
             "rotten_tomatoes_score", "metacritic_score", "release_date", "cast"}  # fmt: skip
    assert shown == VISIBLE_FIELDS
    r = merge({}, {}, frozenset(), {"metacritic_score": (71, "omdb")}, DEFAULT_AUTHORITY)
    assert r.visible_change is True
    r = merge({}, {}, frozenset(), {"tagline": ("Hi", "tmdb")}, DEFAULT_AUTHORITY)
    assert r.changes and r.visible_change is False
