"""The round's summary: one row per applicant, the roster's columns then the run and its verdicts,
written as CSV, XLSX or JSON by the file's extension."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from auditcrawl.rules import CHECK_IDS

from .._exceptions import InputFileError
from ._roster import Roster
from ._runner import RowState

__all__ = ["SUMMARY_FORMATS", "summary_bytes", "summary_rows"]

SUMMARY_FORMATS = (".csv", ".xlsx", ".json")
RUN_COLUMNS = ["run_id", "status", *CHECK_IDS, *(f"evidence {c}" for c in CHECK_IDS), "report"]


def summary_rows(roster: Roster, states: list[RowState]) -> list[dict[str, Any]]:
    rows = []
    for state in states:
        given = dict(
            zip(roster.summary_columns, (state.row.columns.get(k, "") for k in roster.summary_columns), strict=True)
        )
        error = f"error: {state.error}" if state.error else ""
        rows.append(
            {
                **given,
                "applicant": state.row.applicant,
                "home_url": state.row.home_url,
                "run_id": state.run_id or "",
                "status": state.status or error,
                **{c: state.checks.get(c, "") for c in CHECK_IDS},
                **{f"evidence {c}": state.evidence.get(c, "") for c in CHECK_IDS},
                "report": state.report or "",
            }
        )
    return rows


def _columns(roster: Roster) -> list[str]:
    return [*roster.summary_columns, *(c for c in RUN_COLUMNS if c not in roster.summary_columns)]


def summary_bytes(path: Path, roster: Roster, rows: list[dict[str, Any]]) -> bytes:
    """The summary in the format the file's extension names."""
    suffix = path.suffix.lower()
    columns = _columns(roster)
    if suffix == ".json":
        return (
            json.dumps([{c: row.get(c, "") for c in columns} for row in rows], indent=2, ensure_ascii=False) + "\n"
        ).encode()
    if suffix == ".csv":
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return text.getvalue().encode("utf-8")
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "summary"
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c, "") for c in columns])
        data = io.BytesIO()
        book.save(data)
        return data.getvalue()
    raise InputFileError(f"{path}: a summary is {', '.join(SUMMARY_FORMATS)}")
