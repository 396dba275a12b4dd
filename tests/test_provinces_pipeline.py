"""Plans of a merged province through the pipeline: a 2024 plan of a former province (Bình Phước), a 2026
plan of the province that absorbed it (Đồng Nai, naming the former ones), a 2026 plan of Lâm Đồng (mới)
whose only header is its title; issuer detection and the manifest on the plan's date; the comparison and
the report grouped by the 2025 province."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTRACT_CHECKER, ROOT, read, run_cli

from pipeline.compare import target_comparison
from pipeline.metadata import apply_manifest_province, detect

FIXTURES = ROOT / "tests" / "fixtures" / "provinces"

DONGNAI_2026 = [  # the plan after the merger: header of the new province, the former ones in the body
    "UBND TỈNH ĐỒNG NAI", "SỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Số: 15/KH-SCT", "Đồng Nai, ngày 20 tháng 01 năm 2026", "KẾ HOẠCH", "Cải cách hành chính năm 2026",
    "Thực hiện Kế hoạch của UBND tỉnh về cải cách hành chính năm 2026 trên địa bàn tỉnh Đồng Nai (mới), gồm tỉnh "
    "Đồng Nai (cũ) và tỉnh Bình Phước (cũ); kế thừa kết quả của tỉnh Bình Phước, Sở Công Thương ban hành Kế hoạch.",
    "I. MỤC TIÊU, CHỈ TIÊU",
    "- Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 99%.",
    "- Mức độ hài lòng của người dân, doanh nghiệp đối với sự phục vụ của Sở đạt trên 95%.",
    "- Thống nhất quy trình nội bộ tại các cơ sở của tỉnh Bình Phước trước đây và của tỉnh Bình Phước (cũ).",
]
CRITERIA = [("STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Đơn vị thực hiện", "Ghi chú"),
            ("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", "", ""),
            ("1.1", "Kế hoạch CCHC hàng năm", "Văn phòng Sở", ""),
            ("1.1.1", "Ban hành kế hoạch cải cách hành chính", "Văn phòng Sở", ""),
            ("1.2", "Công tác tuyên truyền cải cách hành chính", "Văn phòng Sở", "ĐTXHH")]


def write_dongnai_2026(path: Path) -> None:
    from docx import Document
    doc = Document()
    for line in DONGNAI_2026:
        doc.add_paragraph(line)
    doc.add_paragraph("Phụ lục: phân công thực hiện Bộ chỉ số cải cách hành chính")
    table = doc.add_table(rows=0, cols=4)
    for values in CRITERIA:
        for cell, v in zip(table.add_row().cells, values):
            cell.text = v
    doc.save(path)


@pytest.fixture(scope="module")
def merged_out(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("provinces_in")
    for f in ("binhphuoc_2024_kehoach_cchc.txt", "lamdong_2026_kehoach_cchc.txt"):
        shutil.copy(FIXTURES / f, src / f)
    write_dongnai_2026(src / "dongnai_2026_kehoach_cchc.docx")
    out = tmp_path_factory.mktemp("provinces_out")
    proc = run_cli("run", str(src), "--out", str(out), "--quiet", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    return out


EXPECTED = {  # file -> (province, code, province_2025, code_2025, plan_year), read off the documents above
    "binhphuoc_2024_kehoach_cchc.txt": ("Bình Phước", "VN-58", "Đồng Nai", "VN-39", 2024),
    "dongnai_2026_kehoach_cchc.docx": ("Đồng Nai", "VN-39", "Đồng Nai", "VN-39", 2026),
    "lamdong_2026_kehoach_cchc.txt": ("Lâm Đồng", "VN-35", "Lâm Đồng", "VN-35", 2026),
}


def by_file(out: Path) -> dict[str, dict]:
    return {Path(d["source_file"]).name: d for d in read(out, "documents")}


def test_documents_carry_the_province_as_issued_and_its_2025_unit(merged_out):
    docs = by_file(merged_out)
    assert {f: (d["province"], d["province_code"], d["province_2025"], d["province_code_2025"], d["plan_year"])
            for f, d in docs.items()} == EXPECTED
    assert docs["dongnai_2026_kehoach_cchc.docx"]["doc_date"] == dt.date(2026, 1, 20)
    assert {d["schema_version"] for d in docs.values()} == {"1.1"}


def test_every_dataset_row_has_the_codes_of_its_document(merged_out):
    docs = {d["doc_id"]: d for d in read(merged_out, "documents")}
    counts = {}
    for name in ("tasks", "targets", "par_assignments"):
        rows = read(merged_out, name)
        counts[name] = {Path(docs[r["doc_id"]]["source_file"]).name: 0 for r in rows}
        for r in rows:
            d = docs[r["doc_id"]]
            assert (r["province_code"], r["province_code_2025"], r["province_2025"]) == \
                (d["province_code"], d["province_code_2025"], d["province_2025"]), (name, r)
            counts[name][Path(d["source_file"]).name] += 1
    assert counts["tasks"] == {"binhphuoc_2024_kehoach_cchc.txt": 3}  # the three rows of its table
    assert counts["par_assignments"] == {"dongnai_2026_kehoach_cchc.docx": 4}
    assert set(counts["targets"]) == set(EXPECTED)
    partitions = {p.parent.name + "/" + p.name for p in (merged_out / "tasks").glob("*/*") if p.is_dir()}
    assert partitions == {"VN-58/2024"}  # split by the province as issued (the layout: province/year folders)


def test_no_province_issue_for_plans_that_name_their_province(merged_out):
    codes = {i["code"] for i in read(merged_out, "issues")}
    assert not codes & {"province_unknown", "province_superseded", "province_not_yet_formed"}


def test_target_comparison_as_issued_and_by_the_2025_province(merged_out):
    on_time = {(r["province_code"], r["plan_year"]): r for r in read(merged_out, "target_comparison")
               if r["indicator"] == "on_time_resolution"}
    assert {k: (r["value"], r["province_code_2025"]) for k, r in on_time.items()} == {
        ("VN-58", 2024): (98.0, "VN-39"), ("VN-39", 2026): (99.0, "VN-39"), ("VN-35", 2026): (100.0, "VN-35")}
    by_2025 = {(r["province_code_2025"], r["plan_year"]): r for r in
               target_comparison(read(merged_out, "targets"), by="2025") if r["indicator"] == "on_time_resolution"}
    # Bình Phước 2024 and the Đồng Nai that absorbed it, 2026: one key, side by side
    assert {k: (r["value"], r["issued_by"]) for k, r in by_2025.items() if k[0] == "VN-39"} == {
        ("VN-39", 2024): (98.0, ["Bình Phước"]), ("VN-39", 2026): (99.0, ["Đồng Nai"])}


def test_provinces_dimension_and_the_contract(merged_out):
    dim = {(r["province_code"], r["valid_from"]): r for r in read(merged_out, "provinces")}
    bp = dim[("VN-58", None)]
    assert (bp["province"], bp["province_code_2025"], bp["province_2025"], bp["valid_to"]) == \
        ("Bình Phước", "VN-39", "Đồng Nai", dt.date(2025, 6, 30))
    assert dim[("VN-35", dt.date(2025, 7, 1))]["valid_to"] is None
    proc = subprocess.run([sys.executable, str(CONTRACT_CHECKER), str(merged_out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_report_says_which_grouping_it_used(merged_out, tmp_path):
    issued, by_2025 = tmp_path / "issued.html", tmp_path / "2025.html"
    assert run_cli("report", str(merged_out), "--html", str(issued)).returncode == 0
    proc = run_cli("report", str(merged_out), "--html", str(by_2025), "--group-by", "2025")
    assert proc.returncode == 0, proc.stderr
    a, b = issued.read_text("utf-8"), by_2025.read_text("utf-8")
    assert "Các tỉnh theo nơi ban hành" in a and "Bình Phước 2024" in a and "Đồng Nai 2024" not in a
    # by the 2025 province, the 2024 plan of Bình Phước stands under Đồng Nai, beside Đồng Nai 2026
    assert "Các tỉnh theo sắp xếp năm 2025" in b and "Đồng Nai 2024" in b and "Đồng Nai 2026" in b


# -- issuer detection and the manifest, on the plan's date --------------------------------------------------

def test_a_post_merger_header_naming_a_former_province_goes_to_its_successor_with_an_issue():
    meta = detect("UBND TỈNH BÌNH PHƯỚC\nSỞ CÔNG THƯƠNG\nSố: 3/KH-SCT\nĐồng Xoài, ngày 9 tháng 01 năm 2026\n"
                  "KẾ HOẠCH\nCải cách hành chính năm 2026\n")
    assert (meta.province, meta.province_code, meta.province_code_2025) == ("Đồng Nai", "VN-39", "VN-39")
    assert [p["code"] for p in meta.problems] == ["province_superseded"]
    assert "Bình Phước" in meta.problems[0]["message"] and "Đồng Nai" in meta.problems[0]["message"]


def test_the_same_header_before_the_merger_is_the_former_province():
    meta = detect("UBND TỈNH BÌNH PHƯỚC\nSỞ CÔNG THƯƠNG\nĐồng Xoài, ngày 9 tháng 01 năm 2025\nKẾ HOẠCH\n"
                  "Cải cách hành chính năm 2025\nphối hợp với tỉnh Đồng Nai, tỉnh Đồng Nai\n")
    assert (meta.province_code, meta.province_code_2025, meta.problems) == ("VN-58", "VN-39", [])


def test_wrapped_issuer_heading_with_the_new_mark():
    meta = detect("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG (MỚI)\nSỞ NỘI VỤ\nKẾ HOẠCH\nCải cách hành chính năm 2026\n"
                  "trên địa bàn tỉnh Bình Thuận (cũ) và tỉnh Bình Thuận (cũ)\n")
    assert (meta.province, meta.province_code, meta.problems) == ("Lâm Đồng", "VN-35", [])
    meta = detect("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nBẢNG PHÂN CÔNG NHIỆM VỤ NĂM 2026\nSTT\tNội dung\n")
    assert meta.title == "BẢNG PHÂN CÔNG NHIỆM VỤ NĂM 2026"  # the heading is not the title


def test_a_new_unit_named_before_it_was_formed_is_said():
    meta = detect("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG (MỚI)\nLâm Đồng, ngày 20 tháng 6 năm 2025\nBÁO CÁO\n")
    assert (meta.province_code, meta.province_code_2025) == ("VN-35", "VN-35")
    assert [p["code"] for p in meta.problems] == []  # the place line names the Lâm Đồng of that date
    meta = detect("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG (MỚI)\nBảo Lộc, ngày 20 tháng 6 năm 2025\nBÁO CÁO\n")
    assert [p["code"] for p in meta.problems] == ["province_not_yet_formed"]


MANIFEST = [  # manifest province, plan year -> code, code_2025, issue
    ("Lâm Đồng (mới)", 2026, "VN-35", "VN-35", None),
    ("Đắk Nông", 2024, "VN-72", "VN-35", None),
    ("tỉnh Bình Phước", 2026, "VN-39", "VN-39", "province_superseded"),
    ("Thừa Thiên Huế", 2026, "VN-26", "VN-26", None),
    ("VN-58", 2024, "VN-58", "VN-39", None),
]


@pytest.mark.parametrize("name,year,code,code_2025,problem", MANIFEST)
def test_manifest_accepts_former_and_new_names(name, year, code, code_2025, problem):
    meta = detect("KẾ HOẠCH\nBảng phân công\n")
    meta.plan_year = year
    assert apply_manifest_province(meta, name, year_changed=True)
    assert (meta.province_code, meta.province_code_2025, meta.sources["province"]) == (code, code_2025, "manifest")
    assert [p["code"] for p in meta.problems] == ([problem] if problem else [])


def test_manifest_year_rereads_the_detected_province():
    meta = detect("UBND TỈNH BÌNH PHƯỚC\nSỞ CÔNG THƯƠNG\nKẾ HOẠCH\nCải cách hành chính\n")  # no year: as named
    assert meta.province_code == "VN-58"
    meta.plan_year = 2026
    apply_manifest_province(meta, None, year_changed=True)
    assert meta.province_code == "VN-39" and [p["code"] for p in meta.problems] == ["province_superseded"]
    assert not apply_manifest_province(meta, "Atlantis", year_changed=False)
