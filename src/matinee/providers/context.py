"""Per-request circumstances that travel with a task: manual or bulk, forced, stale answers.

The engine opens a `RequestContext` around the enrichment of one title; every provider request
made inside it (in any task it starts) sees the same object through a context variable. That
keeps three cross-cutting facts out of every provider method's signature:

- `manual`: a request a person asked for may use the share of a daily quota kept in reserve;
- `force`: the response cache is bypassed (the answer is still stored);
- `stale`: providers that answered from an expired cache entry because they could not be
  reached, so the engine can mark the result partial and name them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

__all__ = ["RequestContext", "current_context", "request_context"]


@dataclass
class RequestContext:
    manual: bool = False
    force: bool = False
    stale: set[str] = field(default_factory=set)


_CURRENT: ContextVar[RequestContext | None] = ContextVar("matinee_request", default=None)


def current_context() -> RequestContext:
    """The context of the running task (a bulk, unforced one outside any `request_context`)."""
    return _CURRENT.get() or RequestContext()


@contextmanager
def request_context(*, manual: bool = False, force: bool = False) -> Iterator[RequestContext]:
    """Run the block's provider requests as `manual` and/or `force`; yields the context."""
    ctx = RequestContext(manual=manual, force=force)
    token = _CURRENT.set(ctx)
    try:
        yield ctx
    finally:
        _CURRENT.reset(token)
