"""Storage: SQLModel tables, the async store, and the JSON export."""

from ._export import SCHEMA_VERSION_EXPORT, build_export, export_schema, validate_export
from ._models import SCHEMA_VERSION, Applicant, CheckRow, ClaimRow, EvidenceRow, LinkRow, MetaRow, PageRow, Run, utcnow
from ._store import Store, async_url, page_row

__all__ = [
    "Applicant",
    "CheckRow",
    "ClaimRow",
    "EvidenceRow",
    "LinkRow",
    "MetaRow",
    "PageRow",
    "Run",
    "SCHEMA_VERSION",
    "SCHEMA_VERSION_EXPORT",
    "Store",
    "async_url",
    "build_export",
    "export_schema",
    "page_row",
    "utcnow",
    "validate_export",
]
