"""People and their credits, as units of database work.

One person row per provider id (`people(provider, provider_id)`); a person a provider gives no
id for is keyed by provider and name. A provider's credits for an entity are replaced as a
whole by its next answer, leaving the other providers' credits alone. Headshots are cached
like artwork: `people_without_image` lists the work, `set_person_image` records the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peewee import SqliteDatabase, chunked

from matinee.providers.base import Credit
from matinee.store.schema import CreditRow, Person

__all__ = [
    "ROLES",
    "PersonCredit",
    "PersonRow",
    "credits_for",
    "people_without_image",
    "save_credits",
    "set_person_image",
    "top_credits",
]

ROLES = ("creator", "director", "writer", "actor")
"""The roles stored, in the order `credits_for` lists them (others are not stored)."""

_CHUNK = 200


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    provider: str
    provider_id: str | None
    name: str
    image_url: str | None
    cached_path: str | None


@dataclass(frozen=True, slots=True)
class PersonCredit:
    """One person's part in one title, as one provider gave it."""

    person: PersonRow
    role: str
    character: str | None
    job: str | None
    order: int | None


def top_credits(credits: Sequence[Credit], cast_limit: int) -> tuple[Credit, ...]:
    """Every non-actor credit, then the first `cast_limit` actors by billing order (unordered
    actors after the ordered ones, as given)."""
    actors = [c for c in credits if c.role == "actor"]
    actors.sort(key=lambda c: (c.order is None, c.order or 0))
    return (*(c for c in credits if c.role != "actor"), *actors[:cast_limit])


def _person(row: Person) -> PersonRow:
    return PersonRow(
        id=row.id, provider=row.provider, provider_id=row.provider_id, name=row.name,
        image_url=row.image_url, cached_path=row.cached_path,
    )  # fmt: skip


def _people(provider: str, credits: Sequence[Credit]) -> dict[tuple[str | None, str], int]:
    """Person ids for the credits' people, made or refreshed; keyed (provider_id, name), the
    name only counting for people without an id."""
    by_id: dict[str, Credit] = {}
    by_name: dict[str, Credit] = {}
    for c in credits:
        if c.provider_id:
            by_id.setdefault(c.provider_id, c)
        else:
            by_name.setdefault(c.name, c)
    found: dict[tuple[str | None, str], Person] = {}
    for batch in chunked(list(by_id), _CHUNK):
        rows = Person.select().where((Person.provider == provider) & Person.provider_id.in_(batch))
        found.update({(r.provider_id, ""): r for r in rows})
    for batch in chunked(list(by_name), _CHUNK):
        rows = Person.select().where(
            (Person.provider == provider) & Person.provider_id.is_null() & Person.name.in_(batch)
        )
        found.update({(None, r.name): r for r in rows})
    out: dict[tuple[str | None, str], int] = {}
    wanted: list[tuple[tuple[str | None, str], Credit]]
    wanted = [((pid, ""), c) for pid, c in by_id.items()]
    wanted += [((None, name), c) for name, c in by_name.items()]
    for key, c in wanted:
        row = found.get(key)
        if row is None:
            out[key] = int(
                Person.insert(
                    provider=provider,
                    provider_id=c.provider_id or None,
                    name=c.name,
                    image_url=c.image_url,
                ).execute()
            )
            continue
        out[key] = row.id
        changes: dict[str, object] = {}
        if row.name != c.name:
            changes["name"] = c.name
        if c.image_url and c.image_url != row.image_url:
            changes.update(image_url=c.image_url, cached_path=None)  # a new headshot
        if changes:
            Person.update(**changes).where(Person.id == row.id).execute()
    return out


def save_credits(
    db: SqliteDatabase, entity_id: int, provider: str, credits: Sequence[Credit]
) -> None:
    """Replace `provider`'s credits for an entity with `credits` (unknown roles are left out;
    the same person in the same role and character counts once)."""
    kept = [c for c in credits if c.role in ROLES and c.name]
    with db.atomic():
        ids = _people(provider, kept)
        CreditRow.delete().where(
            (CreditRow.entity == entity_id)
            & CreditRow.person.in_(Person.select(Person.id).where(Person.provider == provider))
        ).execute()
        rows: dict[tuple[int, str, str], dict[str, object]] = {}
        for c in kept:
            person = ids[(c.provider_id, "") if c.provider_id else (None, c.name)]
            rows.setdefault(
                (person, c.role, c.character or ""),
                {"entity": entity_id, "person": person, "role": c.role,
                 "character": c.character, "job": c.job, "ord": c.order},
            )  # fmt: skip
        for batch in chunked(list(rows.values()), _CHUNK):
            CreditRow.insert_many(batch).execute()


def credits_for(
    db: SqliteDatabase, entity_id: int, provider: str | None = None
) -> list[PersonCredit]:
    """An entity's credits (one provider's, or every provider's), by role then billing order."""
    where = CreditRow.entity == entity_id
    if provider is not None:
        where &= Person.provider == provider
    query = (
        CreditRow.select(CreditRow, Person)
        .join(Person)
        .where(where)
        .order_by(Person.provider, CreditRow.ord.asc(nulls="LAST"), Person.id)
    )
    out = [
        PersonCredit(
            person=_person(r.person), role=r.role, character=r.character, job=r.job, order=r.ord
        )
        for r in query
    ]
    out.sort(key=lambda c: (c.person.provider, ROLES.index(c.role)))  # stable: order kept
    return out


def people_without_image(db: SqliteDatabase, limit: int) -> list[PersonRow]:
    """People with a headshot URL and no cached file yet, oldest first."""
    query = (
        Person.select()
        .where(Person.cached_path.is_null() & Person.image_url.is_null(False))
        .order_by(Person.id)
        .limit(limit)
    )
    return [_person(r) for r in query]


def set_person_image(db: SqliteDatabase, person_id: int, cached_path: str | None) -> None:
    """Record (or with None, forget) where a person's headshot is cached."""
    Person.update(cached_path=cached_path).where(Person.id == person_id).execute()
