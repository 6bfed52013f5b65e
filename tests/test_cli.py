"""The command line as an auditor runs it: real processes, real servers, real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from auditcrawl.storage import validate_export

from .sites import AS_OF, classic_site, text

BIN = Path(sys.executable).parent / "auditcrawl"
pytestmark = pytest.mark.integration  # every test here runs the CLI as a process


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=full_env, timeout=timeout, stdin=subprocess.DEVNULL
    )


def test_console_script_is_installed() -> None:
    assert BIN.exists() or shutil.which("auditcrawl"), "the auditcrawl console script is missing: run `make test`"


def test_demo_meets_all_three_with_evidence(tmp_path: Path) -> None:
    result = run("demo", "--db", f"sqlite:///{tmp_path}/demo.db", "--json", str(tmp_path / "demo.json"))
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "demo.json").read_text())
    validate_export(document)
    assert [document["checks"][c]["status"] for c in ("3.1", "2.2", "3.2")] == ["met", "met", "met"]
    assert all(document["checks"][c]["evidence"] for c in ("3.1", "2.2", "3.2"))
    table = [line for line in result.stdout.splitlines() if line.startswith("│ 3.") or line.startswith("│ 2.")]
    assert len(table) == 3 and all("│ met" in line for line in table)
    assert "/industries/manufacturing/" in result.stdout and "path: / > " in result.stdout
    coverage = document["run"]["coverage"]  # the radius as the terminal and the export report it
    assert f"coverage: {coverage['summary']}" in result.stdout and coverage["radius"] == 4
    run_id = document["run"]["id"]
    assert f"http://127.0.0.1:8000/runs/{run_id}" in result.stdout  # where to open it in the workspace


def test_crawl_export_and_runs_agree(serve: Any, tmp_path: Path) -> None:
    server = serve(classic_site())
    db, out = f"sqlite:///{tmp_path}/a.db", tmp_path / "run.json"
    result = run(
        "crawl",
        server.url("/?utm_source=mail"),
        "--applicant",
        "Acme Cloud",
        "--as-of",
        AS_OF.isoformat(),
        "--json",
        str(out),
        "--db",
        db,
        "--delay",
        "0",
        "--allow-private",
        "--max-pages",
        "50",
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    validate_export(document)
    assert document["run"]["home_url"] == server.url("/")  # canonical: utm_* removed
    assert document["run"]["applicant"] == "Acme Cloud" and document["run"]["as_of"] == AS_OF.isoformat()
    exported = run("export", document["run"]["id"], "--db", db)
    assert exported.returncode == 0 and json.loads(exported.stdout) == document
    listed = run("runs", "--json", "--db", db, "--applicant", "acme cloud")
    runs = json.loads(listed.stdout)
    assert [r["id"] for r in runs] == [document["run"]["id"]]
    assert runs[0]["checks"] == {"3.1": "met", "2.2": "met", "3.2": "met"}

    # An 80-column terminal: nothing runs past the edge, the run id a user types is there whole,
    # and the completeness table keeps a column per element, explained by a legend.
    narrow = {"COLUMNS": "80"}
    crawl_output = run("show", document["run"]["id"], "--db", db, env=narrow)
    runs_output = run("runs", "--db", db, env=narrow)
    for output in (crawl_output, runs_output):
        assert output.returncode == 0, output.stderr
        too_wide = [line for line in output.stdout.splitlines() if cell_len(line) > 80]
        assert too_wide == [], too_wide
    assert any(line.split()[:1] == [document["run"]["id"]] for line in runs_output.stdout.splitlines())
    header = next(line for line in crawl_output.stdout.splitlines() if "Cust" in line)
    assert header.split() == ["case", "study", "Cust", "Prob", "Sol", "AWS", "Dom", "ISV", "Date", "Out", "≤18m"]
    rows = [line for line in crawl_output.stdout.splitlines() if "/case-studies/" in line and " yes " in line]
    assert len(rows) == 2 and all(len(line.split()) == 10 for line in rows)  # path and nine marks on one line
    assert "Cust: Customer · Prob: Problem" in crawl_output.stdout


def test_environment_variables_configure_the_crawl(serve: Any, tmp_path: Path) -> None:
    server = serve(classic_site())
    env = {
        "AUDITCRAWL_DB": f"sqlite:///{tmp_path}/env.db",
        "AUDITCRAWL_ALLOW_PRIVATE": "1",
        "AUDITCRAWL_DELAY": "0",
        "AUDITCRAWL_AS_OF": AS_OF.isoformat(),
        "AUDITCRAWL_USER_AGENT": "envbot/1.0",
    }
    result = run("crawl", server.url("/"), env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.db").exists()
    assert {ua for _, _, ua in server.requests} == {"envbot/1.0"}


def test_private_destinations_are_refused_without_the_flag(serve: Any, tmp_path: Path) -> None:
    server = serve(classic_site())
    result = run("crawl", server.url("/"), "--db", f"sqlite:///{tmp_path}/p.db", "--json", str(tmp_path / "p.json"))
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "p.json").read_text())
    assert document["run"]["status"] == "failed"
    reasons = " ".join(document["checks"]["3.1"]["reasons"])
    assert (
        "home page unreachable (robots.txt unreachable (refused destination 127.0.0.1: loopback address 127.0.0.1)"
        in reasons
    )
    assert server.requests == []


def test_inspect_prints_one_json_object_per_url(serve: Any, tmp_path: Path) -> None:
    routes = classic_site(**{"/robots.txt": text("User-agent: *\nDisallow: /about/\n")})
    server = serve(routes)
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text(f"# claimed\n{server.url('/about/')}\n")
    given = server.url("/blog/digital-twins-on-aws/?utm_source=x")
    result = run(
        "inspect",
        given,
        server.url("/case-studies/fabrikam-plm/"),
        "--urls-file",
        str(urls_file),
        "--allow-private",
        "--delay",
        "0",
        "--as-of",
        AS_OF.isoformat(),
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in records] == [given, server.url("/case-studies/fabrikam-plm/"), server.url("/about/")]
    post, case, about = records
    assert post["final_url"] == server.url("/blog/digital-twins-on-aws/") and post["status"] == 200
    assert (post["kind"], post["robots"], post["published"]) == ("thought_leadership", "allowed", "2026-05-02")
    assert "operations" in post["categories"] and post["title"] == "Digital twins on AWS | Acme Cloud"
    assert case["kind"] == "case_study" and case["published"] == "2025-11-13"
    assert (about["robots"], about["status"]) == ("disallowed", None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "not a url"], "error: not an absolute http(s) URL: 'not a url'"),
        (["crawl", "ftp://partner.com/"], "error: not an absolute http(s) URL: 'ftp://partner.com/'"),
        (
            ["crawl", "https://partner.com/", "--as-of", "yesterday"],
            "error: --as-of: expected a date YYYY-MM-DD, got 'yesterday'",
        ),
        (
            ["crawl", "https://partner.com/", "--render", "maybe"],
            "error: render must be one of auto, never, always, got 'maybe'",
        ),
        (
            ["crawl", "https://partner.com/", "--json", "/nonexistent/dir/out.json"],
            "error: /nonexistent/dir/out.json: folder /nonexistent/dir does not exist",
        ),
        (["crawl", "https://partner.com/", "--bogus"], "error: No such option: --bogus"),
        (["crawl"], "error: give the partner's home page URL (or --resume RUN_ID)"),
        (["crawl", "https://partner.com/", "--db", "mysql://x@y/z"], "error: unsupported database 'mysql'"),
        (
            ["crawl", "https://partner.com/", "--config", "/nonexistent.toml"],
            "error: /nonexistent.toml: config file not found",
        ),
        (["inspect"], "error: give at least one URL, or --urls-file"),
        (
            ["inspect", "--urls-file", "/nonexistent.txt"],
            "error: /nonexistent.txt: cannot read (No such file or directory)",
        ),
        (["export", "ffffffffffff"], "error: no run 'ffffffffffff' in this database"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    if "--db" not in args:
        args = (
            [*args, "--db", f"sqlite:///{tmp_path}/x.db"] if args[0] in ("crawl", "export") and len(args) > 1 else args
        )
    result = run(*args, env={"AUDITCRAWL_DB": f"sqlite:///{tmp_path}/x.db"})
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message), lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_home_page_server_gone_still_exits_0_with_needs_review(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run(
        "crawl",
        f"http://127.0.0.1:{port}/",
        "--allow-private",
        "--db",
        f"sqlite:///{tmp_path}/g.db",
        "--json",
        str(tmp_path / "g.json"),
        env={"AUDITCRAWL_DELAY": "0"},
    )
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "g.json").read_text())
    assert document["run"]["status"] == "failed"
    assert {document["checks"][c]["status"] for c in ("3.1", "2.2", "3.2")} == {"needs_review"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("c.json", "{not json", "not valid JSON (line 1: Expecting property name enclosed in double quotes)"),
        ("c.toml", "case_studies = [", "not valid TOML"),
        (
            "c.json",
            '["https://partner.com/a"]',
            "expected an object with landing_page, case_studies, thought_leadership",
        ),
        (
            "c.json",
            '{"case_study": []}',
            "unknown field 'case_study' (expected landing_page, case_studies, thought_leadership)",
        ),
        ("c.json", '{"case_studies": "https://partner.com/a"}', "case_studies: expected a list of URLs, got str"),
        (
            "c.json",
            '{"case_studies": ["https://partner.com/a", "see attached"]}',
            "case_studies[1]: not an absolute http(s) URL: 'see attached'",
        ),
        ("c.json", '{"landing_page": 42}', "landing_page: expected a URL string, got int"),
        (
            "c.json",
            '{"landing_page": "https://other-partner.com/industry"}',
            "landing_page: 'https://other-partner.com/industry' is not on the partner's site (partner.com)",
        ),
        (
            "c.toml",
            'case_studies = ["ftp://partner.com/a.pdf"]',
            "case_studies[0]: not an absolute http(s) URL: 'ftp://partner.com/a.pdf'",
        ),
    ],
)
def test_malformed_claims_file_exits_2_naming_the_field(tmp_path: Path, name: str, content: str, message: str) -> None:
    claims = tmp_path / name
    claims.write_text(content)
    result = run("crawl", "https://www.partner.com/", "--claims", str(claims), "--db", f"sqlite:///{tmp_path}/c.db")
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [f"error: {claims}: {message}"] or (
        len(lines) == 1 and lines[0].startswith(f"error: {claims}: {message}")
    )


def test_claims_from_toml_are_reported(serve: Any, tmp_path: Path) -> None:
    server = serve(classic_site())
    claims = tmp_path / "claims.toml"
    claims.write_text(
        f'landing_page = "{server.url("/industries/manufacturing/")}"\n'
        f'case_studies = ["{server.url("/case-studies/gone/")}"]\n'
        'thought_leadership = ["http://127.0.0.1:1/webinar"]\n'
    )  # nobody listens on port 1
    out = tmp_path / "claims-run.json"
    result = run(
        "crawl",
        server.url("/"),
        "--claims",
        str(claims),
        "--json",
        str(out),
        "--allow-private",
        "--delay",
        "0",
        "--as-of",
        AS_OF.isoformat(),
        "--db",
        f"sqlite:///{tmp_path}/cl.db",
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    validate_export(document)
    assert [(c["claimed_as"], c["verdict"]) for c in document["claims"]] == [
        ("landing_page", "ok"),
        ("case_study", "not_found"),
        ("thought_leadership", "error"),
    ]
    assert "Applicant claims" in result.stdout
