"""Database tables (SQLModel). JSON columns hold lists; timestamps are UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Dialect, Index
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

__all__ = [
    "SCHEMA_VERSION",
    "Alert",
    "Applicant",
    "CheckRow",
    "ClaimRow",
    "CrawlLock",
    "DecisionRow",
    "EvidenceRow",
    "LinkRow",
    "MetaRow",
    "PageLinksRow",
    "PageRow",
    "Run",
    "Schedule",
    "UTCDateTime",
    "utcnow",
]

SCHEMA_VERSION = 9  # storage/_migrations.py brings older databases up to it


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is timezone-aware on the way out, whatever the database: PostgreSQL keeps
    the zone, SQLite hands back naive UTC. Stored as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class MetaRow(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class Applicant(SQLModel, table=True):
    """A partner: an applicant until approved, then rechecked on its schedule."""

    __tablename__ = "applicant"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    home_url: str
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    status: str = "applicant"  # applicant | approved
    webhook: str | None = None  # where regression alerts are posted
    claims: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Schedule(SQLModel, table=True):
    __tablename__ = "schedule"
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True)
    every_seconds: int
    every: str | None = None  # the interval as it was given ("30d"); None in databases before version 8
    options: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )  # crawl flags it was added with
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class Alert(SQLModel, table=True):
    """A regression alert; kept until its webhook accepts it."""

    __tablename__ = "alert"
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True)
    run_id: str
    webhook: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    attempts: int = 0
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    last_error: str | None = None


class CrawlLock(SQLModel, table=True):
    """At most one crawl of a partner at a time, across processes."""

    __tablename__ = "crawl_lock"
    applicant_id: int = Field(primary_key=True)
    holder: str
    since: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class Run(SQLModel, table=True):
    __tablename__ = "run"
    id: str = Field(primary_key=True)
    applicant_id: int | None = Field(default=None, foreign_key="applicant.id", index=True)
    applicant: str | None = None
    home_url: str
    as_of: date
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    status: str = "running"  # running | complete | partial | failed
    pages_fetched: int = 0
    pages_rendered: int = 0
    notes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class PageRow(SQLModel, table=True):
    __tablename__ = "page"
    __table_args__ = (Index("ix_page_run_url", "run_id", "final_url"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="run.id", index=True)
    url: str
    final_url: str
    status: int | None = None
    content_type: str = ""
    sha256: str | None = None
    title: str | None = None
    lang: str | None = None
    kind: str = "other"
    published: date | None = None
    date_source: str | None = None
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    click_path: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    depth: int = 0
    source: str = "link"
    offsite: bool = False
    robots: str = "allowed"
    gated: str | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    rendered: bool = False
    render_reason: str | None = None
    size: int = 0  # bytes of the body: what a 304 saves next time
    warc_record_id: str | None = None  # its response record in the run's WARC file
    fetched_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class LinkRow(SQLModel, table=True):
    """One link a row: how runs stored before schema version 7 kept their links (read, never written)."""

    __tablename__ = "link"
    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="run.id", index=True)
    from_url: str
    to_url: str
    anchor: str = ""
    region: str = "body"
    date_hint: str | None = None


class PageLinksRow(SQLModel, table=True):
    """The links found on one page, in page order, each as [to_url, anchor, region, date_hint].
    One row a page, not a row a link: fifty rows a page were most of a large crawl's storage time."""

    __tablename__ = "page_links"
    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="run.id", index=True)
    from_url: str
    links: list[list[str | None]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class CheckRow(SQLModel, table=True):
    __tablename__ = "check_result"
    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="run.id", index=True)
    check_id: str
    status: str  # the audit's answer: the auditor's decisions applied
    tool_status: str | None = None  # what the crawl alone found; None in databases before version 9 (= status)
    summary: str
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=True))


class ClaimRow(SQLModel, table=True):
    __tablename__ = "claim"
    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="run.id", index=True)
    position: int
    url: str
    claimed_as: str
    verdict: str
    final_url: str | None = None
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class EvidenceRow(SQLModel, table=True):
    __tablename__ = "evidence"
    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="run.id", index=True)
    check_id: str
    counted: bool  # True: in `evidence`; False: in `rejected`
    position: int
    url: str
    kind: str
    title: str | None = None
    published: date | None = None
    date_source: str | None = None
    click_path: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class DecisionRow(SQLModel, table=True):
    """An auditor's decision. Append-only: a changed mind is a new row that supersedes the old one.
    It belongs to the partner (applicant, else the home URL) and applies again on later runs while
    the page's content digest is unchanged; a verdict on a check holds for its own run."""

    __tablename__ = "decision"
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int | None = Field(default=None, foreign_key="applicant.id", index=True)
    home_url: str = Field(index=True)
    run_id: str = Field(foreign_key="run.id", index=True)  # the run it was made on
    url: str | None = None  # the page decided on; None for a verdict on a check
    check_id: str | None = None  # the check whose verdict was set; None for a decision on a page
    checks: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # a page's, when decided
    decision: str  # accept | reject | met | not_met
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str
    made_by: str
    made_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    content_digest: str | None = None  # of the page as it was decided on
    supersedes: int | None = None  # the decision on the same page (or check of the run) it replaces
