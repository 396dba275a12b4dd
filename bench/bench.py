"""`make bench`: how fast, how much memory, how it grows — beside the raw extractors.

Builds scaled copies of the sample corpus (distinct bytes, so no cache hides work), runs
`cchc run` over each with --workers 1 and 2 (fresh output, then an unchanged re-run), samples
the RSS of the whole process tree (it must stay flat: 16x the corpus within 10 % of 1x), runs
the raw baselines (pdfplumber extract_tables on every page; camelot lattice) over the same PDFs,
reads one 10,000-row DOCX table and one 3,000-page PDF under the default time limit (time per row
and per page: no step may grow faster than its input), and writes bench/results.json plus a table.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
# text-layer documents are scaled; the scan and the .doc are measured on their own (OCR and
# LibreOffice would otherwise dominate every scale)
SAMPLES = [p for p in sorted(RAW.rglob("*")) if p.suffix in {".pdf", ".docx", ".txt"} and not p.stem.endswith("_scan")]
SCANS = sorted(RAW.glob("*_scan.pdf"))
LEGACY = sorted(RAW.glob("*.doc"))
TABLE_DOCX = RAW / "hatinh_2023_kehoach_cchc.docx"
PROSE_PDF = RAW / "gialai_2023_kehoach_nang_cao_chiso_cchc.pdf"
LARGE_ROWS, LARGE_PAGES = 10_000, 3_000
REPEAT = 7  # side-by-side runs, interleaved; medians are reported (the machine may be shared)
FLAT_MEMORY = 0.10  # peak RSS at the largest scale may exceed the smallest's by this share at most


RAW_PASS = """
import sys, time, pdfplumber
t0 = time.process_time()
for p in sys.argv[1:]:
    with pdfplumber.open(p) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
print(time.process_time() - t0)
"""


def scaled_corpus(dest: Path, copies: int) -> tuple[int, int]:
    """`copies` of every sample, each with distinct bytes; returns (documents, PDF pages)."""
    import pdfplumber
    pages_per = {}
    for p in SAMPLES:
        if p.suffix == ".pdf":
            with pdfplumber.open(p) as pdf:
                pages_per[p] = len(pdf.pages)
    dest.mkdir(parents=True)
    n = pages = 0
    for k in range(copies):
        for p in SAMPLES:
            data = p.read_bytes()
            # trailing bytes every reader ignores: a PDF comment, zip padding, a blank line
            tail = {".pdf": b"\n%copy " + str(k).encode(), ".docx": b"\0" * (k + 1), ".txt": b"\n" * (k + 1)}
            (dest / f"{k:03d}_{p.name}").write_bytes(data + tail[p.suffix])
            n += 1
            pages += pages_per.get(p, 0)
    return n, pages


class TreeRSS:
    """Peak resident memory of a process and all its children, sampled every 20 ms."""

    def __init__(self, pid: int):
        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def cchc(corpus: Path, out: Path, workers: int, extra: tuple[str, ...] = ()) -> dict:
    cmd = [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--json", "--workers",
           str(workers), *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    rss = TreeRSS(proc.pid)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    peak = rss.stop()
    if proc.returncode != 0:
        raise SystemExit(f"cchc failed: {stderr}")
    summary = json.loads(stdout)
    return {"wall_s": wall, "peak_rss_mb": peak / 2**20, "timings_s": summary["timings_s"],
            "unchanged_documents": summary["unchanged_documents"],
            "statuses": [d["status"] for d in summary["documents"]],
            "errors": sum(d["errors"] for d in summary["documents"])}


def baseline_pdfplumber(pdfs: list[Path]) -> float:
    import pdfplumber
    t0 = time.perf_counter()
    for p in pdfs:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.close()
    return time.perf_counter() - t0


def baseline_camelot(pdfs: list[Path]) -> float | None:
    try:
        import camelot
    except ImportError:
        return None
    t0 = time.perf_counter()
    for p in pdfs:
        camelot.read_pdf(str(p), pages="all", flavor="lattice")
    return time.perf_counter() - t0


def _timed(cmd: list[str], out: list[str] | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of a command and all its children (user + system, from getrusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed: {proc.stderr[-2000:]}")
    if out is not None:
        out.append(proc.stdout)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def side_by_side(tmp: Path, pdfs: list[Path], repeat: int = REPEAT) -> dict:
    """The pipeline against a raw pdfplumber extract_tables() pass over the same PDF pages, each a
    fresh process (interpreter, imports and all), run alternately; medians of CPU and wall time.
    The pipeline runs with one worker for CPU (the work done) and with the default workers for
    wall time."""
    only = tmp / "side_by_side"
    only.mkdir()
    for p in pdfs:
        shutil.copy(p, only / p.name)
    raw = [sys.executable, "-c", RAW_PASS, *map(str, sorted(only.iterdir()))]
    runs: dict[str, list[tuple[float, float]]] = {"pdfplumber": [], "pipeline_w1": [], "pipeline": []}
    work: list[str] = []  # the raw pass's own CPU seconds for the pages alone (no interpreter, no imports)
    for k in range(repeat):
        runs["pdfplumber"].append(_timed(raw, work))
        for name, extra in (("pipeline_w1", ["--workers", "1"]), ("pipeline", [])):
            out = tmp / f"sbs_out_{name}_{k}"
            runs[name].append(_timed([sys.executable, "-m", "pipeline", "run", str(only), "--out", str(out),
                                      "--quiet", *extra]))
            shutil.rmtree(out)
    med = {name: {"wall_s": statistics.median(w for w, _ in r), "cpu_s": statistics.median(c for _, c in r)}
           for name, r in runs.items()}
    med["pdfplumber"]["pages_cpu_s"] = statistics.median(float(w) for w in work)
    pages = sum(_pages(p) for p in pdfs)

    def paired(name: str, kind: int) -> float:  # median of run-by-run ratios: both sides saw the same load
        return statistics.median(a[kind] / b[kind] for a, b in zip(runs[name], runs["pdfplumber"]))

    return {"pdfs": len(pdfs), "pages": pages, "repeat": repeat, **med,
            "ratio_cpu_workers1": paired("pipeline_w1", 1),
            "ratio_cpu_workers1_to_pages_only": med["pipeline_w1"]["cpu_s"] / med["pdfplumber"]["pages_cpu_s"],
            "ratio_wall_workers1": paired("pipeline_w1", 0),
            "ratio_wall_default_workers": paired("pipeline", 0)}


def _pages(pdf: Path) -> int:
    import pypdfium2
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def rerun_of_100(tmp: Path, repeat: int = 3) -> dict:
    """An unchanged re-run over 100 documents (copies of the samples with distinct bytes): medians."""
    copies = -(-100 // len(SAMPLES))
    corpus = tmp / "rerun100"
    scaled_corpus(corpus, copies)
    for extra in sorted(corpus.iterdir())[100:]:
        extra.unlink()
    out = tmp / "rerun100_out"
    first = _timed([sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--quiet"])
    again = [_timed([sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--quiet"])
             for _ in range(repeat)]
    shutil.rmtree(out)
    return {"documents": 100, "first_wall_s": first[0], "rerun_wall_s": statistics.median(w for w, _ in again),
            "rerun_cpu_s": statistics.median(c for _, c in again)}


def start_up(tmp: Path, repeat: int = REPEAT) -> dict:
    """`cchc run` over one TXT, fresh output each time, and the import time of that run (-X importtime)."""
    txt = sorted((RAW / "txt").glob("*.txt"), key=lambda p: p.stat().st_size)[0]
    src = tmp / "one_txt"
    src.mkdir()
    shutil.copy(txt, src / txt.name)
    runs = []
    for k in range(repeat):
        runs.append(_timed([sys.executable, "-m", "pipeline", "run", str(src), "--out", str(tmp / f"txt_out{k}"),
                            "--quiet", "--workers", "1"]))
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipeline", "run", str(src), "--out",
                           str(tmp / "txt_out_imports"), "--quiet", "--workers", "1"], cwd=ROOT,
                          capture_output=True, text=True)
    imports = 0
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            if not parts[2].startswith("  "):  # top level: its cumulative time includes its children
                imports += int(parts[1])
    return {"file": txt.name, "wall_s": statistics.median(w for w, _ in runs),
            "cpu_s": statistics.median(c for _, c in runs), "imports_s": imports / 1e6}


def measure_ocr_and_doc(tmp: Path) -> dict:
    """Seconds per scanned page (1 and 2 workers over two copies of each scan) and per .doc."""
    import pdfplumber
    out: dict = {}
    if SCANS:
        corpus = tmp / "scans"
        corpus.mkdir()
        pages = 0
        for k in range(2):
            for p in SCANS:
                (corpus / f"{k}_{p.name}").write_bytes(p.read_bytes() + b"\n%copy " + str(k).encode())
                with pdfplumber.open(p) as pdf:
                    pages += len(pdf.pages)
        for workers in (1, 2):
            r = cchc(corpus, tmp / f"out_scans{workers}", workers)
            out[f"scan_workers{workers}"] = {"pages": pages, "wall_s": r["wall_s"], "s_per_page": r["wall_s"] / pages,
                                             "extract_s_per_page": r["timings_s"].get("extract", 0) / pages,
                                             "peak_rss_mb": r["peak_rss_mb"]}
    if SCANS:  # each engine on its own, one core, in a process of its own (bench/scans.py --speed)
        proc = subprocess.run([sys.executable, str(ROOT / "bench" / "scans.py"), "--speed", str(SCANS[0]),
                               "--pages", "4"], capture_output=True, text=True, timeout=900,
                              env={**__import__("os").environ, "OMP_THREAD_LIMIT": "1"})
        if proc.returncode == 0:
            out["engines"] = json.loads(proc.stdout.strip().splitlines()[-1])
    if LEGACY:
        corpus = tmp / "legacy"
        corpus.mkdir()
        for p in LEGACY:
            shutil.copy(p, corpus / p.name)
        r = cchc(corpus, tmp / "out_legacy", 1)
        extract = r["timings_s"].get("extract", 0)
        out["doc"] = {"files": len(LEGACY), "wall_s": r["wall_s"], "extract_s_per_file": extract / len(LEGACY)}
    return out


def large_docx(dest: Path, rows: int) -> None:
    """The sample DOCX with its appendix table's body rows repeated up to `rows` rows (merges kept)."""
    with zipfile.ZipFile(TABLE_DOCX) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                start = re.search(rb"<w:tbl[ >]", data).start()
                end = data.index(b"</w:tbl>", start)
                trs = re.findall(rb"<w:tr[ >].*?</w:tr>", data[start:end], re.S)
                body, extra = trs[2:], []
                while len(trs) + len(extra) < rows:
                    extra.extend(body)
                data = data[:end] + b"".join(extra[:rows - len(trs)]) + data[end:]
            out.writestr(info, data)


def large_pdf(dest: Path, pages: int) -> None:
    from pypdf import PdfReader, PdfWriter
    w, r = PdfWriter(), PdfReader(str(PROSE_PDF))
    while len(w.pages) < pages:
        for page in r.pages[:pages - len(w.pages)]:
            w.add_page(page)
    w.write(str(dest))


def measure_large(tmp: Path) -> dict:
    """One huge table and one huge file, each alone, under the default --timeout."""
    out: dict = {}
    for label, make, size, unit in (("docx_rows", large_docx, LARGE_ROWS, "row"),
                                    ("pdf_pages", large_pdf, LARGE_PAGES, "page")):
        corpus = tmp / label
        corpus.mkdir()
        make(corpus / f"large.{label.split('_')[0]}", size)
        r = cchc(corpus, tmp / f"out_{label}", 1)
        out[label] = {"size": size, "unit": unit, "wall_s": r["wall_s"], "s_per_unit": r["wall_s"] / size,
                      "timings_s": r["timings_s"], "peak_rss_mb": r["peak_rss_mb"],
                      "status": r["statuses"][0] if r["statuses"] else None, "errors": r["errors"]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scales", default="1,4,16", help="corpus copies to measure (default 1,4,16)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    ap.add_argument("--large-only", action="store_true", help="only the 10,000-row DOCX and the 3,000-page PDF")
    ap.add_argument("--only", choices=["speed"], help="speed: only the side-by-side, re-run and start-up lines")
    args = ap.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    results: dict = {"scales": []}
    if args.only == "speed":
        with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
            results = speed_only(Path(tmp))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2), "utf-8")
        print_side_by_side(results)
        return
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        tmp = Path(tmp)
        if not args.large_only:
            for scale in scales:
                corpus = tmp / f"corpus{scale}"
                docs, pages = scaled_corpus(corpus, scale)
                row = {"copies": scale, "documents": docs, "pdf_pages": pages}
                for workers in (1, 2):
                    out = tmp / f"out{scale}_{workers}"
                    first = cchc(corpus, out, workers)
                    rerun = cchc(corpus, out, workers)
                    row[f"workers{workers}"] = {
                        **first, "docs_per_s": docs / first["wall_s"], "pages_per_s": pages / first["wall_s"],
                        "rerun_wall_s": rerun["wall_s"], "rerun_s_per_100_docs": rerun["wall_s"] * 100 / docs,
                        "rerun_unchanged": rerun["unchanged_documents"]}
                    shutil.rmtree(out)
                results["scales"].append(row)
                print(f"scale {scale}: {docs} documents, {pages} PDF pages done", file=sys.stderr)

            # the same PDFs through the pipeline alone and through the raw extractors, in one process each
            pdfs = [p for p in SAMPLES if p.suffix == ".pdf"]
            only = tmp / "pdfs"
            only.mkdir()
            for p in pdfs:
                shutil.copy(p, only / p.name)
            pipeline = cchc(only, tmp / "out_pdfs", 1)
            plumber = baseline_pdfplumber(pdfs)
            camel = baseline_camelot(pdfs)
            results["baselines"] = {
                "pdfs": len(pdfs), "pipeline_wall_s": pipeline["wall_s"],
                "pipeline_extract_normalise_write_s": pipeline["timings_s"],
                "pdfplumber_extract_tables_s": plumber, "camelot_lattice_s": camel,
                "ratio_pipeline_to_pdfplumber": pipeline["wall_s"] / plumber,
                "ratio_pipeline_work_to_pdfplumber": sum(pipeline["timings_s"].values()) / plumber,
                "ratio_pipeline_to_camelot": pipeline["wall_s"] / camel if camel else None,
            }
            results["side_by_side"] = side_by_side(tmp, pdfs)
            results["rerun_100"] = rerun_of_100(tmp)
            results["start_up"] = start_up(tmp)
            results["ocr"] = measure_ocr_and_doc(tmp)
        results["large"] = measure_large(tmp)
    if len(results["scales"]) > 1:
        results["memory_flat"] = {f"workers{w}": {
            "smallest_mb": results["scales"][0][f"workers{w}"]["peak_rss_mb"],
            "largest_mb": results["scales"][-1][f"workers{w}"]["peak_rss_mb"],
            "ratio": results["scales"][-1][f"workers{w}"]["peak_rss_mb"] / results["scales"][0][f"workers{w}"][
                "peak_rss_mb"]} for w in (1, 2)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), "utf-8")
    print_table(results)
    print(f"\nwritten to {args.out}")


def print_table(results: dict) -> None:
    print(f"{'copies':>6} {'docs':>5} {'pages':>6} {'workers':>7} {'wall s':>7} {'docs/s':>7} {'pages/s':>8} "
          f"{'peak MB':>8} {'extract s':>9} {'normal. s':>9} {'write s':>7} {'rerun s/100 docs':>16}")
    for row in results["scales"]:
        for w in (1, 2):
            r = row[f"workers{w}"]
            t = r["timings_s"]
            print(f"{row['copies']:>6} {row['documents']:>5} {row['pdf_pages']:>6} {w:>7} {r['wall_s']:>7.2f} "
                  f"{r['docs_per_s']:>7.2f} {r['pages_per_s']:>8.1f} {r['peak_rss_mb']:>8.0f} "
                  f"{t.get('extract', 0):>9.2f} {t.get('normalise', 0):>9.2f} {t.get('write', 0):>7.2f} "
                  f"{r['rerun_s_per_100_docs']:>16.2f}")
    b = results.get("baselines")
    if not b:
        print_large(results)
        return
    camel = f"{b['camelot_lattice_s']:.2f} s" if b["camelot_lattice_s"] is not None else "n/a"
    print(f"\nbaselines over the {b['pdfs']} sample PDFs: pipeline {b['pipeline_wall_s']:.2f} s wall "
          f"(extract+normalise+write {sum(b['pipeline_extract_normalise_write_s'].values()):.2f} s), "
          f"pdfplumber extract_tables {b['pdfplumber_extract_tables_s']:.2f} s, camelot lattice {camel}; "
          f"pipeline/pdfplumber {b['ratio_pipeline_to_pdfplumber']:.2f}x wall, "
          f"{b['ratio_pipeline_work_to_pdfplumber']:.2f}x work")
    for w in (1, 2):
        r = results.get("ocr", {}).get(f"scan_workers{w}")
        if r:
            print(f"scanned PDF, {w} worker(s): {r['pages']} pages in {r['wall_s']:.1f} s = "
                  f"{r['s_per_page']:.2f} s/page "
                  f"(OCR extract {r['extract_s_per_page']:.2f} s/page of work), peak {r['peak_rss_mb']:.0f} MB")
    engines = results.get("ocr", {}).get("engines") or {}
    for name, value in engines.items():
        adopted = " (adopted: preparation + correction, what cchc runs)" if name == "tesseract+prep+correct" else ""
        if isinstance(value, (int, float)):
            print(f"OCR engine {name}: {value:.2f} s per scanned page per core{adopted}")
        elif value:
            print(f"OCR engine {name}: {value}")
    print_side_by_side(results)
    print_large(results)


def print_large(results: dict) -> None:
    for w, m in results.get("memory_flat", {}).items():
        first, last = results["scales"][0]["copies"], results["scales"][-1]["copies"]
        verdict = "flat" if m["ratio"] <= 1 + FLAT_MEMORY else f"GROWS (over {FLAT_MEMORY:.0%})"
        print(f"peak memory, {w}: {first}x {m['smallest_mb']:.0f} MB, {last}x {m['largest_mb']:.0f} MB: "
              f"x{m['ratio']:.2f}, {verdict}")
    for r in results.get("large", {}).values():
        ok = r["status"] == "ok" and not r["errors"]
        print(f"one file of {r['size']:,} {r['unit']}s: {r['wall_s']:.1f} s wall = {r['s_per_unit'] * 1000:.1f} ms per "
              f"{r['unit']} (extract {r['timings_s'].get('extract', 0):.1f} s, normalise "
              f"{r['timings_s'].get('normalise', 0):.1f} s), peak {r['peak_rss_mb']:.0f} MB; "
              f"{'read within the default --timeout' if ok else 'NOT READ: ' + str(r['status'])}")
    d = results.get("ocr", {}).get("doc")
    if d:
        print(f".doc through LibreOffice: {d['extract_s_per_file']:.2f} s per file to convert and read")


def speed_only(tmp: Path) -> dict:
    pdfs = [p for p in SAMPLES if p.suffix == ".pdf"]
    return {"side_by_side": side_by_side(tmp, pdfs), "rerun_100": rerun_of_100(tmp), "start_up": start_up(tmp)}


def print_side_by_side(results: dict) -> None:
    s = results.get("side_by_side")
    if s:
        b, w1, wd = s["pdfplumber"], s["pipeline_w1"], s["pipeline"]
        print(f"\nside by side over the same {s['pages']} pages of {s['pdfs']} PDFs, fresh processes, medians of "
              f"{s['repeat']} alternate runs (ratios: median of run-by-run ratios):"
              f"\n  raw pdfplumber extract_tables(): {b['cpu_s']:.2f} s CPU ({b['pages_cpu_s']:.2f} s of it on the "
              f"pages), {b['wall_s']:.2f} s wall"
              f"\n  cchc run, 1 worker:             {w1['cpu_s']:.2f} s CPU, {w1['wall_s']:.2f} s wall"
              f"  -> {s['ratio_cpu_workers1']:.2f}x CPU ({s['ratio_cpu_workers1_to_pages_only']:.2f}x the pages alone),"
              f" {s['ratio_wall_workers1']:.2f}x wall"
              f"\n  cchc run, default workers:      {wd['wall_s']:.2f} s wall"
              f"  -> {s['ratio_wall_default_workers']:.2f}x wall (goal <= 0.6x)")
    r = results.get("rerun_100")
    if r:
        print(f"unchanged re-run of {r['documents']} documents: {r['rerun_wall_s']:.2f} s wall, "
              f"{r['rerun_cpu_s']:.2f} s CPU (goal < 1 s; first run {r['first_wall_s']:.1f} s)")
    u = results.get("start_up")
    if u:
        print(f"start-up, cchc run over one TXT ({u['file']}): {u['wall_s']:.2f} s wall, {u['cpu_s']:.2f} s CPU, "
              f"imports {u['imports_s']:.2f} s")


if __name__ == "__main__":
    main()
