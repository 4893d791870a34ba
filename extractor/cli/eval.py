"""The ``nianbao eval`` commands: parse options, call scoring, render.

Exit codes: 0 fine; 1 a thresholds gate failed; 2 bad options, configs, goldens or records.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import click

from ..errors import NianbaoError
from ..records import Record
from ..scoring.configs import (
    EvalConfig,
    find_configs,
    load_configs,
    load_thresholds,
    run_config,
    select_configs,
)
from ..scoring.goldens import Golden, load_goldens
from ..scoring.metrics import EvalResult, Unscored, evaluate_records
from ..scoring.report import print_diff, print_run, write_report
from ..scoring.runs import (
    RESULT_FILE,
    Run,
    baseline_for,
    check_thresholds,
    diff_runs,
    load_records,
    load_run,
    run_dir_for,
    save_run,
)
from .common import console

log = logging.getLogger(__name__)

_DirPath = click.Path(file_okay=False, path_type=Path)
_FilePath = click.Path(exists=True, dir_okay=False, path_type=Path)


class EvalUsageError(click.ClickException):
    """A NianbaoError met by an eval command: a clean message and exit code 2."""

    exit_code = 2


def _records_name(path: Path) -> str:
    """A config name for a records file: ``records.NAME.jsonl`` → NAME; a run's → its config."""
    stem = path.stem
    if stem.startswith("records."):
        return stem.removeprefix("records.")
    result = path.parent / RESULT_FILE
    if stem == "records" and result.is_file():
        results = load_run(result).results
        if len(results) == 1:
            return results[0].config
    return stem


def _documents(docs: Path, goldens: dict[str, Golden]) -> tuple[list[Path], list[Unscored]]:
    """The files of DOCS that have a golden, and the goldens whose file is not there."""
    if not docs.is_dir():
        raise NianbaoError(f"document folder {docs} does not exist; pass --docs DIR")
    paths = sorted(p for p in docs.iterdir() if p.is_file() and p.name in goldens)
    if not paths:
        raise NianbaoError(f"no document in {docs} has a golden; golden 'document' fields "
                           "must name files of --docs")
    found = {p.name for p in paths}
    absent = [Unscored(document=d, reason=f"not in {docs}") for d in sorted(goldens)
              if d not in found]
    return paths, absent


def _score(name: str, config: EvalConfig | None, records: Sequence[Record],
           goldens: dict[str, Golden], absent: Sequence[Unscored] = ()) -> EvalResult:
    llm = config.llm if config is not None else None
    scored = {d: g for d, g in goldens.items() if d not in {u.document for u in absent}}
    result = evaluate_records(name, records, scored,
                              path=config.path if config is not None else None,
                              price_in=llm.price_in if llm else 0.0,
                              price_out=llm.price_out if llm else 0.0)
    result.unscored.extend(absent)
    return result


def _run(docs: Path, goldens_dir: Path, config_names: Sequence[str], configs_file: Path | None,
         records_files: Sequence[Path], replay: Path | None = None,
         record_to: Path | None = None) -> tuple[list[EvalResult], dict[str, list[Record]]]:
    goldens = load_goldens(goldens_dir)
    configs_file = configs_file or find_configs(goldens_dir)
    known = load_configs(configs_file)
    results: list[EvalResult] = []
    records_by_config: dict[str, list[Record]] = {}
    if records_files:
        use_names = len(config_names) == len(records_files)
        for i, file in enumerate(records_files):
            name = config_names[i] if use_names else _records_name(file)
            records_by_config[name] = load_records(file)
            results.append(_score(name, known.get(name), records_by_config[name], goldens))
        return results, records_by_config
    paths, absent = _documents(docs, goldens)
    for config in select_configs(known, config_names or ("rule",), configs_file):
        records_by_config[config.name] = run_config(config, paths, replay=replay, record_to=record_to)
        results.append(_score(config.name, config, records_by_config[config.name], goldens, absent))
    return results, records_by_config


@click.group("eval", invoke_without_command=True)
@click.option("--docs", type=_DirPath, default=Path("goldens/docs"), show_default=True,
              help="Folder of source documents; those with a golden are extracted.")
@click.option("--goldens", "goldens_dir", type=_DirPath, default=Path("goldens"),
              show_default=True, help="Folder of golden JSON files.")
@click.option("--config", "config_names", multiple=True, metavar="NAME",
              help="Config of eval/configs.toml to run; repeat to compare. [default: rule]")
@click.option("--configs-file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Where configs are defined. [default: eval/configs.toml here, else "
              "beside the goldens folder]")
@click.option("--records", "records_files", type=_FilePath, multiple=True, metavar="FILE.jsonl",
              help="Re-score saved records instead of extracting; repeat to compare.")
@click.option("--out-dir", type=_DirPath, default=Path("eval/runs"), show_default=True,
              help="Runs are saved in OUT_DIR/<timestamp>-<name>/.")
@click.option("--name", default=None, help="Run name. [default: the config names]")
@click.option("--baseline", type=click.Path(exists=True, path_type=Path), default=None,
              metavar="RUN_DIR", help="A saved run to compare against.")
@click.option("--thresholds", type=_FilePath, default=None, metavar="FILE.toml",
              help="Gate file (eval/thresholds.toml); exit 1 when it fails.")
@click.option("--replay", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="Answer LLM calls from recorded replies (tests/recordings).")
@click.option("--record", "record_to", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="DIR", help="Call the model for real and record every reply in DIR.")
@click.pass_context
def eval_cmd(ctx: click.Context, docs: Path, goldens_dir: Path, config_names: tuple[str, ...],
             configs_file: Path | None, records_files: tuple[Path, ...], out_dir: Path,
             name: str | None, baseline: Path | None, thresholds: Path | None,
             replay: Path | None, record_to: Path | None) -> None:
    """Score extraction configs against the goldens, or re-score saved records.

    Prints the configs side by side and saves result.json, report.md,
    errors.jsonl, plot.png and the scored records in a run folder.
    Exit codes: 0 fine, 1 a --thresholds gate failed, 2 bad input.
    """
    if ctx.invoked_subcommand is not None:
        return
    out = console()
    try:
        results, records_by_config = _run(docs, goldens_dir, config_names, configs_file, records_files,
                                    replay, record_to)
        base = load_run(baseline) if baseline is not None else None
        gate = load_thresholds(thresholds) if thresholds is not None else None
    except NianbaoError as exc:
        raise EvalUsageError(exc.message) from exc
    run_name = name or "+".join(r.config for r in results)
    now = datetime.now()
    run = Run(name=run_name, created=now.isoformat(timespec="seconds"),
              docs=None if records_files else str(docs), goldens=str(goldens_dir),
              results=results)
    diff = diff_runs(base, run) if base is not None else None
    print_run(out, run, base)
    if diff is not None:
        print_diff(out, diff)
    run_dir = save_run(run_dir_for(out_dir, run_name, now), run, records_by_config)
    write_report(run_dir, run, base, diff)
    out.print(f"saved {run_dir}")
    if gate is None:
        return
    violations = [v for r in results for v in check_thresholds(r, gate, baseline_for(r, base))]
    for v in violations:
        out.print(f"[red]gate:[/red] {v}", highlight=False)
    if violations:
        ctx.exit(1)
    out.print("[green]gate passed[/green]")


@eval_cmd.command("diff")
@click.argument("run_a", type=click.Path(exists=True, path_type=Path))
@click.argument("run_b", type=click.Path(exists=True, path_type=Path))
def diff_cmd(run_a: Path, run_b: Path) -> None:
    """Cells that got better or worse from RUN_A to RUN_B, and the metric deltas."""
    try:
        a, b = load_run(run_a), load_run(run_b)
    except NianbaoError as exc:
        raise EvalUsageError(exc.message) from exc
    print_diff(console(), diff_runs(a, b))
