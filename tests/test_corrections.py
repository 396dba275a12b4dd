"""Corrections that survive re-runs, the review round trip, the analyst's own catalogs and ids that
do not move when a table gains a row: on a small generated plan (a tab-separated appendix)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest
from conftest import read, run_cli

HEADER = ["SỞ CÔNG THƯƠNG TỈNH GIA LAI", "KẾ HOẠCH", "Cải cách hành chính năm 2025", "PHỤ LỤC NHIỆM VỤ",
          "STT\tMục tiêu\tNhiệm vụ\tChủ trì\tPhối hợp\tThời gian hoàn thành", "I\tCẢI CÁCH THỦ TỤC HÀNH CHÍNH\t\t\t\t"]
ROWS = [
    "{n}\tTỷ lệ hồ sơ giải quyết đúng hạn đạt 98%\tRà soát thủ tục hành chính\tVăn phòng\tThanh tra\tQuý II/2025",
    "{n}\tTỷ lệ hồ sơ giải quyết đúng hạn đạt 95%\tCông khai thủ tục hành chính\tPhòng Xúc tiến đầu tư\tVăn phòng"
    "\tKhi có hướng dẫn",
    "{n}\t\tSố hóa hồ sơ\tVăn phòng\t\ttrong tháng Mười",
]
EXTRA_SECTION = ["II\tCẢI CÁCH THỂ CHẾ\t\t\t\t", "1\t\tRà soát văn bản quy phạm pháp luật\tThanh tra\t\tNăm 2025"]


def write_plan(folder: Path, section_above: bool = False, renumber_from: int = 1) -> Path:
    """The plan; optionally with another section (and its item 1) above, or its items renumbered."""
    lines = HEADER[:-1] + (EXTRA_SECTION if section_above else []) + HEADER[-1:]
    lines += [r.format(n=i) for i, r in enumerate(ROWS, start=renumber_from)]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kehoach.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def write_corrections(path: Path, lines: list[dict], encoding: str = "utf-8-sig", sep: str = ",") -> Path:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["dataset", "id", "field", "value", "note", "who", "when"], delimiter=sep,
                       lineterminator="\r\n")
    w.writeheader()
    w.writerows(lines)
    text = buf.getvalue()
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def cp1258(text: str) -> bytes:
    """As Vietnamese Windows saves it: letters with their hat or horn, tone marks as combining marks."""
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        tones = [c for c in d if c in "\u0300\u0301\u0303\u0309\u0323"]
        out.append(unicodedata.normalize("NFC", "".join(c for c in d if c not in tones)) + "".join(tones))
    return "".join(out).encode("cp1258")


def run(inp: Path, out: Path, *extra: str):
    proc = run_cli("run", str(inp), "--out", str(out), "--quiet", *extra)
    assert proc.returncode == 0, proc.stderr
    return {name: read(out, name) for name in ("documents", "tasks", "targets", "target_comparison", "issues",
                                                "corrections")}


def by_task(rows, words):
    return next(r for r in rows if r["task"] and r["task"].startswith(words))


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("corr")
    inp = base / "in"
    write_plan(inp)
    return base, inp, run(inp, base / "out")


def test_a_correction_is_applied_kept_through_force_and_a_catalog_edit(first_run, tmp_path):
    base, inp, before = first_run
    review_task = by_task(before["tasks"], "Công khai")
    unparsed = by_task(before["tasks"], "Số hóa")
    assert review_task["lead_units"] == [] and unparsed["deadline_kind"] == "unknown"
    target = next(t for t in before["targets"] if t["value"] == 98.0)
    corr = write_corrections(tmp_path / "sửa.csv", [
        {"dataset": "tasks", "id": review_task["task_id"], "field": "lead_units", "value": "SCT.QLTM; SCT.VP",
         "note": "Phòng Xúc tiến là phòng Quản lý thương mại", "who": "an", "when": "2025-03-01"},
        {"dataset": "tasks", "id": unparsed["task_id"], "field": "deadline_raw", "value": "Tháng 10/2025"},
        {"dataset": "targets", "id": target["target_id"], "field": "value", "value": "99,5"},
    ])
    out = tmp_path / "out"
    for extra in ([], ["--force"]):
        got = run(inp, out, "--corrections", str(corr), *extra)
        t = by_task(got["tasks"], "Công khai")
        assert t["lead_units"] == ["SCT.QLTM", "SCT.VP"] and t["corrected_fields"] == ["lead_units"]
        assert t["lead_raw"] == "Phòng Xúc tiến đầu tư"  # the raw cell stays as written
        d = by_task(got["tasks"], "Số hóa")  # a corrected deadline_raw re-derives kind and window
        assert (d["deadline_kind"], d["due_start"], d["due_end"]) == ("period", dt.date(2025, 10, 1),
                                                                       dt.date(2025, 10, 31))
        assert by_task(got["tasks"], "Rà soát")["corrected_fields"] is None
        comparison = got["target_comparison"]
        assert [(c["indicator"], c["value"]) for c in comparison] == [("on_time_resolution", 99.5)]
        applied = {(c["field"], c["extracted_value"], c["corrected_value"], c["applied"]) for c in got["corrections"]}
        assert applied == {("lead_units", "", "SCT.QLTM; SCT.VP", True),  # no id was found
                           ("deadline_raw", "trong tháng Mười", "Tháng 10/2025", True),
                           ("value", "98.0", "99,5", True)}
    # a catalog edit redoes every document: the corrections still apply
    cats = tmp_path / "cats"
    cats.mkdir()
    (cats / "unit_noise.csv").write_text("phrase,why\nđể thực hiện,test\n", "utf-8")
    got = run(inp, out, "--corrections", str(corr), "--catalogs", str(cats))
    assert by_task(got["tasks"], "Công khai")["lead_units"] == ["SCT.QLTM", "SCT.VP"]
    assert not [i for i in got["issues"] if i["code"] in {"orphan_correction", "invalid_correction"}]


def test_the_corrected_value_shows_in_the_workbook_and_the_report(first_run, tmp_path):
    base, inp, before = first_run
    t = by_task(before["tasks"], "Công khai")
    corr = write_corrections(tmp_path / "c.csv", [{"dataset": "tasks", "id": t["task_id"], "field": "lead_units",
                                                   "value": "SCT.QLTM"}])
    out = tmp_path / "out"
    run(inp, out, "--corrections", str(corr))
    xlsx, html = tmp_path / "x.xlsx", tmp_path / "r.html"
    assert run_cli("export", str(out), "--xlsx", str(xlsx), "--quiet").returncode == 0
    assert run_cli("report", str(out), "--html", str(html)).returncode == 0
    from openpyxl import load_workbook

    from pipeline.labels import text
    wb = load_workbook(xlsx, read_only=True)
    rows = list(wb[text("sheet.tasks", "en")].iter_rows(values_only=True))
    head = rows[0]
    row = next(r for r in rows[1:] if r[head.index("task_id")] == t["task_id"])
    assert row[head.index("lead_units")] == "SCT.QLTM" and row[head.index("corrected_fields")] == "lead_units"
    corrections = list(wb[text("sheet.corrections", "en")].iter_rows(values_only=True))
    assert len(corrections) == 2 and corrections[1][corrections[0].index("corrected_value")] == "SCT.QLTM"
    assert "Phòng Quản lý thương mại" in html.read_text("utf-8")  # the lead-unit workload names the corrected unit


def test_orphaned_and_invalid_corrections_are_reported_and_nothing_else_is_lost(first_run, tmp_path):
    base, inp, before = first_run
    t = by_task(before["tasks"], "Rà soát")
    lines = [
        {"dataset": "tasks", "id": "0123456789abcdef", "field": "task", "value": "gone"},  # row gone
        {"dataset": "tasks", "id": t["task_id"], "field": "old_column", "value": "x"},  # field gone
        {"dataset": "tasks", "id": t["task_id"], "field": "area_code", "value": "12"},  # area 12
        {"dataset": "tasks", "id": t["task_id"], "field": "lead_units", "value": "SCT.NOPE"},  # id not in catalog
        {"dataset": "tasks", "id": t["task_id"], "field": "due_end", "value": "31/02/2025"},  # not a date
        {"dataset": "tasks", "id": t["task_id"], "field": "task", "value": "Rà soát, đơn giản hóa TTHC"},  # fine
    ]
    corr = write_corrections(tmp_path / "c.csv", lines, encoding="cp1258", sep=";")  # as Vietnamese Excel saves it
    got = run(inp, tmp_path / "out", "--corrections", str(corr))
    codes = sorted((i["code"], i["field"]) for i in got["issues"] if "correction" in i["code"])
    assert codes == [("invalid_correction", "area_code"), ("invalid_correction", "due_end"),
                     ("invalid_correction", "lead_units"), ("orphan_correction", "old_column"),
                     ("orphan_correction", "task")]
    row = by_task(got["tasks"], "Rà soát")
    assert row["task"] == "Rà soát, đơn giản hóa TTHC" and row["corrected_fields"] == ["task"]
    assert (row["area_code"], row["lead_units"], row["due_end"]) == (3, ["SCT.VP"], dt.date(2025, 6, 30))
    assert len(got["tasks"]) == len(before["tasks"]) and len(got["targets"]) == len(before["targets"])
    assert [c["applied"] for c in sorted(got["corrections"], key=lambda c: c["line"])] == [False] * 5 + [True]
    assert corr.read_bytes().count(b"\n") == len(lines) + 1  # the file is never rewritten by a run


def test_a_filled_in_review_workbook_gives_the_corrections_file_written_by_hand(first_run, tmp_path):
    base, inp, before = first_run
    xlsx = tmp_path / "review.xlsx"
    proc = run_cli("review", str(base / "out"), "--xlsx", str(xlsx))
    assert proc.returncode == 0, proc.stderr
    from openpyxl import load_workbook

    from pipeline.review import HEADERS, VALUE
    wb = load_workbook(xlsx)
    ws = wb["review"]
    head = [c.value for c in ws[1]]
    assert head == HEADERS and "giá trị đúng" in head
    rows = {(r[head.index("dataset")].value, r[head.index("trường (field)")].value): r for r in ws.iter_rows(min_row=2)}
    unit = rows[("tasks", "lead_units")]
    deadline = rows[("tasks", "deadline_raw")]
    assert unit[head.index("giá trị gốc (raw value)")].value == "Phòng Xúc tiến đầu tư"
    assert deadline[head.index("giá trị hiện tại (current value)")].value == "trong tháng Mười"
    unit[VALUE].value = "SCT.QLTM"
    unit[head.index("ghi chú (note)")].value = "cùng một phòng"
    deadline[VALUE].value = "Tháng 10/2025"
    wb.save(xlsx)
    corr = tmp_path / "corrections.csv"
    proc = run_cli("review", "import", str(xlsx), "--corrections", str(corr))
    assert proc.returncode == 0, proc.stderr
    by_hand = write_corrections(tmp_path / "by_hand.csv", [
        {"dataset": "tasks", "id": unit[head.index("id")].value, "field": "lead_units", "value": "SCT.QLTM",
         "note": "cùng một phòng"},
        {"dataset": "tasks", "id": deadline[head.index("id")].value, "field": "deadline_raw", "value": "Tháng 10/2025"},
    ])
    from normalizers.catalogs import read_table
    key = lambda r: (r["id"], r["field"])  # noqa: E731
    assert sorted(read_table(corr), key=key) == sorted(read_table(by_hand), key=key)
    # importing again adds nothing; the file is one `cchc run --corrections` reads
    assert run_cli("review", "import", str(xlsx), "--corrections", str(corr)).returncode == 0
    assert len(read_table(corr)) == 2
    got = run(inp, tmp_path / "out", "--corrections", str(corr))
    assert by_task(got["tasks"], "Công khai")["lead_units"] == ["SCT.QLTM"]


def test_own_catalogs_clear_an_unknown_unit_without_touching_the_package(first_run, tmp_path):
    base, inp, before = first_run
    assert any(i["code"] == "unknown_unit" for i in before["issues"])
    packaged = Path(__file__).resolve().parents[1] / "normalizers" / "data" / "units.csv"
    packaged_bytes = packaged.read_bytes()
    proc = run_cli("catalog", "suggest", str(base / "out"), "--out", str(tmp_path / "cats" / "units.csv"))
    assert proc.returncode == 0, proc.stderr
    from normalizers.catalogs import read_table
    proposed = read_table(tmp_path / "cats" / "units.csv")
    assert [(r["unit_id"], r["canonical_name"]) for r in proposed] == [("SCT.XTDT", "Phòng Xúc tiến đầu tư")]
    got = run(inp, tmp_path / "out", "--catalogs", str(tmp_path / "cats"))
    assert not [i for i in got["issues"] if i["code"] == "unknown_unit"]
    assert by_task(got["tasks"], "Công khai")["lead_units"] == ["SCT.XTDT"]
    assert packaged.read_bytes() == packaged_bytes
    assert run_cli("catalog", "check", "--catalogs", str(tmp_path / "cats")).returncode == 0


def test_catalog_check_reports_malformed_rows_duplicate_aliases_and_undefined_ids(tmp_path):
    assert run_cli("catalog", "check").returncode == 0  # the packaged catalogs are clean
    (tmp_path / "units.csv").write_text(
        "unit_id,canonical_name,aliases,generic,note\n"
        "SCT.VP2,Văn phòng hai,Văn phòng Sở,,\n"  # an alias of SCT.VP already
        "snv lower,Phòng X,,,\n"  # not PREFIX.SUFFIX
        "ABC.X,Phòng Y,,,\n"  # no agency carries ABC
        ",Phòng Z,,,\n"  # no id
        "SCT.Q,Phòng Q,a,b,c,d\n", "utf-8")  # surplus cells
    (tmp_path / "indicators.csv").write_text("indicator,label,phrases,overrides\nx_rate,X,tỷ lệ x,no_such\n", "utf-8")
    proc = run_cli("catalog", "check", "--catalogs", str(tmp_path))
    assert proc.returncode == 1
    text = proc.stdout
    for expected in ("'van phong so' names SCT.VP, SCT.VP2", "'snv lower' is not PREFIX.SUFFIX",
                     "ABC.X has the prefix 'ABC'", "empty unit_id", "more cells than columns",
                     "x_rate overrides 'no_such'"):
        assert expected in text, (expected, text)


def _rows_of(path: Path) -> list[dict]:
    """The task rows the pipeline builds from a file, as the same document (same doc_id) each time."""
    from extractors import extract
    from pipeline.assemble import document_rows
    document = {"doc_id": "d0c0000000000001", "source_file": "kehoach.txt", "province": "Gia Lai",
                "province_code": "VN-30", "plan_year": 2025, "agency": "Sở Công Thương"}
    return document_rows(extract(path), document).tasks


def test_task_ids_stay_when_a_table_gains_a_row_above(tmp_path):
    # what a better reader does to the same document: one more table row above the others
    before = _rows_of(write_plan(tmp_path / "a"))
    after = _rows_of(write_plan(tmp_path / "b", section_above=True))
    assert len(after) == len(before) + 1
    assert {(r["task_id"], r["task"]) for r in before} < {(r["task_id"], r["task"]) for r in after}
    # a true repeat (a row saying exactly what another says) gets its own id; ids are the same on every run
    twice = tmp_path / "c" / "kehoach.txt"
    twice.parent.mkdir()
    lines = write_plan(tmp_path / "d").read_text("utf-8").splitlines()
    twice.write_text("\n".join(lines + lines[-1:]) + "\n", "utf-8")
    ids = [r["task_id"] for r in _rows_of(twice)]
    assert len(ids) == len(set(ids)) == len(before) + 1 and ids == [r["task_id"] for r in _rows_of(twice)]
    # what the row says makes its id: renumbered items get new ids (the README says what changes an id)
    renumbered = _rows_of(write_plan(tmp_path / "e", renumber_from=2))
    assert not {r["task_id"] for r in renumbered} & {r["task_id"] for r in before}


def test_a_correction_on_a_row_that_is_gone_is_reported_and_kept(first_run, tmp_path):
    base, _, before = first_run
    t = by_task(before["tasks"], "Công khai")
    corr = write_corrections(tmp_path / "c.csv", [{"dataset": "tasks", "id": t["task_id"], "field": "lead_units",
                                                   "value": "SCT.QLTM"}])
    write_plan(tmp_path / "renumbered", renumber_from=2)  # an edited file: new doc_id, new ids
    got = run(tmp_path / "renumbered", tmp_path / "out", "--corrections", str(corr))
    assert by_task(got["tasks"], "Công khai")["lead_units"] == []
    assert [i["code"] for i in got["issues"] if "correction" in i["code"]] == ["orphan_correction"]
    assert [(c["id"], c["applied"]) for c in got["corrections"]] == [(t["task_id"], False)]
