"""`cchc` command line: run, report, export, schema (see `cchc --help`)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__, catalog_cli, review
from .corrections import CorrectionsError
from .executor import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, ExecutorUnavailable, Limits
from .issues import markdown as issue_catalog_markdown
from .layout import OutputBusy
from .manifest import ManifestError
from .run import RunResult, run
from .signals import Stopped, stop_on_signals

BUSY_EXIT = 3  # another run holds --out: try again later

EXAMPLES = """examples:
  cchc run data/raw --out data/processed --manifest data/raw/manifest.csv
  cchc report data/processed --html report.html
  cchc export data/processed --xlsx cchc.xlsx --lang vi
  cchc export data/processed --duckdb cchc.duckdb

Start with `cchc run`; then open the report (a web page) or the workbook (Excel)."""

RUN_EXAMPLES = """examples:
  cchc run data/raw --out data/processed --manifest data/raw/manifest.csv
  cchc run plans/2024 plans/2025/dongnai.pdf --out out --workers 4 --timeout 600
  cchc run plans --out out --executor dask --scheduler tcp://10.0.0.5:8786

next: cchc report DIR --html report.html   (or: cchc export DIR --xlsx cchc.xlsx --lang vi)"""


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="cchc", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 description="Read administrative-reform (CCHC) plans (PDF, scanned PDF, DOCX, DOC, "
                                 "TXT) into Parquet datasets that compare provinces and years, and turn them into a "
                                 "report, an Excel workbook or a DuckDB database.")
    ap.add_argument("--version", action="version", version=f"cchc {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="process files and folders into DIR", epilog=RUN_EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Read every plan in INPUT (files and folders) and write the datasets into DIR. "
                       "Files that hold the same plan (its PDF, DOCX, text and scan) are taken as one plan; the "
                       "summary says which, and which file's rows count.")
    r.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (walked recursively)")
    r.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder of the datasets")
    r.add_argument("--manifest", type=Path, metavar="FILE",
                   help="CSV with a 'file' column and any of province, plan_year, agency (overrides detection) "
                   "and primary (x: this file's rows count for its plan)")
    r.add_argument("--workers", type=int, default=None, metavar="N", help="parallel worker processes (default: cores)")
    r.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                   help=f"time limit per document (default {DEFAULT_TIMEOUT_S:g})")
    r.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                   help=f"memory limit per document's worker (default {DEFAULT_MEMORY_MB}; 0 = none)")
    r.add_argument("--executor", choices=["process", "dask"], default="process",
                   help="process: a worker process per document on this machine (default); dask: a Dask cluster "
                   "(local, or --scheduler ADDRESS; needs the 'dask' extra)")
    r.add_argument("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler address (with --executor dask)")
    r.add_argument("--force", action="store_true", help="redo every document, even unchanged ones")
    r.add_argument("--prune", action="store_true", help="drop the rows of inputs that are gone since the last run")
    r.add_argument("--password", default=None, help="password for encrypted PDFs")
    r.add_argument("--quiet", action="store_true", help="print nothing but errors")
    r.add_argument("--json", action="store_true", help="print the summary as JSON")
    r.add_argument("--corrections", type=Path, metavar="FILE",
                   help="CSV of the analyst's corrections (dataset, id, field, value), applied on every run")
    r.add_argument("--catalogs", type=Path, action="append", metavar="DIR",
                   help="folder of your own catalog CSVs, over the packaged ones (also: CCHC_CATALOGS)")
    e = sub.add_parser("export", help="the datasets of DIR as an Excel workbook and/or a DuckDB database")
    e.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of `cchc run`")
    e.add_argument("--xlsx", type=Path, metavar="FILE", help="workbook: a sheet per dataset, comparison included")
    e.add_argument("--lang", choices=["en", "vi"], default="en", help="headers, names and labels in English or "
                   "Vietnamese")
    e.add_argument("--duckdb", type=Path, metavar="FILE", help="DuckDB database with one view per dataset")
    e.add_argument("--quiet", action="store_true", help="print nothing but errors")
    h = sub.add_parser("report", help="a self-contained HTML report of DIR (charts, comparison, review queue)")
    h.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of `cchc run`")
    h.add_argument("--html", type=Path, required=True, metavar="FILE", help="where to write the report")
    h.add_argument("--group-by", choices=["issued", "2025"], default="issued",
                   help="compare provinces as issued (default) or as the provinces of the 2025 arrangement")
    h.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the report (default Vietnamese)")
    s = sub.add_parser("schema", help="print the data dictionary (Markdown) generated from the schema")
    s.add_argument("--markdown", type=Path, metavar="FILE", help="write it to FILE instead of printing it")
    review.add_parser(sub)
    catalog_cli.add_parser(sub)
    s.add_argument("--issue-codes", action="store_true", help="print the issue catalog (code, severity, meaning, "
                   "what to do) as Markdown instead")
    return ap


def summary_rows(result: RunResult) -> list[dict]:
    """One row per input file: what was read, which plan it holds (* = the file whose rows count)."""
    plan_no: dict[str, str] = {}
    for d in result.documents:
        if d.get("plan_id"):
            plan_no.setdefault(d["plan_id"], f"P{len(plan_no) + 1}")
    rows = []
    for d in result.documents:
        c = result.issue_counts.get(d["file"], {})
        plan = plan_no.get(d.get("plan_id"), "")
        rows.append({**d, "plan": plan + ("*" if plan and d.get("is_primary") else ""),
                     "counted": bool(d.get("is_primary")), "warnings": c.get("warning", 0),
                     "errors": c.get("error", 0)})
    documented = {d["file"] for d in result.documents}
    for f, c in result.issue_counts.items():
        if f not in documented and f:
            rows.append({"file": f, "format": None, "province": None, "year": None, "plan": "", "plan_id": None,
                         "counted": False, "tasks": 0, "targets": 0, "criteria": 0, "warnings": c.get("warning", 0),
                         "errors": c.get("error", 0),
                         "status": "failed" if c.get("error") else "-"})  # e.g. a manifest with warnings
    return rows


TABLE_COLUMNS = ["file", "format", "province", "year", "plan", "tasks", "targets", "criteria", "warnings", "errors",
                 "status"]


def print_table(rows: list[dict]) -> None:
    text = [[("" if r[c] is None else str(r[c])) for c in TABLE_COLUMNS] for r in rows]
    widths = [max([len(c)] + [len(t[i]) for t in text]) for i, c in enumerate(TABLE_COLUMNS)]
    print("  ".join(c.ljust(w) for c, w in zip(TABLE_COLUMNS, widths)))
    print("  ".join("-" * w for w in widths))
    for t in text:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)))


def plan_groups(rows: list[dict]) -> list[tuple[str, str, list[dict]]]:
    """(short name, plan_id, files with the counted one first) of every plan held in more than one file."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        if r["plan_id"]:
            groups.setdefault(r["plan_id"], []).append(r)
    return [(files[0]["plan"].rstrip("*"), pid, sorted(files, key=lambda f: not f["counted"]))
            for pid, files in groups.items() if len(files) > 1]


def print_plans(rows: list[dict]) -> None:
    groups = plan_groups(rows)
    if not groups:
        return
    print("\nFiles taken as one plan (rows counted once, from the file marked *; a manifest 'primary' column "
          "chooses another):")
    for short, pid, files in groups:
        print(f"  {short}  {pid}")
        for f in files:
            print(f"    {'*' if f['counted'] else ' '} {f['file']}")


def cmd_run(args: argparse.Namespace) -> int:
    from .warm import arrow_without_pandas

    arrow_without_pandas()  # this process only runs: pyarrow need not load pandas to write the datasets
    interactive = sys.stderr.isatty() and not args.quiet and not args.json
    bar = None

    def progress(n: int, total: int, name: str) -> None:
        nonlocal bar
        if not interactive:
            return  # scripts and logs get the summary only
        if bar is None:
            from tqdm import tqdm
            # initial: documents taken from the previous run do not count towards the rate
            bar = tqdm(total=total, initial=n, unit="doc", desc="reading", file=sys.stderr, dynamic_ncols=True,
                       smoothing=0.1)
        bar.update(n - bar.n)
        if name:
            bar.set_postfix_str(Path(name).name[-40:], refresh=True)

    if args.workers is not None and args.workers < 1:
        print("cchc: --workers must be 1 or more", file=sys.stderr)
        return 2
    try:
        limits = Limits(args.timeout, args.memory_mb)
    except ValueError as exc:
        print(f"cchc: {exc}", file=sys.stderr)
        return 2
    try:
        with stop_on_signals():
            result = run(args.inputs, args.out, manifest_path=args.manifest, password=args.password,
                         progress=progress, workers=args.workers, limits=limits, force=args.force, prune=args.prune,
                         executor=args.executor, scheduler=args.scheduler, corrections=args.corrections,
                         catalogs=args.catalogs)
    except Stopped as exc:
        if bar is not None:
            bar.close()
        print(f"cchc: stopped by {exc.signal_name}; the previous output in {args.out} is unchanged", file=sys.stderr)
        return 128 + exc.signum
    except OutputBusy as exc:
        print(f"cchc: {exc}", file=sys.stderr)
        return BUSY_EXIT
    except (ExecutorUnavailable, ManifestError, CorrectionsError) as exc:
        print(f"cchc: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cchc: cannot write the output to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if bar is not None:
        bar.close()
    for note in result.notes:
        print(f"cchc: warning: {note}", file=sys.stderr)
    rows = summary_rows(result)
    n_review = result.needs_review
    counted = [r for r in rows if r["counted"]]
    if args.json:
        plans = [{"plan_id": pid, "files": [f["file"] for f in files], "counted": files[0]["file"]}
                 for _, pid, files in plan_groups(rows)]
        print(json.dumps({"out": str(args.out), "documents": rows, "plans_in_several_files": plans,
                          "tasks_needing_review": n_review,
                          "issues": result.count("issues"), "unchanged_documents": result.skipped,
                          "timings_s": {k: round(v, 4) for k, v in result.timings.items()}},
                         ensure_ascii=False, indent=2))
    elif not args.quiet:
        print_table(rows)
        print_plans(rows)
        if result.skipped:
            print(f"\n{result.skipped} unchanged documents taken from the previous run (--force redoes them)")
        n_plans = len({r["plan_id"] for r in rows if r["plan_id"]})
        print(f"\n{len(result.documents)} files holding {n_plans} plans; counted once per plan: "
              f"{sum(r['tasks'] for r in counted)} tasks, {sum(r['targets'] for r in counted)} targets, "
              f"{sum(r['criteria'] for r in counted)} criteria rows (all files: {result.count('tasks')} tasks) "
              f"in {args.out}/")
        print(f"{n_review} task rows need review, {result.count('issues')} issues (see {args.out}/issues)")
        print(f"next: cchc report {args.out} --html report.html   or   cchc export {args.out} --xlsx cchc.xlsx "
              "--lang vi")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ExportError, export_duckdb, export_xlsx  # pandas and pyarrow.dataset: only here

    try:
        if args.xlsx:
            counts = export_xlsx(args.dir, args.xlsx, lang=args.lang)
            if not args.quiet:
                print(f"wrote {args.xlsx}: " + ", ".join(f"{k} {v} rows" for k, v in counts.items()))
        if args.duckdb:
            views = export_duckdb(args.dir, args.duckdb)
            if not args.quiet:
                print(f"wrote {args.duckdb}: views {', '.join(views)} (e.g. SELECT * FROM target_comparison)")
    except ExportError as exc:
        print(f"cchc: {exc}", file=sys.stderr)
        return 2
    if not (args.xlsx or args.duckdb):
        print("cchc export: give --xlsx FILE and/or --duckdb FILE", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "func", None):  # subcommands registered by their own modules
        return args.func(args)
    if args.command == "run":
        return cmd_run(args)
    if args.command == "export":
        return cmd_export(args)
    if args.command == "report":
        from .export import ExportError
        from .report import write_report

        try:
            write_report(args.dir, args.html, lang=args.lang, group_by=args.group_by)
        except ExportError as exc:
            print(f"cchc: {exc}", file=sys.stderr)
            return 2
        print(f"wrote {args.html}")
        return 0
    if args.command == "schema":
        from .export import data_dictionary

        text = issue_catalog_markdown() if args.issue_codes else data_dictionary()
        if args.markdown:
            args.markdown.write_text(text + "\n", "utf-8")
        else:
            print(text)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
