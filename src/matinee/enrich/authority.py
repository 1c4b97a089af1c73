"""Which provider is trusted for which field (DESIGN.md §6), built from `[authority]`.

Each field has an ordered list of providers (its own list from `[authority.fields]`, then the
rest of the global `priority`); an `exclusive` field takes values only from its own list.
Values typed or locked by the user (`user`) outrank every provider; values guessed from file
names (`file`) rank below every provider. `fill_gaps` tells `merge.aggregate` whether a
provider lower in a field's order may fill the field when those above it gave nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from matinee.config_authority import (
    DEFAULT_AUTHORITY_FIELDS,
    DEFAULT_EXCLUSIVE,
    DEFAULT_PRIORITY,
    AuthoritySettings,
)

__all__ = ["DEFAULT_AUTHORITY", "FILE", "USER", "Authority"]

USER = "user"
FILE = "file"


@dataclass(frozen=True)
class Authority:
    priority: tuple[str, ...] = DEFAULT_PRIORITY
    fields: Mapping[str, Sequence[str]] = field(
        default_factory=lambda: dict(DEFAULT_AUTHORITY_FIELDS)
    )
    exclusive: frozenset[str] = frozenset(DEFAULT_EXCLUSIVE)
    fill_gaps: bool = True
    """See `AuthoritySettings.fill_gaps`; applied by `merge.aggregate`."""

    @classmethod
    def from_settings(cls, settings: AuthoritySettings) -> Authority:
        """The authority the `[authority]` section describes (`settings.authority`)."""
        return cls(
            priority=tuple(settings.priority),
            fields={name: tuple(order) for name, order in settings.fields.items()},
            exclusive=frozenset(settings.exclusive),
            fill_gaps=settings.fill_gaps,
        )

    def order(self, name: str) -> tuple[str, ...]:
        """Providers for `name`, most trusted first."""
        listed = tuple(self.fields.get(name, ()))
        if name in self.exclusive:
            return listed
        return listed + tuple(p for p in self.priority if p not in listed)

    def rank(self, name: str, source: str | None) -> int:
        """Lower is more trusted: `user` is 0, then the field's order from 1; a source outside
        the order (unknown, or no longer listed) ranks after it, and `file` last of all."""
        if source == USER:
            return 0
        order = self.order(name)
        if source in order:
            return 1 + order.index(source)
        return 1 + len(order) + (1 if source == FILE else 0)

    def allows(self, name: str, provider: str) -> bool:
        return name not in self.exclusive or provider in self.fields.get(name, ())


DEFAULT_AUTHORITY = Authority.from_settings(AuthoritySettings())
