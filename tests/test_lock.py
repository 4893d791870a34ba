"""requirements.lock pins what pyproject.toml asks for: every requirement of the core and the
llm, serve, plots, cluster, parquet, ocr, all and dev extras has a pinned version there that its specifier allows."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REGENERATE = ("pip-compile --extra=all --extra=dev --no-emit-find-links --no-emit-index-url "
              "--output-file=requirements.lock --strip-extras pyproject.toml")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text("utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if found:
            pins[canonicalize_name(found.group(1))] = found.group(2)
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = [*project["dependencies"]]
    for extra in ("llm", "serve", "plots", "cluster", "parquet", "ocr", "all", "dev"):
        wanted += project["optional-dependencies"][extra]
    return [r for r in map(Requirement, wanted) if canonicalize_name(r.name) != "nianbao"]


def test_the_lock_pins_every_requirement_within_its_specifier() -> None:
    pins = _pins()
    assert len(pins) > 50, "requirements.lock pins nothing"
    unpinned = [str(r) for r in _requirements() if canonicalize_name(r.name) not in pins]
    assert not unpinned, f"not in requirements.lock: {unpinned}; regenerate it: {REGENERATE}"
    outside = [f"{r} (locked {pins[canonicalize_name(r.name)]})" for r in _requirements()
               if not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)]
    assert not outside, f"the lock is older than pyproject.toml: {outside}; regenerate it: {REGENERATE}"


def test_all_is_llm_serve_plots_cluster_parquet_and_ocr() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    parts = ("llm", "serve", "plots", "cluster", "parquet", "ocr")
    assert sorted(extras["all"]) == sorted(req for extra in parts for req in extras[extra])


def test_the_lock_names_no_machine_of_ours() -> None:
    text = (ROOT / "requirements.lock").read_text("utf-8")
    assert "--find-links" not in text and "--extra-index-url" not in text and "--index-url" not in text
