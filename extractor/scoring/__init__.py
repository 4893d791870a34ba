"""The eval engine: score records against goldens, aggregate, report and compare runs.

goldens → match (one cell) → metrics (a config) → runs (on disk, diff, gate) → report.
"""

from __future__ import annotations

from .configs import (
    EvalConfig,
    LLMOptions,
    Thresholds,
    load_configs,
    load_thresholds,
    run_config,
    select_configs,
)
from .goldens import Golden, load_golden, load_goldens
from .lint import GoldenProblem, check_golden, check_goldens
from .match import CellScore, DocumentScore, Verdict, score_cell, score_record, values_equal
from .metrics import (
    CalibrationBucket,
    EvalResult,
    Metrics,
    calibration,
    calibration_pairs,
    compute_metrics,
    evaluate_records,
    usage_of,
)
from .report import plot_accuracy_vs_cost, to_markdown, write_report
from .runs import (
    Run,
    RunDiff,
    check_thresholds,
    diff_results,
    diff_runs,
    load_records,
    load_run,
    save_run,
    write_records,
)

__all__ = [
    "CalibrationBucket", "CellScore", "DocumentScore", "EvalConfig", "EvalResult",
    "Golden", "GoldenProblem", "LLMOptions", "Metrics", "Verdict", "Run",
    "RunDiff", "Thresholds", "calibration", "calibration_pairs", "check_golden",
    "check_goldens", "check_thresholds", "compute_metrics", "diff_results", "diff_runs",
    "evaluate_records", "load_configs", "load_golden", "load_goldens",
    "load_records", "load_run", "load_thresholds", "run_config", "plot_accuracy_vs_cost", "save_run",
    "score_cell", "score_record", "select_configs", "to_markdown", "usage_of", "values_equal",
    "write_records", "write_report",
]
