"""The Hà Tĩnh appendix of the sample corpus rendered on A4 portrait pages (nine columns in a
narrow page: rows broken across pages in several columns at once, codes too long for their
column broken inside the word) reads as its hand-checked fixture."""
from __future__ import annotations

from pathlib import Path

from conftest import load_expected
from measure import TASK_FIELDS, expected_task_rows, score

from pipeline.manifest import load_manifest
from pipeline.run import process_file

PORTRAIT = Path(__file__).resolve().parents[1] / "fixtures" / "variants" / "hatinh_2023_portrait.pdf"


def test_portrait_rendering_of_the_hatinh_appendix():
    spec = load_expected("001_appendix.json")
    result = process_file(PORTRAIT, PORTRAIT.name, load_manifest(None))
    fields = {f: TASK_FIELDS[f] for f in ["item_no", "objective", "area_raw", "group_raw", *spec["row_fields"]]}
    s = score(expected_task_rows(spec), result.tasks, fields, ["task", "output", "lead"])
    print("\n" + s.line(PORTRAIT.name))
    for m in s.mismatches[:10]:
        print("   ", m)
    assert s.row_recall >= 0.98 and s.spurious == 0
    assert s.cell_accuracy >= 0.99
    assert result.document["status"] == "ok"
