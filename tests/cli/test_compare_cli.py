"""``nianbao extract`` checks a multi-year batch across years; ``nianbao check`` and ``nianbao compare`` on
the records written: flags in the file, the table, the CSV and the chart."""

from __future__ import annotations

import builtins
import json
import random
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.corruptions import coherent_corruptions
from extractor.render.series import agency_series, render_stated

AGENCY = "示例市交通运输局"


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    """Five years of one agency, the 2023 table with a carried-over request misread as new."""
    rng = random.Random(4)
    series = agency_series(rng, AGENCY, 2021, 5)
    moved = next(c for c in coherent_corruptions(series[2], "2021") if c.name.startswith("t3.carried_over"))
    folder = tmp_path / "reports"
    folder.mkdir()
    for i, truth in enumerate(series):
        table = moved.cells if i == 2 else truth
        (folder / f"{truth['meta.year']}.txt").write_bytes(render_stated(table, truth, rng))
    out = tmp_path / "results.jsonl"
    result = CliRunner().invoke(main, ["extract", str(folder), "-o", str(out), "--workers", "0"])
    assert result.exit_code == 0, result.output
    assert "cross-year check" in result.output
    return out


def flags_of(out: Path) -> dict[str, dict[str, list[str]]]:
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    return {r["document"]: {k: c["flags"] for k, c in r["cells"].items() if c["flags"]} for r in records}


def test_extract_checks_the_batch_across_years_and_check_is_idempotent(batch: Path) -> None:
    flags = flags_of(batch)
    assert "cross_year_mismatch" in flags["2023.txt"]["t3.carried_over.natural_person"]
    assert "cross_year_mismatch" in flags["2022.txt"]["t3.carried_forward.natural_person"]
    assert "narrative_mismatch" in flags["2023.txt"]["t3.carried_over.total"]
    assert flags["2021.txt"] == {} and flags["2025.txt"] == {}
    before = batch.read_text("utf-8")
    result = CliRunner().invoke(main, ["check", str(batch)])
    assert result.exit_code == 0, result.output
    assert batch.read_text("utf-8") == before


def test_compare_prints_the_table_writes_the_csv_and_the_chart(batch: Path, tmp_path: Path) -> None:
    csv_path, png = tmp_path / "series.csv", tmp_path / "series.png"
    result = CliRunner().invoke(main, ["compare", str(batch), "--agency", AGENCY, "--csv", str(csv_path),
                                       "--plot", str(png)], terminal_width=200)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(csv_path)
    assert list(table.columns) == ["agency", "year", "document", "cell", "value", "change", "flags"]
    assert sorted(table["year"].unique()) == [2021, 2022, 2023, 2024, 2025]
    carried = table[(table["cell"] == "t3.carried_over.total")].set_index("year")
    assert set(carried.loc[2023, "flags"].split(";")) == {"narrative_mismatch", "cross_year_mismatch"}
    assert carried["flags"].isna().sum() == 4
    new = table[table["cell"] == "t3.new.total"].set_index("year")["value"]
    assert table[table["cell"] == "t3.new.total"].set_index("year").loc[2022, "change"] == new[2022] - new[2021]
    import matplotlib.image

    pixels = matplotlib.image.imread(png)
    assert pixels.shape[0] >= 300 and pixels.shape[1] >= 600
    assert pixels[..., :3].std() > 0.05  # lines and text, not a blank canvas


def test_compare_names_the_agencies_when_the_one_asked_for_is_not_there(batch: Path) -> None:
    result = CliRunner().invoke(main, ["compare", str(batch), "--agency", "不存在的局"])
    assert result.exit_code == 2
    assert AGENCY in result.output


def test_compare_plot_without_matplotlib_says_which_extra(batch: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    result = CliRunner().invoke(main, ["compare", str(batch), "--agency", AGENCY, "--plot",
                                       str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert "pip install 'nianbao[plots]'" in result.output
    assert not (tmp_path / "x.png").exists()
