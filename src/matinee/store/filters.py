"""The library's filters on the database thread: genres, people and missing fields.

Titles keep their metadata in the `fields` JSON (genres, cast, directors, writers, creators),
which no index covers, so each filter is one scan of the titles of a kind, kept cheap:

- a pattern on the raw JSON text (`LIKE`, `GLOB`: in C, no JSON parsing) first settles the
  titles it can (those that cannot have the genre or the name; those whose field is certainly
  filled); only the rest have their JSON read (`json_each`, `json_tree`, `json_type`);
- case-insensitivity is SQLite's `lower()` (ASCII letters) for an ASCII criterion, which then
  never calls Python; a criterion with other letters is compared through Python's `str.lower`
  (`matinee_lower`), on the few titles the text test leaves.

A value counts as missing as `model.is_empty` says: absent, null, blank text, empty list or
object (numbers, 0 included, are values). Nothing here knows which fields are expected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from peewee import SqliteDatabase

from matinee.model import FIELD_BY_NAME, EntityKind, FieldKind

__all__ = ["PEOPLE_FIELDS", "genre_counts", "match_ids"]

PEOPLE_FIELDS = ("cast", "directors", "writers", "creators")
"""The fields holding people's names (`cast` as objects with a `name`, the others as text)."""

_FOLD = "matinee_lower"
_TEXT_SAFE = frozenset(chr(c) for c in range(0x20, 0x7F)) - {'"', "\\"}
"""Characters stored as themselves in the JSON text (matinee writes it with ensure_ascii off,
other tools may escape every non-ASCII letter): a run of these can be looked for in the raw
text."""

_GENRES_SQL = (
    "SELECT g.value, count(*) FROM entities AS e, json_each(e.fields, '$.genres') AS g"
    " WHERE e.kind IN ('movie', 'series') AND g.type = 'text'"
    " GROUP BY g.value"
)


def genre_counts(db: SqliteDatabase) -> Counter[str]:
    """How many movies and series carry each genre, spelt as stored."""
    return Counter({value: count for value, count in db.execute_sql(_GENRES_SQL) if value})


def match_ids(
    db: SqliteDatabase,
    kind: EntityKind,
    *,
    genre: str | None = None,
    person: str | None = None,
    missing: str | None = None,
) -> list[int]:
    """Ids of the titles of `kind` matching every criterion given, in id order.

    Args:
        genre: a genre, equal ignoring case.
        person: part of a person's name (cast, directors, writers, creators), ignoring case.
        missing: a registry field name (it goes into JSON paths and patterns as is) whose
            value must be empty or absent.
    """
    where = ["e.kind = ?"]
    params: list[Any] = [kind.value]
    if genre:
        where.append(_prefilter(genre, params, quoted=True))
        test = _matches(db, genre, "g.atom", params, whole=True)
        where.append(
            "EXISTS (SELECT 1 FROM json_each(e.fields, '$.genres') AS g"
            f" WHERE g.type = 'text' AND {test})"
        )
    if person:
        where.append(_prefilter(person, params))
        fields = [f for f in PEOPLE_FIELDS if kind in FIELD_BY_NAME[f].kinds]  # a parse each
        tests = [_person_in(db, field, person, params) for field in fields]
        where.append("(" + (" OR ".join(tests) or "0") + ")")
    if missing:
        where.append(_missing(missing, params))
    sql = f"SELECT e.id FROM entities AS e WHERE {' AND '.join(where)} ORDER BY e.id"
    return [eid for (eid,) in db.execute_sql(sql, params)]


def _matches(
    db: SqliteDatabase, criterion: str, column: str, params: list[Any], *, whole: bool
) -> str:
    """SQL: `column` equals (`whole`) or contains the criterion, ignoring case as `str.lower`.

    An ASCII criterion uses SQLite's `lower()`, all in C. Another is compared through Python's
    (`matinee_lower`, registered on this connection), behind a test in C on its longest ASCII
    part, so Python sees only the few values that can match.
    """
    wanted = criterion.lower()
    if criterion.isascii():
        params.append(wanted)
        return f"lower({column}) = ?" if whole else f"instr(lower({column}), ?) > 0"
    db.connection().create_function(_FOLD, 1, _lower, deterministic=True)
    gate = ""
    if part := _safe_run(wanted):
        params.append(part)
        gate = f"instr(lower({column}), ?) > 0 AND "
    params.append(wanted)
    return gate + (f"{_FOLD}({column}) = ?" if whole else f"instr({_FOLD}({column}), ?) > 0")


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _safe_run(criterion: str) -> str:
    """The longest run of the criterion's characters that are stored as themselves."""
    runs = "".join(ch if ch in _TEXT_SAFE else "\0" for ch in criterion).split("\0")
    return max(runs, key=len)


def _prefilter(criterion: str, params: list[Any], *, quoted: bool = False) -> str:
    """A `LIKE` on the raw JSON text for part of the criterion stored as itself (ASCII, no quote
    or backslash), in its quotes when it is a whole value (`quoted`); `LIKE` ignores ASCII case.
    Always true when no such part exists."""
    if quoted and all(ch in _TEXT_SAFE for ch in criterion):
        token = f'"{criterion}"'
    else:
        token = _safe_run(criterion)
    if not token:
        return "1"
    escaped = _rare_tail(token.lower()).replace("%", "\\%").replace("_", "\\_")
    params.append(f"%{escaped}%")
    return "e.fields LIKE ? ESCAPE '\\'"


# Characters by how often they occur in the `fields` JSON, most often first. A `LIKE '%abc%'` or
# `GLOB '*abc*'` skips ahead to each occurrence of the pattern's first character, so a pattern
# that starts with a rare one reads the text up to three times faster (measured: 60 against
# 170 ms for 100k titles) than one starting with a quote, a space or an "e".
_BY_FREQUENCY = ' "e,:taoinsrhl_.dcu1290m345678pfgwybvk-xjqz'


def _rank(ch: str) -> int:
    found = _BY_FREQUENCY.find(ch)
    return len(_BY_FREQUENCY) if found < 0 else found


def _rare_tail(token: str, avoid: Collection[str] = ()) -> str:
    """The end of `token` that starts at its rarest character, at least three characters long
    (or the whole of a shorter token), and in none of `avoid`: still a substring of whatever
    contains the token. Unknown characters count as rare."""
    keep = min(3, len(token))
    starts = [i for i in range(len(token) - keep + 1) if not any(token[i:] in a for a in avoid)]
    start = min(starts or [0], key=lambda i: -_rank(token[i]))
    return token[start:]


def _person_in(db: SqliteDatabase, field: str, person: str, params: list[Any]) -> str:
    """A name in one people field contains the criterion: a text item of the list, or the
    `name` of an object item (cast entries)."""
    test = _matches(db, person, "p.atom", params, whole=False)
    return (
        f"EXISTS (SELECT 1 FROM json_tree(e.fields, '$.{field}') AS p WHERE p.type = 'text'"
        f" AND (p.key = 'name' OR typeof(p.key) = 'integer') AND {test})"
    )


# A value certainly filled, as the raw text shows it after its key the way `JSONField` writes
# it (`"name": value`): a number, or a text or list whose first character does not close it (a
# blank text starts with a space or an escape). Other layouts fall through to the exact test.
_FILLED = {FieldKind.NUMBER: "[0-9-]", FieldKind.LIST: "[[][^]]"}
_FILLED_TEXT = '"[^" \\]'


def _missing(field: str, params: list[Any]) -> str:
    """The field is absent, null, blank text, an empty list or an empty object.

    Settled on the raw text where it can be, with two `GLOB`s that start at a rare character
    of the key (unique among the registry's keys): no key at all is missing; a key followed by
    a filled value is not. Only the rest (an empty value, another layout) have their JSON read.
    """
    spec = FIELD_BY_NAME.get(field)
    filled = _FILLED.get(spec.kind, _FILLED_TEXT) if spec else _FILLED_TEXT
    key = _rare_tail(f'"{field}"', [f'"{name}"' for name in FIELD_BY_NAME if name != field])
    path = f'$."{field}"'
    params += [f"*{key}*", f"*{key}: {filled}*", path, path, path, path]
    return (
        "(NOT e.fields GLOB ? OR NOT e.fields GLOB ?"
        " AND CASE coalesce(json_type(e.fields, ?), 'null')"
        " WHEN 'null' THEN 1"
        " WHEN 'text' THEN trim(json_extract(e.fields, ?), ' ' || char(9, 10, 13)) = ''"
        " WHEN 'array' THEN json_array_length(e.fields, ?) = 0"
        " WHEN 'object' THEN json_extract(e.fields, ?) = '{}'"
        " ELSE 0 END)"
    )
