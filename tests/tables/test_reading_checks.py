"""A reading that looks wrong never passes as ok: the chosen reading's parse report becomes
suspect_table warnings naming the page and what looks wrong, the document is partial, and the
text of a table no header maps is kept in the issue. The registry runs a further candidate only
where the reading so far is weak."""
from __future__ import annotations

from docx import Document
from docx.shared import Pt

from extractors import extract
from extractors.model import SourceDocument, Table
from extractors.registry import READERS, Context, Reader, choose_tables
from pipeline.assemble import document_rows
from pipeline.checks import status

DOCUMENT = {"doc_id": "d" * 16, "source_file": "plan.docx", "province": "Nghệ An", "province_code": "VN-22",
            "plan_year": 2024, "agency": "Sở Nội vụ"}
UNKNOWN_HEADER = ["Số", "Việc cần làm", "Người lo", "Người giúp", "Hạn chót"]
BODY = [[str(i), f"Tổ chức hội nghị chuyên đề số {i} về cải cách hành chính trong toàn ngành",
         "Văn phòng Sở", "Các phòng", f"Quý {['I', 'II', 'III', 'IV'][i % 4]}/2024"] for i in range(1, 8)]


def _docx(path, rows):
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_paragraph("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024")
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in zip(t.rows, rows):
        for c, v in zip(r.cells, values):
            c.text = v
    doc.save(path)


def test_a_header_the_catalog_does_not_know_is_suspect_and_its_text_kept(tmp_path):
    path = tmp_path / "plan.docx"
    _docx(path, [UNKNOWN_HEADER, *BODY])
    rows = document_rows(extract(path), DOCUMENT)
    suspect = [i for i in rows.issues if i["code"] == "suspect_table"]
    print("\n", [i["message"] for i in suspect])
    assert len(suspect) == 1 and "no header the columns catalog knows" in suspect[0]["message"]
    assert "Tổ chức hội nghị chuyên đề số 7" in suspect[0]["raw_value"]  # the table's text is kept
    assert status(rows.issues) == "partial"


def test_a_mapped_column_empty_in_every_row_is_suspect():
    grid = [["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"],
            *[[str(i), f"Rà soát quy trình nội bộ số {i} Văn phòng Sở", "", "", "Quý I/2024"] for i in range(1, 6)]]
    doc = SourceDocument("plan.pdf", "pdf", tables=[Table.from_grid(grid, [3] * len(grid), extractor="test")])
    rows = document_rows(doc, DOCUMENT)
    messages = [i["message"] for i in rows.issues if i["code"] == "suspect_table"]
    assert any("'lead' is mapped but empty in every row" in m and m.startswith("page 3") for m in messages)
    assert status(rows.issues) == "partial"


def test_a_good_reading_is_ok_and_no_further_candidate_runs(tmp_path):
    path = tmp_path / "plan.docx"
    _docx(path, [["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"], *BODY])
    doc = extract(path)
    assert [r.reader for r in doc.reports] == ["docx-xml"] and not doc.report.weak
    rows = document_rows(doc, DOCUMENT)
    assert len(rows.tasks) == 7 and status(rows.issues) == "ok"


def test_a_weak_reading_lets_the_next_candidate_run_and_the_best_wins(monkeypatch):
    good = Table.from_grid([["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
                            *[[str(i), f"Nhiệm vụ số {i}", "Văn phòng Sở", "Quý I/2024"] for i in range(1, 4)]],
                           extractor="second")
    calls = []

    def weak(ctx):
        calls.append("first")
        return []

    def strong(ctx):
        calls.append("second")
        return [good]

    def third(ctx):
        calls.append("third")
        return []

    monkeypatch.setitem(READERS, "test", [Reader("first", weak), Reader("second", strong), Reader("third", third)])
    doc = SourceDocument("x", "test")
    choose_tables(doc, Context(None, None, doc))
    assert calls == ["first", "second"]  # the third never runs: the second reads well
    assert doc.report.reader == "second" and len(doc.appendix.rows) == 3


def test_header_words_glued_to_a_cell_are_told_from_the_cells_own_words():
    from extractors.appendix import LogicalRow
    from extractors.quality import _header_in_body

    names = {2: {"chu tri", "phoi hop"}}

    def row(lead):
        return LogicalRow("task", {"item_no": "1", "lead": lead}, None, None, 1, 1, "test", 0)
    assert _header_in_body(row("Văn phòng Chủ trì"), names)  # the sub-header read into the first row
    assert not _header_in_body(row("Văn phòng (Các phòng chuyên môn phối hợp)"), names)
    assert not _header_in_body(row("Chủ trì"), names)
