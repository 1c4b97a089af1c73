"""Choosing the images of one slot: score, drop near-duplicates, keep the top N (DESIGN.md §8).

Selection works on one slot of one entity (and one season for season art) at a time and only
rewrites the candidates' `selected`, `selected_by`, `score` and `parts`; it never fetches,
decodes or stores anything. A locked slot is returned untouched, and a user's decision (a
candidate with `selected_by == "user"`) is never overridden. `to_analyze` says which
candidates are worth fetching a small rendition of before selecting.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from matinee.assets.analyze import similarity
from matinee.assets.model import AssetCandidate, ScoreParts
from matinee.assets.score import AssetPolicy, pre_score, provider_rank, score

__all__ = [
    "AUTO",
    "DUPLICATE_SIMILARITY",
    "USER",
    "analysis_url",
    "is_duplicate",
    "select_slot",
    "to_analyze",
]

DUPLICATE_SIMILARITY = 0.90
"""Two candidates whose perceptual hashes are at least this similar are the same image."""
AUTO = "auto"
USER = "user"

_Key = tuple[float, int, int, str]


def select_slot(
    candidates: Sequence[AssetCandidate], policy: AssetPolicy, *, locked: bool = False
) -> list[AssetCandidate]:
    """Score one slot's candidates and choose which to keep.

    Rules, in order: a locked slot is returned as given. A user's pick stays selected and counts
    toward the slot's limit (a candidate the user deselected, `selected_by == "user"` with
    `selected` False, stays deselected). The others, best first (score, then votes, then
    provider order, then URL), are selected while the limit allows unless their perceptual hash
    is at least 90% similar to an image already kept (so of two copies the higher score wins).
    Candidates without a hash are never duplicates.

    Args:
        candidates: every candidate of one slot of one entity (and one season).
        policy: the scoring policy and the slot limits.
        locked: the slot is locked: change nothing.

    Returns:
        The candidates with `score`, `parts`, `selected` and `selected_by` updated, best first.

    Raises:
        ValueError: the candidates are not all of the same entity, slot and season.
    """
    if locked:
        return list(candidates)
    _check_one_slot(candidates)
    top_votes = max((c.votes for c in candidates), default=0)
    scored = [(c, score(c, policy, max_votes=top_votes)) for c in candidates]
    scored.sort(key=lambda pair: _rank(pair[0], pair[1].total, policy))

    kept = [c for c, _ in scored if c.selected_by == USER and c.selected]
    chosen: set[int] = set()
    limit = policy.limit(scored[0][0].slot) if scored else 0
    for index, (c, _) in enumerate(scored):
        if c.selected_by == USER or len(kept) >= limit:
            continue
        if any(is_duplicate(c, other) for other in kept):
            continue
        kept.append(c)
        chosen.add(index)
    return [_decided(c, parts, i in chosen) for i, (c, parts) in enumerate(scored)]


def to_analyze(candidates: Iterable[AssetCandidate], policy: AssetPolicy) -> list[AssetCandidate]:
    """The candidates whose small rendition is worth fetching: per entity, slot and season,
    the best `policy.analyze_top` by pre-score (declared data only) that have a URL.

    Fetch `analysis_url(c)` for each. Groups come in slot order of first appearance, each best
    first; candidates already analysed (with a `phash`) are included, the caller may skip them.
    """
    groups: dict[tuple[int, str, int | None], list[AssetCandidate]] = {}
    for c in candidates:
        if analysis_url(c):
            groups.setdefault((c.entity_id, c.slot, c.season), []).append(c)
    picked: list[AssetCandidate] = []
    for group in groups.values():
        top_votes = max(c.votes for c in group)
        ranked = sorted(
            group, key=lambda c: _rank(c, pre_score(c, policy, max_votes=top_votes).total, policy)
        )
        picked.extend(ranked[: policy.analyze_top])
    return picked


def analysis_url(c: AssetCandidate) -> str | None:
    """The small rendition to analyse: the preview when the provider offers one, else the
    original; None when the candidate has neither."""
    return c.preview_url or c.url or None


def is_duplicate(a: AssetCandidate, b: AssetCandidate) -> bool:
    """Whether two candidates show the same image (both hashed, similarity >= 0.90)."""
    if a.phash is None or b.phash is None:
        return False
    try:
        return similarity(a.phash, b.phash) >= DUPLICATE_SIMILARITY
    except ValueError:  # a malformed stored hash says nothing about likeness
        return False


def _rank(c: AssetCandidate, total: float, policy: AssetPolicy) -> _Key:
    """Sort key, best first: score, votes, provider order, then URL so ties are stable."""
    return (-total, -c.votes, provider_rank(c.provider, policy), c.url)


def _decided(c: AssetCandidate, parts: ScoreParts, chosen: bool) -> AssetCandidate:
    if c.selected_by == USER:
        by: str | None = USER
        chosen = c.selected
    else:
        by = AUTO if chosen else None
    return dataclasses.replace(
        c, score=parts.total, parts=parts.as_dict(), selected=chosen, selected_by=by
    )


def _check_one_slot(candidates: Sequence[AssetCandidate]) -> None:
    keys = {(c.entity_id, c.slot, c.season) for c in candidates}
    if len(keys) > 1:
        raise ValueError(f"select_slot takes one slot of one entity at a time, got {len(keys)}")
