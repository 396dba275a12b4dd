"""`cchc report DIR --html FILE`: one self-contained HTML page (no script, no CDN; charts are
inline SVG) showing what a run found and what needs review."""
from __future__ import annotations

import html
from collections import Counter, defaultdict
from pathlib import Path

from .compare import GROUP_KEYS, target_comparison
from .export import _atomic_save, read_dataset

AREAS = {1: "Chỉ đạo, điều hành", 2: "Thể chế", 3: "Thủ tục hành chính", 4: "Tổ chức bộ máy", 5: "Công vụ",
         6: "Tài chính công", 7: "Chính quyền số", 8: "Tác động (SIPAS)"}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf"]
CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;
vertical-align:top}th{background:#f4f4f4}td.num{text-align:right}.muted{color:#777}
svg text{font:12px system-ui,sans-serif}.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}"""


def esc(v) -> str:
    return html.escape("" if v is None else str(v))


def hbar_chart(title: str, items: list[tuple[str, list[tuple[str, float]]]], series: list[str],
               value_fmt=lambda v: f"{v:g}") -> str:
    """Grouped horizontal bars: items = [(label, [(series, value)])], one colour per series."""
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    bar, gap, label_w, plot_w = 14, 10, 260, 620
    rows = sum(max(1, len(vals)) for _, vals in items)
    height = rows * bar + len(items) * gap + 20
    vmax = max((v for _, vals in items for _, v in vals), default=1) or 1
    out = [f'<svg role="img" aria-label="{esc(title)}" width="{label_w + plot_w + 80}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    y = 10
    for label, vals in items:
        out.append(f'<text x="{label_w - 8}" y="{y + bar - 3}" text-anchor="end">{esc(label[:42])}</text>')
        for s, v in vals:
            w = max(1.0, plot_w * v / vmax)
            out.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 2}" fill="{colours[s]}">'
                       f'<title>{esc(label)} · {esc(s)}: {esc(value_fmt(v))}</title></rect>')
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 3}">{esc(value_fmt(v))}</text>')
            y += bar
        y += gap
    out.append("</svg>")
    legend = "".join(f'<span><i style="background:{c}"></i>{esc(s)}</span>' for s, c in colours.items())
    return f'<div class="legend">{legend}</div>' + "".join(out) if len(series) > 1 else "".join(out)


def _table(headers: list[str], rows: list[list], num: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if i in num else f"<td>{c}</td>"
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


GROUPING = {"issued": "Provinces as issued: each plan under the province that issued it (province).",
            "2025": "Provinces of the 2025 arrangement (province_2025, Resolution 202/2025/QH15): a plan of a "
                    "former province is counted under the province it became part of, so plans before and after "
                    "1 July 2025 stand side by side."}


def build_report(out: Path, group_by: str = "issued") -> str:
    docs = read_dataset(out, "documents").to_pylist()
    tasks = read_dataset(out, "tasks").to_pylist()
    code_col, name_col = GROUP_KEYS[group_by]
    comparison = read_dataset(out, "target_comparison").to_pylist() if group_by == "issued" else \
        target_comparison(read_dataset(out, "targets").to_pylist(), by=group_by)
    issues = read_dataset(out, "issues").to_pylist()
    by_doc = {d["doc_id"]: d for d in docs}
    row_of = {t["task_id"]: t["source_row"] for t in tasks}
    place = {d["doc_id"]: f"{d[name_col] or '?'} {d['plan_year'] or '?'}" for d in docs}
    parts = [f"<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>cchc report</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>Kế hoạch CCHC: what the run found</h1><p class=\"muted\">{esc(out)} · {len(docs)} documents, "
             f"{len(tasks)} tasks, {len(comparison)} indicator × province × year rows, {len(issues)} issues</p>",
             f'<p class="grouping">{esc(GROUPING[group_by])}</p>']

    # targets by indicator x province x year
    def label(r: dict) -> str:
        return f"{r[name_col] or r[code_col]} {r['plan_year']}"

    keys = sorted({label(r) for r in comparison})
    grouped: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for r in sorted(comparison, key=lambda r: (r["indicator"], r[code_col] or "", r["plan_year"] or 0)):
        if r["unit"] == "%" and r["comparator"] in (">=", "=", "<="):
            grouped[r["indicator"]].append((label(r), r["value"]))
    parts.append("<h2>Targets by indicator, province and year</h2>")
    parts.append(hbar_chart("targets", sorted(grouped.items()), keys, lambda v: f"{v:g}%"))
    extra = ["issued by"] if group_by != "issued" else []
    parts.append(_table(["indicator", name_col, "year", "comparator", "value", "value_max", "unit", "mentions", *extra],
                        [[esc(r["indicator"]), esc(r[name_col]), esc(r["plan_year"]), esc(r["comparator"]),
                          esc(f"{r['value']:g}"), esc(r["value_max"]), esc(r["unit"]), esc(r["n_mentions"]),
                          *([esc("; ".join(r["issued_by"]))] if extra else [])]
                         for r in comparison], num={4, 7}))

    # tasks per PAR area per province
    per_area: dict[str, Counter] = defaultdict(Counter)
    for t in tasks:
        per_area[AREAS.get(t["area_code"], "no area")][place.get(t["doc_id"], "?")] += 1
    places = sorted({p for c in per_area.values() for p in c})
    parts.append("<h2>Tasks per PAR Index area</h2>")
    parts.append(hbar_chart("tasks per area", [(a, [(p, c[p]) for p in places if c[p]]) for a, c in
                                                sorted(per_area.items())], places, lambda v: f"{v:g}"))

    # lead-unit workload
    lead = Counter(u for t in tasks for u in (t["lead_units"] or []))
    parts.append("<h2>Lead-unit workload (tasks where the unit leads)</h2>")
    parts.append(hbar_chart("lead units", [(u, [("tasks", n)]) for u, n in lead.most_common(20)], ["tasks"]))

    # deadlines by kind and by quarter
    kinds = Counter(t["deadline_kind"] or "none" for t in tasks)
    quarters = Counter(f"Q{(t['due_end'].month - 1) // 3 + 1}/{t['due_end'].year}" for t in tasks if t["due_end"])
    parts.append("<h2>Deadlines</h2>")
    parts.append(hbar_chart("deadline kinds", [(k, [("tasks", n)]) for k, n in kinds.most_common()], ["tasks"]))
    parts.append(hbar_chart("deadlines by quarter", [(q, [("tasks", quarters[q])]) for q in
                                                     sorted(quarters, key=lambda q: (q[3:], q[:2]))], ["tasks"]))

    # review queue
    parts.append(f"<h2>Review queue ({len(issues)} issues)</h2>")
    rows = []
    for i in sorted(issues, key=lambda i: (i["severity"] != "error", i["source_file"] or "", i["code"])):
        src = i["source_file"] or ""
        link = Path(src).resolve().as_uri() if src and Path(src).exists() else None
        page = f"#page={i['source_page']}" if i["source_page"] else ""
        doc = f'<a href="{esc(link + page)}">{esc(src)}</a>' if link else esc(src)
        where = by_doc.get(i["doc_id"], {}).get("title") or ""
        rows.append([esc(i["severity"]), esc(i["code"]), doc, esc(i["source_page"]), esc(row_of.get(i["task_id"])),
                     esc(i["task_id"]),
                     esc(i["field"]), esc(i["message"]), esc((i["raw_value"] or "")[:120]), esc(where[:60])])
    parts.append(_table(["severity", "code", "document", "page", "row", "task", "field", "what to do", "raw value",
                         "title"], rows) if rows else "<p>Nothing to review.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(out: Path, html_path: Path, group_by: str = "issued") -> None:
    text = build_report(out, group_by)
    _atomic_save(lambda p: Path(p).write_text(text, "utf-8"), html_path)
