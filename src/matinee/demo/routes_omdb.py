"""OMDb routes of the catalog server: `GET /omdb/?apikey=...&i=|t=|s=...`.

Checks the key as OMDb does (401 `No API key provided.` / `Invalid API key!`), counts the
requests made with a valid key against an optional daily quota (401 `Request limit
reached!` past it, as a free key gets after 1,000 a day) and answers from `omdb_responses`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from matinee.demo.catalog import Catalog
from matinee.demo.http_util import Query, Response, json_response
from matinee.demo.omdb_responses import ERRORS, answer, failure

__all__ = ["OmdbRoutes"]


class OmdbRoutes:
    """Answers OMDb requests (paths below `/omdb`) from a catalog.

    Args:
        catalog: what to serve.
        api_key: the key clients must send as `apikey`; None disables the check.
        poster_base_url: returns the image base URL posters point at (the TMDB images).
        daily_quota: returns the current quota (None for unlimited).
    """

    def __init__(
        self,
        catalog: Catalog,
        api_key: str | None,
        poster_base_url: Callable[[], str],
        daily_quota: Callable[[], int | None],
    ) -> None:
        self.catalog = catalog
        self.api_key = api_key
        self._poster_base_url = poster_base_url
        self._daily_quota = daily_quota
        self._used = 0
        self._lock = threading.Lock()

    @property
    def quota_used(self) -> int:
        """Requests with a valid key so far (the refused ones included)."""
        with self._lock:
            return self._used

    def reset_quota(self) -> None:
        """Start a new day: the quota counts from zero again."""
        with self._lock:
            self._used = 0

    def answer(self, method: str, path: str, query: Query) -> Response:
        """One OMDb request; `path` is what follows `/omdb` ("" or "/")."""
        if path not in ("", "/") or method not in ("GET", "HEAD"):
            return json_response(404, failure(ERRORS["wrong"]))
        if self.api_key is not None:
            key = query.get("apikey", "")
            if not key:
                return json_response(401, failure(ERRORS["no_key"]))
            if key != self.api_key:
                return json_response(401, failure(ERRORS["invalid_key"]))
        quota = self._daily_quota()
        with self._lock:
            self._used += 1
            over = quota is not None and self._used > quota
        if over:
            return json_response(401, failure(ERRORS["limit"]))
        return json_response(200, answer(self.catalog, query, self._poster_base_url()))
