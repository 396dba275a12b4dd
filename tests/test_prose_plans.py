"""Prose plans of other provinces and offices, written for the tests (tests/fixtures/prose): targets under
any heading ("MỤC ĐÍCH, YÊU CẦU", "Mục tiêu cụ thể", task paragraphs, an appendix cell) read once each, with
numbers that are not targets around them; a criterion plan in seed 003's shape read into rows.

The expected targets and rows were listed by hand from the plans' text (the JSON files beside them).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import read, run_cli

PROSE = Path(__file__).parent / "fixtures" / "prose"


def _docx(spec: dict, path: Path) -> None:
    from docx import Document
    doc = Document()
    for text in spec["paragraphs"]:
        doc.add_paragraph(text)
    doc.add_paragraph("PHỤ LỤC")
    table = doc.add_table(rows=0, cols=len(spec["table"][0]))
    for row in spec["table"]:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    doc.save(path)


@pytest.fixture(scope="module")
def prose_out(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("prose_in")
    for name in ("binhdinh_stp_2025.txt", "kontum_sgtvt_2024_chiso.txt"):
        (src / name).write_bytes((PROSE / name).read_bytes())
    _docx(json.loads((PROSE / "tayninh_sxd_2024.json").read_text("utf-8")), src / "tayninh_sxd_2024.docx")
    out = tmp_path_factory.mktemp("prose_out")
    proc = run_cli("run", str(src), "--out", str(out), "--quiet", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    return out


PLANS = {  # input -> file listing its targets
    "binhdinh_stp_2025.txt": "binhdinh_stp_2025.targets.json",
    "tayninh_sxd_2024.docx": "tayninh_sxd_2024.json",
    "kontum_sgtvt_2024_chiso.txt": "kontum_sgtvt_2024_chiso.expected.json",
}


def _doc(out: Path, name: str) -> str:
    return next(d["doc_id"] for d in read(out, "documents") if d["source_file"].endswith(name))


def _key(indicator, comparator, value, value_max, unit) -> tuple:
    return indicator, comparator, float(value), None if value_max is None else float(value_max), unit


def _found(out: Path, name: str) -> Counter:
    doc = _doc(out, name)
    return Counter(_key(t["indicator"], t["comparator"], t["value"], t["value_max"], t["unit"])
                   for t in read(out, "targets") if t["doc_id"] == doc)


def test_targets_of_prose_plans_recall_and_precision(prose_out):
    """Every target row counts, mapped to the catalog or not, and a statement read twice counts twice."""
    pooled = Counter(expected=0, found=0, matched=0)
    for name, listing in PLANS.items():
        expected = Counter(_key(*t[:5]) for t in json.loads((PROSE / listing).read_text("utf-8"))["targets"])
        found = _found(prose_out, name)
        matched = sum((expected & found).values())
        pooled.update(expected=sum(expected.values()), found=sum(found.values()), matched=matched)
        print(f"\n{name}: {matched}/{sum(expected.values())} targets found, {sum(found.values()) - matched} "
              f"spurious of {sum(found.values())}")
        for miss in sorted((expected - found).elements(), key=str):
            print("    missed  ", miss)
        for extra in sorted((found - expected).elements(), key=str):
            print("    spurious", extra)
    recall = pooled["matched"] / pooled["expected"]
    precision = pooled["matched"] / pooled["found"]
    print(f"\npooled: recall {recall:.1%}, precision {precision:.1%} ({pooled['matched']} of {pooled['expected']} "
          f"expected, {pooled['found']} found)")
    assert recall >= 0.95 and precision >= 0.95


def test_prose_targets_carry_the_area_of_their_heading(prose_out):
    doc = _doc(prose_out, "binhdinh_stp_2025.txt")
    areas = {(t["indicator"], t["value"]): t["area_code"] for t in read(prose_out, "targets") if t["doc_id"] == doc}
    assert areas[("units_inspected", 40.0)] == 1  # under "1. Công tác chỉ đạo, điều hành"
    assert areas[("declared_info_reduction", 20.0)] == 3
    assert areas[("staff_training_rate", 50.0)] == 5  # "Xây dựng và nâng cao chất lượng đội ngũ ...", the old name
    assert areas[("e_records_rate", 100.0)] == 7  # "Hiện đại hóa nền hành chính", area 7 before 2021
    assert areas[("online_dossier_rate", 80.0)] is None  # "III. MỤC TIÊU CỤ THỂ" names no area


def test_baseline_of_a_prose_target(prose_out):
    doc = _doc(prose_out, "kontum_sgtvt_2024_chiso.txt")
    rises = [t for t in read(prose_out, "targets") if t["doc_id"] == doc and t["comparator"] == "increase_by"]
    assert [(t["value"], t["baseline_value"], t["baseline_year"]) for t in rises] == [(3.0, 86.4, 2023)]


def test_criterion_plan_rows(prose_out):
    doc = _doc(prose_out, "kontum_sgtvt_2024_chiso.txt")
    tasks = sorted((t for t in read(prose_out, "tasks") if t["doc_id"] == doc), key=lambda t: t["source_row"])
    expected = json.loads((PROSE / "kontum_sgtvt_2024_chiso.expected.json").read_text("utf-8"))["rows"]
    fields = equal = 0
    for want, got in zip(expected, tasks):
        for f, v in want.items():
            fields += 1
            value = got[f] if not f.startswith("due_") or got[f] is None else str(got[f])
            if value == v:
                equal += 1
            else:
                print("   ", want["item_no"], f, repr(v), "!=", repr(value))
    print(f"\ncriterion plan: rows {len(tasks)}/{len(expected)}, fields {equal}/{fields}")
    assert len(tasks) == len(expected) and equal == fields
