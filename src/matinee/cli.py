"""The `matinee` command: argument parsing, settings, the one event loop, exit codes.

Settings are built here once and passed down. The TUI is imported only when it is asked for,
so scripted subcommands start fast and never load Textual. Errors become one line on stderr
and an exit code (0 done, 1 failed, 2 usage, 3 partial, 4 configuration); `--debug` shows the
stack trace.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

from matinee.errors import ConfigError, MatineeError, UsageError

if TYPE_CHECKING:
    from matinee.config import Settings
    from matinee.engine.core import Engine

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL, EXIT_CONFIG = 0, 1, 2, 3, 4


def _parser() -> argparse.ArgumentParser:
    def common(suppress: bool) -> argparse.ArgumentParser:
        # Subcommands take the same options; SUPPRESS keeps a subparser from resetting a value
        # given before the command (`matinee --config X status`).
        extra: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
        c = argparse.ArgumentParser(add_help=False)
        c.add_argument("--config", metavar="FILE", help="config file (see `config path`)", **extra)
        c.add_argument("--debug", action="store_true", help="show stack traces", **extra)
        return c

    p = argparse.ArgumentParser(
        prog="matinee", parents=[common(False)],
        description="Keep a movie and TV library's metadata right. With no command: the TUI.",
    )  # fmt: skip
    p.add_argument("--version", action="version", version=f"matinee {_version()}")
    p.add_argument(
        "--run-scheduled",
        action="store_true",
        help="run the schedule without a screen until SIGTERM/SIGINT/SIGHUP",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def cmd(name: str, help: str, json_flag: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help, parents=[common(True)])
        if json_flag:
            sp.add_argument("--json", action="store_true", help="print JSON (stable shape)")
        return sp

    sp = cmd("scan", "add PATHs as library roots (if given) and scan every root")
    sp.add_argument("paths", nargs="*", metavar="PATH")
    sp = cmd("enrich", "enrich titles (default: the staleness queue, one batch)")
    sp.add_argument("refs", nargs="*", metavar="REF")
    sp.add_argument("--all", action="store_true", help="the whole queue, not one batch")
    sp.add_argument("--limit", type=_positive, metavar="N", help="at most N titles")
    sp.add_argument("--force", action="store_true", help="also titles that are still fresh")
    sp.add_argument(
        "--require-complete",
        action="store_true",
        help="complete or skip: write a title only when every provider answered; stop when a "
        "provider's quota runs out",
    )
    cmd("status", "library completeness and counts")
    sp = cmd("bulk", "the bulk run: status (current, last, next scheduled) or cancel")
    sp.add_argument("action", choices=["status", "cancel"])
    sp = cmd("show", "everything known about one title")
    sp.add_argument("ref", metavar="REF")
    sp = cmd("list", "every title in the library")
    sp.add_argument("--type", choices=["movie", "series", "episode"], dest="kind")
    sp = cmd("queue", "the staleness queue: what enrichment will do next")
    sp.add_argument("--limit", type=_positive, default=100, metavar="N")
    cmd("review", "titles waiting for a person to pick the right match")
    sp = cmd("identify", "set the match of a title and enrich it", json_flag=True)
    sp.add_argument("ref", metavar="REF")
    which = sp.add_mutually_exclusive_group(required=True)
    which.add_argument("--tmdb", type=_positive, metavar="ID")
    which.add_argument("--imdb", metavar="ID")
    which.add_argument("--candidate", type=_positive, metavar="N", help="Nth candidate of review")
    for name, help in (("lock", "lock fields so no provider changes them"),
                       ("unlock", "unlock fields")):  # fmt: skip
        sp = cmd(name, help, json_flag=False)
        sp.add_argument("ref", metavar="REF")
        sp.add_argument("fields", nargs="+", metavar="FIELD")
    sp = cmd("set", "set a field by hand (and lock it)", json_flag=False)
    sp.add_argument("ref", metavar="REF")
    sp.add_argument("field", metavar="FIELD")
    sp.add_argument("value", metavar="VALUE")
    sp = cmd(
        "assets", "artwork: REF lists candidates per slot; select REF SLOT ID; unlock REF SLOT"
    )
    sp.add_argument("words", nargs="+", metavar="REF | select REF SLOT ID | unlock REF SLOT")
    sp.add_argument("--refresh", action="store_true", help="analyse, score and select again")
    sp.add_argument("--season", type=int, metavar="N", help="select: season art of season N")
    sp = cmd("providers", "provider health: configured, quota used, limits, last error")
    sp.add_argument("action", nargs="?", choices=["test"], help="test: check NAME's key")
    sp.add_argument("name", nargs="?", metavar="NAME", help="tmdb, omdb, tvdb or fanart")
    sp = cmd("config", "check, locate or create the config file", json_flag=False)
    sp.add_argument("action", choices=["check", "path", "init"])
    sp.add_argument("--force", action="store_true", help="init: overwrite an existing file")
    sp = cmd("demo", "a sample library served by a local catalog: opens the TUI")
    sp.add_argument("--headless", action="store_true", help="scan, enrich and print the status")
    sp.add_argument("--dir", metavar="DIR", help="where to build the demo (default: a temp dir)")
    sp.add_argument(
        "--realistic",
        action="store_true",
        help="the catalog imitates real limits and faults (429s, OMDb quota, 5xx, timeouts)",
    )
    return p


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("matinee")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if getattr(args, "json", False):
        # Indented for a person at a terminal; compact for a pipe or a script (one-shot C
        # encoding, so 100k items stay fast).
        indent = 2 if sys.stdout.isatty() else None
        out = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
        sys.stdout.write(out + "\n")
    else:
        print(text())


async def _with_engine(settings: Settings, fn: Callable[[Engine], Coroutine[Any, Any, int]]) -> int:
    from matinee.engine.core import Engine

    engine = Engine(settings)
    await engine.start()
    try:
        return await fn(engine)
    finally:
        await engine.stop()


async def _command(args: argparse.Namespace, settings: Settings) -> int:
    from matinee.engine import reports
    from matinee.headless import render
    from matinee.model import EntityKind, Ref

    name = args.command

    async def run(engine: Engine) -> int:
        if name == "scan":
            r = await engine.scan(args.paths)
            _emit(args, r.as_json(), lambda: render.scan_text(r))
            return EXIT_PARTIAL if r.errors else EXIT_OK
        if name == "enrich":
            refs = [Ref.parse(t) for t in args.refs]
            e = await engine.enrich(
                refs, all=args.all, limit=args.limit, force=args.force,
                require_complete=args.require_complete,
            )  # fmt: skip
            _emit(args, e.as_json(), lambda: render.enrich_text(e))
            if e.stopped and e.updated == 0 and e.processed <= e.failed + e.skipped:
                return EXIT_FAILED
            return EXIT_PARTIAL if (e.stopped or e.failed or e.partial) else EXIT_OK
        if name == "status":
            s = await engine.status()
            _emit(args, s.as_json(), lambda: render.status_text(s))
            return EXIT_OK
        if name == "show":
            d = await engine.show(Ref.parse(args.ref))
            _emit(args, reports.detail_json(d), lambda: render.detail_text(d))
            return EXIT_OK
        if name == "list":
            items = await engine.list_entities(EntityKind(args.kind) if args.kind else None)
            _emit(args, {"items": [reports.summary_json(s) for s in items]},
                  lambda: render.list_text(items))  # fmt: skip
            return EXIT_OK
        if name == "queue":
            q = await engine.queue(args.limit)
            _emit(args, {"items": [i.as_json() for i in q]}, lambda: render.queue_text(q))
            return EXIT_OK
        if name == "review":
            rv = await engine.review()
            _emit(args, {"items": [i.as_json() for i in rv]}, lambda: render.review_text(rv))
            return EXIT_OK
        if name == "identify":
            d = await engine.identify(
                Ref.parse(args.ref), tmdb=args.tmdb, imdb=args.imdb, candidate=args.candidate
            )
            _emit(args, reports.detail_json(d), lambda: render.detail_text(d))
            return EXIT_OK if d.summary.identification.status != "review" else EXIT_PARTIAL
        if name == "bulk":
            if args.action == "cancel":
                asked = await engine.cancel_bulk()
                said = "cancel requested" if asked else "no bulk run is running"
                _emit(args, {"cancelled": asked}, lambda: said)
                return EXIT_OK if asked else EXIT_FAILED
            b = await engine.bulk_status()
            _emit(args, b.as_json(), lambda: render.bulk_text(b))
            return EXIT_OK
        if name == "assets":
            return await _assets(engine, args)
        if name == "providers":
            if args.action == "test":
                if not args.name:
                    raise UsageError("name the provider to test: matinee providers test NAME")
                c = await engine.test_provider(args.name)
                _emit(args, c.as_json(), lambda: render.check_text(c))
                return EXIT_OK if c.ok else EXIT_FAILED
            if args.name:
                raise UsageError(f"unexpected {args.name!r}; did you mean `providers test NAME`?")
            h = await engine.provider_health()
            _emit(args, [row.as_json() for row in h], lambda: render.providers_text(h))
            return EXIT_OK
        if name in ("lock", "unlock"):
            verb = engine.lock if name == "lock" else engine.unlock
            await verb(Ref.parse(args.ref), args.fields)
            print(f"{name}ed {', '.join(args.fields)} on {args.ref}")
            return EXIT_OK
        if name == "set":
            await engine.set_field(Ref.parse(args.ref), args.field, args.value)
            print(f"set {args.field} on {args.ref} (locked)")
            return EXIT_OK
        raise UsageError(f"unknown command {name}")  # pragma: no cover - argparse prevents it

    return await _with_engine(settings, run)


async def _assets(engine: Engine, args: argparse.Namespace) -> int:
    from matinee.headless import render
    from matinee.model import Ref

    words = args.words
    if words[0] == "select":
        if len(words) != 4 or not words[3].isdigit():
            raise UsageError("usage: matinee assets select REF SLOT ASSET_ID")
        ref = Ref.parse(words[1])
        c = await engine.artwork.select(ref, words[2], int(words[3]), args.season)
        _emit(args, c.as_json(), lambda: f"selected {c.slot} {c.id} for {ref} (slot locked)")
        return EXIT_OK
    if words[0] == "unlock":
        if len(words) != 3:
            raise UsageError("usage: matinee assets unlock REF SLOT")
        ref = Ref.parse(words[1])
        await engine.artwork.unlock(ref, words[2])
        print(f"unlocked {words[2]} on {ref}")
        return EXIT_OK
    if len(words) != 1:
        raise UsageError("usage: matinee assets REF [--refresh] [--json]")
    ref = Ref.parse(words[0])
    if args.refresh:
        await engine.artwork.refresh(ref)
    items = await engine.artwork.candidates(ref)
    _emit(args, render.assets_json(ref, items), lambda: render.assets_text(ref, items))
    return EXIT_OK


def _config_command(args: argparse.Namespace) -> int:
    from matinee.config import load_settings
    from matinee.paths import resolve_config_path

    path = resolve_config_path(args.config)
    if args.action == "path":
        print(path)
        return EXIT_OK
    if args.action == "init":
        from importlib.resources import files

        if path.exists() and not args.force:
            raise UsageError(f"{path} exists; use --force to overwrite it")
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (files("matinee") / "config.example.toml").read_text(encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        print(f"wrote {path}")
        return EXIT_OK
    settings = load_settings(args.config)
    where = settings.source or f"{path} (not present: defaults)"
    print(f"ok: {where}")
    return EXIT_OK


async def _tui(settings: Settings) -> int:
    from matinee.engine.core import Engine
    from matinee.tui.app import run_tui

    engine = Engine(settings)
    await engine.start()
    try:
        engine.start_schedule()
        return await run_tui(engine)
    finally:
        await engine.stop()


def _run(args: argparse.Namespace) -> int:
    from matinee.config import load_settings

    if args.command == "config":
        return _config_command(args)
    if args.command == "demo":
        from matinee.demo.run import run_demo

        return asyncio.run(run_demo(args))
    settings = load_settings(args.config)
    if args.run_scheduled:
        if args.command is not None:
            raise UsageError("--run-scheduled takes no command")
        from matinee.headless.daemon import run_scheduled

        return asyncio.run(run_scheduled(settings))
    if args.command is None:
        return asyncio.run(_tui(settings))
    return asyncio.run(_command(args, settings))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return _run(args)
    except MatineeError as exc:
        if args.debug:
            raise
        print(f"matinee: {exc}", file=sys.stderr)
        return exc.exit_code if not isinstance(exc, ConfigError) else EXIT_CONFIG
    except KeyboardInterrupt:
        print("matinee: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
