"""What changed between two runs of one partner: per check, the status and the evidence."""

from __future__ import annotations

from typing import Any

from ._models import CHECK_IDS

__all__ = ["diff_runs"]


def _evidence_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    was = {e["url"]: e for e in before["evidence"]}
    now = {e["url"]: e for e in after["evidence"]}
    rejected_now = {e["url"]: e for e in after["rejected"]}
    reasons = []
    for url in was:
        if url in now:
            continue
        if url in rejected_now and rejected_now[url]["reasons"]:
            reasons.append(f"{url}: no longer counts: {rejected_now[url]['reasons'][0]}")
        else:
            reasons.append(f"{url}: no longer found: no page the crawl reached links to it")
    reasons += [f"{url}: new evidence" for url in now if url not in was]
    return reasons


def diff_runs(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Compare two exported runs. A check that was met and is met no more is a regression,
    unless the later run failed (site down): that is reported as a failed run, not as regressions."""
    failed = after["run"]["status"] == "failed"
    changes = []
    for check_id in CHECK_IDS:
        old, new = before["checks"][check_id], after["checks"][check_id]
        reasons = _evidence_changes(old, new)
        if old["status"] == new["status"] and not reasons:
            continue
        if old["status"] != new["status"] and not reasons:
            reasons = list(new["reasons"][:3])
        changes.append(
            {
                "check": check_id,
                "from": old["status"],
                "to": new["status"],
                "regression": old["status"] == "met" and new["status"] != "met" and not failed,
                "reasons": reasons,
            }
        )
    return {
        "from_run": before["run"]["id"],
        "to_run": after["run"]["id"],
        "to_run_status": after["run"]["status"],
        "run_failed": failed,
        "changes": changes,
        "regressions": [c for c in changes if c["regression"]],
    }
