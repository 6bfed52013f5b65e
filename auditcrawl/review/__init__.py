"""The auditor's decisions: judging a stored run again with them, recording them, the review queue."""

from ._judged import StoredRun, applying, load_run

__all__ = ["StoredRun", "applying", "load_run"]
