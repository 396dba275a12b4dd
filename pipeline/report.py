"""`cchc report DIR --html FILE [--lang vi|en]`: one self-contained HTML page (no script, no CDN;
charts are inline SVG) that compares the plans of a run: the documents read and which file of
each plan counts, targets by indicator and plan, a panel per plan (areas, lead units, deadlines)
and the review queue. Each plan is counted once, from its primary file; names, not codes."""
from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict
from pathlib import Path

from . import __version__
from .compare import target_comparison
from .export import ExportError, _atomic_save, read_dataset
from .labels import Names, column, names_of, plan_label, target_text, text, value
from .plans import primary_doc_ids

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf"]
CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:16px auto;padding:0 12px;color:#222;max-width:1280px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:4px 0 8px}.muted{color:#666}.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;
vertical-align:top}th{background:#f4f4f4;position:sticky;top:0}td.num{text-align:right;white-space:nowrap}
tr.plan td{background:#fafafa;font-weight:600}td.todo{min-width:24ch}td.task{min-width:24ch;max-width:60ch}
td.raw{max-width:40ch;overflow-wrap:anywhere}code{font-size:12px;color:#555}
svg{height:auto}td.nowrap{white-space:nowrap}svg text{font:12px system-ui,sans-serif}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;
margin-right:4px}.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:16px}
.narrow{display:none}@media (max-width:720px){.wide{display:none}.narrow{display:block}}
.panel{border:1px solid #ddd;border-radius:6px;padding:8px 12px}.panel h4{margin:10px 0 2px;font-size:13px}"""


def esc(v) -> str:
    return html.escape("" if v is None else str(v))


def hbar_chart(title: str, items: list[tuple[str, list[tuple[str, float, str]]]], series: list[str],
               label_w: int = 330, plot_w: int = 520) -> str:
    """Grouped horizontal bars: items = [(label, [(series, value, text shown)])]; bars of each item follow
    the order of `series`, which is the legend's order. Drawn twice: labels left of the bars for wide
    screens, labels above the bars for phones (CSS shows one)."""
    order = {s: i for i, s in enumerate(series)}
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    items = [(label, sorted(vals, key=lambda v: order[v[0]])) for label, vals in items if vals]
    if not items:
        return ""
    legend = "".join(f'<span><i style="background:{colours[s]}"></i>{esc(s)}</span>' for s in series)
    wide = _bars(title, items, colours, label_w, plot_w, stacked=False)
    narrow = _bars(title, items, colours, 0, 250, stacked=True)
    return (f'<div class="legend">{legend}</div>' if len(series) > 1 else "") + \
        f'<div class="scroll wide">{wide}</div><div class="narrow">{narrow}</div>'


def _bars(title: str, items, colours: dict[str, str], label_w: int, plot_w: int, stacked: bool) -> str:
    bar, gap, line = 15, 10, 16
    rows = sum(len(vals) for _, vals in items)
    height = rows * bar + len(items) * (gap + (line if stacked else 0)) + 12
    vmax = max(v for _, vals in items for _, v, _ in vals) or 1
    width = (label_w or 0) + plot_w + 100
    out = [f'<svg role="img" aria-label="{esc(title)}" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" xmlns="http://www.w3.org/2000/svg">']
    y = 6
    for label, vals in items:
        fits = int((width if stacked else label_w) / 6.8)  # characters of 12px text that fit
        short = label if len(label) <= fits else label[:fits - 1] + "…"
        if stacked:
            out.append(f'<text x="0" y="{y + 12}"><title>{esc(label)}</title>{esc(short)}</text>')
            y += line
        else:
            out.append(f'<text x="{label_w - 8}" y="{y + bar - 3}" text-anchor="end"><title>{esc(label)}</title>'
                       f'{esc(short)}</text>')
        for s, v, shown in vals:
            w = max(1.0, plot_w * v / vmax)
            out.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 2}" fill="{colours[s]}">'
                       f'<title>{esc(label)} · {esc(s)}: {esc(shown)}</title></rect>')
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 3}">{esc(shown)}</text>')
            y += bar
        y += gap
    out.append("</svg>")
    return "".join(out)


def _table(headers: list[str], rows: list[list], num: set[int] = frozenset(), classes: dict[int, str] | None = None,
           row_classes: list[str] | None = None) -> str:
    classes = {**{i: "num" for i in num}, **(classes or {})}
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for k, r in enumerate(rows):
        cls = f' class="{row_classes[k]}"' if row_classes and row_classes[k] else ""
        if isinstance(r, str):  # a heading row across the table
            body.append(f'<tr{cls}><td colspan="{len(headers)}">{r}</td></tr>')
            continue
        cells = "".join(f'<td class="{classes[i]}">{c}</td>' if i in classes else f"<td>{c}</td>"
                        for i, c in enumerate(r))
        body.append(f"<tr{cls}>{cells}</tr>")
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(body)}</table></div>'


def _optional(out: Path, name: str) -> list[dict]:
    try:
        return read_dataset(out, name).to_pylist()
    except (ExportError, KeyError):
        return []  # an output written before this dataset existed


class Run:
    """The datasets of one output folder, with the rows that count (each plan's primary file)."""

    def __init__(self, out: Path, lang: str, group_by: str = "issued"):
        self.out, self.lang, self.group_by = out, lang, group_by
        self.docs = read_dataset(out, "documents").to_pylist()
        self.tasks_all = read_dataset(out, "tasks").to_pylist()
        self.targets_all = read_dataset(out, "targets").to_pylist()
        self.comparison = read_dataset(out, "target_comparison").to_pylist()
        self.par_all = read_dataset(out, "par_assignments").to_pylist()
        self.issues = read_dataset(out, "issues").to_pylist()
        self.names: Names = names_of({n: _optional(out, n) for n in ("units", "indicators", "areas")}, lang)
        counted = primary_doc_ids(self.docs)
        self.tasks = [t for t in self.tasks_all if t["doc_id"] in counted]
        self.targets = [t for t in self.targets_all if t["doc_id"] in counted]
        self.par = [p for p in self.par_all if p["doc_id"] in counted]
        self.by_doc = {d["doc_id"]: d for d in self.docs}
        self.plans = sorted((d for d in self.docs if d["doc_id"] in counted),
                            key=lambda d: (self.label(d), d["source_file"]))
        if group_by != "issued":  # the written comparison is by the issuing province; regroup
            self.comparison = target_comparison(self.targets_all, self.docs, by=group_by)

    def label(self, d: dict) -> str:
        return plan_label(d, self.group_by)

    def t(self, key: str, **kw) -> str:
        return text(key, self.lang, **kw)

    def v(self, field: str, x) -> str:
        return value(field, x, self.lang)


def _written_at(out: Path) -> str:
    try:
        stamp = max(p.stat().st_mtime for p in (out / "documents").rglob("*.parquet"))
    except ValueError:
        return "?"
    return dt.datetime.fromtimestamp(stamp).strftime("%d/%m/%Y %H:%M")


def _header(r: Run) -> str:
    n_plans = len({d["plan_id"] or d["doc_id"] for d in r.docs})
    summary = r.t("report.summary", files=len(r.docs), plans=n_plans, tasks=len(r.tasks), targets=len(r.targets),
                  criteria=len(r.par), issues=len(r.issues))
    made = r.t("report.made", out=r.out, when=_written_at(r.out), version=__version__)
    return (f"<h1>{esc(r.t('report.title'))}</h1><p>{esc(summary)}</p>"
            f"<p class=\"grouping\">{esc(r.t('report.grouping_' + r.group_by))}</p><p class=\"muted\">{esc(made)}<br>"
            f"{esc(r.t('report.lang_note'))}</p>")


def _documents(r: Run) -> str:
    has_2025 = any(d.get("province_2025") for d in r.docs)
    headers = [r.t("col.plan"), r.t("col.file"), r.t("col.format"), r.t("col.pages"), r.t("col.tasks"),
               r.t("col.targets"), r.t("col.criteria"), r.t("col.status"), r.t("col.counted")]
    n_par = Counter(p["doc_id"] for p in r.par_all)
    by_plan: dict[str, list[dict]] = defaultdict(list)
    for d in r.docs:
        by_plan[d.get("plan_id") or d["doc_id"]].append(d)
    rows, row_classes = [], []
    for files in sorted(by_plan.values(), key=lambda fs: (fs[0]["province"] or "", fs[0]["plan_year"] or 0)):
        files.sort(key=lambda d: (not d.get("is_primary"), d["source_file"]))
        head = files[0]
        where = plan_label(head) + (f" ({r.t('col.province_2025')}: {head['province_2025']})"
                                    if has_2025 and head.get("province_2025") else "")
        bits = [esc(where), esc(head.get("agency")), f"<i>{esc(head.get('title'))}</i>"]
        if head.get("doc_number"):
            bits.append(esc(head["doc_number"]))
        if head.get("doc_date"):
            bits.append(esc(head["doc_date"].strftime("%d/%m/%Y")))
        rows.append(" · ".join(b for b in bits if b))
        row_classes.append("plan")
        for d in files:
            rows.append(["", esc(d["source_file"]), esc(r.v("source_format", d["source_format"])), esc(d["pages"]),
                         esc(d["n_tasks"]), esc(d["n_targets"]), esc(n_par[d["doc_id"]]),
                         esc(r.v("status", d["status"])),
                         "★" if d.get("is_primary") is not False else ""])
            row_classes.append("")
    return (f"<h2>{esc(r.t('report.documents'))}</h2><p class=\"muted\">{esc(r.t('report.documents_note'))}</p>"
            + _table(headers, rows, num={3, 4, 5, 6}, row_classes=row_classes))


def _targets(r: Run) -> str:
    plan_names = [r.label(d) for d in r.plans]
    plan_names = list(dict.fromkeys(plan_names))
    cells: dict[str, dict[str, dict]] = defaultdict(dict)
    for c in r.comparison:
        cells[c["indicator"]][r.label(c)] = c
    parts = [f"<h2>{esc(r.t('report.targets'))}</h2><p class=\"muted\">{esc(r.t('report.targets_note'))}</p>"]
    # a chart per kind of value: levels in %, changes, counts and times; each bar says its comparator
    kinds = {"rates": [], "changes": [], "counts": []}
    for ind in sorted(cells, key=r.names.indicator):
        for kind in kinds:
            vals = []
            for plan in plan_names:
                c = cells[ind].get(plan)
                if c is None:
                    continue
                change = c["comparator"] in ("increase_by", "decrease_by")
                k = "changes" if change else "rates" if c["unit"] == "%" else "counts"
                if k == kind:
                    vals.append((plan, c["value_max"] if c["comparator"] == "range" else c["value"],
                                 target_text(c["comparator"], c["value"], c["value_max"], c["unit"], r.lang)))
            if vals:
                kinds[kind].append((r.names.indicator(ind), vals))
    titles = {"rates": "report.targets_chart", "changes": "report.changes_chart", "counts": "report.counts_chart"}
    for kind, items in kinds.items():
        if items:
            parts.append(f"<h3>{esc(r.t(titles[kind]))}</h3>")
            parts.append(hbar_chart(r.t(titles[kind]), items, plan_names))
    headers = [r.t("col.indicator")] + plan_names
    rows = []
    for ind in sorted(cells, key=r.names.indicator):
        row = [f"{esc(r.names.indicator(ind))}<br><code>{esc(ind)}</code>"]
        for plan in plan_names:
            c = cells[ind].get(plan)
            shown = target_text(c["comparator"], c["value"], c["value_max"], c["unit"], r.lang) if c else ""
            more = f' <span class="muted">({esc(r.t("report.mentions", n=c["n_mentions"]))})</span>' \
                if c and c["n_mentions"] > 1 else ""
            row.append(esc(shown) + more)
        rows.append(row)
    parts.append(_table(headers, rows, classes={i: "nowrap" for i in range(1, len(headers))}) if rows
                 else f"<p>{esc(r.t('report.no_data'))}</p>")
    unmapped = sum(1 for t in r.targets if not t["indicator"])
    if unmapped:
        parts.append(f"<p class=\"muted\">{esc(r.t('report.unmapped', n=unmapped))}</p>")
    return "".join(parts)


def _quarter(d: dt.date) -> str:
    return f"Q{(d.month - 1) // 3 + 1}/{d.year}"


def _panels(r: Run) -> str:
    plan_names = list(dict.fromkeys(r.label(d) for d in r.plans))
    tasks_of: dict[str, list[dict]] = defaultdict(list)
    for t in r.tasks:
        tasks_of[r.label(r.by_doc[t["doc_id"]])].append(t)
    parts = [f"<h2>{esc(r.t('report.panels'))}</h2>"]
    # areas compared across plans as shares, since plans differ in size
    items = []
    for code in [*range(1, 9), None]:
        vals = []
        for plan in plan_names:
            ts = tasks_of.get(plan, [])
            n = sum(1 for t in ts if t["area_code"] == code)
            if n:
                vals.append((plan, 100 * n / len(ts), f"{n} ({100 * n / len(ts):.0f}%)"))
        if vals:
            items.append((r.names.area(code), vals))
    if items:
        parts.append(f"<h3>{esc(r.t('report.compare_areas'))}</h3>" + hbar_chart("areas", items, plan_names))
    cards = []
    for plan in plan_names:
        ts = tasks_of.get(plan, [])
        if not ts:
            continue
        areas = Counter(t["area_code"] for t in ts)
        leads = Counter(u for t in ts for u in (t["lead_units"] or []))
        kinds = Counter(t["deadline_kind"] or "none" for t in ts)
        quarters = Counter(_quarter(t["due_end"]) for t in ts if t["due_end"])
        one = ["n"]
        card = [f'<div class="panel"><h3>{esc(plan)} · {esc(r.t("report.tasks_n", n=len(ts)))}</h3>',
                f"<h4>{esc(r.t('report.areas'))}</h4>",
                hbar_chart("areas", [(r.names.area(a), [("n", n, str(n))]) for a, n in
                                     sorted(areas.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))], one,
                           label_w=230, plot_w=220),
                f"<h4>{esc(r.t('report.leads'))}</h4>",
                hbar_chart("leads", [(r.names.unit(u), [("n", n, str(n))]) for u, n in leads.most_common(8)], one,
                           label_w=230, plot_w=220) or f"<p class=\"muted\">{esc(r.t('report.none'))}</p>",
                f"<h4>{esc(r.t('report.kinds'))}</h4>",
                hbar_chart("kinds", [(r.v("deadline_kind", k), [("n", n, str(n))]) for k, n in kinds.most_common()],
                           one, label_w=230, plot_w=220)]
        if quarters:
            card += [f"<h4>{esc(r.t('report.quarters'))}</h4>",
                     hbar_chart("quarters", [(q, [("n", quarters[q], str(quarters[q]))]) for q in
                                             sorted(quarters, key=lambda q: (q[3:], q[:2]))], one,
                                label_w=230, plot_w=220)]
        cards.append("".join(card) + "</div>")
    parts.append(f'<div class="panels">{"".join(cards)}</div>')
    return "".join(parts)


def _review(r: Run) -> str:
    tasks = {t["task_id"]: t for t in r.tasks_all}
    parts = [f"<h2>{esc(r.t('report.review'))} ({len(r.issues)})</h2><p class=\"muted\">"
             f"{esc(r.t('report.review_note'))}</p>"]
    if not r.issues:
        return "".join(parts) + f"<p>{esc(r.t('report.nothing'))}</p>"
    headers = [r.t("col.severity"), r.t("col.problem"), r.t("col.where"), r.t("col.task"), r.t("col.field"),
               r.t("col.raw"), r.t("col.todo")]
    rows = []
    for i in sorted(r.issues, key=lambda i: (i["severity"] != "error", i["source_file"] or "", i["source_page"] or 0,
                                             i["code"])):
        src = i["source_file"] or ""
        link = Path(src).resolve().as_uri() if src and Path(src).exists() else None
        page = f"#page={i['source_page']}" if i["source_page"] else ""
        shown = esc(src) + (f" · {esc(r.t('report.page'))} {esc(i['source_page'])}" if i["source_page"] else "")
        where = f'<a href="{esc(link + page)}">{shown}</a>' if link else shown
        t = tasks.get(i["task_id"])
        task = ""
        if t:
            words = t["task"] or t["activity"] or t["objective"] or ""
            task = esc(f"{t['item_no'] or ''} {words[:220]}{'…' if len(words) > 220 else ''}".strip())
        problem = f"{esc(r.v('code', i['code']))}<br><code>{esc(i['code'])}</code>"
        rows.append([esc(r.v("severity", i["severity"])), problem,
                     where, task, esc(column(i["field"], r.lang) if i["field"] else ""),
                     esc((i["raw_value"] or "")[:200]), esc(i["message"])])
    return "".join(parts) + _table(headers, rows, classes={3: "task", 5: "raw", 6: "todo"})


def build_report(out: Path, lang: str = "vi", group_by: str = "issued") -> str:
    r = Run(out, lang, group_by)
    parts = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{esc(r.t('report.title'))}</title><style>{CSS}</style></head><body>",
             _header(r), _documents(r), _targets(r), _panels(r), _review(r), "</body></html>"]
    return "\n".join(parts)


def write_report(out: Path, html_path: Path, lang: str = "vi", group_by: str = "issued") -> None:
    text_ = build_report(out, lang, group_by)
    _atomic_save(lambda p: Path(p).write_text(text_, "utf-8"), html_path)
