"""Plan identity: the files that hold one plan (its PDF, DOCX, DOC, TXT and scan) share a plan_id,
one of them is primary, and comparisons count each plan once."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from conftest import RAW, read, run_cli

from pipeline.plans import identify, signature, table_agreement

SUBJECTS = ["ra soat thu tuc hanh chinh", "kiem tra cong tac cai cach", "tuyen truyen pho bien phap luat",
            "so hoa ho so ket qua", "dao tao boi duong cong chuc", "cap nhat co so du lieu",
            "xay dung van ban quy pham", "danh gia muc do hai long"]
PLACES = ["linh vuc cong nghiep", "linh vuc thuong mai", "tai bo phan mot cua", "tren cong dich vu cong"]
ROWS = tuple(f"{SUBJECTS[i % 8]} {PLACES[i // 8]} dot {i + 1}" for i in range(30))  # 30 distinct task rows


def doc(doc_id, fmt="pdf", number=None, title="KẾ HOẠCH Cải cách hành chính năm 2024", date=None,
        province="VN-39", year=2024, agency="Sở Công Thương", status="ok"):
    return {"doc_id": doc_id, "source_file": f"{doc_id}.{fmt}", "source_format": fmt, "doc_number": number,
            "title": title, "doc_date": date, "province_code": province, "plan_year": year, "agency": agency,
            "status": status}


def ocr_noise(key: str) -> str:
    """What a scan does to a row: a letter dropped, one misread."""
    return key.replace("tuc", "tue").replace("linh", "lnh").replace("cong", "cng")


def groups(result) -> list[set[str]]:
    return sorted((set(m) for m in result.plans.values()), key=lambda g: sorted(g))


def primary(result) -> set[str]:
    return {d for d, (_, p) in result.plan_of.items() if p}


@pytest.mark.parametrize("b, expected", [
    (ROWS, 1.0),
    (tuple(ocr_noise(k) for k in ROWS), 1.0),  # a scan of the same table
    (ROWS[:12] + ROWS[13:], 29 / 30),  # one row lost at a page break
    (ROWS[:10] + ("mot dong bi tach ra hai",) + ROWS[10:], 30 / 31),  # one row split in two
    (tuple(f"nhiem vu khac han {i} ve dao tao boi duong cong chuc" for i in range(30)), 0.0),  # another table
    ((), None),  # a file whose table was not read tells nothing
])
def test_table_agreement_matches_rows_in_order_and_tolerates_misreads(b, expected):
    got = table_agreement(ROWS, b)
    assert got == expected if expected is None else got == pytest.approx(expected)


def test_signature_reads_task_and_activity_and_criteria_rows_accent_free():
    sig = signature([{"task": "Rà soát TTHC", "activity": "Kiểm tra"}, {"task": None}],
                    [{"criterion_code": "1.1", "criterion_name": "Kế hoạch CCHC"}])
    assert sig == ("ra soat tthc kiem tra", "1 1 ke hoach cchc")


def test_pdf_docx_txt_and_scan_of_one_plan_are_one_plan_and_the_docx_counts():
    docs = [doc("a", "pdf"), doc("b", "docx"), doc("c", "txt"), doc("d", "pdf-ocr")]
    sigs = {"a": ROWS, "b": ROWS, "c": ROWS, "d": tuple(ocr_noise(k) for k in ROWS)}
    r = identify(docs, sigs)
    assert groups(r) == [{"a", "b", "c", "d"}] and primary(r) == {"b"} and not r.issues
    scan_first = identify([doc("d", "pdf-ocr"), doc("c", "txt")], sigs)
    assert primary(scan_first) == {"c"}  # a text layer before a scan


def test_identity_rules():
    sigs = {k: ROWS for k in "abcdefgh"}
    # the same number merges whatever the titles say; different numbers never merge, however alike
    r = identify([doc("a", number="110/KH-SCT", title="KẾ HOẠCH CCHC"), doc("b", "txt", number="110/KH-SCT",
                  title="Kế hoạch số 110 về cải cách")], sigs)
    assert groups(r) == [{"a", "b"}]
    r = identify([doc("a", number="110/KH-SCT"), doc("b", "txt", number="111/KH-SCT")], sigs)
    assert groups(r) == [{"a"}, {"b"}] and not r.issues
    # blank numbers: the same title and date, or the same table
    day = dt.date(2024, 1, 5)
    r = identify([doc("a", date=day), doc("b", "txt", date=day), doc("c", "doc", date=dt.date(2024, 3, 1))],
                 {"a": (), "b": (), "c": ()})
    assert groups(r) == [{"a", "b"}, {"c"}]
    r = identify([doc("a", title="NHIỆM VỤ CỤ THỂ"), doc("b", "txt", title=None)], sigs)
    assert groups(r) == [{"a", "b"}]
    # another province, agency or year is another plan
    r = identify([doc("a"), doc("b", province="VN-23"), doc("c", agency="Sở Nội vụ"), doc("d", year=2025)], sigs)
    assert len(r.plans) == 4


def test_files_named_alike_whose_tables_differ_are_kept_apart_with_an_issue():
    other = tuple(f"nhiem vu khac han {i} ve dao tao boi duong cong chuc" for i in range(30))
    r = identify([doc("a", number="45/KH-SCT"), doc("b", "docx", number="45/KH-SCT")], {"a": ROWS, "b": other})
    assert groups(r) == [{"a"}, {"b"}] and primary(r) == {"a", "b"}
    (issue,) = r.issues
    assert issue["code"] == "plan_lookalike" and issue["doc_id"] == "a" and issue["raw_value"] == "b.docx"
    assert "45/KH-SCT" in issue["message"] and "0%" in issue["message"]


def test_unknown_province_needs_the_table_to_agree_not_only_the_title():
    r = identify([doc("a", province=None), doc("b", "txt", province=None), doc("c", "doc", province=None)],
                 {"a": ROWS, "b": ROWS, "c": ()})
    assert groups(r) == [{"a", "b"}, {"c"}]


def test_primary_is_a_well_read_file_with_rows_unless_the_manifest_says_otherwise():
    sigs = {"a": ROWS, "b": (), "c": ROWS, "d": ROWS}
    r = identify([doc("a", "pdf"), doc("b", "docx")], sigs)  # the DOCX's table was not recognised
    assert primary(r) == {"a"}
    r = identify([doc("c", "docx", status="partial"), doc("d", "txt")], sigs)
    assert primary(r) == {"d"}
    r = identify([doc("c", "docx"), doc("d", "txt")], sigs, marked_primary={"d"})
    assert primary(r) == {"d"} and not r.issues
    r = identify([doc("a", "pdf"), doc("c", "docx"), doc("d", "txt")], sigs, marked_primary={"c", "d"})
    assert primary(r) == {"c"} and [i["code"] for i in r.issues] == ["primary_conflict"]


def test_sample_corpus_has_one_plan_per_document_held_in_several_files(corpus_out):
    docs = read(corpus_out, "documents")
    by_plan: dict[str, list[dict]] = {}
    for d in docs:
        by_plan.setdefault(d["plan_id"], []).append(d)
    files = {pid: sorted(d["source_file"].removeprefix("data/raw/") for d in ds) for pid, ds in by_plan.items()}
    assert sorted(files.values()) == sorted([
        ["dongnai_2024_phuluc_nhiemvu_cchc.pdf", "dongnai_2024_phuluc_nhiemvu_cchc_scan.pdf",
         "txt/000_3c92886d3c87bfaf.txt"],
        ["hatinh_2023_kehoach_cchc.doc", "hatinh_2023_kehoach_cchc.docx", "txt/001_f76b48a4b12a19b8.txt"],
        ["phancong_bochiso_cchc_2024.pdf", "txt/002_d43268a35414126a.txt"],  # the criteria table: another title
        ["gialai_2023_kehoach_nang_cao_chiso_cchc.pdf", "txt/003_f93ae6ff23f7aa48.txt"],
        ["dongnai_2026_kehoach_cchc.pdf", "txt/004_4f7a36543f88cd95.txt"],
    ])
    primaries = sorted(d["source_file"].removeprefix("data/raw/") for d in docs if d["is_primary"])
    assert primaries == ["dongnai_2024_phuluc_nhiemvu_cchc.pdf", "dongnai_2026_kehoach_cchc.pdf",
                         "gialai_2023_kehoach_nang_cao_chiso_cchc.pdf", "hatinh_2023_kehoach_cchc.docx",
                         "phancong_bochiso_cchc_2024.pdf"]
    plan_of = {d["doc_id"]: d["plan_id"] for d in docs}
    for name in ("tasks", "targets", "par_assignments"):
        rows = read(corpus_out, name)
        assert rows and all(r["plan_id"] == plan_of[r["doc_id"]] for r in rows), name


def test_the_comparison_counts_each_plan_once(corpus_out):
    docs = read(corpus_out, "documents")
    primary_ids = {d["doc_id"] for d in docs if d["is_primary"]}
    targets = read(corpus_out, "targets")
    counted = Counter((t["indicator"], t["province_code"], t["plan_year"]) for t in targets
                      if t["doc_id"] in primary_ids and t["indicator"])
    comparison = read(corpus_out, "target_comparison")
    assert {(r["indicator"], r["province_code"], r["plan_year"]): r["n_mentions"] for r in comparison} == counted
    # Đồng Nai 2024's on-time target is stated once in the appendix, not once per file of it
    (row,) = [r for r in comparison if (r["indicator"], r["province_code"], r["plan_year"]) ==
              ("on_time_resolution", "VN-39", 2024)]
    appendix_pdf = next(d["doc_id"] for d in docs if d["source_file"].endswith("dongnai_2024_phuluc_nhiemvu_cchc.pdf"))
    assert row["n_mentions"] == sum(t["indicator"] == "on_time_resolution" and t["doc_id"] == appendix_pdf
                                    for t in targets)
    assert set(row["target_ids"]) <= {t["target_id"] for t in targets if t["doc_id"] == appendix_pdf}


def test_a_manifest_primary_column_picks_the_file_that_counts(tmp_path):
    text = (RAW / "txt" / "004_4f7a36543f88cd95.txt").read_bytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ban_goc.txt").write_bytes(text)
    (tmp_path / "in" / "ban_sao.txt").write_bytes(text + b"\n")  # other bytes, the same plan
    (tmp_path / "manifest.csv").write_text("file,primary\nban_sao.txt,x\n", "utf-8")
    out = tmp_path / "out"
    proc = run_cli("run", str(tmp_path / "in"), "--out", str(out), "--manifest", str(tmp_path / "manifest.csv"),
                   "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    docs = {d["source_file"].rsplit("/", 1)[-1]: d for d in read(out, "documents")}
    assert docs["ban_goc.txt"]["plan_id"] == docs["ban_sao.txt"]["plan_id"]
    assert docs["ban_sao.txt"]["is_primary"] and not docs["ban_goc.txt"]["is_primary"]
    n_targets = docs["ban_sao.txt"]["n_targets"]
    assert sum(r["n_mentions"] for r in read(out, "target_comparison")) == \
        sum(1 for t in read(out, "targets") if t["doc_id"] == docs["ban_sao.txt"]["doc_id"] and t["indicator"])
    assert n_targets > 0
    assert "taken as one plan" in proc.stdout and "* " in proc.stdout  # the summary says which files, which counts
