"""Commands for the auditor's record of a run: report, bundle, verify, show."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ._cli_common import ConfigOpt, DbOpt, app, check_writable, load_exports, out, settings_from, write_text
from ._terminal import print_verdicts
from .bundle import verify_bundle, write_bundle
from .report import render_report

__all__ = ["bundle", "report", "show", "verify"]


@app.command()
def report(
    run_id: Annotated[str, typer.Argument(metavar="RUN_ID")],
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="HTML file (default: auditcrawl-report-RUN_ID.html here).", show_default=False),
    ] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write a self-contained HTML report of a run (works offline, prints to PDF)."""
    if out_file is not None:
        check_writable(out_file)
    (document,) = load_exports(settings_from(config, db=db), run_id)
    target = out_file or Path(f"auditcrawl-report-{document['run']['id']}.html")
    write_text(target, render_report(document))
    out.print(f"report written to {target}")


@app.command()
def bundle(
    run_id: Annotated[str, typer.Argument(metavar="RUN_ID")],
    out_file: Annotated[Path, typer.Option("--out", help="The zip file to write.", show_default=False)],
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write the evidence bundle: JSON export, HTML report, WARC, screenshots and a hashed manifest."""
    check_writable(out_file)
    (document,) = load_exports(settings_from(config, db=db), run_id)
    manifest = write_bundle(document, render_report(document), out_file)
    out.print(f"bundle written to {out_file}: {len(manifest['files'])} files")
    for missing in manifest["missing"]:
        out.print(Text(f"  missing (not on this machine): {missing}", style="yellow"))


@app.command()
def verify(bundle_file: Annotated[Path, typer.Argument(metavar="FILE.zip")]) -> None:
    """Recompute the hashes of an evidence bundle. Exit 1 on any mismatch."""
    manifest, problems = verify_bundle(bundle_file)
    for problem in problems:
        out.print(Text(f"MISMATCH {problem}", style="bold red"))
    if problems:
        raise typer.Exit(1)
    out.print(f"OK: {len(manifest['files'])} files of run {manifest['run_id']} match the manifest")


@app.command()
def show(run_id: Annotated[str, typer.Argument(metavar="RUN_ID")], db: DbOpt = None, config: ConfigOpt = None) -> None:
    """The verdict cards of a run, in the terminal."""
    print_verdicts(out, load_exports(settings_from(config, db=db), run_id)[0])
