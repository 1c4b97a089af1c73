"""The CLI as a script uses it: exit codes, one-line errors, and the exact JSON shapes."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from matinee.cli import main
from matinee.demo.server import CatalogServer


@pytest.fixture
def server() -> Iterator[CatalogServer]:
    with CatalogServer(api_key="k-123456789") as running:
        yield running


@pytest.fixture
def env(tmp_path: Path, server: CatalogServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    library = tmp_path / "lib"
    for rel in ("Heat (1995)/Heat (1995).mkv", "The.Matrix.1999.1080p.BluRay.x264-GRP.mkv",
                "Psycho.mkv"):  # fmt: skip
        (library / rel).parent.mkdir(parents=True, exist_ok=True)
        (library / rel).write_text("x")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[library]\nprobe = false\n\n[providers.tmdb]\nbase_url = "{server.tmdb_base_url}"\n'
        f'image_base_url = "{server.tmdb_image_base_url}"\nrequests_per_second = 500.0\n'
    )
    monkeypatch.setenv("MATINEE_CONFIG", str(config))
    monkeypatch.setenv("MATINEE_DB", str(tmp_path / "m.db"))
    monkeypatch.setenv("MATINEE_TMDB_API_KEY", "k-123456789")
    return library


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_scan_enrich_status_show_list_json_shapes(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, scan = run_json(capsys, "scan", str(env))
    assert code == 0
    assert set(scan) == {"roots", "files", "entities", "errors", "durationSeconds"}
    assert scan["files"] == {"seen": 3, "new": 3, "changed": 0, "unchanged": 0, "missing": 0,
                             "errors": 0}  # fmt: skip
    assert scan["entities"] == {"movies": 3, "series": 0, "episodes": 0}

    code, enrich = run_json(capsys, "enrich")
    assert set(enrich) == {"processed", "updated", "skipped", "failed", "needsReview", "partial",
                           "stopped", "stopReason", "rateLimitedProviders", "failedProviders",
                           "providerRequests", "durationSeconds"}  # fmt: skip
    assert (enrich["processed"], enrich["updated"], enrich["needsReview"]) == (3, 2, 1)
    assert code == 0

    code, status = run_json(capsys, "status")
    assert set(status) == {"total", "enriched", "partiallyEnriched", "unenriched", "needsReview",
                           "averageCompleteness", "byType", "topIncomplete"}  # fmt: skip
    assert status["total"] == 3 and status["needsReview"] == 1
    top = status["topIncomplete"]
    assert isinstance(top, list) and len(top) <= 10
    assert set(top[0]) == {"ref", "id", "title", "year", "completeness", "missingFields"}

    code, listing = run_json(capsys, "list", "--type", "movie")
    items = listing["items"]
    assert isinstance(items, list) and len(items) == 3
    assert set(items[0]) == {
        "ref",
        "type",
        "title",
        "year",
        "ids",
        "identification",
        "completeness",
        "category",
        "lastEnriched",
        "partial",
        "onDisk",
        "files",
    }
    heat = next(i for i in items if i["title"] == "Heat")

    code, show = run_json(capsys, "show", heat["ref"])
    assert set(show) == {"ref", "type", "id", "title", "year", "ids", "identification", "fields",
                         "fieldSources", "locks", "completeness", "category", "missingFields",
                         "lastEnriched", "enrichmentDuration", "partial", "rateLimitedProviders",
                         "failedProviders", "answeredProviders", "files", "episodes"}  # fmt: skip
    assert show["answeredProviders"] == ["tmdb"]  # only TMDB is configured here
    assert show["ids"] == {"tmdb": 949, "imdb": "tt0113277", "tvdb": None}
    assert show["identification"]["tier"] == "strong"
    assert set(show["files"][0]) == {"path", "size", "duration", "width", "height", "videoCodec"}
    missing = show["missingFields"]
    assert {"field": "imdb_rating", "displayName": "IMDb rating", "category": "ratings"} in missing

    code, review = run_json(capsys, "review")
    (item,) = review["items"]
    assert item["title"] == "Psycho"
    assert set(item["candidates"][0]) == {"provider", "id", "title", "year", "score", "tier",
                                          "reasons"}  # fmt: skip

    code, queue = run_json(capsys, "queue")
    assert queue == {"items": []}  # everything is fresh or in review

    assert main(["identify", item["ref"], "--candidate", "1"]) == 0
    capsys.readouterr()
    assert main(["lock", heat["ref"], "plot", "tagline"]) == 0
    assert main(["set", heat["ref"], "tagline", "A Los Angeles crime saga"]) == 0
    capsys.readouterr()
    _, show = run_json(capsys, "show", heat["ref"])
    assert show["locks"] == ["plot", "tagline"]
    assert show["fields"]["tagline"] == "A Los Angeles crime saga"
    assert show["fieldSources"]["tagline"] == "user"


def test_bad_reference_is_a_usage_error(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "film:3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad reference 'film:3'" in err
    assert main(["show", "movie:999"]) == 1
    assert "no movie with id 999" in capsys.readouterr().err


def test_bad_config_exits_4_with_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[schedule]\nbatch_size = 'ten'\n")
    assert main(["--config", str(config), "config", "check"]) == 4
    assert main(["status", "--config", str(config)]) == 4
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"matinee: {config}:2: schedule.batch_size: must be a whole number, not 'ten'"
    assert "Traceback" not in "".join(err)


def test_config_path_and_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    target = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("MATINEE_CONFIG", str(target))
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(target)
    assert main(["config", "init"]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "[providers.tmdb]" in target.read_text()
    assert main(["config", "init"]) == 2  # never overwrites without --force
    assert main(["config", "check"]) == 0


def test_enrich_with_an_invalid_key_stops_and_says_so(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["scan", str(env)])
    capsys.readouterr()
    monkeypatch.setenv("MATINEE_TMDB_API_KEY", "wrong-key-000")
    code, report = run_json(capsys, "enrich")
    assert code == 1
    assert report["stopped"] is True
    assert "invalid key" in str(report["stopReason"]).lower()
    assert "wrong-key" not in json.dumps(report)


def test_scan_of_a_missing_folder_adds_nothing(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(tmp_path / "typo")]) == 2
    assert "typo: not a folder" in capsys.readouterr().err
    _, scan = run_json(capsys, "scan")
    assert scan["roots"] == [] and scan["files"]["seen"] == 0


def test_enrich_without_a_key_says_how_to_configure_one(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["scan", str(env)])
    capsys.readouterr()
    monkeypatch.delenv("MATINEE_TMDB_API_KEY")
    code, report = run_json(capsys, "enrich")
    assert code == 1
    assert "MATINEE_TMDB_API_KEY" in str(report["stopReason"])


def test_providers_on_a_fresh_config_say_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "fresh.toml").write_text("")
    monkeypatch.setenv("MATINEE_CONFIG", str(tmp_path / "fresh.toml"))
    monkeypatch.setenv("MATINEE_DB", str(tmp_path / "m.db"))
    for name in ("TMDB", "OMDB", "TVDB", "FANART"):
        monkeypatch.delenv(f"MATINEE_{name}_API_KEY", raising=False)
    code, rows = run_json(capsys, "providers")
    assert code == 0 and isinstance(rows, list)
    assert [r["id"] for r in rows] == ["tmdb", "omdb", "tvdb", "fanart"]
    assert set(rows[0]) == {
        "id", "name", "enabled", "configured", "healthy", "rateLimited", "exhausted", "resetAt",
        "requestsToday", "quota", "lastRequestAt", "lastStatus", "lastError", "apiKey",
    }  # fmt: skip
    assert all(r["configured"] is False and r["healthy"] is False for r in rows)
    assert rows[1]["quota"] == 1000 and rows[0]["quota"] is None
    assert main(["providers"]) == 0
    text = capsys.readouterr().out
    assert "OMDb (omdb)" in text
    assert "not configured: set MATINEE_OMDB_API_KEY or api_key under [providers.omdb]" in text
    assert "https://www.omdbapi.com/apikey.aspx" in text
    assert main(["providers", "test", "omdb"]) == 1
    assert "omdb: not configured: no API key" in capsys.readouterr().out


def test_providers_test_checks_the_key(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, ok = run_json(capsys, "providers", "test", "tmdb")
    assert code == 0 and ok["ok"] is True and ok["status"] == 200
    monkeypatch.setenv("MATINEE_TMDB_API_KEY", "wrong-key-0000")
    assert main(["providers", "test", "tmdb"]) == 1
    out = capsys.readouterr()
    assert out.out.strip() == "tmdb: invalid key"
    assert "wrong-key" not in out.out + out.err
    code, rows = run_json(capsys, "providers")
    tmdb = rows[0]
    assert (tmdb["apiKey"], tmdb["lastStatus"], tmdb["lastError"]) == (
        "****0000", 401, "tmdb: invalid key",
    )  # fmt: skip
    assert tmdb["healthy"] is False and tmdb["requestsToday"] == 2
    assert main(["providers", "test", "imdb"]) == 2
    assert "unknown provider 'imdb'" in capsys.readouterr().err
    assert main(["providers", "test"]) == 2


def test_bulk_status_and_cancel(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(env)]) == 0
    capsys.readouterr()
    code, status = run_json(capsys, "bulk", "status")
    assert code == 0 and status["current"] is None and status["last"] is None
    assert (
        status["nextScheduledRun"].endswith(("03:00:00+00:00", "03:00:00"))
        or "T03:00" in (status["nextScheduledRun"])
    )
    assert main(["enrich", "--all", "--require-complete"]) in (0, 3)
    capsys.readouterr()
    code, status = run_json(capsys, "bulk", "status")
    last = status["last"]
    assert (last["status"], last["trigger"], last["completeOrSkip"]) == ("finished", "manual", True)
    assert last["total"] == 3 and last["processed"] == 3
    assert set(last) >= {"id", "owner", "startedAt", "finishedAt", "updated", "skipped",
                         "failed", "partial", "needsReview", "elapsedSeconds",
                         "remainingSeconds", "stopReason"}  # fmt: skip
    assert main(["bulk", "status"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Running: none\nLast: run 1 (manual, complete or skip) finished, 3/3")
    assert "Next scheduled run: " in text
    assert main(["bulk", "cancel"]) == 1
    assert capsys.readouterr().out.strip() == "no bulk run is running"
