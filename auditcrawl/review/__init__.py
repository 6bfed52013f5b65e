"""The auditor's decisions: judging a stored run again with them, recording them, the review queue."""

from ._judged import StoredRun, applying, load_run
from ._queue import ReviewItem, open_items, review_queue
from ._record import DecisionRequest, Recorded, auditor_name, decide

__all__ = [
    "DecisionRequest",
    "Recorded",
    "ReviewItem",
    "StoredRun",
    "applying",
    "auditor_name",
    "decide",
    "load_run",
    "open_items",
    "review_queue",
]
