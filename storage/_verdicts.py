"""A run's verdicts in storage: each check's answer with its evidence, and what the crawl alone found."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlmodel import SQLModel, col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from auditcrawl.rules import CheckResult

from ._models import CheckRow, EvidenceRow

__all__ = ["shared_columns", "write_verdicts"]


def shared_columns(model: type[SQLModel], value: Any) -> dict[str, Any]:
    """A rule's result (check, evidence, claim verdict) as the values of its table's columns of the same names."""
    return {f.name: getattr(value, f.name) for f in fields(value) if f.name in model.model_fields}


async def write_verdicts(
    session: AsyncSession, run_id: str, found: dict[str, CheckResult], final: dict[str, CheckResult] | None = None
) -> None:
    """Store the run's verdicts in the caller's transaction, replacing any stored before: `final` (the
    audit's answer, with its evidence) and, beside each, the status the crawl alone `found`."""
    final = final if final is not None else found
    await session.exec(delete(EvidenceRow).where(col(EvidenceRow.run_id) == run_id))
    await session.exec(delete(CheckRow).where(col(CheckRow.run_id) == run_id))
    for check_id, result in final.items():
        tool = found.get(check_id, result)
        extra = dict(result.extra or {})
        if tool is not result:
            extra["tool_summary"] = tool.summary
        row = CheckRow(**shared_columns(CheckRow, result), run_id=run_id, tool_status=tool.status)
        row.check_id, row.extra = check_id, extra
        session.add(row)
        for counted, items in ((True, result.evidence), (False, result.rejected)):
            for position, e in enumerate(items):
                session.add(
                    EvidenceRow(
                        **shared_columns(EvidenceRow, e),
                        run_id=run_id,
                        check_id=check_id,
                        counted=counted,
                        position=position,
                    )
                )
