"""Golden lint: edition cells, value types and identities, on small hand-written goldens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import GOLDENS

from extractor.cli.golden import golden_group
from extractor.errors import ConfigError
from extractor.scoring import Golden, check_goldens, load_golden
from extractor.scoring.goldens import golden_json_schema
from extractor.template import cells_for

BUNDLED = GOLDENS


def zeros_2021() -> dict[str, Any]:
    """A 2021-edition golden where every count is 0: every identity holds."""
    cells: dict[str, Any] = {c: 0 for c in cells_for("2021")}
    cells.update({"meta.agency": "某市教育局", "meta.year": 2022, "meta.template": "2021"})
    return {"document": "zeros.txt", "cells": cells, "notes": ""}


def write(tmp: Path, golden: dict[str, Any], name: str = "zeros.json") -> Path:
    path = tmp / name
    path.write_text(json.dumps(golden, ensure_ascii=False), "utf-8")
    return path


def problems(tmp: Path) -> list[tuple[str | None, str]]:
    return [(p.cell, p.message) for ps in check_goldens(tmp).values() for p in ps]


def test_all_zero_golden_is_clean(tmp_path: Path) -> None:
    write(tmp_path, zeros_2021())
    assert check_goldens(tmp_path) == {str(tmp_path / "zeros.json"): []}


def test_broken_cell_fails_its_identities(tmp_path: Path) -> None:
    g = zeros_2021()
    g["cells"]["t3.new.natural_person"] = 3
    write(tmp_path, g)
    found = problems(tmp_path)
    # the row's 总计 and the natural_person column's balance no longer add up
    assert [cell for cell, _ in found] == ["t3.new.total", "t3.new.natural_person"]
    assert "三 new: 总计 = 六类申请人之和: 0 vs 3 — FAILS" in found[0][1]
    assert "一 + 二 = （七）总计 + 四: 3 vs 0 — FAILS" in found[1][1]


@pytest.mark.parametrize("notes", [
    "The source is inconsistent: 总计 0 but 自然人 3.",
    "Source inconsistent; copied as printed.",
    "t3.new.total is printed as 0 although the row holds 3; the identity fails in the source, "
    "and t3.new.natural_person is inconsistent with the balance as printed.",
])
def test_acknowledged_identity_failure_is_ok(tmp_path: Path, notes: str) -> None:
    g = zeros_2021()
    g["cells"]["t3.new.natural_person"] = 3
    g["notes"] = notes
    write(tmp_path, g)
    assert problems(tmp_path) == []


def test_unrelated_notes_do_not_excuse(tmp_path: Path) -> None:
    g = zeros_2021()
    g["cells"]["t3.new.natural_person"] = 3
    g["notes"] = "Identities hold for section 四."
    write(tmp_path, g)
    assert len(problems(tmp_path)) == 2


def test_null_cells_are_not_checkable_not_failing(tmp_path: Path) -> None:
    g = zeros_2021()
    g["cells"]["t3.total.total"] = None
    write(tmp_path, g)
    assert problems(tmp_path) == []


def test_cells_and_types(tmp_path: Path) -> None:
    g = zeros_2021()
    del g["cells"]["t4.review.total"]
    g["cells"]["t2.procurement.items"] = 0          # a 2019-edition cell
    g["cells"]["t3.new.bogus"] = 0                 # not a cell at all
    g["cells"]["t3.granted.commercial"] = 1.0      # a count as float
    g["cells"]["t3.granted.research"] = -1         # negative count
    g["cells"]["t2.fees.amount"] = "7万元"          # amount as text
    g["cells"]["meta.agency"] = 12
    g["cells"]["meta.year"] = "2022"
    write(tmp_path, g)
    found = dict(problems(tmp_path))
    assert found["t4.review.total"].startswith("missing")
    assert found["t2.procurement.items"] == "belongs to the other edition"
    assert found["t3.new.bogus"] == "is not a cell of cells.csv"
    assert found["t3.granted.commercial"] == "should be an int, not float 1.0"
    assert found["t3.granted.research"] == "is negative (-1); counts cannot be"
    assert found["t2.fees.amount"] == "should be a number in 万元, not '7万元'"
    assert found["meta.agency"] == "should be a string, not int 12"
    assert found["meta.year"] == "should be an int, not str '2022'"


def test_amounts_and_nulls_accepted(tmp_path: Path) -> None:
    g = zeros_2021()
    g["cells"]["t2.fees.amount"] = 3.65
    g["cells"]["meta.agency"] = None
    g["cells"]["t2.licensing.decisions"] = None
    write(tmp_path, g)
    assert problems(tmp_path) == []


def test_bad_template_and_bad_file(tmp_path: Path) -> None:
    g = zeros_2021()
    g["cells"]["meta.template"] = "2020"
    write(tmp_path, g)
    write(tmp_path, {**zeros_2021(), "reviewer": "me"}, "extra.json")
    found = check_goldens(tmp_path)
    assert [p.message for p in found[str(tmp_path / "zeros.json")]] == [
        "is '2020'; expected one of 2019, 2021, so the edition's cells cannot be checked"]
    (extra,) = found[str(tmp_path / "extra.json")]
    assert "reviewer: Extra inputs are not permitted" in extra.message


def test_golden_model_forbids_extras_and_bools(tmp_path: Path) -> None:
    path = write(tmp_path, {**zeros_2021(), "cells": {"t3.new.total": True}})
    with pytest.raises(ConfigError, match="cells.t3.new.total"):
        load_golden(path)


def test_file_name_must_match_document(tmp_path: Path) -> None:
    write(tmp_path, zeros_2021(), "other.json")
    assert problems(tmp_path) == [(None, "file name does not match its document zeros.txt")]


def test_bundled_goldens_are_clean() -> None:
    assert {p: ps for p, ps in check_goldens(BUNDLED).items() if ps} == {}


def test_cli_exit_codes(tmp_path: Path) -> None:
    write(tmp_path, zeros_2021())
    res = CliRunner().invoke(golden_group, ["check", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "1 goldens, 0 with problems" in res.output
    g = zeros_2021()
    g["cells"]["t4.review.total"] = 2
    write(tmp_path, g)
    res = CliRunner().invoke(golden_group, ["check", str(tmp_path)])
    assert res.exit_code == 1
    assert "t4.review.total: identity 四 review" in res.output
    assert "1 goldens, 1 with problems" in res.output


def test_the_committed_golden_schema_is_made_from_the_model() -> None:
    committed = json.loads((GOLDENS / "schema.json").read_text("utf-8"))
    assert committed == golden_json_schema(), "regenerate it: nianbao golden schema"


def test_the_golden_schema_refuses_what_the_model_refuses() -> None:
    schema = golden_json_schema()
    good = json.loads((GOLDENS / "000_c177902358b96c63.json").read_text("utf-8"))
    jsonschema.validate(good, schema)
    for bad in ({**good, "extra": 1}, {**good, "cells": {"t3.new": 1}}, {**good, "cells": {"meta.year": [2022]}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
        with pytest.raises(ValueError):
            Golden.model_validate(bad)
