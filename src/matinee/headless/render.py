"""Plain-text renderings of engine reports for the CLI (the `--json` shapes live in reports.py).

Plain lines, no colour codes, so output reads the same in a terminal, a pipe or a cron mail.
"""

from __future__ import annotations

from collections.abc import Sequence

from matinee.assets.model import AssetCandidate
from matinee.display import field_value
from matinee.engine.reports import (
    BulkStatus,
    EnrichReport,
    LibraryStatus,
    ProviderCheck,
    ProviderHealth,
    QueueItem,
    ReviewItem,
    ScanReport,
)
from matinee.model import EntityDetail, EntitySummary, Ref

__all__ = [
    "assets_json",
    "assets_text",
    "bulk_text",
    "check_text",
    "detail_text",
    "enrich_text",
    "list_text",
    "providers_text",
    "queue_text",
    "review_text",
    "scan_text",
    "status_text",
]


def scan_text(r: ScanReport) -> str:
    lines = [
        f"Scanned {len(r.roots)} root(s) in {r.duration:.1f}s: {r.seen} files "
        f"({r.new} new, {r.changed} changed, {r.unchanged} unchanged, {r.missing} missing).",
        f"Library: {r.movies} movies, {r.series} series, {r.episodes} episodes.",
    ]
    if r.errors:
        lines.append(f"{len(r.errors)} problem(s):")
        lines += [f"  {path}: {error}" for path, error in r.errors]
    return "\n".join(lines)


def enrich_text(r: EnrichReport) -> str:
    reqs = ", ".join(f"{k} {v}" for k, v in sorted(r.provider_requests.items())) or "none"
    lines = [
        f"Processed {r.processed}: {r.updated} updated, {r.skipped} skipped (fresh), "
        f"{r.failed} failed, {r.needs_review} need review, {r.partial} partial "
        f"in {r.duration:.1f}s.",
        f"Provider requests: {reqs}.",
    ]
    if r.rate_limited_providers:
        lines.append(f"Rate limited or out of quota: {', '.join(r.rate_limited_providers)}.")
    for error in r.failed_providers.values():
        lines.append(f"Left out for this run: {error}.")
    if r.stopped:
        lines.append(f"Stopped: {r.stop_reason}.")
    if r.needs_review:
        lines.append("Run `matinee review` to pick the right match for the titles in review.")
    return "\n".join(lines)


def status_text(s: LibraryStatus) -> str:
    o = s.overall
    lines = [
        f"{o.total} titles, average completeness {o.average_completeness:.0f}%: "
        f"{o.enriched} enriched, {o.partially_enriched} partial, {o.unenriched} unenriched, "
        f"{o.needs_review} need review.",
    ]
    for kind, c in s.by_type.items():
        lines.append(f"  {kind}: {c.total} ({c.enriched} enriched, {c.partially_enriched} partial, "
                     f"{c.unenriched} unenriched, {c.needs_review} review)")  # fmt: skip
    if s.top_incomplete:
        lines.append("Most incomplete:")
        for d in s.top_incomplete:
            missing = ", ".join(m.field for m in d.missing[:6])
            more = "…" if len(d.missing) > 6 else ""
            year = f" ({d.summary.year})" if d.summary.year else ""
            lines.append(f"  {d.ref}  {d.summary.title}{year}  {d.summary.completeness:.0f}%"
                         f"  missing: {missing}{more}")  # fmt: skip
    return "\n".join(lines)


def detail_text(d: EntityDetail) -> str:
    s = d.summary
    year = f" ({s.year})" if s.year else ""
    lines = [
        f"{s.ref}  {s.title}{year}",
        f"identification: {s.identification.status}"
        + (f" ({s.identification.tier.value}, {s.identification.confidence:.2f})"
           if s.identification.tier and s.identification.confidence is not None else ""),
        f"completeness: {s.completeness:.0f}% ({s.category})"
        + (f"  PARTIAL: {', '.join(d.failed_providers)} failed" if s.partial else ""),
    ]  # fmt: skip
    if d.answered_providers:
        lines.append(f"answered at the last enrichment: {', '.join(d.answered_providers)}")
    for name, value in d.fields.items():
        lock = " [locked]" if name in d.locks else ""
        source = d.field_sources.get(name, "?")
        lines.append(f"  {name:22} {field_value(value, 100)}  <{source}>{lock}")
    if d.missing:
        lines.append("missing: " + ", ".join(m.field for m in d.missing))
    for c in d.children:
        number = f"S{c.season_number or 0:02d}E{c.episode_number or 0:02d}"
        lines.append(f"  {number}  {c.title}{'' if c.on_disk else '  (not on disk)'}")
    for f in d.files:
        extra = f" {f.width}x{f.height}" if f.width else ""
        extra += f" {f.duration / 60:.0f} min" if f.duration else ""
        lines.append(f"file: {f.path}{extra}{' (missing)' if f.missing else ''}")
    return "\n".join(lines)


def list_text(items: Sequence[EntitySummary]) -> str:
    lines = []
    for s in items:
        year = f" ({s.year})" if s.year else ""
        lines.append(f"{s.ref!s:14} {s.completeness:5.0f}%  {s.identification.status:12} "
                     f"{s.title}{year}")  # fmt: skip
    return "\n".join(lines) if lines else "The library is empty. Run `matinee scan PATH`."


def queue_text(items: Sequence[QueueItem]) -> str:
    if not items:
        return "Nothing is due: every title is fresh."
    return "\n".join(
        f"{q.position:4}. {q.summary.ref!s:12} {q.summary.title}"
        f"{f' ({q.summary.year})' if q.summary.year else ''}  "
        f"{q.summary.completeness:.0f}%  last enriched "
        f"{q.summary.last_enriched.date() if q.summary.last_enriched else 'never'}"
        for q in items
    )


def review_text(items: Sequence[ReviewItem]) -> str:
    if not items:
        return "Nothing waits for review."
    lines = []
    for item in items:
        year = f" ({item.year})" if item.year else ""
        lines.append(f"{item.ref}  {item.title}{year}")
        if not item.candidates:
            lines.append("    no candidates: try `matinee identify REF --tmdb ID`")
        for n, c in enumerate(item.candidates[:5], start=1):
            why = "; ".join(str(r) for r in c.reasons)
            lines.append(f"    {n}. {c.title} ({c.year}) tmdb {c.id}  {c.score:.2f} {c.tier.value}"
                         f"  {why}")  # fmt: skip
    lines.append("Pick one with `matinee identify REF --candidate N`.")
    return "\n".join(lines)


def _provider_state(h: ProviderHealth) -> str:
    if not h.enabled:
        return "disabled (enabled = false)"
    if not h.configured:
        return (
            f"not configured: set MATINEE_{h.id.upper()}_API_KEY or api_key under "
            f"[providers.{h.id}]; {h.key_help}"
        )
    if h.offline:
        return "offline (offline = true): answers come from the cache only"
    when = f" until {h.reset_at:%Y-%m-%d %H:%M} UTC" if h.reset_at else ""
    if h.exhausted:
        return f"quota exhausted{when}"
    if h.rate_limited:
        return f"rate limited{when}"
    if h.last_error:
        return f"failing: {h.last_error}"
    return "ok" if h.last_status is not None else "ok (no request yet)"


def providers_text(rows: Sequence[ProviderHealth]) -> str:
    width = max(len(f"{h.name} ({h.id})") for h in rows)
    lines = []
    for h in rows:
        usage = f"{h.requests_today}" + (f"/{h.quota}" if h.quota else "") + " requests today"
        key = f"key {h.api_key}, " if h.api_key else ""
        detail = f"  [{key}{usage}]" if h.configured and h.enabled else ""
        lines.append(f"{f'{h.name} ({h.id})':<{width}}  {_provider_state(h)}{detail}")
    return "\n".join(lines)


def check_text(c: ProviderCheck) -> str:
    return f"{c.id}: {'ok, ' if c.ok else ''}{c.message}"


def _run_line(label: str, run: dict[str, object] | None) -> str:
    if run is None:
        return f"{label}: none"
    mode = ", complete or skip" if run["completeOrSkip"] else ""
    line = (
        f"{label}: run {run['id']} ({run['trigger']}{mode}) "
        f"{run['status']}, {run['processed']}/{run['total']} processed, {run['updated']} updated, "
        f"{run['skipped']} skipped, {run['failed']} failed, {run['partial']} partial, "
        f"started {run['startedAt']}"
    )
    if run.get("current"):
        line += f", now {run['current']}"
    if run.get("remainingSeconds"):
        line += f", about {run['remainingSeconds']:.0f}s left"
    if run.get("stopReason"):
        line += f"; {run['stopReason']}"
    return line


def bulk_text(b: BulkStatus) -> str:
    data = b.as_json()
    return "\n".join(
        [
            _run_line("Running", data["current"]),
            _run_line("Last", data["last"]),
            f"Next scheduled run: {data['nextScheduledRun'] or 'none'}",
        ]
    )


def _slot_groups(
    items: Sequence[AssetCandidate],
) -> dict[tuple[str, int | None], list[AssetCandidate]]:
    groups: dict[tuple[str, int | None], list[AssetCandidate]] = {}
    for c in items:
        groups.setdefault((c.slot, c.season), []).append(c)
    return groups


def assets_json(ref: Ref, items: Sequence[AssetCandidate]) -> dict[str, object]:
    return {
        "ref": str(ref),
        "slots": [
            {"slot": slot, "season": season, "candidates": [c.as_json() for c in group]}
            for (slot, season), group in _slot_groups(items).items()
        ],
    }


def assets_text(ref: Ref, items: Sequence[AssetCandidate]) -> str:
    if not items:
        return f"{ref}: no artwork candidates yet (enrich it first)"
    lines = []
    for (slot, season), group in _slot_groups(items).items():
        kept = sum(c.selected for c in group)
        where = f" season {season}" if season is not None else ""
        lines.append(f"{slot}{where}: {len(group)} candidates, {kept} selected")
        for c in group:
            mark = "*" if c.selected else " "
            size = f"{c.width}x{c.height}" if c.width and c.height else "?x?"
            parts = c.parts
            why = ", ".join(f"{k} {v:g}" for k, v in parts.items() if k != "total")
            score = f"{c.score:5.1f}" if c.score is not None else "    -"
            by = f" [{c.selected_by}]" if c.selected_by else ""
            lines.append(
                f" {mark} {c.id:<6} {c.provider:<7} {c.language or 'none':<5} {size:<10} "
                f"votes {c.votes:<5} score {score}{f' ({why})' if why else ''}{by}"
            )
    return "\n".join(lines)
