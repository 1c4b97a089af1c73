"""The daemon and the CLI on one database for several minutes: no "database is locked" reaches
the user, and never two bulk runs at once.

Starts the catalog server (N generated movies), scans a library, starts `matinee
--run-scheduled` with a schedule firing every minute, and meanwhile runs CLI commands in a loop:
bulk `enrich --limit 150 --force` (refused while another bulk run is alive), manual `enrich REF
--force`, `status`, `bulk status`, `providers`. At the end it prints what each command
answered, every stderr line that mentions a lock or a traceback (there should be none), and
checks the `bulk_runs` table for two runs that overlapped in time.

    python benchmarks/concurrency_soak.py [--minutes 3] [--movies 2000]
"""

from __future__ import annotations

import argparse
import collections
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from matinee.demo.catalog import file_name, grow_catalog, load_catalog
from matinee.demo.realism import Realism
from matinee.demo.server import CatalogServer


def write_config(tmp: Path, server: CatalogServer) -> Path:
    lines = ["[library]", "probe = false", f'roots = ["{tmp / "library"}"]', "",
             "[cache]", "ttl_days = 0.001", "",  # titles go stale after 86 s: runs find work
             "[assets]", "download = false", "",
             "[schedule]", 'enrich_cron = "* * * * *"', "batch_size = 300", ""]  # fmt: skip
    bases = {"tmdb": server.tmdb_base_url, "omdb": server.omdb_base_url,
             "tvdb": server.tvdb_base_url, "fanart": server.fanart_base_url}  # fmt: skip
    for pid, base in bases.items():
        lines += [f"[providers.{pid}]", 'api_key = "demo-key"', f'base_url = "{base}"',
                  "daily_quota = 0", ""]  # fmt: skip
    path = tmp / "config.toml"
    path.write_text("\n".join(lines))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--movies", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="matinee-soak-") as name:
        tmp = Path(name)
        catalog = grow_catalog(load_catalog(), args.movies)
        realism = Realism(rate_limit_per_second=40.0)
        with CatalogServer(catalog, api_key="demo-key", realism=realism) as server:
            for movie in catalog.movies.values():
                path = tmp / "library" / file_name(movie)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"")
            config = write_config(tmp, server)
            env = {**os.environ, "MATINEE_CONFIG": str(config), "MATINEE_DB": str(tmp / "m.db")}
            cli = [sys.executable, "-m", "matinee.cli"]
            subprocess.run([*cli, "scan"], env=env, check=True, capture_output=True)
            daemon = subprocess.Popen(
                [*cli, "--run-scheduled"], env=env, text=True,
                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            commands = [
                ["enrich", "--limit", "150", "--force", "--json"],
                ["enrich", "movie:7", "--force"],
                ["status", "--json"],
                ["bulk", "status", "--json"],
                ["providers", "--json"],
            ]
            codes: collections.Counter[tuple[str, int]] = collections.Counter()
            problems: list[str] = []
            deadline = time.monotonic() + args.minutes * 60
            step = 0
            while time.monotonic() < deadline:
                command = commands[step % len(commands)]
                step += 1
                done = subprocess.run([*cli, *command], env=env, capture_output=True, text=True)
                codes[(" ".join(command[:2]), done.returncode)] += 1
                for line in done.stderr.splitlines():
                    if "locked" in line or "Traceback" in line or "Error" in line:
                        problems.append(f"{' '.join(command)}: {line}")
            daemon.terminate()
            log = daemon.communicate(timeout=30)[1]
            problems += [
                f"daemon: {ln}" for ln in log.splitlines() if "locked" in ln or "Traceback" in ln
            ]
            con = sqlite3.connect(tmp / "m.db")
            runs = con.execute(
                "SELECT id, trigger, status, owner, started_at,"
                " coalesce(finished_at, heartbeat_at), processed FROM bulk_runs ORDER BY started_at"
            ).fetchall()
            overlaps = [
                (a[0], b[0])
                for i, a in enumerate(runs)
                for b in runs[i + 1 :]
                if b[4] < a[5] and a[2] != "abandoned" and b[2] != "abandoned"
            ]
            enriched = con.execute(
                "SELECT count(*) FROM entities WHERE last_enriched_at IS NOT NULL"
            ).fetchone()[0]
        print(f"{args.minutes:g} minutes, {step} CLI commands, daemon exit {daemon.returncode}")
        for (command, code), count in sorted(codes.items()):
            print(f"  {command:<18} exit {code}: {count}")
        statuses = collections.Counter((r[1], r[2]) for r in runs)
        print("bulk runs: " + ", ".join(f"{t}/{s} {n}" for (t, s), n in sorted(statuses.items())))
        print(f"titles enriched: {enriched} of {args.movies}")
        print(f"lines mentioning a lock, an error or a traceback: {len(problems)}")
        for line in problems[:20]:
            print("  " + line)
        print(f"overlapping bulk runs: {len(overlaps)} {overlaps[:5]}")
        print("daemon log (last lines):")
        for line in log.splitlines()[-6:]:
            print("  " + line)


if __name__ == "__main__":
    main()
