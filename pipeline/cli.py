"""`cchc` command line: `cchc run INPUT... --out DIR [--manifest FILE] [--workers N]`."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from . import __version__
from .executor import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, ExecutorUnavailable, Limits
from .manifest import ManifestError
from .run import RunResult, run


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="cchc",
                                 description="Extract CCHC plans (PDF, DOCX, DOC, TXT) into Parquet datasets.")
    ap.add_argument("--version", action="version", version=f"cchc {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="process files and folders into DIR")
    r.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (walked recursively)")
    r.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder of the datasets")
    r.add_argument("--manifest", type=Path, metavar="FILE",
                   help="CSV with a 'file' column and any of province, plan_year, agency (overrides detection)")
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
    e = sub.add_parser("export", help="the datasets of DIR as an Excel workbook and/or a DuckDB database")
    e.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of `cchc run`")
    e.add_argument("--xlsx", type=Path, metavar="FILE", help="workbook: a sheet per dataset, comparison included")
    e.add_argument("--lang", choices=["en", "vi"], default="en", help="column headers in English or Vietnamese")
    e.add_argument("--duckdb", type=Path, metavar="FILE", help="DuckDB database with one view per dataset")
    e.add_argument("--quiet", action="store_true", help="print nothing but errors")
    h = sub.add_parser("report", help="a self-contained HTML report of DIR (charts, comparison, review queue)")
    h.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of `cchc run`")
    h.add_argument("--html", type=Path, required=True, metavar="FILE", help="where to write the report")
    s = sub.add_parser("schema", help="print the data dictionary (Markdown) generated from the schema")
    s.add_argument("--markdown", type=Path, metavar="FILE", help="write it to FILE instead of printing it")
    return ap


def summary_rows(result: RunResult) -> list[dict]:
    per_file: dict[str, Counter] = {}
    for res in result.results:
        for i in res.issues:
            per_file.setdefault(i["source_file"], Counter())[i["severity"]] += 1
    rows = []
    for d in result.documents:
        c = per_file.get(d["source_file"], Counter())
        rows.append({"file": d["source_file"], "format": d["source_format"], "province": d["province"],
                     "year": d["plan_year"], "tasks": d["n_tasks"], "targets": d["n_targets"],
                     "warnings": c["warning"], "errors": c["error"], "status": d["status"]})
    documented = {d["source_file"] for d in result.documents}
    for f, c in per_file.items():
        if f not in documented:
            rows.append({"file": f, "format": None, "province": None, "year": None, "tasks": 0, "targets": 0,
                         "warnings": c["warning"], "errors": c["error"], "status": "failed"})
    return rows


def print_table(rows: list[dict]) -> None:
    cols = ["file", "format", "province", "year", "tasks", "targets", "warnings", "errors", "status"]
    text = [[("" if r[c] is None else str(r[c])) for c in cols] for r in rows]
    widths = [max([len(c)] + [len(t[i]) for t in text]) for i, c in enumerate(cols)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print("  ".join("-" * w for w in widths))
    for t in text:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)))


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
            bar = tqdm(total=total, unit="doc", desc="reading", file=sys.stderr, dynamic_ncols=True)
        bar.n = n
        bar.refresh()

    try:
        if args.workers is not None and args.workers < 1:
            print("cchc: --workers must be 1 or more", file=sys.stderr)
            return 2
        result = run(args.inputs, args.out, manifest_path=args.manifest, password=args.password, progress=progress,
                     workers=args.workers, limits=Limits(args.timeout, args.memory_mb), force=args.force,
                     prune=args.prune, executor=args.executor, scheduler=args.scheduler)
    except ExecutorUnavailable as exc:
        print(f"cchc: {exc}", file=sys.stderr)
        return 2
    except ManifestError as exc:
        print(f"cchc: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cchc: cannot write the output to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if bar is not None:
        bar.close()
    rows = summary_rows(result)
    n_review = result.needs_review
    if args.json:
        print(json.dumps({"out": str(args.out), "documents": rows, "tasks_needing_review": n_review,
                          "issues": result.count("issues"), "unchanged_documents": result.skipped,
                          "timings_s": {k: round(v, 4) for k, v in result.timings.items()}},
                         ensure_ascii=False, indent=2))
    elif not args.quiet:
        print_table(rows)
        if result.skipped:
            print(f"\n{result.skipped} unchanged documents taken from the previous run (--force redoes them)")
        print(f"\n{len(result.documents)} documents, {result.count('tasks')} tasks, "
              f"{result.count('targets')} targets in {args.out}/ ; {n_review} task rows need review, "
              f"{result.count('issues')} issues (see {args.out}/issues)")
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
    if args.command == "run":
        return cmd_run(args)
    if args.command == "export":
        return cmd_export(args)
    if args.command == "report":
        from .export import ExportError
        from .report import write_report

        try:
            write_report(args.dir, args.html)
        except ExportError as exc:
            print(f"cchc: {exc}", file=sys.stderr)
            return 2
        print(f"wrote {args.html}")
        return 0
    if args.command == "schema":
        from .export import data_dictionary

        text = data_dictionary()
        if args.markdown:
            args.markdown.write_text(text + "\n", "utf-8")
        else:
            print(text)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
