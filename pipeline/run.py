"""One batch: discover inputs, process each document in isolation, write every dataset."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from extractors import ExtractionError, extract
from normalizers.provinces import lookup_province

from . import __version__
from .assemble import document_rows
from .executor import Limits, default_workers, run_dask, run_isolated
from .manifest import Manifest, load_manifest
from .metadata import detect
from .schema import SCHEMA_VERSION, conform
from .warm import warm_workers
from .writer import sort_table, write_all

SKIP_NAMES = {"manifest.csv", ".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class DocResult:
    document: dict | None
    tasks: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    par_assignments: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage for this document


@dataclass
class RunResult:
    out: Path
    results: list[DocResult]
    tables: dict[str, pa.Table]
    skipped: int = 0  # documents taken unchanged from the previous run
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds (extract/normalise summed per doc)

    @property
    def documents(self) -> list[dict]:
        return [r.document for r in self.results if r.document]

    def count(self, dataset: str) -> int:
        return sum(len(getattr(r, dataset)) for r in self.results)

    @property
    def needs_review(self) -> int:
        return sum(1 for r in self.results for t in r.tasks if t.get("needs_review"))


def issue(source_file: str, code: str, message: str, *, doc_id: str | None = None, severity: str = "warning",
          task_id: str | None = None, field: str | None = None, raw_value: str | None = None,
          source_page: int | None = None) -> dict:
    return {"doc_id": doc_id, "source_file": source_file, "severity": severity, "code": code, "message": message,
            "task_id": task_id, "field": field, "raw_value": raw_value, "source_page": source_page}


def discover(inputs: Iterable[str], skip: set[Path]) -> tuple[list[tuple[Path, str]], list[dict]]:
    """Files to process as (path, name to report), folders walked in sorted order."""
    found: list[tuple[Path, str]] = []
    problems: list[dict] = []
    for given in inputs:
        p = Path(given)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (Path(root) / d).resolve() not in skip)
                for name in sorted(files):
                    f = Path(root) / name
                    if name.startswith(".") or name in SKIP_NAMES or f.resolve() in skip:
                        continue
                    found.append((f, f.as_posix()))
        elif p.is_file():
            found.append((p, p.as_posix()))
        else:
            problems.append(issue(given, "input_not_found", "input path does not exist: check the spelling",
                                  severity="error"))
    return found, problems


def doc_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def doc_id_of_file(path: Path) -> str | None:
    """doc_id of a file read in chunks (the parent only hashes; the worker reads the document)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()[:16] if path.stat().st_size else None


def _apply_manifest(meta, overrides: dict[str, str], source_file: str, issues: list[dict], doc_id: str) -> None:
    if "province" in overrides:
        p = lookup_province(overrides["province"])
        if p:
            meta.province, meta.province_code = p.name, p.code
            meta.sources["province"] = "manifest"
        else:
            issues.append(issue(source_file, "manifest_province_unknown",
                                f"manifest names an unknown province {overrides['province']!r}: use a name or "
                                "code from normalizers/data/provinces.csv", doc_id=doc_id, severity="error",
                                field="province", raw_value=overrides["province"]))
    if "plan_year" in overrides:
        meta.plan_year = int(overrides["plan_year"])
        meta.sources["plan_year"] = "manifest"
    if "agency" in overrides:
        meta.agency = overrides["agency"]
        meta.sources["agency"] = "manifest"


VIETNAMESE_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
                         "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ")


def _looks_vietnamese(text: str) -> bool:
    """Vietnamese prose has a diacritic on one letter in five; other languages almost none."""
    sample = unicodedata.normalize("NFC", text[:20000])
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 300:
        return True  # too little text to judge
    return sum(ch in VIETNAMESE_LETTERS for ch in letters) / len(letters) >= 0.03


def process_file(path: Path, source_file: str, manifest: Manifest, password: str | None = None) -> DocResult:
    """Everything for one input; never raises for a bad document."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return DocResult(None, issues=[issue(source_file, "unreadable_file", f"cannot read the file ({exc.strerror})",
                                             severity="error")])
    doc_id = doc_id_of(data) if data else None
    base = {"doc_id": doc_id, "source_file": source_file, "source_format": None, "province": None,
            "province_code": None, "plan_year": None, "agency": None, "title": None, "doc_number": None,
            "doc_date": None, "pages": None, "n_tasks": 0, "n_targets": 0, "schema_version": SCHEMA_VERSION,
            "pipeline_version": __version__, "status": "failed", "metadata_source": None}
    t0 = time.perf_counter()
    try:
        doc = extract(path, password=password)
    except ExtractionError as exc:
        problem = issue(source_file, exc.code, exc.message, doc_id=doc_id, severity="error")
        if doc_id is None:
            return DocResult(None, issues=[problem])
        return DocResult(base, issues=[problem])
    except Exception as exc:  # an extractor bug must not end the batch
        return DocResult(base if doc_id else None, issues=[issue(
            source_file, "extractor_crash", f"unexpected {type(exc).__name__} while reading: {exc}"[:300],
            doc_id=doc_id, severity="error")])

    t1 = time.perf_counter()
    issues: list[dict] = [issue(source_file, code, msg, doc_id=doc_id) for code, msg in doc.warnings]
    if not _looks_vietnamese(doc.text):
        issues.append(issue(source_file, "not_vietnamese", "the text does not look Vietnamese (almost no Vietnamese "
                            "letters): check that this is a reform plan and not another document", doc_id=doc_id))
    meta = detect(doc.text)
    _apply_manifest(meta, manifest.lookup(source_file), source_file, issues, doc_id)
    if meta.province_code is None:
        issues.append(issue(source_file, "province_unknown", "no province found in the text: add a row for this "
                            "file with a 'province' column to the manifest (--manifest)", doc_id=doc_id,
                            field="province"))
    if meta.plan_year is None:
        issues.append(issue(source_file, "plan_year_unknown", "no plan year found in the title or header: give "
                            "plan_year in the manifest", doc_id=doc_id, field="plan_year"))
    document = dict(base, source_format=doc.source_format, province=meta.province, province_code=meta.province_code,
                    plan_year=meta.plan_year, agency=meta.agency, title=meta.title, doc_number=meta.doc_number,
                    doc_date=meta.doc_date, pages=doc.pages,
                    metadata_source=";".join(f"{k}={v}" for k, v in sorted(meta.sources.items())) or None)
    try:
        rows = document_rows(doc, document)
    except Exception as exc:  # keep the document row; report the failure
        rows = None
        issues.append(issue(source_file, "assembly_crash", f"unexpected {type(exc).__name__} while building rows: "
                            f"{exc}"[:300], doc_id=doc_id, severity="error"))
    result = DocResult(document, issues=issues, timings={"extract": t1 - t0, "normalise": time.perf_counter() - t1})
    if rows is not None:
        result.tasks, result.targets, result.par_assignments = rows.tasks, rows.targets, rows.par_assignments
        issues.extend(rows.issues)
    document["n_tasks"], document["n_targets"] = len(result.tasks), len(result.targets)
    document["status"] = "partial" if any(i["severity"] == "error" for i in issues) else "ok"
    return result


CRASH_CODES = {"error": "extractor_crash", "memory": "memory_limit", "timeout": "timeout", "crash": "worker_crashed"}
CRASH_HELP = {"memory": "raise --memory-mb if the file is genuine", "timeout": "raise --timeout if the file is genuine "
              "(a scanned PDF takes about 2 s per page to OCR)",
              "crash": "the reader died (a damaged or hostile file?)", "error": "please report it with the file"}
STATE_DIR = ".cchc"


@dataclass
class Job:
    path: Path
    name: str
    doc_id: str | None
    key: str | None  # cache key: same bytes, name, overrides, code and catalogs -> same rows


def _catalog_digest() -> str:
    """Code version and every catalog file: editing units.csv must redo the documents."""
    from normalizers.text import DATA
    h = hashlib.sha256(__version__.encode())
    for f in sorted(DATA.glob("*.csv")):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


def _load_state(out: Path) -> dict:
    try:
        return json.loads((out / STATE_DIR / "state.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {"files": {}}


def _cache_path(out: Path, key: str) -> Path:
    return out / STATE_DIR / "cache" / f"{key}.pickle"


def _load_cached(out: Path, key: str | None) -> DocResult | None:
    if not key:
        return None
    try:
        with open(_cache_path(out, key), "rb") as fh:  # our own output folder: written by _save_cached
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def _save_cached(out: Path, key: str, res: DocResult) -> None:
    path = _cache_path(out, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as fh:
        pickle.dump(res, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _crash_result(job: Job, status: str, detail: str) -> DocResult:
    problem = issue(job.name, CRASH_CODES[status], f"{detail}: {CRASH_HELP[status]}"[:300], doc_id=job.doc_id,
                    severity="error")
    return DocResult(None, issues=[problem])


def run(inputs: list[str], out: Path, manifest_path: Path | None = None, password: str | None = None,
        progress: Callable[[int, int, str], None] | None = None, workers: int | None = None,
        limits: Limits | None = None, force: bool = False, prune: bool = False, executor: str = "process",
        scheduler: str | None = None) -> RunResult:
    manifest = load_manifest(manifest_path)
    skip = {out.resolve()} | ({manifest_path.resolve()} if manifest_path else set())  # never ingest our output
    files, problems = discover(inputs, skip)
    state = _load_state(out)
    digest = _catalog_digest()
    jobs: list[Job] = []
    for path, name in files:
        try:
            doc_id = doc_id_of_file(path)
        except OSError:
            doc_id = None
        key = None if doc_id is None else hashlib.sha256(json.dumps(
            [doc_id, name, manifest.lookup(name), digest, bool(password)], sort_keys=True).encode()).hexdigest()[:24]
        jobs.append(Job(path, name, doc_id, key))

    results: dict[int, DocResult] = {}
    todo = []
    for i, job in enumerate(jobs):
        cached = None if force else _load_cached(out, job.key)
        if cached is not None:
            results[i] = cached
        else:
            todo.append(i)
    done = len(results)

    def tick(_: int) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(jobs), "")

    fresh: dict[int, DocResult] = {}
    warm_workers(jobs[i].path for i in todo)  # forked workers share readers and caches instead of loading each
    args = [(jobs[i].path, jobs[i].name, manifest, password) for i in todo]
    if executor == "dask":
        stream = run_dask(args, process_file, workers or default_workers(), limits or Limits(), scheduler, tick)
    else:
        stream = run_isolated(args, process_file, workers or default_workers(), limits or Limits(), on_done=tick)
    for k, status, payload in stream:
        i = todo[k]
        res = payload if status == "ok" else _crash_result(jobs[i], status, str(payload))
        results[i] = fresh[i] = res

    ordered: list[DocResult] = [DocResult(None, issues=problems)] if problems else []
    seen: dict[str, str] = {}
    for i, job in enumerate(jobs):
        res = results[i]
        did = res.document["doc_id"] if res.document else None
        if did and did in seen:
            res = DocResult(None, issues=[issue(job.name, "duplicate_file", f"same bytes as {seen[did]}: processed "
                                                "once under that name", doc_id=did)])
        elif did:
            seen[did] = job.name
        ordered.append(res)
    current = {job.name: job.key for job in jobs if job.key}
    listed = {name for _, name in files}
    kept = {} if prune else {name: key for name, key in state.get("files", {}).items() if name not in listed}
    for name, key in sorted(kept.items()):  # inputs gone since the last run stay until --prune
        res = _load_cached(out, key)
        if res is not None and not (res.document and res.document["doc_id"] in seen):
            ordered.append(res)
        else:
            kept.pop(name)
    for i, res in fresh.items():
        if jobs[i].key:
            _save_cached(out, jobs[i].key, res)
    new_state = {"files": {**current, **kept}, "catalogs": digest}
    unchanged = not fresh and not problems and new_state["files"] == state.get("files") and \
        all((out / name).exists() for name in ("documents", "tasks", "issues"))
    t0 = time.perf_counter()
    tables: dict[str, pa.Table] = {}
    if not unchanged:  # an unchanged output is already on disk: nothing to build or write
        tables = collect(ordered)
        write_all(tables, out)
        _write_state(out, new_state)
        _drop_stale_cache(out, set(new_state["files"].values()))
    timings = {stage: sum(r.timings.get(stage, 0.0) for r in fresh.values()) for stage in ("extract", "normalise")}
    timings["write"] = time.perf_counter() - t0
    return RunResult(out, ordered, tables, skipped=len(jobs) - len(todo), timings=timings)


def _write_state(out: Path, state: dict) -> None:
    path = out / STATE_DIR / "state.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, path)


def _drop_stale_cache(out: Path, live: set[str]) -> None:
    for f in (out / STATE_DIR / "cache").glob("*.pickle"):
        if f.stem not in live:
            f.unlink(missing_ok=True)


def collect(results: list[DocResult]) -> dict[str, pa.Table]:
    def gather(attr: str) -> list[dict]:
        return [row for r in results for row in getattr(r, attr)]

    documents = [r.document for r in results if r.document]
    tables = {
        "documents": sort_table(conform("documents", documents), ["source_file"]),
        "tasks": sort_table(conform("tasks", gather("tasks")), ["doc_id", "source_row", "task_id"]),
        "targets": sort_table(conform("targets", gather("targets")), ["doc_id", "target_id"]),
        "par_assignments": sort_table(conform("par_assignments", gather("par_assignments")), ["doc_id"]),
        "issues": conform("issues", gather("issues")),
    }
    from .compare import target_comparison  # the cross-province view is derived from targets
    tables["target_comparison"] = conform("target_comparison", target_comparison(gather("targets")))
    return tables

