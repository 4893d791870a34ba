"""The eval of the witnesses: narrative agreement on the goldens, corruptions the identities miss and the
narrative catches, and the cross-year check on a rendered series (no flag clean, every break caught)."""

from __future__ import annotations

from pathlib import Path

from extractor.corruptions import coherent_corruptions
from extractor.identities import check_all
from extractor.render.series_study import series_study
from extractor.scoring.goldens import load_goldens
from extractor.scoring.witnesses import corruption_study, narrative_agreement

ROOT = Path(__file__).parents[2]
GOLDENS = load_goldens(ROOT / "goldens")
DOCS = ROOT / "goldens" / "docs"


def test_the_reader_finds_every_statement_the_goldens_record_by_hand() -> None:
    a = narrative_agreement(DOCS, GOLDENS)
    assert a.documents == 3 and a.stated == 11
    assert a.found == a.stated and a.extra == 0
    assert a.checkable == 11 and a.agreeing == 10
    # 004 states 按时办结 4个 while its (cut-off) table already grants 5: the report disagrees with itself
    assert a.disagreeing == ["004_fb0219a4b427aef6.txt: t3.granted.total+… (21 cells) stated 4, table at least 5"]


def test_coherent_corruptions_keep_every_identity() -> None:
    for golden in GOLDENS.values():
        edition = golden.edition
        assert edition is not None
        clean = {r.identity.name for r in check_all(edition, golden.cells) if r.holds is False}
        for corruption in coherent_corruptions(dict(golden.cells), edition):
            failing = {r.identity.name for r in check_all(edition, corruption.cells) if r.holds is False}
            assert failing == clean, corruption.name
            assert corruption.cells != golden.cells


def test_the_narrative_catches_what_the_identities_cannot() -> None:
    study = corruption_study(DOCS, GOLDENS)
    assert study.coherent.injected > 30 and study.coherent.by_identities == 0
    assert study.coherent.by_narrative_only >= 13
    assert study.single.by_identities >= 29 and study.single.missed_by_both == 0


def test_the_series_raises_no_flag_clean_and_flags_every_corruption_that_breaks_a_witness() -> None:
    for seed in (1, 2):
        s = series_study(seed)
        assert s.flags_on_clean == []
        assert s.breaking >= 20 and s.caught == s.breaking, s.missed
