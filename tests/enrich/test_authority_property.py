"""Property: repeated runs under any `[authority]` config keep the merge promises (DESIGN §6).

Each example draws one authority config (priority, per-field lists, exclusive set, fill_gaps)
and a starting state, then up to 8 runs. In a run every provider answers (values possibly
empty), fails or is rate limited (both: absent from the answers); between runs the user may
edit values (source `user`, optionally locking) and lock or unlock fields. After every run:
no filled field becomes empty, locked fields never change, a value's source never moves to a
lower-ranked provider, user values are never replaced, and the change log matches the diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matinee.config import AuthoritySettings
from matinee.enrich.authority import FILE, USER, Authority
from matinee.enrich.merge import VISIBLE_FIELDS, aggregate, merge
from matinee.model import is_empty

PROVIDERS = ("tmdb", "omdb", "tvdb", "fanart")
FIELDS = ("title", "plot", "genres", "poster", "imdb_rating", "tagline")

EMPTY = st.sampled_from([None, "", []])
FILLED = st.one_of(st.sampled_from(["a", "b", "c"]), st.integers(0, 2), st.just(["x"]))
VALUE = st.one_of(EMPTY, FILLED)


def ordered_subset(items: tuple[str, ...], min_size: int = 0) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), unique=True, min_size=min_size).map(tuple)


@st.composite
def authorities(draw: st.DrawFn) -> Authority:
    priority = draw(ordered_subset(PROVIDERS, min_size=1))
    lists = draw(st.dictionaries(st.sampled_from(FIELDS), ordered_subset(PROVIDERS)))
    exclusive = draw(st.lists(st.sampled_from([f for f, ps in lists.items() if ps] or [""])))
    settings_ = AuthoritySettings(
        priority=priority,
        exclusive=tuple(sorted({f for f in exclusive if f})),
        fill_gaps=draw(st.booleans()),
        fields=lists,
    )
    return Authority.from_settings(settings_)


# One run: each provider answers with some fields, or is absent (failed / rate limited).
ANSWER = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), VALUE),  # answered (maybe with nothing useful)
    st.just("failed"),
    st.just("rate_limited"),
)
RUN = st.fixed_dictionaries({p: ANSWER for p in PROVIDERS})


@dataclass(frozen=True)
class UserAction:
    kind: str  # "edit", "lock", "unlock"
    field: str
    value: Any = None
    lock: bool = True


USER_ACTION = st.one_of(
    st.builds(UserAction, st.just("edit"), st.sampled_from(FIELDS), FILLED, st.booleans()),
    st.builds(UserAction, st.just("lock"), st.sampled_from(FIELDS)),
    st.builds(UserAction, st.just("unlock"), st.sampled_from(FIELDS)),
)

START = st.dictionaries(
    st.sampled_from(FIELDS), st.tuples(FILLED, st.sampled_from([*PROVIDERS, FILE, USER]))
)


def check_aggregate(
    answers: dict[str, dict[str, Any]], out: dict[str, tuple[Any, str]], auth: Authority
) -> None:
    for name in {n for fields in answers.values() for n in fields}:
        answered = [p for p in auth.order(name) if p in answers]
        filled = [p for p in answered if not is_empty(answers[p].get(name))]
        if auth.fill_gaps:
            expected = filled[0] if filled else None
        else:
            expected = answered[0] if answered and answered[0] in filled else None
        if expected is None:
            assert name not in out
        else:
            assert out[name] == (answers[expected][name], expected)


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    auth=authorities(),
    start=START,
    start_locks=st.frozensets(st.sampled_from(FIELDS)),
    runs=st.lists(st.tuples(RUN, st.lists(USER_ACTION, max_size=3)), max_size=8),
)
def test_runs_under_any_authority_keep_the_merge_promises(
    auth: Authority,
    start: dict[str, tuple[Any, str]],
    start_locks: frozenset[str],
    runs: list[tuple[dict[str, Any], list[UserAction]]],
) -> None:
    fields: dict[str, Any] = {name: value for name, (value, _) in start.items()}
    sources: dict[str, str] = {name: source for name, (_, source) in start.items()}
    locks = set(start_locks)
    for run, actions in runs:
        answers = {p: a for p, a in run.items() if isinstance(a, dict)}
        incoming = aggregate(answers, auth)
        check_aggregate(answers, incoming, auth)

        before, before_sources = dict(fields), dict(sources)
        r = merge(fields, sources, frozenset(locks), incoming, auth)
        after_sources = {**sources, **r.sources}
        for name in FIELDS:
            old, new = before.get(name), r.fields.get(name)
            old_src, new_src = before_sources.get(name), after_sources.get(name)
            if not is_empty(old):
                assert not is_empty(new), f"{name}: a filled field became empty"
                if old_src is not None:
                    assert auth.rank(name, new_src) <= auth.rank(name, old_src), (
                        f"{name}: source moved down from {old_src} to {new_src}"
                    )
                if old_src == USER:
                    assert (new, new_src) == (old, USER), f"{name}: a user value was replaced"
            if name in locks:
                assert (new, new_src) == (old, old_src), f"{name}: a locked field changed"
        changed = {n for n in FIELDS if r.fields.get(n) != before.get(n)}
        assert {c.field for c in r.changes} == changed
        for c in r.changes:
            assert (c.old, c.new) == (before.get(c.field), r.fields[c.field])
            assert c.provider == r.sources[c.field] == incoming[c.field][1]
        assert r.visible_change == bool(changed & VISIBLE_FIELDS)

        fields, sources = r.fields, after_sources
        for action in actions:  # the user between runs
            if action.kind == "edit":
                fields[action.field] = action.value
                sources[action.field] = USER
                if action.lock:
                    locks.add(action.field)
            elif action.kind == "lock":
                locks.add(action.field)
            else:
                locks.discard(action.field)
