"""The Excel workbook to hand out: a first sheet saying what each sheet holds and which run made
it, the comparison as an indicator × plan matrix, then the datasets with names beside codes.

Rows of tasks, targets, criteria assignments and task units are those of each plan's counted
file, so a pivot table or filter does not count a plan once per file. Every sheet has its
header frozen and filtered, long text wrapped, and is set up to print: landscape A4, fitted to
the page width, the header row repeated on every page.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pyarrow as pa

from . import __version__
from .export import ExportError, read_dataset
from .labels import Names, column, names_of, plan_label, target_text, text, value
from .plans import primary_doc_ids
from .schema import DATASETS, SCHEMA_VERSION

WIDE = {"task", "objective", "activity", "output", "message", "indicator_raw", "title", "criterion_name",
        "name", "aliases", "group_raw", "raw_value", "indicator_name", "source_file", "note", "name_en"}
NARROW = {"province_code", "plan_year", "area_code", "level", "item_no", "pages", "n_tasks", "n_targets",
          "source_page", "source_row", "value", "value_max", "n_mentions", "position", "comparator", "unit",
          "needs_review", "is_primary", "survey_scored", "baseline_value", "baseline_year", "status", "severity"}
# ids and provenance an analyst rarely reads: kept in the sheet but folded away (Data > Show detail), so a
# printed page holds the columns people read; the dataset itself has them all
HIDDEN = {"task_id", "doc_id", "plan_id", "target_id", "target_ids", "province_code", "extractor", "source_row",
          "extra_cells", "metadata_source", "schema_version", "pipeline_version", "lead_units", "support_units",
          "responsible_units", "lead_raw", "support_raw", "responsible_raw", "area_raw", "due_start", "deadline_ref",
          "deadline_kind", "area_code", "budget_raw", "indicator_raw", "baseline_year", "source_page", "agency"}
WIDTHS = {"wide": 30, "narrow": 9, "other": 16}
LINE_HEIGHT = 13  # points per wrapped line of 10-11 pt text
DATASET_SHEETS = ["documents", "tasks", "targets", "target_comparison", "par_assignments", "issues", "task_units",
                  "units", "indicators", "areas", "criteria", "provinces", "corrections"]
SHEET_KEY = {"target_comparison": "comparison"}  # ui_text key of a dataset's sheet name
# short reference lists: every column shown
DIMENSIONS = {"units", "indicators", "areas", "criteria", "provinces", "corrections"}
COUNTED_ONLY = {"tasks", "targets", "par_assignments", "task_units"}
CODED = {"deadline_kind", "source_format", "status", "severity", "comparator", "is_primary", "needs_review",
         "survey_scored"}  # shown with their label in a Vietnamese workbook


def _named_columns(name: str, row: dict, names: Names, lang: str) -> dict:
    """The row with a name column after each code column."""
    out = {}
    for col, v in row.items():
        out[col] = v
        if col == "area_code" and name != "areas":
            out["area_name"] = names.area(v) if v is not None else None
        elif col in ("lead_units", "support_units", "responsible_units"):
            out[col.replace("_units", "_unit_names")] = [names.unit(u) for u in v or []]
        elif col == "deadline_kind":
            out["deadline_kind_name"] = value("deadline_kind", v, lang)
        elif col == "indicator" and name != "indicators":
            out["indicator_name"] = names.indicator(v) if v else None
    return out


def _cell(col: str, v, lang: str):
    if isinstance(v, list):
        return "; ".join(str(x) for x in v)  # unit ids and target ids, readable in one cell
    if lang == "vi" and col in CODED and v is not None:
        return value("bool" if isinstance(v, bool) else col, v, lang)
    if lang == "vi" and isinstance(v, bool):
        return value("bool", v, lang)
    return v


def _sheet_name(dataset: str, lang: str) -> str:
    return text(f"sheet.{SHEET_KEY.get(dataset, dataset)}", lang)[:31]


def _style_sheet(ws, headers: list[str], wide: set[int], narrow: set[int], n_rows: int,
                 hidden: set[int] = frozenset()) -> None:
    """Header bold on a tint, every cell wrapped at the top, widths by kind of column, row heights from the
    wrapped text (Excel and LibreOffice do not grow a row on opening), technical columns folded away."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    width = {i: WIDTHS["wide"] if i in wide else WIDTHS["narrow"] if i in narrow else WIDTHS["other"]
             for i in range(1, len(headers) + 1)}
    for i, w in width.items():
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = w
        if i in hidden:
            dim.outlineLevel, dim.hidden = 1, True
    for r, row in enumerate(ws.iter_rows(), start=1):
        lines = 1
        for i, c in enumerate(row, start=1):
            c.alignment = wrap
            if r == 1:
                c.font, c.fill = bold, fill
            if c.value is not None and i not in hidden:
                shown = str(c.value)
                if isinstance(c.value, str) and shown.startswith("="):
                    c.data_type = "s"  # '= 100%' is a target, not a formula
                per_line = max(1, int(width[i] * 1.0))
                lines = max(lines, sum(len(part) // per_line + 1 for part in shown.split("\n")))
        ws.row_dimensions[r].height = min(409, LINE_HEIGHT * lines + 2)
    ws.freeze_panes = "A2"
    if n_rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{n_rows + 1}"
    _print_setup(ws)


def _print_setup(ws, title_rows: str | None = "1:1") -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as wide as the page, as many pages as it needs
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&A · &P / &N"


def _dataset_sheet(wb, name: str, rows: list[dict], names: Names, lang: str) -> int:
    ws = wb.create_sheet(_sheet_name(name, lang))
    named = [_named_columns(name, r, names, lang) for r in rows]
    cols = list(named[0]) if named else list(_named_columns(name, dict.fromkeys(DATASETS[name].schema.names),
                                                            names, lang))
    ws.append([column(c, lang) for c in cols])
    for r in named:
        ws.append([_cell(c, r[c], lang) for c in cols])
    from openpyxl.utils import get_column_letter
    date_cols = {f.name for f in DATASETS[name].schema if pa.types.is_date(f.type)}
    for i, c in enumerate(cols, start=1):
        if c in date_cols:
            for cell in ws[get_column_letter(i)][1:]:
                cell.number_format = "dd/mm/yyyy"
    _style_sheet(ws, cols, {i for i, c in enumerate(cols, 1) if c in WIDE},
                 {i for i, c in enumerate(cols, 1) if c in NARROW}, len(named),
                 {i for i, c in enumerate(cols, 1) if c in HIDDEN} if name not in DIMENSIONS else set())
    return len(named)


def get_column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter as letter
    return letter(i)


def _matrix_sheet(wb, comparison: list[dict], plans: list[str], names: Names, lang: str) -> int:
    """Indicator × plan: each cell the strictest value the plan states, comparator included."""
    ws = wb.create_sheet(text("sheet.comparison_matrix", lang)[:31])
    cells: dict[str, dict[str, str]] = defaultdict(dict)
    for c in comparison:
        cells[c["indicator"]][plan_label(c)] = target_text(c["comparator"], c["value"], c["value_max"], c["unit"],
                                                           lang)
    headers = [text("col.indicator", lang), text("col.code", lang)] + plans
    ws.append(headers)
    for ind in sorted(cells, key=names.indicator):
        ws.append([names.indicator(ind), ind] + [cells[ind].get(p, "") for p in plans])
    _style_sheet(ws, headers, {1}, set(), len(cells))
    ws.column_dimensions["B"].width = 24
    for i in range(3, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14
    return len(cells)


def _about_sheet(ws, out: Path, docs: list[dict], counts: dict[str, int], holds: dict[str, str], lang: str) -> None:
    from openpyxl.styles import Alignment, Font
    try:
        stamp = max(p.stat().st_mtime for p in (out / "documents").rglob("*.parquet"))
        when = dt.datetime.fromtimestamp(stamp).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        when = "?"
    versions = sorted({d["pipeline_version"] for d in docs if d.get("pipeline_version")}) or [__version__]
    ws.append([text("about.title", lang)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([text("about.run", lang, out=str(out), when=when, version=", ".join(versions), schema=SCHEMA_VERSION)])
    ws.append([text("about.counting", lang, files=len(docs), plans=len({d["plan_id"] or d["doc_id"] for d in docs}))])
    ws.append([])
    ws.append([text("about.sheet", lang), text("about.holds", lang), text("about.rows", lang)])
    for c in ws[5]:
        c.font = Font(bold=True)
    for sheet, n in counts.items():
        ws.append([sheet, holds[sheet], n])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = wrap
    for r in (2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        ws.row_dimensions[r].height = 62
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 26, 90, 10
    _print_setup(ws, None)


def build_workbook(out: Path, lang: str = "en"):
    """(workbook, {sheet name: data rows}) for the output folder `out`."""
    from openpyxl import Workbook
    data = {}
    for name in DATASET_SHEETS:
        try:
            data[name] = read_dataset(out, name).to_pylist()
        except ExportError:
            if name in ("units", "indicators", "areas", "criteria", "task_units", "provinces", "corrections"):
                data[name] = []  # an output written before the dimension datasets existed
            else:
                raise
    docs = data["documents"]
    counted = primary_doc_ids(docs)
    for name in COUNTED_ONLY:
        data[name] = [r for r in data[name] if r["doc_id"] in counted]
    names = names_of(data, lang)
    plans = list(dict.fromkeys(plan_label(d) for d in sorted(
        (d for d in docs if d["doc_id"] in counted), key=lambda d: (d["province"] or "", d["plan_year"] or 0))))
    wb = Workbook()
    about = wb.active
    about.title = text("sheet.about", lang)[:31]
    counts: dict[str, int] = {}
    holds: dict[str, str] = {}
    sheet = text("sheet.comparison_matrix", lang)[:31]
    counts[sheet] = _matrix_sheet(wb, data["target_comparison"], plans, names, lang)
    holds[sheet] = text("holds.comparison_matrix", lang)
    for name in DATASET_SHEETS:
        sheet = _sheet_name(name, lang)
        counts[sheet] = _dataset_sheet(wb, name, data[name], names, lang)
        holds[sheet] = text(f"holds.{SHEET_KEY.get(name, name)}", lang)
    _about_sheet(about, out, docs, counts, holds, lang)
    return wb, counts
