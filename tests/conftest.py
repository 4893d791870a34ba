from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDENS = ROOT / "goldens"
DOCS = GOLDENS / "docs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = sorted(p.name for p in DOCS.glob("*.txt"))


def load_golden(doc: str) -> dict[str, object]:
    return json.loads((GOLDENS / (Path(doc).stem + ".json")).read_text("utf-8"))["cells"]


def same(got: object, want: object) -> bool:
    if isinstance(got, int | float) and isinstance(want, int | float):
        return abs(got - want) < 1e-6
    return got == want


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user state or NIANBAO_* setting leaks into a test."""
    import os

    for key in list(os.environ):
        if key.startswith("NIANBAO_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[Any]:
    """A Dask scheduler and two worker processes of one thread each on 127.0.0.1 (nannies restart them)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, worker_dashboard_address=None) as local:
        yield local


def require_tool(found: object, why: str) -> None:
    """A test that needs an outside tool (chromium, LibreOffice): skipped on a machine without it,
    failed in CI (``CI`` set), where .ci/run installs it — so a broken install is never a skip."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test: {why}")
    pytest.skip(why)


def seed_doc(prefix: str) -> str:
    """The seed document whose name starts with ``prefix`` (e.g. ``"003"``)."""
    return next(doc for doc in SEEDS if doc.startswith(prefix))


def silent_errors(record: Any, want: Mapping[str, object]) -> list[tuple[str, object, object]]:
    """(cell, got, wanted) for every cell that is wrong and carries no flag; a cell missing from the
    record is silent too."""
    return [(cid, record.cells[cid].value if cid in record.cells else "missing", v) for cid, v in want.items()
            if cid not in record.cells or (not same(record.cells[cid].value, v) and not record.cells[cid].flags)]
