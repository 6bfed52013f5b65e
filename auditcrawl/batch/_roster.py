"""The roster of a validation round: CSV or XLSX, a header row, one applicant a row.

Required columns `applicant` and `home_url`; optional `as_of` (YYYY-MM-DD) and `claims` (a claims
file's path, relative to the roster's folder); any other column is kept for the summary. The
whole roster is checked before anything starts: a bad row is named by its number as a
spreadsheet shows it (the header is row 1).
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from auditcrawl.rules import Claims

from .._exceptions import AuditcrawlError, InputFileError
from ..claims import load_claims
from ..pipeline import validate_url

__all__ = ["Roster", "RosterRow", "read_roster"]

REQUIRED = ("applicant", "home_url")
KNOWN = (*REQUIRED, "as_of", "claims")


@dataclass
class RosterRow:
    number: int  # as a spreadsheet shows it: the header is row 1
    applicant: str
    home_url: str
    as_of: date | None
    claims_path: str | None
    claims: Claims | None
    columns: dict[str, str]  # every column of the row, as given, in the roster's order


@dataclass
class Roster:
    path: Path
    columns: list[str]
    rows: list[RosterRow] = field(default_factory=list)

    @property
    def summary_columns(self) -> list[str]:
        """The roster's columns as the summary names them (the known ones in lower case)."""
        return [c.lower() if c.lower() in KNOWN else c for c in self.columns]

    def key(self, as_of: date) -> str:
        """Names this round's runs: the same rows audited as of the same date (`as_of` for rows without
        one) give the same key, so running it again finds them; the same roster another day is a new round."""
        rows = [[r.applicant, r.home_url, (r.as_of or as_of).isoformat(), r.claims_path] for r in self.rows]
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(path: Path) -> list[list[str]]:
    """The roster's cells as text, header first."""
    try:
        if path.suffix.lower() == ".xlsx":
            import openpyxl  # loaded only for spreadsheets

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                return [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
            finally:
                book.close()
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return [[_cell(v) for v in row] for row in csv.reader(handle)]
    except FileNotFoundError:
        raise InputFileError(f"{path}: roster not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(f"{path}: cannot read the roster ({getattr(exc, 'strerror', None) or exc})") from None
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise InputFileError(f"{path}: not a readable XLSX workbook ({type(exc).__name__})") from None
    raise InputFileError(f"{path}: a roster is a .csv or .xlsx file")


def _row(number: int, values: dict[str, str], folder: Path) -> RosterRow:
    applicant = values.get("applicant", "")
    if not applicant:
        raise InputFileError("no applicant")
    try:
        home = validate_url(values.get("home_url", ""))
    except AuditcrawlError as exc:
        raise InputFileError(f"home_url: {exc}") from None
    as_of = None
    if values.get("as_of"):
        try:
            as_of = date.fromisoformat(values["as_of"])
        except ValueError:
            raise InputFileError(f"as_of {values['as_of']!r} is not a date YYYY-MM-DD") from None
    claims = None
    if values.get("claims"):
        claims_path = Path(values["claims"])
        claims = load_claims(claims_path if claims_path.is_absolute() else folder / claims_path, home)
    return RosterRow(number, applicant, home, as_of, values.get("claims") or None, claims, values)


def read_roster(path: Path) -> Roster:
    """Read and check the whole roster; InputFileError naming the first bad row (and how many more)."""
    table = _table(path)
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise InputFileError(f"{path}: the roster is empty (it needs a header row)")
    header = [h.strip() for h in table[0]]
    lowered = [h.lower() for h in header]
    missing = [c for c in REQUIRED if c not in lowered]
    if missing:
        raise InputFileError(f"{path}: the header row has no {' or '.join(repr(c) for c in missing)} column")
    roster = Roster(path, header)
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue  # a blank line between rows
        values = {(h.lower() if h.lower() in KNOWN else h): v for h, v in zip(header, cells, strict=False)}
        try:
            row = _row(number, values, path.parent)
        except InputFileError as exc:
            problems.append(f"row {number}: {exc}")
            continue
        earlier = seen.setdefault(row.applicant.lower(), number)
        if earlier != number:
            problems.append(f"row {number}: applicant {row.applicant!r} is also in row {earlier}")
            continue
        roster.rows.append(row)
    if problems:
        more = f" (and {len(problems) - 1} more bad rows)" if len(problems) > 1 else ""
        raise InputFileError(f"{path.name} {problems[0]}{more}")
    if not roster.rows:
        raise InputFileError(f"{path}: the roster has no applicant rows")
    return roster
