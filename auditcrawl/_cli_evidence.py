"""Commands for the auditor's record of a run: report, bundle, verify, show."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ._cli_common import (
    ConfigOpt,
    DbOpt,
    app,
    check_writable,
    load_exports,
    out,
    run_async,
    settings_from,
    write_bytes,
    write_text,
)
from ._terminal import print_verdicts
from .bundle import verify_bundle, write_evidence_bundle
from .report import render_report, report_pdf, report_pdf_or_why
from .wacz import is_wacz, verify_wacz, write_wacz

__all__ = ["bundle", "report", "show", "verify"]


@app.command()
def report(
    run_id: Annotated[str, typer.Argument(metavar="RUN_ID")],
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="HTML file (default: auditcrawl-report-RUN_ID.html here).", show_default=False),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Print it to PDF through Chromium (A4, for the record).")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write a self-contained HTML report of a run (works offline), or with --pdf its PDF."""
    if out_file is not None:
        check_writable(out_file)
    settings = settings_from(config, db=db)
    (document,) = load_exports(settings, run_id)
    target = out_file or Path(f"auditcrawl-report-{document['run']['id']}.{'pdf' if pdf else 'html'}")
    if pdf:
        write_bytes(target, run_async(report_pdf(document, settings.crawl.browser_path)))
    else:
        write_text(target, render_report(document))
    out.print(f"report written to {target}")


@app.command()
def bundle(
    run_id: Annotated[str, typer.Argument(metavar="RUN_ID")],
    out_file: Annotated[
        Path, typer.Option("--out", help="The file to write (FILE.zip, or FILE.wacz with --wacz).", show_default=False)
    ],
    wacz: Annotated[
        bool, typer.Option("--wacz", help="Write the run's WACZ package (for ReplayWeb.page) instead of the zip.")
    ] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write the evidence bundle: JSON export, HTML report, WARC, WACZ, screenshots and a hashed manifest."""
    check_writable(out_file)
    settings = settings_from(config, db=db)
    (document,) = load_exports(settings, run_id)
    if wacz:
        pages = write_wacz(document, out_file)
        out.print(f"WACZ written to {out_file}: {pages} pages, evidence first")
        return
    pdf = run_async(report_pdf_or_why(document, settings.crawl.browser_path))
    manifest = write_evidence_bundle(
        document, lambda source: render_report(document, replay_source=source), out_file, pdf=pdf
    )
    out.print(f"bundle written to {out_file}: {len(manifest['files'])} files")
    for missing in manifest["missing"]:
        out.print(Text(f"  missing (not on this machine): {missing}", style="yellow"))


@app.command()
def verify(bundle_file: Annotated[Path, typer.Argument(metavar="FILE.zip|FILE.wacz")]) -> None:
    """Recompute the hashes of an evidence bundle or a WACZ (and its WARC digests). Exit 1 on any mismatch."""
    if is_wacz(bundle_file):
        datapackage, problems = verify_wacz(bundle_file)
        checked = f"{len(datapackage.get('resources', []))} files of the WACZ package and its WARC record digests"
    else:
        manifest, problems = verify_bundle(bundle_file)
        checked = f"{len(manifest.get('files', []))} files of run {manifest.get('run_id')} match the manifest"
        verdicts = manifest.get("verdicts") or {}
        if verdicts:
            shown = [
                f"{c} {v['status']}"
                + (f" (the crawl alone: {v['tool_status']})" if v["tool_status"] != v["status"] else "")
                for c, v in verdicts.items()
            ]
            checked += f"; {', '.join(shown)}; {manifest.get('decisions', 0)} decision(s) on record"
    for problem in problems:
        out.print(Text(f"MISMATCH {problem}", style="bold red"))
    if problems:
        raise typer.Exit(1)
    out.print(f"OK: {checked}")


@app.command()
def show(run_id: Annotated[str, typer.Argument(metavar="RUN_ID")], db: DbOpt = None, config: ConfigOpt = None) -> None:
    """The verdict cards of a run, in the terminal."""
    print_verdicts(out, load_exports(settings_from(config, db=db), run_id)[0])
