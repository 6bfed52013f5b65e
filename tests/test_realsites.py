"""Verdicts on the six real company websites of ../shared/realsites-dev, against an auditor's labels.

The figures bench/realsites.py prints, held as a floor: every verdict one the labels accept, no
`met` where the auditor says `not_met`, at least 15 of the 18 exactly the auditor's, and no page
that could be a check's evidence left unread within the radius; each run, read back from storage and
judged again (what an auditor's decision recomputes), gives the same verdicts."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "realsites-dev"
pytestmark = [pytest.mark.corpus, pytest.mark.integration]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_realsites", ROOT / "bench" / "realsites.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_realsites_verdicts_within_the_labels() -> None:
    if not DATA.is_dir():
        pytest.skip(f"the shared real-site set is absent: no folder {DATA}")
    bench = _bench()
    manifest = json.loads((DATA / "MANIFEST.json").read_text())
    labels = json.loads((DATA / "LABELS.json").read_text())
    verdicts = []
    for entry in manifest:
        run = asyncio.run(bench.audit_site(DATA, entry, labels[entry["name"]], None))
        unread = {check: urls for check, urls in run.coverage["unread"].items() if urls}
        assert not unread, f"{entry['name']}: pages that could be evidence were not read: {unread}"
        assert run.judged_again_differs == [], f"{entry['name']}: judged again from storage, verdicts differ"
        verdicts += run.verdicts
    table = "\n".join(f"{v.site} {v.check}: {v.status} (auditor: {v.label})" for v in verdicts)
    assert [v for v in verdicts if v.false_met] == [], table
    assert all(v.acceptable for v in verdicts), table
    assert sum(v.exact for v in verdicts) >= 15, table
