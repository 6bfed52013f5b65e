"""The budget for archived page resources: per resource, per run, and what the run's notes say."""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditcrawl.crawler._render import ResourceArchiving
from auditcrawl.settings import CrawlSettings


@pytest.mark.parametrize(
    ("per_resource", "per_run", "taken", "refused", "room", "notes"),
    [
        (100, 1000, [], [], 100, []),  # room for one resource of the cap
        (100, 1000, [400, 400], [], 100, []),
        (100, 1000, [400, 550], [], 50, []),  # less left than one resource may be
        (100, 1000, [500, 500], [], 0, ["budget"]),  # spent: later ones are loaded, not archived
        (100, 1000, [], ["https://p.com/big.png"], 100, ["over 100 bytes"]),
        (100, 1000, [980], ["https://p.com/a.css"], 20, ["budget"]),  # too large for what was left
    ],
)
def test_resource_budget(
    per_resource: int, per_run: int, taken: list[int], refused: list[str], room: int, notes: list[str]
) -> None:
    budget = ResourceArchiving(
        replace(CrawlSettings(), archive_resource_max_bytes=per_resource, archive_resources_max_bytes=per_run)
    )
    for size in taken:
        budget.took(size)
    for url in refused:
        budget.too_large(url, budget.room())
    assert budget.room() == room
    said = budget.notes()
    assert len(said) == len(notes) and all(expected in note for expected, note in zip(notes, said, strict=True)), said
    assert budget.archived == len(taken) and budget.bytes == sum(taken)
