"""Decisions that need a person go through a `Decider` (the beets importer's idea).

Headless mode answers from policy: it never guesses, so a title whose best match is not
auto-applied waits in the review queue. The TUI can implement the same protocol with a modal
screen. The engine never knows which one it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from matinee.model import Candidate, Ref

__all__ = ["Decider", "LeaveForReview"]


class Decider(Protocol):
    async def choose(
        self, ref: Ref, title: str, year: int | None, candidates: Sequence[Candidate]
    ) -> Candidate | None:
        """Pick one of `candidates` (best first) for the title, or None to leave it for review."""
        ...


class LeaveForReview:
    """The headless policy: never choose; the title waits in the review queue."""

    async def choose(
        self, ref: Ref, title: str, year: int | None, candidates: Sequence[Candidate]
    ) -> Candidate | None:
        return None
