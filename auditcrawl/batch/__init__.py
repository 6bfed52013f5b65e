"""A validation round: a roster of applicants in, one run each, a summary and a report each out."""

from ._roster import Roster, RosterRow, read_roster
from ._runner import RowState, run_batch
from ._summary import SUMMARY_FORMATS, summary_bytes, summary_rows

__all__ = [
    "SUMMARY_FORMATS",
    "Roster",
    "RosterRow",
    "RowState",
    "read_roster",
    "run_batch",
    "summary_bytes",
    "summary_rows",
]
