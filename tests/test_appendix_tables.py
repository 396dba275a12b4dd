"""Issue 3: every row of the appendix tables, each cell whole and in its column (measured)."""
from __future__ import annotations

import pytest
from conftest import load_expected, read
from measure import TASK_FIELDS, expected_assignment_rows, expected_task_rows, score

TASK_CASES = {  # file -> fixture
    "dongnai_2024_phuluc_nhiemvu_cchc.pdf": "000_appendix.json",
    "txt/000_3c92886d3c87bfaf.txt": "000_appendix.json",
    "hatinh_2023_kehoach_cchc.docx": "001_appendix.json",
    "txt/001_f76b48a4b12a19b8.txt": "001_appendix.json",
}
ASSIGNMENT_CASES = {"phancong_bochiso_cchc_2024.pdf": "002_assignments.json",
                    "txt/002_d43268a35414126a.txt": "002_assignments.json"}


def rows_of(out, dataset: str, name: str, order: str) -> list[dict]:
    docs = {d["source_file"].removeprefix("data/raw/"): d["doc_id"] for d in read(out, "documents")}
    rows = [r for r in read(out, dataset) if r["doc_id"] == docs[name]]
    return sorted(rows, key=lambda r: (r.get(order) is None, r.get(order) or 0))


@pytest.mark.parametrize("name", sorted(TASK_CASES))
def test_task_tables_row_for_row(corpus_out, name):
    spec = load_expected(TASK_CASES[name])
    expected = expected_task_rows(spec)
    actual = rows_of(corpus_out, "tasks", name, "source_row")
    fields = {f: TASK_FIELDS[f] for f in ["item_no", "objective", "area_raw", "group_raw", *spec["row_fields"]]}
    s = score(expected, actual, fields, ["task", "output", "lead"])
    print("\n" + s.line(name))
    for m in s.mismatches[:15]:
        print("   ", m)
    assert s.row_recall >= 0.98
    assert s.spurious == 0
    assert s.cell_accuracy >= 0.98


def test_hatinh_appendix_has_39_task_rows(corpus_out):
    assert len(rows_of(corpus_out, "tasks", "hatinh_2023_kehoach_cchc.docx", "source_row")) == 39


@pytest.mark.parametrize("name", sorted(ASSIGNMENT_CASES))
def test_assignment_table_row_for_row(corpus_out, name):
    expected = expected_assignment_rows(load_expected(ASSIGNMENT_CASES[name]))
    actual = rows_of(corpus_out, "par_assignments", name, "source_page")
    fields = {f: f for f in ["criterion_code", "criterion_name", "responsible_raw", "survey_scored", "note"]}
    s = score(expected, actual, fields, ["criterion_code", "criterion_name"])
    print("\n" + s.line(name))
    for m in s.mismatches[:15]:
        print("   ", m)
    assert s.row_recall >= 0.98 and s.spurious == 0 and s.cell_accuracy >= 0.98


def test_page_furniture_never_becomes_rows_or_text(corpus_out):
    for r in read(corpus_out, "tasks"):
        for col in ("objective", "task", "output", "lead_raw", "support_raw", "deadline_raw"):
            v = r[col] or ""
            assert "Phụ lục" not in v and "Nhiệm vụ cụ thể" != v and "STT" != v


def test_merged_objective_is_inherited_and_item_no_only_on_first_line(corpus_out):
    rows = rows_of(corpus_out, "tasks", "dongnai_2024_phuluc_nhiemvu_cchc.pdf", "source_row")
    item_21 = [r for r in rows if r["objective"] and r["objective"].startswith("Bộ phân một cửa")]
    assert len(item_21) == 4  # 2.1 spans four task rows
    assert [r["item_no"] for r in item_21] == ["2.1", None, None, None]
    assert {r["group_raw"] for r in item_21} == {"2. Thực hiện cơ chế một cửa, một cửa liên thông"}
    assert {r["area_code"] for r in item_21} == {3}


def test_section_areas_follow_the_words_not_the_numeral(corpus_out):
    rows = rows_of(corpus_out, "tasks", "dongnai_2024_phuluc_nhiemvu_cchc.pdf", "source_row")
    by_area = {r["area_raw"]: r["area_code"] for r in rows}
    assert by_area["VII Chỉ đạo điều hành CCHC"] == 1  # Đồng Nai puts direction last, as VII
    assert by_area["I Cải cách thể chế"] == 2
    hatinh = rows_of(corpus_out, "tasks", "hatinh_2023_kehoach_cchc.docx", "source_row")
    assert {r["area_raw"]: r["area_code"] for r in hatinh}["I CHỈ ĐẠO ĐIỀU HÀNH"] == 1
