"""Issue 8: scanned PDFs through OCR, legacy .doc through LibreOffice (measured on the corpus)."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import load_expected, read
from measure import TASK_FIELDS, expected_task_rows, score
from rapidfuzz import fuzz

from extractors.ocr import tessdata_dirs

RAW = Path("data/raw")
TEXT_PDF = "dongnai_2024_phuluc_nhiemvu_cchc.pdf"
SCAN_PDF = "dongnai_2024_phuluc_nhiemvu_cchc_scan.pdf"
DOCX, DOC = "hatinh_2023_kehoach_cchc.docx", "hatinh_2023_kehoach_cchc.doc"
needs_tesseract = pytest.mark.skipif(not tessdata_dirs(), reason="install tesseract-ocr-vie (make testdeps)")
needs_soffice = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                   reason="install libreoffice-writer-nogui (make testdeps)")


def rows_of(out, dataset: str, name: str) -> list[dict]:
    docs = {d["source_file"].removeprefix("data/raw/"): d["doc_id"] for d in read(out, "documents")}
    rows = [r for r in read(out, dataset) if r["doc_id"] == docs[name]]
    return sorted(rows, key=lambda r: (r.get("source_row") or 0, r.get("task") or ""))


def align(reference: list[dict], other: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each reference row with the other rendering's row of the same task (in order; fuzzy, OCR misreads)."""
    pairs, j = [], 0
    for ref in reference:
        best, best_k = 0.0, None
        for k in range(j, min(j + 4, len(other))):
            s = fuzz.ratio(ref["task"] or "", other[k]["task"] or "")
            if s > best:
                best, best_k = s, k
        if best_k is not None and best >= 70:
            pairs.append((ref, other[best_k]))
            j = best_k + 1
        else:
            pairs.append((ref, None))
    return pairs


@needs_tesseract
def test_scanned_appendix_rows_against_the_fixture(corpus_out):
    spec = load_expected("000_appendix.json")
    expected = expected_task_rows(spec)
    actual = rows_of(corpus_out, "tasks", SCAN_PDF)
    fields = {f: TASK_FIELDS[f] for f in ["item_no", "objective", "area_raw", "group_raw", *spec["row_fields"]]}
    s = score(expected, actual, fields, ["task", "output", "lead"])
    print("\n" + s.line(SCAN_PDF + " (OCR)"))
    assert s.row_recall >= 0.90
    assert s.spurious == 0
    assert {r["extractor"] for r in actual} == {"tesseract"}


@needs_tesseract
def test_scanned_fields_equal_the_text_layer_rendering(corpus_out):
    text = rows_of(corpus_out, "tasks", TEXT_PDF)
    scan = rows_of(corpus_out, "tasks", SCAN_PDF)
    pairs = align(text, scan)
    found = sum(1 for _a, b in pairs if b is not None)
    figures = {}
    for f in ("lead_units", "support_units", "deadline_kind", "due_start", "due_end", "area_code", "item_no"):
        figures[f] = sum(1 for a, b in pairs if b is not None and a[f] == b[f]) / len(text)
    print(f"\nscan vs text layer: rows {found}/{len(text)}; " + ", ".join(f"{k} {v:.1%}" for k, v in figures.items()))
    assert found / len(text) >= 0.90
    for f in ("lead_units", "deadline_kind", "due_start", "due_end"):
        assert figures[f] >= 0.85, f


@needs_tesseract
def test_scanned_document_is_marked_and_its_targets_match(corpus_out):
    doc = next(d for d in read(corpus_out, "documents") if d["source_file"].endswith(SCAN_PDF))
    assert doc["source_format"] == "pdf-ocr" and doc["pages"] == 10 and doc["status"] == "ok"
    assert (doc["province"], doc["plan_year"]) == ("Đồng Nai", 2024)  # metadata read from the OCR'd title
    notes = [i for i in read(corpus_out, "issues") if i["doc_id"] == doc["doc_id"] and i["code"] == "ocr_pages"]
    assert len(notes) == 1 and "pages 1-10" in notes[0]["message"]

    def targets(name):
        return sorted((str(t["indicator"]), t["comparator"], t["value"], t["unit"])
                      for t in rows_of(corpus_out, "targets", name))
    assert targets(SCAN_PDF) == targets(TEXT_PDF)  # "tối thiếu" read for "tối thiểu" still gives >=


@needs_tesseract
def test_low_confidence_cells_put_their_rows_up_for_review(tmp_path):
    """A page whose lower half is pixelated (a fax of a fax) and faded: rows read there are flagged."""
    import pypdfium2 as pdfium
    from PIL import Image

    from pipeline.run import run

    pdf = pdfium.PdfDocument(str(RAW / SCAN_PDF))
    img = pdf[2].render(scale=200 / 72).to_pil().convert("L")
    pdf.close()
    half = (0, img.height // 2, img.width, img.height)
    crop = img.crop(half)
    coarse = crop.resize((crop.width * 2 // 7, crop.height * 2 // 7), Image.BILINEAR).resize(crop.size, Image.NEAREST)
    img.paste(Image.fromarray((127.5 + np.asarray(coarse).astype(np.float32) * 0.5).astype(np.uint8)), half[:2])
    img.save(tmp_path / "faded_scan.pdf", resolution=200)
    out = tmp_path / "out"
    run([str(tmp_path / "faded_scan.pdf")], out, workers=1)
    tasks = read(out, "tasks")
    low = [i for i in read(out, "issues") if i["code"] == "low_ocr_confidence"]
    assert len(tasks) >= 6 and low
    flagged = {t["task_id"] for t in tasks if t["needs_review"]}
    assert {i["task_id"] for i in low} <= flagged
    assert len(flagged) < len(tasks)  # the sharp upper half is not flagged
    assert all(i["field"] in {"item_no", "objective", "task", "output", "lead_raw", "support_raw", "deadline_raw"}
               and i["source_page"] == 1 for i in low)


def test_missing_tesseract_is_an_issue_naming_the_package_and_the_batch_goes_on(tmp_path, monkeypatch):
    import extractors.pdf
    from pipeline.run import run

    monkeypatch.setattr(extractors.pdf, "tesseract_problem", lambda: "Tesseract is not installed: install the "
                        "Debian packages tesseract-ocr and tesseract-ocr-vie")
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / SCAN_PDF, src / SCAN_PDF)
    shutil.copy(RAW / DOCX, src / DOCX)
    out = tmp_path / "out"
    run([str(src)], out, workers=1)
    issues = [i for i in read(out, "issues") if i["code"] == "ocr_unavailable"]
    assert len(issues) == 1 and "tesseract-ocr-vie" in issues[0]["message"] and "\n" not in issues[0]["message"]
    assert issues[0]["severity"] == "error"
    assert len(read(out, "tasks")) == 39  # the DOCX still read


def test_missing_libreoffice_is_an_issue_naming_the_package(tmp_path, monkeypatch):
    import extractors.doc
    from pipeline.run import run

    monkeypatch.setattr(extractors.doc, "soffice_path", lambda: None)
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / DOC, src / DOC)
    shutil.copy(RAW / DOCX, src / DOCX)
    run([str(src)], tmp_path / "out", workers=1)
    issues = [i for i in read(tmp_path / "out", "issues") if i["code"] == "converter_unavailable"]
    assert len(issues) == 1 and "libreoffice-writer-nogui" in issues[0]["message"]
    assert len(read(tmp_path / "out", "tasks")) == 39


@needs_soffice
def test_doc_gives_the_same_rows_as_its_docx(corpus_out):
    doc_rows, docx_rows = rows_of(corpus_out, "tasks", DOC), rows_of(corpus_out, "tasks", DOCX)
    assert len(doc_rows) == len(docx_rows) == 39
    skip = {"task_id", "doc_id"}
    for a, b in zip(doc_rows, docx_rows):
        assert {k: v for k, v in a.items() if k not in skip} == {k: v for k, v in b.items() if k not in skip}
    doc = next(d for d in read(corpus_out, "documents") if d["source_file"].endswith(DOC))
    assert doc["source_format"] == "doc" and doc["status"] == "ok"


@needs_soffice
def test_a_damaged_doc_is_one_clear_issue(tmp_path):
    from pipeline.run import run

    data = (RAW / DOC).read_bytes()
    (tmp_path / "broken.doc").write_bytes(data[:512] + bytes(len(data) - 512))  # OLE header, zeroed body
    run([str(tmp_path / "broken.doc")], tmp_path / "out", workers=1)
    issues = read(tmp_path / "out", "issues")
    assert [i["code"] for i in issues if i["severity"] == "error"] == ["unreadable_file"]
    assert "DOCX" in issues[0]["message"]


def test_garbage_share_of_a_text_layer():
    from extractors.pdf import garbage_share
    assert garbage_share("(cid:12)(cid:15)(cid:3) (cid:44)(cid:9)") == 1.0  # a font without a Unicode map
    assert garbage_share("\ue001\ue002\ue003 ab") == 0.6  # private-use glyphs
    assert garbage_share("Kế hoạch cải cách hành chính năm 2024 (số 110/KH-SCT)") == 0.0
    assert garbage_share("   ") == 0.0


@needs_tesseract
def test_only_the_scanned_page_of_a_mixed_pdf_is_ocrd(tmp_path):
    from pypdf import PdfReader, PdfWriter

    from extractors import extract
    from extractors.appendix import assemble

    w = PdfWriter()
    text, scan = PdfReader(RAW / TEXT_PDF), PdfReader(RAW / SCAN_PDF)
    w.add_page(text.pages[0])
    w.add_page(text.pages[1])
    w.add_page(scan.pages[2])
    w.write(tmp_path / "mixed.pdf")
    doc = extract(tmp_path / "mixed.pdf")
    assert doc.source_format == "pdf-ocr"
    assert [m for c, m in doc.warnings if c == "ocr_pages"][0].startswith("page 3 was read by OCR")
    assert {t.extractor for t in doc.tables} == {"pdfium", "tesseract"}
    assert [t.row_pages[0] for t in doc.tables] == sorted(t.row_pages[0] for t in doc.tables)
    rows = assemble(doc.tables).rows
    pages = [r.page for r in rows]
    assert pages == sorted(pages) and 3 in pages and 1 in pages
    # page 3 opens with item 1.8 of the text layer's numbering (checked against the seed)
    assert any(r.page == 3 and r.cells.get("item_no") == "1.8" for r in rows)


def test_low_confidence_issue_names_the_dataset_column_of_either_table_kind():
    """The field of a low_ocr_confidence row is the column the analyst sees: responsible_raw in a
    criteria table, support_raw in a task table."""
    from extractors.model import RawTable, SourceDocument
    from pipeline.assemble import document_rows

    document = {"doc_id": "d", "source_file": "scan.pdf", "province": "Đồng Nai", "province_code": "VN-39",
                "plan_year": 2024, "agency": None}
    criteria = RawTable(rows=[["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Đơn vị thực hiện", "Ghi chú"],
                              ["1.1", "Kế hoạch CCHC hàng năm", "Văn phòng Sở", ""]],
                        row_pages=[1, 1], extractor="tesseract",
                        cell_confidence=[[90, 90, 90, None], [95, 91, 31, None]])
    tasks = RawTable(rows=[["STT", "Mục tiêu", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"],
                           ["1", "100% TTHC công khai", "Công khai TTHC", "Thanh tra Sở", "Văn phòng Sở",
                            "Quý I/2024"]],
                     row_pages=[2, 2], extractor="tesseract",
                     cell_confidence=[[90] * 6, [92, 93, 94, 95, 22, 88]])
    rows = document_rows(SourceDocument(path="scan.pdf", source_format="pdf-ocr", tables=[criteria]), document)
    assert [(i["field"], i["raw_value"]) for i in rows.issues if i["code"] == "low_ocr_confidence"] == [
        ("responsible_raw", "Văn phòng Sở")]
    rows = document_rows(SourceDocument(path="scan.pdf", source_format="pdf-ocr", tables=[tasks]), document)
    low = [i for i in rows.issues if i["code"] == "low_ocr_confidence"]
    assert [(i["field"], i["raw_value"]) for i in low] == [("support_raw", "Văn phòng Sở")]
    assert rows.tasks[0]["needs_review"] and low[0]["task_id"] == rows.tasks[0]["task_id"]
