"""Storage: SQLModel tables, the async store, and the JSON export."""

from ._decisions import Standing, decisions_on, page_digests, record_decision, restate_verdicts, standing
from ._export import build_export, validate_export
from ._models import (
    Applicant,
    CheckRow,
    DecisionRow,
    EvidenceRow,
    PageRow,
    Run,
    Schedule,
)
from ._partners import (
    acquire_lock,
    add_alert,
    add_schedule,
    due_schedules,
    get_partner,
    latest_run,
    list_schedules,
    pending_alerts,
    record_delivery,
    release_lock,
    remove_schedule,
    upsert_partner,
)
from ._previous import StoredCrawl, load_previous
from ._store import Store, async_url, page_facts, sync_url

__all__ = [
    "Applicant",
    "CheckRow",
    "DecisionRow",
    "EvidenceRow",
    "PageRow",
    "Run",
    "Schedule",
    "Standing",
    "Store",
    "StoredCrawl",
    "acquire_lock",
    "add_alert",
    "add_schedule",
    "async_url",
    "build_export",
    "decisions_on",
    "due_schedules",
    "get_partner",
    "latest_run",
    "list_schedules",
    "load_previous",
    "page_digests",
    "page_facts",
    "pending_alerts",
    "record_decision",
    "record_delivery",
    "release_lock",
    "remove_schedule",
    "restate_verdicts",
    "standing",
    "sync_url",
    "upsert_partner",
    "validate_export",
]
