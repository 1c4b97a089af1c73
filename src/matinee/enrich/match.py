"""Scoring search candidates against what the file says, with reasons, like beets does.

The score is a weighted sum of named parts (title similarity over the title and original
title, year difference, popularity as a tie-break), each kept as a `MatchReason` so the review
screen and `matinee review` can explain it. A close runner-up makes the best candidate
ambiguous and caps its tier, so look-alikes (remakes, same-name films) wait for a person.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from rapidfuzz import fuzz

from matinee.library.group import normalize_title
from matinee.model import Candidate, MatchReason, Tier

__all__ = ["AMBIGUITY_MARGIN", "score_candidates", "tier_for"]

AMBIGUITY_MARGIN = 0.05
W_TITLE, W_YEAR, W_POPULARITY = 0.6, 0.3, 0.1
W_TITLE_NO_YEAR, W_POP_NO_YEAR = 0.85, 0.15


def tier_for(score: float, strong: float, medium: float) -> Tier:
    if score >= strong:
        return Tier.STRONG
    if score >= medium:
        return Tier.MEDIUM
    return Tier.WEAK


def _title_part(query: str, cand: Candidate) -> tuple[float, str]:
    q = normalize_title(query)
    best, best_title = 0.0, cand.title
    for title in (cand.title, cand.original_title):
        if not title:
            continue
        ratio = fuzz.ratio(q, normalize_title(title)) / 100.0
        if ratio > best:
            best, best_title = ratio, title
    return best, f"{query!r} vs {best_title!r}"


def _year_part(year: int | None, cand: Candidate) -> tuple[float, str]:
    if cand.year is None:
        return 0.3, "candidate has no year"
    assert year is not None
    diff = abs(year - cand.year)
    score = {0: 1.0, 1: 0.7, 2: 0.3}.get(diff, 0.0)
    return score, f"{year} vs {cand.year}"


def score_candidates(
    title: str,
    year: int | None,
    candidates: Sequence[Candidate],
    *,
    strong: float,
    medium: float,
) -> list[Candidate]:
    """Score and sort `candidates` (best first), each with its tier and reasons."""
    if not candidates:
        return []
    top_pop = max(c.popularity for c in candidates) or 1.0
    scored: list[Candidate] = []
    for cand in candidates:
        t_score, t_detail = _title_part(title, cand)
        pop = min(cand.popularity / top_pop, 1.0)
        reasons = []
        if year is None:
            reasons.append(MatchReason("title", t_score, W_TITLE_NO_YEAR, t_detail))
            reasons.append(MatchReason("popularity", pop, W_POP_NO_YEAR, "relative to the others"))
        else:
            y_score, y_detail = _year_part(year, cand)
            reasons.append(MatchReason("title", t_score, W_TITLE, t_detail))
            reasons.append(MatchReason("year", y_score, W_YEAR, y_detail))
            reasons.append(MatchReason("popularity", pop, W_POPULARITY, "relative to the others"))
        total = sum(r.score * r.weight for r in reasons)
        scored.append(
            dataclasses.replace(
                cand, score=round(total, 4), tier=tier_for(total, strong, medium),
                reasons=tuple(reasons),
            )
        )  # fmt: skip
    scored.sort(key=lambda c: (-c.score, -c.popularity))
    return _flag_ambiguity(scored, title, year, medium)


def _flag_ambiguity(
    scored: list[Candidate], title: str, year: int | None, medium: float
) -> list[Candidate]:
    """Without a year, two candidates with the same title are a coin toss: cap the tier."""
    if len(scored) < 2:
        return scored
    best, runner = scored[0], scored[1]
    best_title = best.reasons[0].score
    runner_title = runner.reasons[0].score
    close = best_title - runner_title < AMBIGUITY_MARGIN and best_title >= 0.9
    if year is not None:
        close = close and best.score - runner.score < AMBIGUITY_MARGIN
    if not close:
        return scored
    capped_tier = Tier.WEAK if best.tier is not Tier.WEAK else best.tier
    note = MatchReason(
        "ambiguous", 0.0, 0.0, f"{runner.title!r} ({runner.year}) scores almost the same"
    )
    scored[0] = dataclasses.replace(best, tier=capped_tier, reasons=(*best.reasons, note))
    return scored
