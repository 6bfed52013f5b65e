"""The store and the export, on a real SQLite file and a real PostgreSQL server alike."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from auditcrawl import AuditcrawlError, RunNotFoundError
from auditcrawl.crawler import Edge
from auditcrawl.rules import CheckResult, Evidence, PageFacts
from auditcrawl.storage import Run, Store, build_export, page_facts, validate_export


def _facts(url: str, kind: str = "case_study") -> PageFacts:
    f = PageFacts(
        url=url,
        final_url=url,
        status=200,
        content_type="text/html",
        fetched_at=datetime.now(UTC),
        depth=1,
        source="link",
        offsite=False,
    )
    f.kind, f.title, f.categories, f.published = kind, "T", ["production"], date(2026, 1, 2)  # type: ignore[assignment]
    f.headers = {"etag": '"abc"'}
    return f


def _checks(home: str, case: str) -> dict[str, CheckResult]:
    evidence = Evidence(
        url=case,
        kind="case_study",
        title="T",
        published=date(2026, 1, 2),
        click_path=[home, case],
        categories=["production"],
        reasons=["r"],
    )
    rejected = Evidence(
        url=case + "x",
        kind="case_study",
        title=None,
        published=None,
        click_path=[],
        reasons=["not linked from the home page"],
    )
    return {
        "3.1": CheckResult("3.1", "not_met", "none", ["no page"]),
        "2.2": CheckResult("2.2", "met", "1 case study", ["ok"], [evidence], [rejected]),
        "3.2": CheckResult("3.2", "needs_review", "undated", ["undated"]),
    }


async def _stored_run(store: Store, run_id: str = "abcdef123456", applicant: str | None = "Acme") -> str:
    home, case = "https://p.com/", "https://p.com/case-studies/a"
    await store.create_run(Run(id=run_id, applicant=applicant, home_url=home, as_of=date(2026, 6, 1)))
    await store.add_pages(run_id, [_facts(home, "other"), _facts(case)], [Edge(home, case, "Case A", "main")])
    await store.finish_run(
        run_id,
        status="complete",
        finished_at=datetime.now(UTC),
        pages_fetched=2,
        pages_rendered=0,
        notes=["a note"],
        click_paths={home: [home], case: [home, case]},
        checks=_checks(home, case),
    )
    return run_id


async def test_round_trip_and_export_validates(store: Store) -> None:
    run_id = await _stored_run(store)
    document = await build_export(store, run_id)
    validate_export(document)
    assert document["run"]["id"] == run_id and document["run"]["applicant"] == "Acme"
    assert document["run"]["status"] == "complete" and document["run"]["notes"] == ["a note"]
    assert document["run"]["started_at"].endswith("Z")
    cs = document["checks"]["2.2"]
    assert cs["status"] == "met"
    assert cs["evidence"][0]["click_path"] == ["https://p.com/", "https://p.com/case-studies/a"]
    assert cs["evidence"][0]["clicks"] == 1 and cs["evidence"][0]["published"] == "2026-01-02"
    assert cs["rejected"][0]["clicks"] is None
    pages = await store.run_pages(run_id)
    assert [p.click_path for p in pages] == [["https://p.com/"], ["https://p.com/", "https://p.com/case-studies/a"]]
    assert pages[1].etag == '"abc"'
    links = await store.run_links(run_id)
    assert [(lk.source, lk.target, lk.anchor, lk.region) for lk in links] == [
        ("https://p.com/", "https://p.com/case-studies/a", "Case A", "main")
    ]
    json.dumps(document)  # plain JSON types only


async def test_runs_listed_newest_first_and_found_by_prefix(store: Store) -> None:
    await _stored_run(store, "aaaa11112222", "Acme")
    await asyncio.sleep(0.01)
    await _stored_run(store, "bbbb33334444", "Beta")
    assert [r.id for r in await store.list_runs()] == ["bbbb33334444", "aaaa11112222"]
    assert [r.id for r in await store.list_runs("acme")] == ["aaaa11112222"]
    assert (await store.get_run("bbbb")).id == "bbbb33334444"
    with pytest.raises(RunNotFoundError, match="no run 'zzzz'"):
        await store.get_run("zzzz")


async def test_interrupted_run_is_kept_and_exports_as_partial(store: Store) -> None:
    await store.create_run(Run(id="cccc55556666", applicant=None, home_url="https://p.com/", as_of=date(2026, 6, 1)))
    await store.add_pages("cccc55556666", [_facts("https://p.com/", "other")], [])
    await store.mark_run("cccc55556666", "partial", "interrupted", datetime.now(UTC))
    document = await build_export(store, "cccc55556666")
    assert document["run"]["status"] == "partial" and "interrupted" in document["run"]["notes"]
    assert all(document["checks"][c]["status"] == "needs_review" for c in ("3.1", "2.2", "3.2"))


async def test_an_interrupted_run_is_reopened_and_its_pages_read_back(store: Store) -> None:
    run_id = "dddd77778888"
    await store.create_run(
        Run(
            id=run_id,
            applicant=None,
            home_url="https://p.com/",
            as_of=date(2026, 6, 1),
            options={"crawl": {"delay": 0}},
        )
    )
    stored = _facts("https://p.com/case-studies/a")
    stored.warc_record_id = "<urn:uuid:0f0e>"
    await store.add_pages(run_id, [stored], [])
    await store.mark_run(run_id, "partial", "interrupted", datetime.now(UTC))
    await store.reopen_run(run_id, {"process": {"pid": 1, "host": "h"}})
    run = await store.get_run(run_id)
    assert run.status == "running" and run.finished_at is None
    assert run.options == {"crawl": {"delay": 0}, "process": {"pid": 1, "host": "h"}}
    (row,) = await store.run_pages(run_id)
    back = page_facts(row)
    assert (back.url, back.kind, back.categories, back.published, back.warc_record_id) == (
        stored.url,
        "case_study",
        ["production"],
        date(2026, 1, 2),
        "<urn:uuid:0f0e>",
    )
    with pytest.raises(RunNotFoundError):
        await store.reopen_run("nosuchrun000", {})


async def test_every_fact_of_a_page_comes_back_from_storage(store: Store) -> None:
    """The page table is derived from PageFacts: each fact, column or JSON, reads back as written."""
    run_id = "eeee99990000"
    await store.create_run(Run(id=run_id, applicant=None, home_url="https://p.com/", as_of=date(2026, 6, 1)))
    f = PageFacts(
        url="https://p.com/cs/a",
        final_url="https://p.com/case-studies/a",
        status=200,
        content_type="text/html",
        fetched_at=datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC),
        depth=2,
        source="link",
        offsite=True,
        error=None,
        robots_blocked=True,
        sha256="ab" * 32,
        headers={"etag": '"v1"', "last-modified": "Mon, 04 May 2026 03:02:01 GMT"},
        rendered=True,
        render_reason="empty application root",
        size=1234,
        warc_record_id="<urn:uuid:1>",
        title="Case study: Contoso",
        lang="de",
        kind="case_study",
        kind_reasons=["URL under '/case-studies/'"],
        kind_doubt="page kind uncertain: case study (2.5) vs thought leadership (2.25)",
        categories=["production", "operations"],
        category_terms={"production": ["MES"], "operations": ["OPC UA", "IIoT"]},
        industrial_focus=True,
        other_industries=["retail"],
        aws_signals=["AWS Advanced Tier Services Partner"],
        aws_services=["AWS IoT SiteWise"],
        clouds=["AWS", "Microsoft Azure"],
        isvs=["Siemens"],
        gated="content behind a login form",
        published=date(2026, 3, 2),
        date_source="json-ld",
        word_count=812,
        notes=["text truncated"],
        completeness={"elements": {"customer": True}},
        nofollow=True,
    )
    await store.add_pages(run_id, [f], [])
    (row,) = await store.run_pages(run_id)
    back = page_facts(row)
    assert back.fetched_at.tzinfo is not None  # aware on SQLite too
    assert dataclasses.asdict(back) == dataclasses.asdict(f)
    run = await store.get_run(run_id)
    assert run.started_at.tzinfo is not None


async def test_two_writers_at_once_lose_nothing(db_url: str) -> None:
    async def writer(n: int) -> None:
        async with Store(db_url) as s:
            await _stored_run(s, f"run{n:09d}", f"Partner {n}")

    await asyncio.gather(*(writer(n) for n in range(4)))
    async with Store(db_url) as s:
        runs = await s.list_runs()
        assert len(runs) == 4
        for run in runs:
            assert len(await s.run_pages(run.id)) == 2


def test_schema_rejects_a_broken_document() -> None:
    with pytest.raises(AuditcrawlError, match="at run: 'id' is a required property"):
        validate_export({"schema_version": 1, "run": {}, "checks": {"3.1": {}}})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "unsupported database 'mysql'"),
        ("not a url at all", "not a database URL"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open database"),
    ],
)
async def test_bad_database_urls_give_one_line(url: str, message: str) -> None:
    with pytest.raises(AuditcrawlError, match=message) as info:
        async with Store(url):
            pass
    assert "\n" not in str(info.value)


async def test_sqlite_uses_wal(tmp_path: Any) -> None:
    async with Store(f"sqlite:///{tmp_path}/w.db") as store, store.engine.connect() as conn:
        mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
    assert mode == "wal"


async def test_an_older_database_is_upgraded_without_losing_data(db_url: str) -> None:
    """A version-1 database (no link.date_hint, a row a link) opens, keeps its runs and their
    links, and takes new links (a row a page)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from auditcrawl.storage import async_url

    async with Store(db_url) as store:
        run_id = await _stored_run(store, "old000000001")
    engine = create_async_engine(async_url(db_url))
    async with engine.begin() as conn:  # turn it back into what version 1 wrote
        await conn.exec_driver_sql("DROP TABLE page_links")
        await conn.exec_driver_sql(
            "INSERT INTO link (run_id, from_url, to_url, anchor, region) VALUES "
            "('old000000001', 'https://p.com/', 'https://p.com/case-studies/a', 'Case A', 'main')"
        )
        await conn.exec_driver_sql("ALTER TABLE link DROP COLUMN date_hint")
        await conn.exec_driver_sql("ALTER TABLE page DROP COLUMN rendered")
        await conn.exec_driver_sql("ALTER TABLE page DROP COLUMN render_reason")
        await conn.exec_driver_sql("ALTER TABLE page DROP COLUMN size")
        await conn.exec_driver_sql("ALTER TABLE page DROP COLUMN warc_record_id")
        await conn.exec_driver_sql("ALTER TABLE check_result DROP COLUMN extra")
        for column in ("status", "webhook", "claims"):
            await conn.exec_driver_sql(f"ALTER TABLE applicant DROP COLUMN {column}")
        await conn.exec_driver_sql("ALTER TABLE schedule DROP COLUMN every")
        await conn.exec_driver_sql("ALTER TABLE check_result DROP COLUMN tool_status")
        await conn.exec_driver_sql("DROP TABLE decision")
        await conn.exec_driver_sql("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    await engine.dispose()
    async with Store(db_url) as store:
        assert [r.id for r in await store.list_runs()] == [run_id]
        await _stored_run(store, "new000000002")
        assert await store.run_links(run_id) == [
            Edge("https://p.com/", "https://p.com/case-studies/a", "Case A", "main")
        ]
        assert await store.run_links("new000000002") == [
            Edge("https://p.com/", "https://p.com/case-studies/a", "Case A", "main")
        ]
        async with store.engine.connect() as conn:
            version = (await conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
            legacy_rows = (
                await conn.exec_driver_sql("SELECT count(*) FROM link WHERE run_id = 'new000000002'")
            ).scalar()
    assert version == "9" and legacy_rows == 0
