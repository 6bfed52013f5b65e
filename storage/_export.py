"""The JSON document of a run (schema_version 1), built from the database and validated."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from auditcrawl._exceptions import AuditcrawlError
from auditcrawl.rules import CHECK_IDS

from ._decisions import Standing, decisions_on
from ._models import DecisionRow, EvidenceRow
from ._store import Store

__all__ = ["SCHEMA_VERSION_EXPORT", "build_export", "export_schema", "validate_export"]

SCHEMA_VERSION_EXPORT = 1


@functools.cache
def export_schema() -> dict[str, Any]:
    text = resources.files("auditcrawl.storage").joinpath("schema", "export-v1.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_export(document: dict[str, Any]) -> None:
    """Raise AuditcrawlError naming the first place the document breaks the schema."""
    import jsonschema  # loaded on the first export, not by every crawl

    validator = jsonschema.Draft202012Validator(export_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        raise AuditcrawlError(f"export does not match its schema at {where}: {error.message}")


def _iso(ts: datetime | None) -> str | None:
    if ts is None:
        return None
    return ts.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _evidence(row: EvidenceRow) -> dict[str, Any]:
    return {
        "url": row.url,
        "kind": row.kind,
        "title": row.title,
        "published": row.published.isoformat() if row.published else None,
        "date_source": row.date_source,
        "click_path": list(row.click_path),
        "clicks": len(row.click_path) - 1 if row.click_path else None,
        "categories": list(row.categories),
        "reasons": list(row.reasons),
        **{
            k: v for k, v in row.extra.items() if k not in ("url", "kind", "title", "published", "click_path", "clicks")
        },
    }


def _decision(d: DecisionRow, standings: dict[int, Standing]) -> dict[str, Any]:
    assert d.id is not None
    found = standings[d.id]
    return {
        "id": d.id,
        "by": d.made_by,
        "at": _iso(d.made_at),
        "run_id": d.run_id,
        "url": d.url,
        "check": d.check_id or (d.checks[0] if d.checks else None),
        "checks": list(d.checks),
        "decision": d.decision,
        "facts": dict(d.facts),
        "reason": d.reason,
        "content_digest": d.content_digest,
        "supersedes": d.supersedes,
        "applies": found.applies,
        "not_applied": found.why_not,
    }


async def build_export(store: Store, run_id: str) -> dict[str, Any]:
    """The JSON document of a stored run (schema_version 1, schema/export-v1.json): run, checks (the
    audit's answer, what the crawl alone found, the decisions), the partner's decisions, claims.
    Read from storage alone, so `crawl --json` and `export` give the same document; the caller
    validates it against the shipped schema before writing it."""
    run = await store.get_run(run_id)
    checks, evidence = await store.run_checks(run.id)
    status = run.status if run.status in ("complete", "partial", "failed") else "partial"
    notes = list(run.notes)
    if run.status == "running":
        notes.append("the run has not finished (or its process stopped): figures are what was stored so far")
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION_EXPORT,
        "run": {
            "id": run.id,
            "applicant": run.applicant,
            "home_url": run.home_url,
            "as_of": run.as_of.isoformat(),
            "started_at": _iso(run.started_at),
            "finished_at": _iso(run.finished_at or run.started_at),
            "status": status,
            "pages_fetched": run.pages_fetched,
            "pages_rendered": run.pages_rendered,
            "notes": notes,
            **({"coverage": run.options["coverage"]} if "coverage" in run.options else {}),
            "options": {
                k: v for k, v in run.options.items() if k not in ("process", "coverage")
            },  # the process is local
        },
        "checks": {},
    }
    history, standings = await decisions_on(store, run)
    decided = [_decision(d, standings) for d in history if d.run_id == run.id or standings[d.id or 0].applies]
    for check in checks:
        rows = [e for e in evidence if e.check_id == check.check_id]
        items = {e.url for e in rows}
        document["checks"][check.check_id] = {
            "status": check.status,
            "tool_status": check.tool_status or check.status,
            "summary": check.summary,
            "reasons": list(check.reasons),
            "evidence": [_evidence(e) for e in rows if e.counted],
            "rejected": [_evidence(e) for e in rows if not e.counted],
            "decisions": [
                d for d in decided if d["check"] == check.check_id or check.check_id in d["checks"] or d["url"] in items
            ],
            **(check.extra or {}),
        }
    for check_id in CHECK_IDS:
        document["checks"].setdefault(
            check_id,
            {
                "status": "needs_review",
                "summary": "No verdict was stored for this run",
                "reasons": ["the run stopped before its verdicts were computed"],
                "evidence": [],
                "rejected": [],
                "tool_status": "needs_review",
                "decisions": [],
            },
        )
    document["decisions"] = [_decision(d, standings) for d in history]
    if run.options.get("claims_given"):
        document["claims"] = [
            {
                "url": c.url,
                "claimed_as": c.claimed_as,
                "verdict": c.verdict,
                "reasons": list(c.reasons),
                "final_url": c.final_url,
            }
            for c in await store.run_claims(run.id)
        ]
    validate_export(document)
    return document
