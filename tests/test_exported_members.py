"""Each package's public API is exactly its __all__, and every name in it exists."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("package", ["auditcrawl", "auditcrawl.crawler", "auditcrawl.rules", "auditcrawl.storage"])
def test_all_names_exist_and_are_public(package: str) -> None:
    module = importlib.import_module(package)
    exported = set(module.__all__)
    assert len(exported) == len(module.__all__), "duplicates in __all__"
    for name in exported:
        assert hasattr(module, name), f"{package}.{name} is listed in __all__ but missing"
    public = {n for n in dir(module) if not n.startswith("_") and not isinstance(getattr(module, n), type(importlib))}
    assert public - exported == set(), f"{package} exposes names outside __all__"


def test_every_error_derives_from_the_one_base() -> None:
    import auditcrawl

    errors = [getattr(auditcrawl, n) for n in auditcrawl.__all__ if n.endswith("Error")]
    assert len(errors) >= 8
    for error in errors:
        assert issubclass(error, auditcrawl.AuditcrawlError)
    assert auditcrawl.UsageError.exit_code == 2 and auditcrawl.InvalidURLError.exit_code == 2
    assert auditcrawl.StorageError.exit_code == 1
