"""The year-over-year chart: a ``Comparison`` → a PNG of its main series (matplotlib, the ``plots`` extra)."""

from __future__ import annotations

import logging
import re
import warnings
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MissingExtra
from .compare import MAIN_SERIES, Comparison

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CJK_FONTS = ("WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei",
             "PingFang SC")
"""Tried in turn for the agency's name and row labels; matplotlib falls back to DejaVu (boxes) without one."""
_CJK_FILES = re.compile(r"wqy|cjk|sourcehan|simhei|msyh|pingfang|notosanssc|droidsansfallback", re.I)
LABELS = {"t3.new.total": "new requests (本年新收)", "t3.total.total": "handled (办理结果总计)",
          "t3.carried_forward.total": "carried forward (结转下年度)"}


def plot_comparison(comparison: Comparison, path: Path, cells: tuple[str, ...] = MAIN_SERIES) -> None:
    """Draw one line per cell over the years; a flagged point is ringed in red."""
    try:
        from matplotlib import rc_context
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise MissingExtra.of(exc, "the year-over-year chart (--plot)") from exc
    with rc_context({"font.sans-serif": [*_cjk_families(), "DejaVu Sans"]}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")  # no CJK font: boxes
        fonts_log = logging.getLogger("matplotlib.font_manager")
        level = fonts_log.level
        fonts_log.setLevel(logging.ERROR)  # "weight normal not found, using 500" for every label
        try:
            _draw(Figure(figsize=(8, 4.5), dpi=100), comparison, cells, path)
        finally:
            fonts_log.setLevel(level)


@cache
def _cjk_families() -> list[str]:
    """The CJK fonts matplotlib can use; its font list skips .ttc collections (WenQuanYi), so system fonts
    named like a CJK font are added to it once."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known & set(CJK_FONTS):
        for found in font_manager.findSystemFonts():
            if _CJK_FILES.search(Path(found).name):
                try:
                    font_manager.fontManager.addfont(found)
                except (OSError, RuntimeError, ValueError):
                    continue
        known = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FONTS if f in known]


def _draw(figure: Figure, comparison: Comparison, cells: tuple[str, ...], path: Path) -> None:
    ax = figure.add_subplot()
    years = list(comparison.years)
    for cell in [c for c in cells if c in comparison.points] or list(comparison.cells[:3]):
        points = comparison.points[cell]
        values = [float(p.value) if isinstance(p.value, int | float) else float("nan") for p in points]
        ax.plot(years, values, marker="o", label=LABELS.get(cell, cell))
        flagged = [(y, v) for y, v, p in zip(years, values, points, strict=True) if p.flags]
        if flagged:
            ax.scatter([y for y, _ in flagged], [v for _, v in flagged], s=160, facecolors="none",
                       edgecolors="red", linewidths=2)
    ax.set_xticks(years)
    ax.set_xlabel("year")
    ax.set_ylabel("requests")
    ax.set_title(f"{comparison.agency}: requests by year (red rings: flagged)")
    ax.grid(True, alpha=0.3)
    ax.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
