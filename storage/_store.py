"""The store: one small async interface over SQLite (default) or PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, event, func, insert
from sqlalchemy import update as sa_update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import SQLModel, col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from auditcrawl._exceptions import ConfigError, RunNotFoundError, StorageError
from auditcrawl.crawler import Edge
from auditcrawl.rules import CheckResult, ClaimVerdict, PageFacts

from ._migrations import MIGRATIONS
from ._models import (
    SCHEMA_VERSION,
    Applicant,
    CheckRow,
    ClaimRow,
    EvidenceRow,
    LinkRow,
    MetaRow,
    PageLinksRow,
    PageRow,
    Run,
)
from ._verdicts import shared_columns, write_verdicts

__all__ = ["Store", "async_url", "page_facts", "page_values", "sync_url"]

log = logging.getLogger(__name__)


def _table(model: type[SQLModel]) -> Table:
    """A model's Core table, for bulk statements (SQLModel does not declare __table__)."""
    return model.__table__  # type: ignore[attr-defined,no-any-return]


_META, _PAGES, _PAGE_LINKS = _table(MetaRow), _table(PageRow), _table(PageLinksRow)


def async_url(url: str) -> str:
    """The async-driver form of an SQLAlchemy URL; creates an SQLite file's folder."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            path = Path(os.path.expanduser(database))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot create the folder for {path}: {exc.strerror}") from None
            parsed = parsed.set(database=str(path))
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend == "postgresql":
        if parsed.get_driver_name() not in ("psycopg", "asyncpg"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    raise ConfigError(f"unsupported database {backend!r}: use sqlite:///FILE or postgresql+psycopg://…")


def sync_url(url: str) -> str:
    """The blocking-driver form of the same database URL (for APScheduler's job store)."""
    parsed = make_url(async_url(url))
    driver = {"sqlite+aiosqlite": "sqlite", "postgresql+asyncpg": "postgresql+psycopg"}.get(
        parsed.drivername, parsed.drivername
    )
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are begun by _sqlite_begin below, not by the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writing crawl
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: a killed process loses no commit; only power loss may
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# A page's facts map onto the page table by name: a fact with a column of its own goes there,
# every other fact into the row's JSON `facts`; three are stored in another form (robots, etag and
# last_modified; per run) and an auditor's decision is stored as a decision, not with the page.
_CONVERTED = frozenset({"robots_blocked", "headers", "not_modified", "auditor"})
_COLUMNS = tuple(f.name for f in fields(PageFacts) if f.name in PageRow.model_fields and f.name not in _CONVERTED)
_IN_JSON = tuple(f.name for f in fields(PageFacts) if f.name not in PageRow.model_fields and f.name not in _CONVERTED)


def page_values(run_id: str, f: PageFacts) -> dict[str, Any]:
    """The page table's row for one page's facts, as insert parameters (no ORM object a page)."""
    row = {name: getattr(f, name) for name in _COLUMNS}
    row.update(
        run_id=run_id,
        robots="disallowed" if f.robots_blocked else "allowed",
        etag=f.headers.get("etag"),
        last_modified=f.headers.get("last-modified"),
        facts={name: getattr(f, name) for name in _IN_JSON},
        click_path=[],  # known when the crawl ends (finish_run)
    )
    return row


def page_facts(row: PageRow) -> PageFacts:
    """The facts stored for a page, as the rules take them (a 304 reuses them)."""
    values = {name: getattr(row, name) for name in _COLUMNS}
    values.update((name, row.facts[name]) for name in _IN_JSON if name in row.facts)  # older rows lack some
    values["robots_blocked"] = row.robots == "disallowed"
    values["headers"] = {k: v for k, v in (("etag", row.etag), ("last-modified", row.last_modified)) if v}
    return PageFacts(**values)


_PATHS_AT_ONCE = 1000  # click paths written per statement when a run finishes
_SCHEMA_LOCK = 7_402_031  # PostgreSQL advisory lock id: one process creates the schema at a time


async def _create_schema(engine: AsyncEngine, attempts: int = 5) -> None:
    """Create missing tables and record the schema version, safe against other processes doing the same."""
    for attempt in range(attempts):
        try:
            async with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    await conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
                await conn.run_sync(SQLModel.metadata.create_all)
                version = (await conn.execute(select(MetaRow.value).where(MetaRow.key == "schema_version"))).scalar()
                if version is None:
                    await conn.execute(_META.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
                elif int(version) < SCHEMA_VERSION:
                    for step in range(int(version) + 1, SCHEMA_VERSION + 1):
                        for statement in MIGRATIONS.get(step, []):
                            await conn.exec_driver_sql(statement)
                    await conn.execute(
                        _META.update().where(_META.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
                    )
                    log.info("database schema upgraded from version %s to %s", version, SCHEMA_VERSION)
            break
        except (OperationalError, IntegrityError, ProgrammingError) as exc:
            # SQLite runs DDL outside transactions: another process may create a table between check and create.
            if attempt == attempts - 1 or not any(
                w in str(exc).lower() for w in ("already exists", "unique", "duplicate", "locked")
            ):
                raise
            await asyncio.sleep(0.05 * (attempt + 1))
    if version is not None and int(version) > SCHEMA_VERSION:
        raise StorageError(
            f"database schema version {version} is newer than this auditcrawl supports ({SCHEMA_VERSION})"
        )


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock at the start, so concurrent writers (tasks or processes) wait
    # their turn under busy_timeout instead of failing when a read transaction tries to write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Store:
    """Open with `async with Store(url) as store:`; the schema is created on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: AsyncEngine | None = None
        # One write transaction at a time from this process; other processes wait on the database's lock.
        self._write_lock = asyncio.Lock()

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise StorageError("the store is not open")
        return self._engine

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> None:
        engine = create_async_engine(async_url(self.url))
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(engine.sync_engine, "begin", _sqlite_begin)
        try:
            await _create_schema(engine)
        except SQLAlchemyError as exc:
            await engine.dispose()
            reason = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0]
            raise StorageError(f"cannot open database {make_url(self.url).render_as_string()}: {reason}") from None
        except StorageError:
            await engine.dispose()
            raise
        self._engine = engine

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    def session(self) -> AsyncSession:
        return AsyncSession(self.engine, expire_on_commit=False)

    @contextlib.asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A session for one write transaction (the caller commits); one at a time from this process."""
        async with self._write_lock, self.session() as session:
            yield session

    async def create_run(self, run: Run) -> Run:
        async with self._write_lock, self.session() as session:
            if run.applicant:
                applicant = (await session.exec(select(Applicant).where(Applicant.name == run.applicant))).first()
                if applicant is None:
                    applicant = Applicant(name=run.applicant, home_url=run.home_url)
                    session.add(applicant)
                    await session.flush()
                run.applicant_id = applicant.id
            session.add(run)
            await session.commit()
        return run

    async def add_pages(self, run_id: str, pages: Iterable[PageFacts], edges: Iterable[Edge]) -> None:
        """Store a batch of a run's pages (their facts, see page_values) and the links found on them,
        in one transaction: the crawl calls it every hundred pages as it goes."""
        async with self._write_lock, self.session() as session:
            # One Core executemany a table, not the ORM: a large crawl writes thousands of pages and
            # fifty links a page, and the ORM's bulk insert costs twice as much a row.
            connection = await session.connection()
            page_rows = [page_values(run_id, f) for f in pages]
            if page_rows:
                await connection.execute(insert(_PAGES), page_rows)
            by_source: dict[str, list[list[str | None]]] = {}
            for e in edges:
                by_source.setdefault(e.source, []).append([e.target, e.anchor, e.region, e.date_hint])
            if by_source:
                await connection.execute(
                    insert(_PAGE_LINKS),
                    [{"run_id": run_id, "from_url": source, "links": links} for source, links in by_source.items()],
                )
            await session.commit()

    async def finish_run(
        self,
        run_id: str,
        *,
        status: str,
        finished_at: datetime,
        pages_fetched: int,
        pages_rendered: int,
        notes: list[str],
        click_paths: Mapping[str, list[str]],
        checks: dict[str, CheckResult],
        final: dict[str, CheckResult] | None = None,
        claims: list[ClaimVerdict] | None = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        """Close a run: its status and figures, each page's click path from home, the verdicts with
        their evidence (`checks` what the crawl found, `final` with the auditor's decisions that
        apply), and the claim verdicts, in one transaction."""
        async with self._write_lock, self.session() as session:
            run = await session.get(Run, run_id)
            if run is None:
                raise RunNotFoundError(f"no run {run_id!r}")
            run.status, run.finished_at, run.notes = status, finished_at, list(notes)
            run.pages_fetched, run.pages_rendered = pages_fetched, pages_rendered
            if options is not None:
                run.options = {**run.options, **options}
            session.add(run)
            for position, claim in enumerate(claims or []):
                session.add(ClaimRow(**shared_columns(ClaimRow, claim), run_id=run_id, position=position))
            # Executemany a thousand pages at a time: a large run's rows and paths are never all in memory at once.
            urls = sorted(set((await session.exec(select(PageRow.final_url).where(PageRow.run_id == run_id))).all()))
            # Core, not ORM: a bulk update keyed by URL, not by primary key.
            statement = (
                sa_update(_PAGES)
                .where(_PAGES.c.run_id == bindparam("b_run"), _PAGES.c.final_url == bindparam("b_url"))
                .values(click_path=bindparam("b_path"))
            )
            connection = await session.connection()
            for start in range(0, len(urls), _PATHS_AT_ONCE):
                params = [
                    {"b_run": run_id, "b_url": u, "b_path": click_paths[u]}
                    for u in urls[start : start + _PATHS_AT_ONCE]
                    if u in click_paths
                ]
                if params:
                    await connection.execute(statement, params)
            await write_verdicts(session, run_id, checks, final)
            await session.commit()

    async def mark_run(self, run_id: str, status: str, note: str, finished_at: datetime) -> None:
        """Close a run that could not finish normally, keeping what it fetched."""
        async with self._write_lock, self.session() as session:
            await session.exec(update(Run).where(col(Run.id) == run_id).values(status=status, finished_at=finished_at))
            run = await session.get(Run, run_id)
            if run is not None:
                run.notes = [*run.notes, note]
                session.add(run)
            await session.commit()

    async def reopen_run(self, run_id: str, options: dict[str, Any]) -> Run:
        """A run taken up again: running, with what the new process adds to its options."""
        async with self._write_lock, self.session() as session:
            run = await session.get(Run, run_id)
            if run is None:
                raise RunNotFoundError(f"no run {run_id!r}")
            run.status, run.finished_at, run.options = "running", None, {**run.options, **options}
            session.add(run)
            await session.commit()
        return run

    async def get_run(self, run_id: str) -> Run:
        """A run by id or unique id prefix."""
        async with self.session() as session:
            run = await session.get(Run, run_id)
            if run is not None:
                return run
            matches = (await session.exec(select(Run).where(col(Run.id).startswith(run_id)).limit(2))).all()
        if len(matches) == 1 and len(run_id) >= 4:
            return matches[0]
        if len(matches) > 1:
            raise RunNotFoundError(f"run id prefix {run_id!r} is ambiguous")
        raise RunNotFoundError(f"no run {run_id!r} in this database")

    async def list_runs(self, applicant: str | None = None) -> Sequence[Run]:
        async with self.session() as session:
            query = select(Run).order_by(col(Run.started_at).desc(), col(Run.id))
            if applicant is not None:
                query = query.where(func.lower(col(Run.applicant)) == applicant.lower())
            return (await session.exec(query)).all()

    async def run_checks(self, run_id: str) -> tuple[Sequence[CheckRow], Sequence[EvidenceRow]]:
        async with self.session() as session:
            checks = (
                await session.exec(select(CheckRow).where(CheckRow.run_id == run_id).order_by(col(CheckRow.id)))
            ).all()
            evidence = (
                await session.exec(
                    select(EvidenceRow)
                    .where(EvidenceRow.run_id == run_id)
                    .order_by(col(EvidenceRow.check_id), col(EvidenceRow.position))
                )
            ).all()
        return checks, evidence

    async def run_claims(self, run_id: str) -> Sequence[ClaimRow]:
        async with self.session() as session:
            return (
                await session.exec(select(ClaimRow).where(ClaimRow.run_id == run_id).order_by(col(ClaimRow.position)))
            ).all()

    async def run_pages(self, run_id: str) -> Sequence[PageRow]:
        async with self.session() as session:
            return (await session.exec(select(PageRow).where(PageRow.run_id == run_id).order_by(col(PageRow.id)))).all()

    async def run_links(self, run_id: str) -> list[Edge]:
        """A run's links in the order they were found (runs from before schema 7: from the link table)."""
        async with self.session() as session:
            legacy = (
                await session.exec(select(LinkRow).where(LinkRow.run_id == run_id).order_by(col(LinkRow.id)))
            ).all()
            per_page = (
                await session.exec(
                    select(PageLinksRow).where(PageLinksRow.run_id == run_id).order_by(col(PageLinksRow.id))
                )
            ).all()
        edges = [Edge(link.from_url, link.to_url, link.anchor, link.region, link.date_hint) for link in legacy]
        for row in per_page:
            edges.extend(
                Edge(row.from_url, str(to), str(anchor), str(region), hint) for to, anchor, region, hint in row.links
            )
        return edges
