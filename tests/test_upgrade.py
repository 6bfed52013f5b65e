"""A database the previous release wrote (tests/fixtures/release-8.*, made by make_release_db.py)
opens with this one, on SQLite and PostgreSQL: upgraded in place, every row kept, every run exported
as before, and its runs open to the auditor's decisions."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from auditcrawl.settings import load_settings
from auditcrawl.storage import Store, async_url, build_export, list_schedules

from .conftest import _create_database

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = ("applicant", "schedule", "run", "page", "page_links", "check_result", "evidence", "claim")
pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgresql"])
def release_8_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A copy of what release 8 left behind, in a database of the given kind."""
    if request.param == "sqlite":
        shutil.copy(FIXTURES / "release-8.sqlite", tmp_path / "old.db")
        return f"sqlite:///{tmp_path}/old.db"
    import psycopg

    url = _create_database(request.getfixturevalue("postgres_server"))
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute((FIXTURES / "release-8.pg.sql").read_text())  # type: ignore[arg-type]
    return url


async def _counts(url: str) -> dict[str, Any]:
    engine = create_async_engine(async_url(url))
    async with engine.connect() as conn:
        found: dict[str, Any] = {t: (await conn.exec_driver_sql(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}
        found["version"] = (await conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
        found["statuses"] = sorted(
            (await conn.exec_driver_sql("SELECT run_id, check_id, status FROM check_result")).all()
        )
    await engine.dispose()
    return found


async def test_a_release_8_database_opens_upgraded_with_nothing_lost(release_8_db: str) -> None:
    before = await _counts(release_8_db)
    assert before["version"] == "8" and before["run"] == 2 and before["page"] > 0
    async with Store(release_8_db) as store:
        runs = await store.list_runs()
        documents = [await build_export(store, r.id) for r in runs]  # validated against the schema
        schedules = await list_schedules(store)
    after = await _counts(release_8_db)
    assert after["version"] == "9"
    assert {t: after[t] for t in TABLES} == {t: before[t] for t in TABLES}
    assert after["statuses"] == before["statuses"]
    assert len(documents) == 2
    for document in documents:
        for check in document["checks"].values():
            assert check["tool_status"] == check["status"] and check["decisions"] == []
    assert sum("claims" in d for d in documents) == 1
    ((schedule, partner),) = schedules
    assert (schedule.every, partner.name, partner.webhook) == ("30d", "Demo Partner", "http://127.0.0.1:9/hook")


async def test_a_run_of_the_previous_release_takes_decisions(release_8_db: str) -> None:
    """Judged again from what release 8 stored (page rows, links, the coverage it reported), with no
    decision it gives the verdicts it stored; a verdict set on a check is then recorded on it."""
    from auditcrawl.review import DecisionRequest, decide, load_run
    from auditcrawl.rules import Decisions

    settings = load_settings(None, {}, {"db": release_8_db})
    async with Store(release_8_db) as store:
        for run in await store.list_runs():
            checks, _evidence = await store.run_checks(run.id)
            again = (await load_run(store, run.id, settings)).judge(Decisions()).final
            assert {c.check_id: c.status for c in checks} == {c: r.status for c, r in again.items()}, run.id
        run = (await store.list_runs())[0]
        request = DecisionRequest(run.id, "seen by hand", "ann", check_id="3.2", verdict="not_met")
        recorded = await decide(store, request, settings)
        document = await build_export(store, run.id)
    assert recorded.after["3.2"] == "not_met"
    assert document["checks"]["3.2"]["status"] == "not_met" and document["checks"]["3.2"]["tool_status"] == "met"
    assert [d["by"] for d in document["decisions"]] == ["ann"]
