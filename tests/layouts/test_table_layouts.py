"""Table layouts of other provinces read row for row: two- and three-row headers with group cells,
pages with /Rotate 90 and 270 and pages printed sideways, narrow portrait pages with rows broken
in several columns at once, a table over five pages, other column orders and names, a header not
repeated on later pages, a table without any ruling line. Each document of the layout corpus
(tests/fixtures/layouts, hand-checked specs) goes through the pipeline; the figures are printed."""
from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout_spec import DOCS, renders  # noqa: E402
from measure_layouts import measure_file  # noqa: E402

# every rendering with a text layer (the scans are measured in tests/layouts/test_scanned_layouts.py)
TEXT_LAYER = [(spec, r) for spec, r in renders() if "scan" not in r.get("layouts", [])]
ROW_RECALL, ROW_PRECISION, CELLS, FIELDS = 0.98, 0.99, 0.97, 0.97


@cache
def scored(file: str):
    spec, render = next((s, r) for s, r in renders() if r["file"] == file)
    return measure_file(spec, render)


@pytest.mark.parametrize("file", [r["file"] for _, r in TEXT_LAYER])
def test_rows_and_cells_of_each_layout(file):
    s = scored(file)
    print("\n" + s.line())
    for m in s.mismatches[:20]:
        print(m)
    assert s.rows_found / s.rows_expected >= ROW_RECALL
    assert s.rows_found / max(1, s.rows_found + s.spurious) >= ROW_PRECISION
    assert s.cells_equal / s.cells_total >= CELLS


@pytest.mark.parametrize("file", [r["file"] for _, r in TEXT_LAYER])
def test_areas_unit_ids_and_deadline_windows_of_each_layout(file):
    s = scored(file)
    for name in ("area", "lead", "support", "window"):
        right, counted = s.fields[name]
        print(f"\n{file}: {name} {right}/{counted}")
        assert right / counted >= FIELDS


def test_targets_of_each_plan_in_task_output_and_prose(capsys):
    """Targets read from every text cell and every prose part, against the specs (each plan's DOCX)."""
    found = expected = unmatched = extracted = 0
    for _, r in TEXT_LAYER:
        if r["file"].endswith(".docx"):
            s = scored(r["file"])
            found, expected = found + s.targets_found, expected + s.targets_expected
            unmatched, extracted = unmatched + s.targets_unmatched, extracted + s.targets_extracted
    print(f"\ntargets: recall {found}/{expected}, {unmatched} of {extracted} unmatched")
    assert found / expected >= 0.95 and 1 - unmatched / extracted >= 0.95


@pytest.mark.parametrize("file", [r["file"] for _, r in TEXT_LAYER])
def test_document_identity_of_each_plan(file):
    """Province (as issued and of 2025), year, agency, number and date from the title block."""
    s = scored(file)
    print("\n" + "\n".join(m for m in s.mismatches if "meta" in m))
    assert s.meta[0] == s.meta[1]


def test_a_right_reading_is_not_called_suspect():
    """No false alarm: every text-layer rendering reads right, so none is suspect and each is ok."""
    from pipeline.manifest import load_manifest
    from pipeline.run import process_file

    for _, r in TEXT_LAYER:
        res = process_file(DOCS / r["file"], r["file"], load_manifest(None))
        assert not [i["message"] for i in res.issues if i["code"] == "suspect_table"], r["file"]
        assert res.document["status"] == "ok", (r["file"], [i["code"] for i in res.issues if i["severity"] == "error"])


def test_the_corpus_covers_every_layout_of_the_issue():
    layouts = {lay for _, r in renders() for lay in r.get("layouts", [])}
    assert {"two_row_header", "three_row_header", "rotate_90", "rotate_270", "sideways", "narrow_portrait",
            "other_columns", "five_pages", "borderless", "scan"} <= layouts
    assert all((DOCS / r["file"]).exists() for _, r in renders())
