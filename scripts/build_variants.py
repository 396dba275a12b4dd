"""Variant documents for the tests that the seeds do not cover (run by hand; outputs committed).

borderless_table.pdf: a task table drawn without any ruling line (pdfplumber's line strategy
finds nothing; the camelot fallback must), other column names and order than the seeds, a
province and units the seeds do not have.

hatinh_2023_portrait.pdf: the Hà Tĩnh plan of the sample corpus with its appendix turned to A4
portrait: nine columns in a narrow page, so rows break across pages in several columns at once.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_corpus import to_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "variants"

HEADER = ["TT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]
ROWS = [
    ["I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", ""],
    ["1", "Rà soát thủ tục hành chính", "Văn phòng Sở", "Thanh tra Sở", "Quý II/2025"],
    ["2", "Công khai thủ tục trên Cổng", "Văn phòng Sở", "Các phòng", "Thường xuyên"],
    ["3", "Số hóa hồ sơ thủ tục", "Phòng QLTM", "Văn phòng Sở", "trước 30/6/2025"],
    ["II", "CẢI CÁCH TÀI CHÍNH CÔNG", "", "", ""],
    ["1", "Lập dự toán ngân sách", "Phòng KH-TC-TH", "Các phòng", "Tháng 12/2025"],
    ["2", "Công khai tài chính", "Phòng KH-TC-TH", "Văn phòng Sở", "Quý IV/2025"],
]


def build_borderless(work: Path) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    doc.add_paragraph("KẾ HOẠCH cải cách hành chính năm 2025 của Sở Công Thương tỉnh Quảng Ninh")
    table = doc.add_table(rows=0, cols=len(HEADER))
    table.style = None  # no borders at all
    for values in [HEADER, *ROWS]:
        cells = table.add_row().cells
        for cell, v in zip(cells, values):
            cell.text = v
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(11)
    for row in table.rows:
        for cell, width in zip(row.cells, (1.5, 9, 5, 5, 4)):
            cell.width = Cm(width)
    path = work / "borderless_table.docx"
    doc.save(path)
    return path


def build_portrait(work: Path) -> Path:
    """The Hà Tĩnh DOCX with every section A4 portrait; table widths follow the page."""
    doc = Document(str(ROOT / "data" / "raw" / "hatinh_2023_kehoach_cchc.docx"))
    for sec in doc.sections:
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(1.5)
    for table in doc.tables:
        widths = [Cm(w) for w in (0.9, 2.3, 2.6, 2.6, 2.0, 1.7, 1.7, 2.1, 1.5)][:len(table.columns)]
        tbl = table._tbl
        for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), str(int(w.twips)))
        tblpr = tbl.tblPr
        for tag in ("w:tblW", "w:tblInd"):
            el = tblpr.find(qn(tag))
            if el is not None:
                tblpr.remove(el)
        tblw = OxmlElement("w:tblW")
        tblw.set(qn("w:w"), str(int(sum(w.twips for w in widths))))
        tblw.set(qn("w:type"), "dxa")
        tblpr.append(tblw)
        for tr in tbl.findall(qn("w:tr")):
            col = 0
            for tc in tr.findall(qn("w:tc")):
                tcpr = tc.get_or_add_tcPr()
                span = tcpr.find(qn("w:gridSpan"))
                n = int(span.get(qn("w:val"))) if span is not None else 1
                tcw = tcpr.find(qn("w:tcW"))
                if tcw is None:
                    tcw = OxmlElement("w:tcW")
                    tcpr.insert(0, tcw)
                tcw.set(qn("w:w"), str(int(sum(w.twips for w in widths[col:col + n]))))
                tcw.set(qn("w:type"), "dxa")
                col += n
    path = work / "hatinh_2023_portrait.docx"
    doc.save(path)
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for build in (build_borderless, build_portrait):
            pdf = to_pdf(build(Path(tmp)), OUT)
            print(f"wrote {pdf.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
