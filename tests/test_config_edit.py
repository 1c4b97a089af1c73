"""Editing config.toml in place: values change, every other byte (comments above all) stays."""

from __future__ import annotations

import copy
import difflib
import re
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matinee.config import Settings, load_settings
from matinee.config_edit import (
    check_text,
    edit_config,
    format_value,
    remove_key,
    save_config,
    set_value,
    starting_text,
)
from matinee.errors import ConfigError

EXAMPLE_PATH = Path(__file__).resolve().parents[1] / "src" / "matinee" / "config.example.toml"
EXAMPLE = EXAMPLE_PATH.read_text(encoding="utf-8")
NO_ENV: dict[str, str] = {}


def lines(text: str, keepends: bool = False) -> list[str]:
    """Lines split at newlines only (str.splitlines also splits at NEL and U+2028)."""
    found = re.findall(r"[^\n]*\n|[^\n]+\Z", text)
    return found if keepends else [line.rstrip("\r\n") for line in found]


def comments(text: str) -> list[str]:
    return [line for line in lines(text) if line.lstrip().startswith("#")]


def only_change(before: str, after: str) -> tuple[list[str], list[str]]:
    """The one block of lines that differs (old lines, new lines); fails if there are more."""
    old, new = lines(before, keepends=True), lines(after, keepends=True)
    blocks = [
        (old[i1:i2], new[j1:j2])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, False).get_opcodes()
        if tag != "equal"
    ]
    assert len(blocks) == 1, blocks
    return blocks[0]


# --- replacing values in the real example file ----------------------------------------------

EXAMPLE_EDITS: list[tuple[str, str, Any, str, str, Callable[[Settings], bool]]] = [
    (
        "providers.omdb", "enabled", False, "enabled = true\n", "enabled = false\n",
        lambda s: s.providers["omdb"].enabled is False and s.providers["tmdb"].enabled,
    ),
    (
        "authority", "priority", ["fanart", "tvdb", "omdb", "tmdb"],
        'priority = ["tmdb", "omdb", "tvdb", "fanart"]\n',
        'priority = ["fanart", "tvdb", "omdb", "tmdb"]\n',
        lambda s: s.authority.priority == ("fanart", "tvdb", "omdb", "tmdb"),
    ),
    (
        "authority.fields", "plot", ["omdb", "tmdb"], 'plot = ["tmdb", "omdb"]\n',
        'plot = ["omdb", "tmdb"]\n', lambda s: s.authority.fields["plot"] == ("omdb", "tmdb"),
    ),
    (
        "ui", "theme", "matinee-light", 'theme = "matinee-dark"\n', 'theme = "matinee-light"\n',
        lambda s: s.ui.theme == "matinee-light",
    ),
    ("match", "strong", 0.9, "strong = 0.85\n", "strong = 0.9\n", lambda s: s.match.strong == 0.9),
    ("", "offline", True, "offline = false\n", "offline = true\n", lambda s: s.offline is True),
    (
        "providers.tmdb", "api_key", 'k"3\\', 'api_key = ""\n', 'api_key = "k\\"3\\\\"\n',
        lambda s: s.providers["tmdb"].api_key == 'k"3\\',
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", EXAMPLE_EDITS, ids=lambda case: f"{case[0]}.{case[1]}")
def test_replace_in_the_example_file(tmp_path: Path, case: tuple[Any, ...]) -> None:
    table, key, value, old, new, check = case
    result = set_value(EXAMPLE, table, key, value)
    data = tomllib.loads(result)
    for part in [*table.split("."), key] if table else [key]:
        data = data[part]
    assert data == value
    assert only_change(EXAMPLE, result) == ([old], [new])
    assert comments(result) == comments(EXAMPLE)
    assert check(check_text(result, tmp_path / "config.toml", env=NO_ENV))


# --- inserting and appending ------------------------------------------------------------------


def test_insert_into_a_table_that_lacks_the_key_goes_after_its_comments() -> None:
    result, old = set_value(EXAMPLE, "database", "path", "/data/m.db"), lines(EXAMPLE)
    at = old.index('# path = "~/.local/share/matinee/matinee.db"') + 1
    assert lines(result) == [*old[:at], 'path = "/data/m.db"', *old[at:]]
    assert tomllib.loads(result)["database"] == {"path": "/data/m.db"}


def test_insert_after_last_key_before_the_next_tables_comments() -> None:
    result, old = set_value(EXAMPLE, "providers.omdb", "timeout_s", 5.0), lines(EXAMPLE)
    at = old.index("quota_reserve = 50") + 1
    assert lines(result) == [*old[:at], "timeout_s = 5.0", *old[at:]]
    text = "[a]\n  x = 1\n\n# about b\n[b]\ny = 2\n"
    assert set_value(text, "a", "z", "v") == '[a]\n  x = 1\n  z = "v"\n\n# about b\n[b]\ny = 2\n'


def test_insert_in_a_table_whose_only_comments_lead_to_the_next_header() -> None:
    text = "[a]\n# about b\n[b]\n"
    assert set_value(text, "a", "x", 1) == "[a]\nx = 1\n# about b\n[b]\n"
    assert set_value("# top\n[b]\n", "", "offline", True) == "offline = true\n# top\n[b]\n"
    assert set_value("# top\n\n[b]\n", "", "offline", True) == "# top\noffline = true\n\n[b]\n"
    commented = '[ui]\n# theme = "matinee-light"\n'  # never uncommented
    assert set_value(commented, "ui", "theme", "x") == commented + 'theme = "x"\n'


def test_new_table_is_appended_at_the_end(tmp_path: Path) -> None:
    text = '[ui]\ntheme = "matinee-dark"\n'
    result = set_value(text, "providers.omdb", "daily_quota", 500)
    assert result == text + "\n[providers.omdb]\ndaily_quota = 500\n"
    assert check_text(result, tmp_path / "c.toml", env=NO_ENV).providers["omdb"].daily_quota == 500
    appended = set_value(EXAMPLE, "schedule.extra", "x", 1)
    assert appended == EXAMPLE + "\n[schedule.extra]\nx = 1\n"
    assert set_value("", "ui", "theme", "x") == '[ui]\ntheme = "x"\n'
    assert set_value("a = 1\n\n", "t", "k", 1) == "a = 1\n\n[t]\nk = 1\n"


def test_dotted_keys_in_a_parent_table_get_a_sibling() -> None:
    text = '[authority]\nfill_gaps = true\nfields.plot = ["tmdb"]\n\n[ui]\n'
    result = set_value(text, "authority.fields", "title", ["omdb"])
    assert result == text.replace("\n\n", '\nfields.title = ["omdb"]\n\n')
    assert set_value(text, "authority.fields", "plot", []).count("fields.plot = []") == 1


# --- layout kept --------------------------------------------------------------------------


def test_multi_line_array_is_replaced_and_trailing_comments_kept() -> None:
    text = '[library]\n# where\nroots = [\n  "/a",  # 1st\n  "/b",\n]  # my roots\nprobe = true\n'
    result = set_value(text, "library", "roots", ["/c"])
    assert result == '[library]\n# where\nroots = ["/c"]  # my roots\nprobe = true\n'
    assert tomllib.loads(result)["library"] == {"roots": ["/c"], "probe": True}
    text = '[ui]\ntheme   =   "matinee-dark"   # dark at night\n'
    result = set_value(text, "ui", "theme", "matinee-light")
    assert result == '[ui]\ntheme   =   "matinee-light"   # dark at night\n'


def test_crlf_is_kept_everywhere() -> None:
    crlf = EXAMPLE.replace("\n", "\r\n")
    result = set_value(crlf, "ui", "theme", "matinee-light")
    result = set_value(result, "database", "path", "/x.db")
    result = set_value(result, "extra", "k", "v")
    assert result.count("\n") == result.count("\r\n")
    assert '\r\ntheme = "matinee-light"\r\n' in result
    assert result.endswith('\r\n\r\n[extra]\r\nk = "v"\r\n')
    assert comments(result) == comments(EXAMPLE)
    assert remove_key(result, "ui", "theme").count("\n") == result.count("\r\n") - 1


def test_file_without_trailing_newline_keeps_ending_so() -> None:
    assert set_value("a = 1", "", "a", 2) == "a = 2"
    assert set_value("a = 1", "", "b", 2) == "a = 1\nb = 2"
    assert set_value("[x]", "x", "y", 1) == "[x]\ny = 1"
    assert set_value("a = 1", "x", "y", 1) == "a = 1\n\n[x]\ny = 1"
    assert set_value("a = 1\r\nb = 2", "", "c", 3) == "a = 1\r\nb = 2\r\nc = 3"
    assert remove_key("a = 1\nb = 2", "", "b") == "a = 1"


def test_quoted_keys_and_spaced_headers_are_found() -> None:
    text = '[ providers . "omdb" ]  # mine\n"enabled" = true\n\'burst\' = 2\n'
    result = set_value(text, "providers.omdb", "enabled", False)
    result = set_value(result, "providers.omdb", "burst", 3)
    assert result == '[ providers . "omdb" ]  # mine\n"enabled" = false\n\'burst\' = 3\n'


def test_strings_and_arrays_of_tables_do_not_confuse_it() -> None:
    text = (
        "[x]\n"
        's = """a\n[y]\nk = 1 # not a comment\n""""\n'
        "t = 'it\"s' # a comment\n"
        'u = "a # b [c"\n'
        "d = 1979-05-27 07:32:00\n"
        'i = { a = [1, 2], b = "}" }\n'
    )
    assert set_value(text, "x", "k", 2) == text + "k = 2\n"
    assert set_value(text, "x", "d", "now").count('d = "now"\n') == 1
    assert tomllib.loads(set_value(text, "x", "s", "z"))["x"]["s"] == "z"
    text = "[[item]]\nname = 'a'\n\n[[item]]\nname = 'b'\n\n[x]\nname = 'c'\n"
    assert set_value(text, "x", "name", "d") == text.replace("'c'", '"d"')
    assert tomllib.loads(set_value(text, "x", "z", 1))["item"] == [{"name": "a"}, {"name": "b"}]


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "key"),
    [("a b", "k"), ("providers.", "k"), (".x", "k"), ("ui", ""), ("ui", "the me"), ("ui", 'k"')],
)
def test_bad_names_raise_value_error(table: str, key: str) -> None:
    with pytest.raises(ValueError, match="not a bare or dotted TOML key"):
        set_value(EXAMPLE, table, key, 1)
    with pytest.raises(ValueError, match="not a bare or dotted TOML key"):
        remove_key(EXAMPLE, table, key)


def test_edits_that_would_break_a_valid_file_are_refused() -> None:
    with pytest.raises(ValueError, match=r"cannot set authority\.fields\.plot"):
        set_value('[authority]\nfields = { plot = ["tmdb"] }\n', "authority.fields", "plot", [])
    with pytest.raises(ValueError, match=r"cannot set authority\.fields in this file"):
        set_value(EXAMPLE, "authority", "fields", "x")
    for bad in (None, [1, 2], {"a": 1}, b"x"):
        with pytest.raises(TypeError):
            set_value(EXAMPLE, "ui", "theme", bad)


def test_format_value() -> None:
    assert [format_value(v) for v in (True, False, 3, -0.5, 1e-05, "é\x01\u2028", ())] == [
        "true", "false", "3", "-0.5", "1e-05", '"é\\u0001\\u2028"', "[]",
    ]  # fmt: skip
    assert format_value(("a", 'b"')) == '["a", "b\\""]'


# --- removing ---------------------------------------------------------------------------------


def test_remove_key_drops_the_line_and_keeps_comments() -> None:
    result = remove_key(EXAMPLE, "authority.fields", "plot")
    assert only_change(EXAMPLE, result) == (['plot = ["tmdb", "omdb"]\n'], [])
    assert "plot" not in tomllib.loads(result)["authority"]["fields"]
    assert comments(result) == comments(EXAMPLE)
    assert remove_key(EXAMPLE, "authority.fields", "tagline") == EXAMPLE
    multi = "[l]\nroots = [\n  1,\n]\nx = 1\n"
    assert remove_key(multi, "l", "roots") == "[l]\nx = 1\n"


# --- checking and saving -----------------------------------------------------------------------


def test_check_text_names_key_and_line_of_a_broken_value(tmp_path: Path) -> None:
    broken = set_value(EXAMPLE, "providers.tmdb", "requests_per_second", "fast")
    with pytest.raises(ConfigError) as info:
        check_text(broken, tmp_path / "config.toml", env=NO_ENV)
    err = info.value
    assert err.key == "providers.tmdb.requests_per_second"
    assert err.path == str(tmp_path / "config.toml")
    assert err.line == lines(broken).index('requests_per_second = "fast"') + 1
    assert "must be a number" in err.reason
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        check_text("[ui]\ntheme = \n", tmp_path / "c.toml", env=NO_ENV)
    assert info.value.line == 2


def test_check_text_matches_load_settings_and_applies_env(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    env = {"MATINEE_TMDB_API_KEY": "fromenv12345", "MATINEE_DB": str(tmp_path / "x.db")}
    checked = check_text(EXAMPLE, path, env=env)
    assert checked == load_settings(path, env=env)
    assert (checked.providers["tmdb"].api_key, checked.database.path, checked.source) == (
        "fromenv12345", tmp_path / "x.db", path,
    )  # fmt: skip


def test_save_config_on_invalid_text_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(EXAMPLE.encode())
    broken = set_value(EXAMPLE, "providers.tmdb", "requests_per_second", "fast")
    with pytest.raises(ConfigError, match="requests_per_second"):
        save_config(path, broken, env=NO_ENV)
    assert path.read_bytes() == EXAMPLE.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


@pytest.mark.parametrize("mode", [0o600, 0o644])
def test_save_keeps_the_permission_bits(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "config.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    path.chmod(mode)
    text = set_value(EXAMPLE, "ui", "theme", "matinee-light")
    assert save_config(path, text, env=NO_ENV).ui.theme == "matinee-light"
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert path.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_save_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "config.toml"
    real.parent.mkdir()
    real.write_text(EXAMPLE, encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_config(link, "offline = true\n", env=NO_ENV)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "offline = true\n"


def test_save_reports_a_folder_it_cannot_make(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot write") as info:
        save_config(tmp_path / "plain" / "config.toml", "offline = true\n", env=NO_ENV)
    assert info.value.path == str(tmp_path / "plain" / "config.toml")
    assert (tmp_path / "plain").read_text(encoding="utf-8") == "not a folder"


def test_edit_config_first_edit_writes_a_documented_file(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "config.toml"
    edits = [("providers.omdb", "enabled", False), ("authority.fields", "plot", None)]
    s = edit_config(path, edits, env=NO_ENV)
    assert s.providers["omdb"].enabled is False
    assert s.source == path
    text = path.read_text(encoding="utf-8")
    assert comments(text) == comments(EXAMPLE)
    assert "plot" not in tomllib.loads(text)["authority"]["fields"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a new file may hold keys: private
    assert starting_text(path) == text
    assert starting_text(tmp_path / "none.toml") == EXAMPLE


def test_edit_config_keeps_the_file_when_an_edit_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"# mine\r\n[ui]\r\ntheme = 'matinee-dark'\r\n")
    with pytest.raises(ConfigError, match=r"match\.strong"):
        edit_config(path, [("ui", "theme", "matinee-light"), ("match", "strong", 2.0)], env=NO_ENV)
    assert path.read_bytes() == b"# mine\r\n[ui]\r\ntheme = 'matinee-dark'\r\n"
    s = edit_config(path, [("ui", "theme", "matinee-light")], env=NO_ENV)
    assert s.ui.theme == "matinee-light"
    assert path.read_bytes() == b'# mine\r\n[ui]\r\ntheme = "matinee-light"\r\n'


# --- property: any sequence of edits on the example ------------------------------------------

_DATA = tomllib.loads(EXAMPLE)


def _tables(data: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    out = {prefix: [k for k, v in data.items() if not isinstance(v, dict)]}
    for k, v in data.items():
        if isinstance(v, dict):
            out.update(_tables(v, f"{prefix}.{k}" if prefix else k))
    return out


_TABLE_KEYS = _tables(_DATA) | {"brand_new": [], "providers.extra": [], "authority.more": []}
_VALUES = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.lists(st.text(max_size=6), max_size=4),
    st.none(),  # remove the key
)
_EDITS = st.lists(
    st.sampled_from(sorted(_TABLE_KEYS)).flatmap(
        lambda t: st.tuples(
            st.just(t), st.sampled_from([*_TABLE_KEYS[t], "new_key", "other_key"]), _VALUES
        )
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(edits=_EDITS, crlf=st.booleans(), final_newline=st.booleans())
def test_any_edits_parse_as_expected_and_keep_comments(
    edits: list[tuple[str, str, Any]], crlf: bool, final_newline: bool
) -> None:
    text = EXAMPLE if final_newline else EXAMPLE.rstrip("\n")
    text = text.replace("\n", "\r\n") if crlf else text
    expected = copy.deepcopy(_DATA)
    for table, key, value in edits:
        node = expected
        for part in table.split(".") if table else []:
            node = node.setdefault(part, {}) if value is not None else node.get(part, {})
        if value is None:
            text = remove_key(text, table, key)
            node.pop(key, None)
        else:
            text = set_value(text, table, key, value)
            node[key] = list(value) if isinstance(value, list) else value
    assert tomllib.loads(text) == expected
    assert comments(text) == comments(EXAMPLE)
    if crlf:
        assert text.count("\n") == text.count("\r\n")
    assert text.endswith("\n") == final_newline
