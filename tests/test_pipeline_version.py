"""PIPELINE_VERSION moves with the outputs, so that a resumed batch redoes records an older pipeline made.

The records of a fixed set of reference documents (the seeds, every web
layout of them, and some of them cut off) are hashed; a change to any of them must come with a bump of
``PIPELINE_VERSION`` in extractor/records.py, recorded here with
``python tests/test_pipeline_version.py --update``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from conftest import DOCS, SEEDS, load_golden

from extractor.config import Settings
from extractor.pipeline import extract_bytes, extract_file
from extractor.records import PIPELINE_VERSION, Record
from extractor.render import WEB_LAYOUTS, render_web
from extractor.render.cut import cuttable

REFERENCE = Path(__file__).with_name("pipeline_outputs.json")
NOT_OUTPUTS = {"seconds", "path", "fingerprint"}
"""Where and how fast it ran, and what with: not what the record says."""


def reference_records() -> list[Record]:
    settings = Settings()
    records = [extract_file(DOCS / doc, settings) for doc in SEEDS]
    for doc in SEEDS:
        for name, spec in WEB_LAYOUTS.items():
            records.append(extract_bytes(render_web(load_golden(doc), spec), f"{doc[:3]}-{name}{spec.suffix}"))
        for name in ("tab", "lines", "lines_dropped", "crawler_flat"):  # and cut off at fixed places
            document = cuttable(load_golden(doc), name)
            for at in range(len(document.doc.text) // 5, len(document.doc.text), len(document.doc.text) // 5):
                records.append(extract_bytes(document.cut(at).data, f"{doc[:3]}-{name}-cut{at}.txt"))
    return records


def outputs_sha256() -> str:
    digest = hashlib.sha256()
    for record in reference_records():
        digest.update(record.model_dump_json(exclude=NOT_OUTPUTS).encode() + b"\n")
    return digest.hexdigest()


def test_outputs_change_only_with_the_pipeline_version() -> None:
    stored = json.loads(REFERENCE.read_text("utf-8"))
    update = "python tests/test_pipeline_version.py --update"
    assert stored["pipeline_version"] == PIPELINE_VERSION, (
        f"PIPELINE_VERSION is {PIPELINE_VERSION} but the outputs were recorded under "
        f"{stored['pipeline_version']}: record them with {update}")
    assert outputs_sha256() == stored["sha256"], (
        "the records of the reference documents changed: bump PIPELINE_VERSION in extractor/records.py "
        f"(so resumed batches redo records made before), then {update}")


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    REFERENCE.write_text(json.dumps({"pipeline_version": PIPELINE_VERSION, "sha256": outputs_sha256()},
                                    indent=2) + "\n", "utf-8")
    print(f"recorded the outputs of pipeline version {PIPELINE_VERSION} in {REFERENCE}")
