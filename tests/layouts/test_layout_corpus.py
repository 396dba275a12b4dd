"""The layout corpus itself: the specs are consistent, and the rendered files hold what the specs say
with the layout properties they claim (text present, headers, rotation, page breaks, scans)."""
from __future__ import annotations

import csv
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from layout_spec import (
    DOCS,
    ROOT,
    docx_text,
    expected_rows,
    expected_targets,
    find_pieces,
    leaf_columns,
    load_specs,
    pdf_pages,
    pdftotext_available,
    renders,
    squash,
    table_fields,
)

SPECS = load_specs()
DATA = ROOT / "normalizers" / "data"
needs_poppler = pytest.mark.skipif(not pdftotext_available(), reason="poppler-utils (pdftotext) not installed")

KINDS = {"by_date", "period", "continuous", "conditional", "scheduled", "unknown"}
COMPARATORS = {">=", "<=", "=", "range", "increase_by", "decrease_by"}
UNITS = {"%", "count", "minutes", "percentage_points"}
SOURCES = {"prose", "objective", "task", "activity", "output", "note"}
# the agreed scheme for units of a Sở other than the Sở Công Thương (whose ids are in units.csv)
GENERIC = {"VP", "TTRA", "LD", "ALL", "PHONG", "DONVI", "LQ", "BPMC"}
DIVISIONS = {"SNV": {"TCBC", "CCHC", "CCVC", "XDCQ", "TDKT", "TG", "VTLT"},
             "STP": {"XDKT", "PBGDPL", "HCTP", "BTTP", "QLXLVP", "TGPL", "DGTS"}}
LAYOUTS_REQUIRED = {"two_row_header", "three_row_header", "rotate_90", "rotate_270", "sideways", "narrow_portrait",
                    "other_columns", "five_pages", "borderless", "scan"}


def _catalog(name: str, column: str) -> set[str]:
    with open(DATA / name, encoding="utf-8") as fh:
        return {row[column] for row in csv.DictReader(fh)}


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict | list):
        for v in obj.values() if isinstance(obj, dict) else obj:
            yield from _strings(v)


def _render_id(item) -> str:
    return item[1]["file"]


def _appendix_pages(spec: dict, path: Path) -> list[int]:
    """0-based pages from the one carrying the appendix title to the end."""
    title = squash(spec["appendix"]["lines"][1])
    pages = pdf_pages(path)
    first = next(i for i, p in enumerate(pages) if find_pieces(title, squash(p), max_pieces=1))
    return list(range(first, len(pages)))


# ---------------------------------------------------------------- the specs
@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
def test_spec_is_a_whole_plan(spec):
    rows = expected_rows(spec)
    blocks = spec["appendix"]["blocks"]
    assert len(rows) >= 25
    assert len({b["area_code"] for b in blocks if "section" in b}) >= 6
    assert sum("group" in b for b in blocks) >= 2
    assert all(unicodedata.is_normalized("NFC", s) for s in _strings(spec))
    h = spec["header"]
    assert h["number"] == f"Số: {spec['doc_number']}"
    day, month, year = map(int, re.search(r"ngày (\d+) tháng (\d+) năm (\d{4})", h["place_date"]).groups())
    assert f"{year:04d}-{month:02d}-{day:02d}" == spec["doc_date"]
    assert str(spec["plan_year"]) in " ".join(spec["title"] + spec["appendix"]["lines"])


@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
def test_expected_values_follow_the_contract(spec):
    indicators = _catalog("indicators.csv", "indicator")
    from normalizers.unit_catalog import all_units
    catalog_ids = {u.unit_id for u in all_units()}  # concrete units, every agency's generic ones, EXT.*
    prefix = spec["unit_prefix"]
    year = spec["plan_year"]
    for row in expected_rows(spec):
        x = row["expect"]
        assert 1 <= x["area_code"] <= 8
        kind, start, end = x["deadline_kind"], x["due_start"], x["due_end"]
        assert kind in KINDS, row["task"]
        assert (start is None) == (kind in ("by_date", "conditional", "scheduled", "unknown")), row["task"]
        assert (end is None) == (kind in ("continuous", "conditional", "scheduled", "unknown")), row["task"]
        if start and end:
            assert start <= end, row["task"]
        for d in (start, end):
            assert d is None or d.startswith(str(year)), (row["task"], d)  # every deadline here is in the plan year
        for unit in x["lead_units"] + x["support_units"]:
            head, _, tail = unit.partition(".")
            assert unit in catalog_ids, unit
            if head != "EXT":
                assert head == prefix and tail in GENERIC | DIVISIONS.get(prefix, set()) | {
                    u.unit_id.partition(".")[2] for u in all_units() if u.prefix == head}, unit
        for name in x["unknown"]:  # a body outside the catalog is named in its cell
            assert name in (row["lead"] or "") + " " + (row["support"] or ""), name
    for t in [t for b in spec["body"] for t in b.get("targets", [])] + \
             [t for r in expected_rows(spec) for t in r["expect"]["targets"]]:
        assert t["indicator"] is None or t["indicator"] in indicators, t
        assert t["comparator"] in COMPARATORS and t["unit"] in UNITS and t["source_field"] in SOURCES, t
        assert (t["comparator"] == "range") == (t.get("value_max") is not None), t


def _number_forms(v: float) -> list[str]:
    text = f"{v:g}".replace(".", ",")
    return [text, f"0{text}"]


@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
def test_every_target_is_in_the_text_it_names(spec):
    """A target's number (as Vietnamese writes it) is in the paragraph or cell its source_field names."""
    checked = 0
    for block in spec["body"]:
        for t in block.get("targets", []):
            assert any(f in block["p"] for f in _number_forms(t["value"])), t
            checked += 1
    for b in spec["appendix"]["blocks"]:
        for t in b.get("targets", []):
            assert t["source_field"] == "objective" and any(f in b["objective"] for f in _number_forms(t["value"])), t
            checked += 1
    for row in expected_rows(spec):
        for t in row["expect"]["targets"]:
            if t["source_field"] == "objective":
                continue  # the item's, checked above
            assert any(f in (row[t["source_field"]] or "") for f in _number_forms(t["value"])), t
            checked += 1
    assert checked >= 10


def test_the_corpus_covers_every_layout_property():
    tags = {tag for _, r in renders() for tag in r.get("layouts", [])}
    assert LAYOUTS_REQUIRED <= tags, LAYOUTS_REQUIRED - tags
    scans = [(s, r) for s, r in renders("scan")]
    header_plans = {s["id"] for s, r in renders() if {"two_row_header", "three_row_header"} & set(r["layouts"])}
    assert header_plans <= {s["id"] for s, r in scans if r["scan"]["dpi"] == 200}
    assert any(r["scan"]["dpi"] == 150 and r["scan"].get("colour") and r["scan"].get("quality") == 50
               and abs(r["scan"].get("skew_fixed", 0) - 1.2) < 0.01 and r["scan"].get("seals") for _, r in scans)
    assert any("borderless" in r["layouts"] for _, r in scans)


def test_docs_folder_is_exactly_the_renders():
    files = {p.name for p in DOCS.iterdir() if p.name != "BUILD.json"}
    assert files == {r["file"] for _, r in renders()}
    assert sum(p.stat().st_size for p in DOCS.iterdir()) < 15 * 2**20


# ---------------------------------------------------------------- text of the rendered files
def _cells(row: dict) -> list[str]:
    out = []
    for f in ("objective", "task", "activity", "output", "lead", "support", "deadline", "budget", "note"):
        v = row.get(f)
        out.extend(v if isinstance(v, list) else [v] if v else [])
    return out


@pytest.mark.parametrize("item", renders("docx"), ids=_render_id)
def test_docx_holds_every_cell(item):
    spec, render = item
    text = squash(docx_text(DOCS / render["file"]))
    for row in expected_rows(spec):
        assert find_pieces(squash(row["task"]), text, max_pieces=1), row["task"]
        for cell in _cells(row):
            assert find_pieces(squash(cell), text, max_pieces=1), cell


@pytest.mark.parametrize("item", renders("docx"), ids=_render_id)
def test_docx_table_has_real_merges_and_repeated_header_rows(item):
    spec, render = item
    xml = zipfile.ZipFile(DOCS / render["file"]).read("word/document.xml").decode("utf-8")
    table = xml[xml.rindex("<w:tbl>"):]  # the appendix is the document's last table
    grouped = any("columns" in c for c in spec["appendix"]["columns"])
    header_rows = 1 + grouped + bool(spec["appendix"].get("number_row"))
    assert table.count("<w:tblHeader") == header_rows
    assert "<w:gridSpan" in table and "<w:vMerge" in table
    assert table.count("<w:gridCol") == len(leaf_columns(spec["appendix"]["columns"]))


PDF_RENDERS = [x for x in renders() if x[1]["kind"] in ("pdf", "rotate")]


@needs_poppler
@pytest.mark.parametrize("item", PDF_RENDERS, ids=_render_id)
def test_pdf_text_holds_every_cell(item):
    spec, render = item
    hay = "".join(squash(p) for p in pdf_pages(DOCS / render["file"]))
    for row in expected_rows(spec):
        assert find_pieces(squash(row["task"]), hay), row["task"]
        for cell in _cells(row):
            assert find_pieces(squash(cell), hay), cell
    for block in spec["body"]:
        text = block.get("p") or block.get("h") or block.get("h2")
        assert find_pieces(squash(text), hay, max_pieces=2), text[:60]


@needs_poppler
@pytest.mark.parametrize("item", [x for x in PDF_RENDERS if x[1]["kind"] == "pdf"], ids=_render_id)
def test_header_rows_repeat_on_every_table_page_unless_not_marked(item):
    spec, render = item
    path = DOCS / render["file"]
    names = [c["name"] for c in spec["appendix"]["columns"]] + \
            [leaf["name"] for c in spec["appendix"]["columns"] for leaf in c.get("columns", [])]
    if spec["appendix"].get("number_row"):
        names += [f"({i + 1})" for i in range(len(leaf_columns(spec["appendix"]["columns"])))]
    pages = _appendix_pages(spec, path)
    assert len(pages) >= 2
    shown = [all(find_pieces(squash(n), squash(pdf_pages(path)[p]), max_pieces=1) for n in names) for p in pages]
    assert shown[0]
    assert all(shown[1:]) if render.get("repeat_header", True) else not any(shown[1:])


@needs_poppler
@pytest.mark.parametrize("item", [x for x in renders() if "five_pages" in x[1]["layouts"]], ids=_render_id)
def test_long_table_runs_over_five_pages(item):
    spec, render = item
    rows = expected_rows(spec)
    pages = [squash(p) for p in pdf_pages(DOCS / render["file"])]
    first = next(i for i, p in enumerate(pages) if find_pieces(squash(rows[0]["task"]), p, max_pieces=1))
    last = max(i for i, p in enumerate(pages) if find_pieces(squash(rows[-1]["task"])[-12:], p, max_pieces=1))
    assert last - first + 1 >= 5


@needs_poppler
@pytest.mark.parametrize("item", [x for x in renders() if x[1].get("expect_breaks")], ids=_render_id)
def test_narrow_portrait_rows_break_across_pages(item):
    """The named rows are cut by a page end: each named cell starts on one page, ends on the next."""
    from pypdf import PdfReader

    spec, render = item
    path = DOCS / render["file"]
    assert len(table_fields(spec)) == 7 and render["font_size"] == 11 and render["appendix_page"] == "portrait"
    page = PdfReader(str(path)).pages[_appendix_pages(spec, path)[0]]
    assert float(page.mediabox.width) < float(page.mediabox.height)
    pages = [squash(p) for p in pdf_pages(path)]
    rows = {r["task"]: r for r in expected_rows(spec)}
    for brk in render["expect_breaks"]:
        row = next(r for t, r in rows.items() if t.startswith(brk["task"]))
        for f in brk["fields"]:
            cell = squash(row[f])
            cut = [p for p in range(len(pages) - 1)
                   if not find_pieces(cell, pages[p], max_pieces=1)
                   and not find_pieces(cell, pages[p + 1], max_pieces=1)
                   and any(find_pieces(cell[:k], pages[p][-600:], max_pieces=1)
                           and find_pieces(cell[k:], pages[p + 1], max_pieces=1) for k in range(4, len(cell) - 1))]
            assert cut, (brk["why"], f, row[f])


# ---------------------------------------------------------------- rotation
def _char_turn(page) -> set[str]:
    """How the glyphs of a page are drawn: 'upright', 'ccw' (turned a quarter anticlockwise) or 'cw'."""
    turns = set()
    for ch in page.chars[:400]:
        a, b, c, d = ch["matrix"][:4]
        turns.add("upright" if a > 0 and abs(b) < 1e-6 else "ccw" if b > 0 and abs(a) < 1e-6
                  else "cw" if b < 0 else "?")
    return turns


def _char_turn_raw(page) -> set[str]:
    """The turn of the text matrices in the page's own content stream (before /Rotate)."""
    from pypdf.generic import ContentStream

    turns = set()
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"Tm":
            a, b = float(operands[0]), float(operands[1])
            turns.add("upright" if a > 0 and abs(b) < 1e-6 else "ccw" if b > 0 else "cw" if b < 0 else "?")
        elif op == b"cm":
            a, b = float(operands[0]), float(operands[1])
            if abs(a) < 1e-6 and abs(b) > 1e-6:
                turns.add("ccw" if b > 0 else "cw")
    return turns


@pytest.mark.parametrize("item", renders("rotate"), ids=_render_id)
def test_rotated_pages_are_portrait_boxes_that_a_viewer_shows_upright(item):
    import pdfplumber
    from pypdf import PdfReader

    spec, render = item
    source = PdfReader(str(DOCS / render["from"]))
    rotated = PdfReader(str(DOCS / render["file"]))
    assert len(source.pages) == len(rotated.pages)
    modes = render["rotate"] if isinstance(render["rotate"], list) else [render["rotate"]]
    k = 0
    seen = set()
    with pdfplumber.open(str(DOCS / render["file"])) as pdf:
        for i, (src, page) in enumerate(zip(source.pages, rotated.pages)):
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            assert w < h  # every page of the file is a portrait box
            if float(src.mediabox.width) < float(src.mediabox.height):
                assert page.get("/Rotate", 0) == 0
                continue
            mode = modes[k % len(modes)]
            k += 1
            seen.add(mode)
            shown = pdf.pages[i]  # pdfplumber applies /Rotate, as a viewer does
            turn = _char_turn(shown)
            if mode == "sideways":  # no /Rotate: the table runs up the sheet
                assert page.get("/Rotate", 0) == 0 and turn == {"ccw"} and shown.width < shown.height
            else:  # drawn turned a quarter, so that the viewer's /Rotate shows it upright and landscape
                assert page["/Rotate"] == mode and turn == {"upright"} and shown.width > shown.height
                content = _char_turn_raw(page)
                assert content == ({"ccw"} if mode == 90 else {"cw"}), content
            pdf.pages[i].close()
    assert seen == set(modes)


# ---------------------------------------------------------------- borders
@pytest.mark.parametrize("item", [x for x in renders("pdf") if x[1].get("borders") is False], ids=_render_id)
def test_borderless_table_has_no_rulings(item):
    import pdfplumber

    spec, render = item
    ruled = next(r for s, r in renders("pdf") if s["id"] == spec["id"] and r.get("borders", True))
    for name, want in ((render["file"], False), (ruled["file"], True)):
        path = DOCS / name
        with pdfplumber.open(str(path)) as pdf:
            page = pdf.pages[_appendix_pages(spec, path)[0]]
            assert bool(page.lines or page.rects) is want, name


# ---------------------------------------------------------------- scans
@pytest.mark.parametrize("item", renders("scan"), ids=_render_id)
def test_scans_are_images_without_a_text_layer(item):
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    spec, render = item
    path = DOCS / render["file"]
    pdf = pdfium.PdfDocument(str(path))
    for page in pdf:
        assert page.get_textpage().count_chars() == 0
    pdf.close()
    reader = PdfReader(str(path))
    source = PdfReader(str(DOCS / render["from"]))
    assert len(reader.pages) == len(render["scan"].get("pages") or source.pages)
    for page in reader.pages:
        (img,) = page.images
        dpi = img.image.width / float(page.mediabox.width) * 72
        assert abs(dpi - render["scan"]["dpi"]) < 2
        assert img.image.mode == ("RGB" if render["scan"].get("colour") else "L")
    assert path.stat().st_size < 2 * 2**20


def test_rows_use_only_the_columns_of_their_table():
    for spec in SPECS:
        fields = set(table_fields(spec))
        for block in spec["appendix"]["blocks"]:
            for row in block.get("rows", []):
                assert set(row) - {"expect", "doubt", "accept_deadline"} <= fields, (spec["id"], set(row) - fields)
            assert ("objective" in block) <= ("objective" in fields) and ("item" in block) <= ("item_no" in fields)


# ---------------------------------------------------------------- the measuring tool's own scoring
def _result_as_the_spec_says(spec: dict):
    """What a perfect reader would return for a spec, in process_file's shape."""
    from datetime import date
    from types import SimpleNamespace

    def day(s):
        return date.fromisoformat(s) if s else None

    tasks, issues = [], []
    for k, r in enumerate(expected_rows(spec)):
        x = r["expect"]
        joined = {f: " - ".join(r[f]) if isinstance(r[f], list) else r[f] for f in ("deadline", "budget")}
        tasks.append({"task_id": f"t{k}", "extractor": "docx-xml", "item_no": r["item_no"], "objective": r["objective"],
                      "task": r["task"], "activity": r["activity"], "output": r["output"], "lead_raw": r["lead"],
                      "support_raw": r["support"], "deadline_raw": joined["deadline"], "budget_raw": joined["budget"],
                      "area_raw": r["area_raw"], "group_raw": r["group_raw"], "area_code": x["area_code"],
                      "lead_units": x["lead_units"], "support_units": x["support_units"],
                      "deadline_kind": x["deadline_kind"], "due_start": day(x["due_start"]),
                      "due_end": day(x["due_end"])})
        if x["unknown"]:
            issues.append({"code": "unknown_unit", "task_id": f"t{k}"})
    document = {k: spec[k] for k in ("province_code", "plan_year", "agency", "doc_number")}
    document["doc_date"] = day(spec["doc_date"])
    return SimpleNamespace(document=document, tasks=tasks, targets=[dict(t) for t in expected_targets(spec)],
                           issues=issues)


@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
def test_measure_scores_a_perfect_reading_full_and_counts_each_fault(spec):
    from measure_layouts import score_document, target_key

    render = spec["renders"][0]
    perfect = _result_as_the_spec_says(spec)
    s = score_document(spec, render, perfect)
    n = len(expected_rows(spec))
    assert (s.rows_found, s.rows_expected, s.spurious) == (n, n, 0)
    assert s.cells_equal == s.cells_total > 0
    assert all(right == counted for right, counted in s.fields.values()) and s.fields["window"][1] == n
    assert s.targets_found == s.targets_expected == s.targets_extracted and s.targets_unmatched == 0
    assert s.meta[0] == s.meta[1] == 5

    faulty = _result_as_the_spec_says(spec)
    del faulty.tasks[5]
    faulty.tasks[0]["lead_units"] = ["EXT.UBND"]
    faulty.tasks[1]["deadline_kind"], faulty.tasks[1]["due_start"], faulty.tasks[1]["due_end"] = "unknown", None, None
    faulty.tasks[2]["support_raw"] = "Văn phòng"
    stray = {"task_id": "x", "task": "Một dòng không có trong kế hoạch", "output": "x", "lead_raw": "x"}
    faulty.tasks.append(dict(faulty.tasks[3], **stray))
    faulty.tasks.append(dict(faulty.tasks[3], task_id="p", extractor="prose-area_list"))
    missed = faulty.targets.pop()
    faulty.targets.append({"indicator": "satisfaction", "comparator": "=", "value": 12.0, "value_max": None})
    faulty.document["doc_number"] = None
    f = score_document(spec, render, faulty)
    assert (f.rows_found, f.spurious, f.prose_tasks) == (n - 1, 1, 1)
    assert f.fields["lead"][0] == n - 2 and f.fields["kind"][0] == n - 2 and f.fields["window"][0] == n - 2
    assert f.cells_total - f.cells_equal == 1
    assert f.targets_found == s.targets_found - (target_key(missed) not in {target_key(t) for t in faulty.targets})
    assert f.targets_unmatched == 1 and f.meta[0] == 4
