"""Edit the user's `config.toml` in place, keeping their comments and layout, and save it safely.

The Providers and Settings screens change settings in a file the user also edits and comments by
hand, so re-serialising the document (tomli-w) is out: `set_value` and `remove_key` touch only
one assignment or insert one line, and every other byte stays (comments, quoting, CRLF, a missing
final newline). `save_config` validates with the real loader before it replaces the file
atomically. A small scanner finds table headers, where each `key = value` starts and ends
(multi-line arrays and strings included) and each key's dotted path; a line it cannot read is
left alone for the loader to report. No UI code belongs here.
"""

from __future__ import annotations

import math
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from matinee.config import load_settings_text
from matinee.config_sections import Settings
from matinee.errors import ConfigError

__all__ = [
    "check_text",
    "edit_config",
    "format_value",
    "remove_key",
    "save_config",
    "set_value",
    "starting_text",
]

Value = bool | int | float | str | Sequence[str]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
# Basic-string escapes: TOML's short forms, else \uXXXX for control characters and for what
# editors (and str.splitlines) take for a line break.
_CONTROL = {chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0x85, 0x2028, 0x2029)}
_ESCAPES = str.maketrans(
    _CONTROL | {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}
)


# --- public API ----------------------------------------------------------------------------


def set_value(text: str, table: str, key: str, value: Value) -> str:
    """Return `text` with `key = value` in `[table]`, every other byte unchanged.

    `table` is dotted ("providers.omdb"; "" is the top level); a dotted `key` means a deeper
    table. An existing assignment gets the new value (a multi-line array too; a comment after it
    on its line stays). Else a line goes after the table's last assignment (before the comments
    and blank lines that lead to the next table), or after the header and its own comment lines,
    or a new `[table]` is appended. Commented-out assignments are left as they are.

    Raises:
        ValueError: a name is not a bare or dotted key, or the edit would break a valid document
            (the key is a table, or sits in an inline table).
        TypeError: `value` is not a bool, int, float, str or sequence of str.
    """
    path = _key_path(table, key)
    rendered = format_value(value)
    doc = _Document.scan(text)
    pair = doc.pair(path)
    if pair is not None:
        result = text[: pair.value_start] + rendered + text[pair.value_end :]
    else:
        result = doc.insert(path[:-1], path[-1], rendered)
    _check_edit(text, result, path, value)
    return result


def remove_key(text: str, table: str, key: str) -> str:
    """Return `text` without the `key` assignment of `[table]` (whole lines), else unchanged.

    The comment lines above the assignment stay: they may say more than the key.

    Raises:
        ValueError: `table` or `key` is not a bare or dotted key.
    """
    path = _key_path(table, key)
    pair = _Document.scan(text).pair(path)
    if pair is None:
        return text
    start, end = pair.start, pair.end
    if end == len(text) and not text.endswith("\n") and start > 0:
        # The last line had no newline: drop the one before it so the file still ends the same.
        start -= 2 if text[:start].endswith("\r\n") else 1
    return text[:start] + text[end:]


def check_text(text: str, path: Path, *, env: Mapping[str, str] | None = None) -> Settings:
    """Validate config `text` as `load_settings` would read it from `path`, env overrides too.

    Raises:
        ConfigError: the error loading would give, naming `path`, the key and the line.
    """
    return load_settings_text(text, path, env=env)


def save_config(path: Path, text: str, *, env: Mapping[str, str] | None = None) -> Settings:
    """Validate `text`, then atomically replace the file at `path` with it; the new Settings.

    Nothing is written when the text is invalid. The file keeps its permission bits (a new file
    gets 0600: it may hold API keys); the parent folder is created; a symlink stays a symlink.

    Raises:
        ConfigError: the text is invalid (see `check_text`), or the file cannot be written.
    """
    settings = check_text(text, path, env=env)
    target = Path(os.path.realpath(path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o600
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(text.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, mode)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(f"cannot write: {exc}", path=str(path)) from None
    return settings


def starting_text(path: Path) -> str:
    """The file's text (line ends kept), else the bundled example, so a first edit documents.

    Raises:
        ConfigError: the file exists but cannot be read as UTF-8.
    """
    if not path.exists():
        return (files("matinee") / "config.example.toml").read_text(encoding="utf-8")
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from None


def edit_config(
    path: Path, edits: Iterable[tuple[str, str, Any]], *, env: Mapping[str, str] | None = None
) -> Settings:
    """Apply `(table, key, value)` edits to the config at `path` and save it; the screens' call.

    A value of None removes the key (a field's own authority list, say). The file is written
    only when the text changed or did not exist yet; it is validated either way.

    Raises:
        ConfigError: the edited config is invalid (nothing is written) or cannot be saved.
        ValueError, TypeError: an edit names a bad key or carries an unusable value.
    """
    original = starting_text(path)
    text = original
    for table, key, value in edits:
        text = remove_key(text, table, key) if value is None else set_value(text, table, key, value)
    if text == original and path.exists():
        return check_text(text, path, env=env)
    return save_config(path, text, env=env)


def format_value(value: Value) -> str:
    """`value` as TOML: `true`, `3`, `0.5`, `"a \\"b\\""`, `["a", "b"]`; else TypeError."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # inf, -inf, nan and 1e-05 are all valid TOML as repr writes them
    if isinstance(value, str):
        return _basic_string(value)
    if isinstance(value, Sequence):
        items: list[str] = []
        for item in value:
            if not isinstance(item, str):
                raise TypeError(f"list items must be strings, not {item!r}")
            items.append(_basic_string(item))
        return "[" + ", ".join(items) + "]"
    raise TypeError(f"cannot write {value!r} to the config")


# --- helpers -------------------------------------------------------------------------------


def _basic_string(value: str) -> str:
    return '"' + value.translate(_ESCAPES) + '"'


def _key_path(table: str, key: str) -> tuple[str, ...]:
    parts = (table.split(".") if table else []) + key.split(".")
    for part in parts:
        if not _BARE.fullmatch(part):
            raise ValueError(f"not a bare or dotted TOML key: table {table!r}, key {key!r}")
    return tuple(parts)


def _check_edit(before: str, after: str, path: tuple[str, ...], value: Value) -> None:
    """Refuse an edit that turns a valid document into an invalid or different one."""
    try:
        tomllib.loads(before)
    except tomllib.TOMLDecodeError:
        return  # already broken: saving will name the line
    dotted = ".".join(path)
    try:
        found: Any = tomllib.loads(after)
        for part in path:
            found = found[part]
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"cannot set {dotted} in this file: {exc}") from None
    expected: Any = value if isinstance(value, bool | int | float | str) else list(value)
    same_nan = isinstance(value, float) and math.isnan(value) and math.isnan(found)
    if found != expected and not same_nan:
        raise ValueError(f"cannot set {dotted} in this file: it reads back as {found!r}")


# --- the scanner ---------------------------------------------------------------------------

_PART = r"""[A-Za-z0-9_-]+|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'"""
_KEY = rf"(?:{_PART})(?:[ \t]*\.[ \t]*(?:{_PART}))*"
_HEADER = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_KEY})[ \t]*(\]\]?)")
_ASSIGN = re.compile(rf"[ \t]*({_KEY})[ \t]*=[ \t]*")
_LINE_END = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)")
_COMMENT_LINE = re.compile(r"[ \t]*#[^\n]*(?:\n|\Z)")
_INDENT = re.compile(r"[ \t]*")
# One lexical piece of a value; strings first, so brackets and `#` inside them are not seen.
_TOKEN = re.compile(
    r'"""(?:[^\\]|\\.)*?"""(?:"{1,2})?'
    r"|'''.*?'''(?:'{1,2})?"
    r'|"(?:[^"\\\r\n]|\\.)*"'
    r"|'[^'\r\n]*'"
    r"|#[^\n]*|\r?\n|[ \t]+|[\[\]{},]"
    r"|[^\s\[\]{},#\"']+",
    re.DOTALL,
)


class _Unreadable(Exception):
    """A line the scanner does not understand: it is skipped and left as it is."""


@dataclass(frozen=True)
class _Pair:
    path: tuple[str, ...]  # absolute: the section's path plus the dotted key
    start: int  # offset of the line the statement starts on
    end: int  # offset after the newline of the line it ends on (or the end of the text)
    value_start: int
    value_end: int


@dataclass
class _Section:
    path: tuple[str, ...]
    header_end: int  # offset after the header line; 0 for the top level
    editable: bool  # False under an [[array of tables]] header
    pairs: list[_Pair] = field(default_factory=list)


@dataclass
class _Document:
    text: str
    sections: list[_Section]
    header_starts: set[int]

    @classmethod
    def scan(cls, text: str) -> _Document:
        sections = [_Section((), 0, True)]
        headers: set[int] = set()
        pos = 0
        while pos < len(text):
            start = pos
            header = _HEADER.match(text, pos)
            assign = None if header else _ASSIGN.match(text, pos)
            try:
                if header and len(header.group(1)) == len(header.group(3)):
                    pos = _line_end(text, header.end())
                    array = header.group(1) == "[["
                    sections.append(_Section(_key_parts(header.group(2)), pos, not array))
                    headers.add(start)
                elif assign:
                    value_end = _value_end(text, assign.end())
                    pos = _line_end(text, value_end)
                    path = sections[-1].path + _key_parts(assign.group(1))
                    sections[-1].pairs.append(_Pair(path, start, pos, assign.end(), value_end))
                else:  # a blank or comment line, or one left for the loader to report
                    pos = _next_line(text, pos)
            except _Unreadable:
                pos = _next_line(text, start)
        return cls(text, sections, headers)

    def pair(self, path: tuple[str, ...]) -> _Pair | None:
        pairs = (p for s in self.sections if s.editable for p in s.pairs if p.path == path)
        return next(pairs, None)

    def insert(self, table: tuple[str, ...], key: str, rendered: str) -> str:
        """The text with a new `key = rendered` line placed where `table`'s settings are."""
        text = self.text
        nl = "\r\n" if "\r\n" in text[: text.find("\n") + 1] else "\n"
        section = next((s for s in self.sections if s.editable and s.path == table), None)
        if section is not None and section.pairs:
            last = section.pairs[-1]
            return self._put(last.end, _indent(text, last.start) + f"{key} = {rendered}", nl)
        if section is not None:
            at = self._after_own_comments(section.header_end)
            return self._put(at, f"{key} = {rendered}", nl)
        # No [table] header: a parent section may already hold its keys as dotted keys.
        dotted = [
            (s, p)
            for s in self.sections
            if s.editable and len(s.path) < len(table)
            for p in s.pairs
            if len(p.path) > len(table) and p.path[: len(table)] == table
        ]
        if dotted:
            parent, last = max(dotted, key=lambda found: found[1].end)
            name = ".".join((*table[len(parent.path) :], key))
            return self._put(last.end, _indent(text, last.start) + f"{name} = {rendered}", nl)
        block = f"[{'.'.join(table)}]{nl}{key} = {rendered}"
        if not text.endswith("\n"):  # a file that ends without a newline keeps ending so
            return text + nl + nl + block if text else block + nl
        blank_before = text.endswith(("\n\n", "\n\r\n")) or text == nl
        return text + ("" if blank_before else nl) + block + nl

    def _put(self, at: int, line: str, nl: str) -> str:
        text = self.text
        if at == len(text) and text and not text.endswith("\n"):
            return text + nl + line  # keep the file ending without a newline
        return text[:at] + line + nl + text[at:]

    def _after_own_comments(self, at: int) -> int:
        """Past the comment lines right under a header, unless they lead to the next header."""
        pos = at
        while comment := _COMMENT_LINE.match(self.text, pos):
            pos = comment.end()
        return at if pos > at and pos in self.header_starts else pos


def _indent(text: str, start: int) -> str:
    found = _INDENT.match(text, start)
    return found.group() if found else ""


def _next_line(text: str, i: int) -> int:
    found = text.find("\n", i)
    return len(text) if found < 0 else found + 1


def _line_end(text: str, i: int) -> int:
    """After a statement only a comment may follow on its line: the next line's offset."""
    rest = _LINE_END.match(text, i)
    if rest is None:
        raise _Unreadable
    return rest.end()


def _key_parts(key: str) -> tuple[str, ...]:
    parts = []
    for part in re.findall(_PART, key):
        if part.startswith('"'):
            try:
                parts.append(str(tomllib.loads(f"k = {part}")["k"]))  # it knows every escape
            except tomllib.TOMLDecodeError:
                raise _Unreadable from None
        else:
            parts.append(part[1:-1] if part.startswith("'") else part)
    return tuple(parts)


def _value_end(text: str, i: int) -> int:
    """Offset after the value starting at `i` (arrays and strings may span lines)."""
    start, depth, last = i, 0, i
    while i < len(text):
        token = _TOKEN.match(text, i)
        if token is None:
            raise _Unreadable  # an unclosed string, say
        piece = token.group()
        if depth == 0 and piece[0] in "#\r\n":
            break
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(piece, 0)
        if depth < 0:
            raise _Unreadable
        i = token.end()
        if not piece.isspace() and piece[0] != "#":
            last = i
        if depth == 0 and piece in ("]", "}"):
            break
    if depth != 0 or last == start:
        raise _Unreadable
    return last
