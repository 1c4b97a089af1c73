"""Settings: defaults, env overrides, and errors that name the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from matinee.config import PROVIDER_DEFAULTS, AuthoritySettings, load_settings, mask_secret
from matinee.config_authority import KNOWN_PROVIDERS
from matinee.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[1] / "config.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_is_valid_and_matches_defaults() -> None:
    s = load_settings(EXAMPLE, env={})
    assert s.providers["tmdb"].base_url == "https://api.themoviedb.org/3"
    assert s.providers["tmdb"].image_base_url == "https://image.tmdb.org/t/p"
    assert s.schedule.enrich_cron == "0 3 * * *"
    assert s.cache.ttl_days == 7
    assert "poster" in s.completeness.expected_fields
    assert s.offline is False
    omdb = s.providers["omdb"]
    assert (omdb.base_url, omdb.daily_quota, omdb.quota_reserve) == (
        "https://www.omdbapi.com", 1000, 50,
    )  # fmt: skip
    assert s.providers["tvdb"].base_url == "https://api4.thetvdb.com/v4"
    assert s.providers["fanart"].base_url == "https://webservice.fanart.tv/v3"
    assert s.authority == AuthoritySettings()


def test_missing_default_file_gives_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("matinee.paths.default_config_path", lambda: tmp_path / "nope.toml")
    s = load_settings(None, env={})
    assert s.source is None
    assert s.match.strong == 0.85
    assert s.providers["tmdb"].api_key == ""


def test_named_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_env_overrides_db_and_keys(tmp_path: Path) -> None:
    path = write(tmp_path, '[providers.tmdb]\napi_key = "fromfile"\n')
    s = load_settings(
        path, env={"MATINEE_DB": str(tmp_path / "x.db"), "MATINEE_TMDB_API_KEY": "fromenv1234"}
    )
    assert s.database.path == tmp_path / "x.db"
    assert s.providers["tmdb"].api_key == "fromenv1234"


def test_matinee_config_env_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, "[schedule]\nbatch_size = 7\n")
    assert load_settings(None, env={"MATINEE_CONFIG": str(path)}).schedule.batch_size == 7


@pytest.mark.parametrize(
    ("text", "key", "line", "reason"),
    [
        ("[library]\nroots = []\n\n[match]\nstrong = 'high'\n", "match.strong", 5, "number"),
        ("[schedule]\nbatch_size = 0\n", "schedule.batch_size", 2, "at least 1"),
        (
            "[providers.tmdb]\nenabled = true\nbase_url = 'ftp://x'\n",
            "providers.tmdb.base_url",
            3,
            "http",
        ),
        ("[library]\nvideo_extension = ['.mkv']\n", "library.video_extension", 2, "unknown key"),
        (
            "[completeness]\nexpected_fields = ['title', 'colour']\n",
            "completeness.expected_fields",
            2,
            "unknown field 'colour'",
        ),
        ("[match]\nauto_apply = 'always'\n", "match.auto_apply", 2, "strong"),
        ("[providers.nope]\napi_key = 'x'\n", "providers.nope", 1, "unknown provider"),
    ],
)
def test_errors_name_file_line_and_key(
    tmp_path: Path, text: str, key: str, line: int, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    err = info.value
    assert err.key == key
    assert err.line == line
    assert reason in str(err)
    assert str(err).startswith(f"{path}:{line}: {key}: ")
    assert err.exit_code == 4


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[library]\nroots = [\n\n[cache]\nttl_days = = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        load_settings(path, env={})
    assert info.value.line is not None


def test_mask_secret_shows_only_last_four() -> None:
    assert mask_secret("0123456789abcdef3f2a") == "****3f2a"
    assert mask_secret("short") == "****"
    assert mask_secret("") == ""


def test_offline_and_provider_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'offline = true\n[providers.tvdb]\napi_key = "k"\npin = "1234"\n'
        '[providers.fanart]\napi_key = "p"\nclient_key = "c"\n'
        "[providers.omdb]\ndaily_quota = 100\nquota_reserve = 10\n",
    )
    s = load_settings(path, env={"MATINEE_OMDB_API_KEY": "omdbkey99"})
    assert s.offline is True
    assert (s.providers["tvdb"].pin, s.providers["fanart"].client_key) == ("1234", "c")
    omdb = s.providers["omdb"]
    assert (omdb.api_key, omdb.daily_quota, omdb.quota_reserve) == ("omdbkey99", 100, 10)
    assert omdb.base_url == "https://www.omdbapi.com"  # defaults kept for unset keys


@pytest.mark.parametrize(
    ("text", "key", "line", "reason"),
    [
        ('offline = "yes"\n', "offline", 1, "must be true or false"),
        (
            "[providers.omdb]\ndaily_quota = 10\nquota_reserve = 10\n",
            "providers.omdb.quota_reserve",
            3,
            "less than daily_quota",
        ),
        ("[providers.omdb]\ndaily_quota = -1\n", "providers.omdb.daily_quota", 2, "0 (no quota)"),
        ("[providers.imdb]\napi_key = 'x'\n", "providers.imdb", 1, "unknown provider"),
    ],
)
def test_provider_and_offline_errors_name_key_and_line(
    tmp_path: Path, text: str, key: str, line: int, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert (info.value.key, info.value.line) == (key, line)
    assert reason in info.value.reason


# --- [authority] ---------------------------------------------------------------------------


def test_authority_defaults_when_the_section_is_absent(tmp_path: Path) -> None:
    s = load_settings(write(tmp_path, "[schedule]\nbatch_size = 7\n"), env={})
    a = s.authority
    assert a == AuthoritySettings()
    assert a.priority == ("tmdb", "omdb", "tvdb", "fanart")
    assert a.fill_gaps is True
    assert set(a.exclusive) == {"imdb_rating", "imdb_votes", "rotten_tomatoes_score",
                                "metacritic_score", "awards", "outline"}  # fmt: skip
    assert a.fields["plot"] == ("tmdb", "omdb")
    assert a.fields["genres"] == ("tmdb", "tvdb")
    assert a.fields["poster"] == ("tmdb", "fanart")
    assert a.fields["fanart"] == ("fanart", "tmdb")
    assert a.fields["awards"] == ("omdb",)


def test_authority_section_is_parsed_and_fields_override_key_by_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[authority]\n"
        'priority = ["omdb", "tmdb"]\n'
        'exclusive = ["imdb_rating", "tagline"]\n'
        "fill_gaps = false\n"
        "[authority.fields]\n"
        'plot = ["omdb", "tmdb"]\n'
        'tagline = ["tvdb"]\n'
        "genres = []\n",
    )
    a = load_settings(path, env={}).authority
    assert a.priority == ("omdb", "tmdb")
    assert a.exclusive == ("imdb_rating", "tagline")
    assert a.fill_gaps is False
    assert a.fields["plot"] == ("omdb", "tmdb")
    assert a.fields["tagline"] == ("tvdb",)
    assert a.fields["genres"] == ()
    assert a.fields["poster"] == ("tmdb", "fanart")  # not written: default kept


def test_authority_inline_fields_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[authority]\nfields = { title = ["omdb"] }\n')
    assert load_settings(path, env={}).authority.fields["title"] == ("omdb",)


def test_known_provider_ids_agree_with_the_registry() -> None:
    from matinee.providers.registry import known_providers

    ids = tuple(entry.id for entry in known_providers())
    assert ids == KNOWN_PROVIDERS
    assert set(PROVIDER_DEFAULTS) == set(KNOWN_PROVIDERS)


@pytest.mark.parametrize(
    ("text", "key", "line", "reason"),
    [
        (
            "[authority]\nfill_gaps = true\npriority = ['tmdb', 'imdb']\n",
            "authority.priority",
            3,
            "unknown provider 'imdb'",
        ),
        (
            "[authority]\npriority = ['tmdb', 'omdb', 'tmdb']\n",
            "authority.priority",
            2,
            "provider 'tmdb' is listed twice",
        ),
        ("[authority]\npriority = []\n", "authority.priority", 2, "at least one provider"),
        (
            "[authority]\n\n[authority.fields]\nplot = ['tmdb']\ntitle = ['tmdb', 'netflix']\n",
            "authority.fields.title",
            5,
            "unknown provider 'netflix'",
        ),
        (
            "[authority.fields]\nposter = ['fanart', 'tmdb', 'fanart']\n",
            "authority.fields.poster",
            2,
            "listed twice",
        ),
        (
            "[authority.fields]\nplot = ['tmdb']\ncolour = ['tmdb']\n",
            "authority.fields.colour",
            3,
            "unknown field 'colour'",
        ),
        (
            "[authority]\nexclusive = ['awards', 'colour']\n",
            "authority.exclusive",
            2,
            "unknown field 'colour'",
        ),
        (
            "[authority]\nexclusive = ['awards', 'tagline']\n",
            "authority.exclusive",
            2,
            "exclusive field 'tagline' has no provider list",
        ),
        (
            "[authority]\nfill_gaps = true\n[authority.fields]\ngenres = []\nawards = []\n",
            "authority.fields.awards",
            5,
            "'awards' is exclusive",
        ),
        ("[authority]\nfill_gaps = 'no'\n", "authority.fill_gaps", 2, "true or false"),
        ("[authority]\nfill_gap = false\n", "authority.fill_gap", 2, "unknown key"),
        ("[authority]\npriority = 'tmdb'\n", "authority.priority", 2, "list of strings"),
        ("[authority]\nfields = 3\n", "authority.fields", 2, "must be a table"),
        (
            "[authority.fields]\nplot = 'tmdb'\n",
            "authority.fields.plot",
            2,
            "list of strings",
        ),
    ],
)
def test_authority_errors_name_key_and_line(
    tmp_path: Path, text: str, key: str, line: int, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert (info.value.key, info.value.line) == (key, line)
    assert reason in info.value.reason
    assert str(info.value).startswith(f"{path}:{line}: {key}: ")


def test_assets_section(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[assets]\ndownload = false\npreferred_language = "de"\n[assets.limits]\nfanart = 5\n'
        '[assets.languages]\nposter = ["preferred", "textless"]\n',
    )
    a = load_settings(path, env={}).assets
    assert (a.download, a.preferred_language, a.analyze_top, a.cast_limit) == (False, "de", 3, 15)
    assert dict(a.limits) == {"fanart": 5}
    assert dict(a.languages) == {"poster": ("preferred", "textless")}


@pytest.mark.parametrize(
    ("text", "key", "line", "reason"),
    [
        ("[assets]\nanalyse_top = 3\n", "assets.analyse_top", 2, "unknown key"),
        (
            '[assets]\npreferred_language = "english"\n',
            "assets.preferred_language",
            2,
            "two-letter",
        ),
        ("[assets.limits]\nposters = 2\n", "assets.limits.posters", 2, "unknown slot"),
        ("[assets.limits]\nfanart = -1\n", "assets.limits.fanart", 2, "0 or more"),
        (
            '[assets.languages]\nposter = ["english"]\n',
            "assets.languages.poster",
            2,
            "'english' is not",
        ),
    ],
)
def test_assets_errors_name_key_and_line(
    tmp_path: Path, text: str, key: str, line: int, reason: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={})
    assert (info.value.key, info.value.line) == (key, line)
    assert reason in info.value.reason
