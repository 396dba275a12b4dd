"""One batch: discover inputs, process each document in isolation, write every dataset.

The parent streams: each document's rows (read by a worker, or taken from the cache) go to the
run's part files as they arrive, in input order, and are dropped; the datasets are compacted and
switched in at the end, under a lock on the output folder. Only final results are cached: a
document that timed out, ran out of memory or crashed is read again on the next run.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extractors import ExtractionError, extract
from normalizers.catalogs import analyst_dirs, set_dirs, use_catalogs
from normalizers.provinces import province_rows

from . import __version__
from .assemble import document_rows
from .checks import status as doc_status
from .corrections import Corrector, file_digest
from .discover import discover
from .executor import Limits, default_workers, run_dask, run_isolated
from .issues import issue, message
from .layout import Layout, OutputLock, new_run_id
from .manifest import Manifest, load_manifest, parse_year
from .metadata import apply_manifest_province, detect
from .plans import identify, is_marked_primary, signature
from .schema import DATASETS, SCHEMA_VERSION, conform
from .signals import check_stop
from .spill import Spill
from .warm import warm_workers
from .writer import RunWriter, sort_table

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["DocResult", "RunResult", "discover", "issue", "process_file", "run"]


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
    """What a run did, in summary: the rows themselves are on disk, never all in memory."""
    out: Path
    documents: list[dict]  # per document: file, format, province, year, tasks, targets, status
    issue_counts: dict[str, dict[str, int]]  # source_file -> {"error": n, "warning": m}
    counts: dict[str, int]  # rows per dataset
    needs_review: int = 0  # task rows flagged needs_review
    skipped: int = 0  # documents taken unchanged from the previous run
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds (extract/normalise summed per doc)
    notes: list[str] = field(default_factory=list)  # one-line warnings for the console

    def count(self, dataset: str) -> int:
        return self.counts.get(dataset, 0)


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
    year = parse_year(overrides.get("plan_year", ""))
    if year is not None:  # the manifest reader already warned about a value that is not a year
        meta.plan_year = year
        meta.sources["plan_year"] = "manifest"
    # a former or a new province, read on the plan's date
    if not apply_manifest_province(meta, overrides.get("province"), year is not None):
        issues.append(issue(source_file, "manifest_province_unknown", message(
            "manifest_province_unknown", f"manifest names an unknown province {overrides['province']!r}"),
            doc_id=doc_id, severity="error", field="province", raw_value=overrides["province"]))
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
        return DocResult(None, issues=[issue(source_file, "unreadable_file", message(
            "unreadable_file", f"cannot read the file ({exc.strerror})"), severity="error")])
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
        code = "memory_limit" if isinstance(exc, MemoryError) else "extractor_crash"
        return DocResult(base if doc_id else None, issues=[issue(
            source_file, code, message(code, f"unexpected {type(exc).__name__} while reading: {exc}"[:200]),
            doc_id=doc_id, severity="error")])

    t1 = time.perf_counter()
    issues: list[dict] = [issue(source_file, code, msg, doc_id=doc_id) for code, msg in doc.warnings]
    if not _looks_vietnamese(doc.text):
        issues.append(issue(source_file, "not_vietnamese", message("not_vietnamese", "the text does not look "
                            "Vietnamese (almost no Vietnamese letters)"), doc_id=doc_id))
    meta = detect(doc.text)
    _apply_manifest(meta, manifest.lookup(source_file), source_file, issues, doc_id)
    issues.extend(issue(source_file, doc_id=doc_id, **p) for p in meta.problems)
    if meta.province_code is None:
        issues.append(issue(source_file, "province_unknown", message("province_unknown", "no province found in "
                            "the text"), doc_id=doc_id, field="province"))
    if meta.plan_year is None:
        issues.append(issue(source_file, "plan_year_unknown", message("plan_year_unknown", "no plan year found in "
                            "the title or header"), doc_id=doc_id, field="plan_year"))
    document = dict(base, source_format=doc.source_format, province=meta.province, province_code=meta.province_code,
                    province_2025=meta.province_2025, province_code_2025=meta.province_code_2025,
                    plan_year=meta.plan_year, agency=meta.agency, title=meta.title, doc_number=meta.doc_number,
                    doc_date=meta.doc_date, pages=doc.pages,
                    metadata_source=";".join(f"{k}={v}" for k, v in sorted(meta.sources.items())) or None)
    try:
        rows = document_rows(doc, document)
    except Exception as exc:  # keep the document row; report the failure
        rows = None
        issues.append(issue(source_file, "assembly_crash", message("assembly_crash", f"unexpected "
                            f"{type(exc).__name__} while building rows: {exc}"[:200]), doc_id=doc_id,
                            severity="error"))
    result = DocResult(document, issues=issues, timings={"extract": t1 - t0, "normalise": time.perf_counter() - t1})
    if rows is not None:
        result.tasks, result.targets, result.par_assignments = rows.tasks, rows.targets, rows.par_assignments
        issues.extend(rows.issues)
    document["n_tasks"], document["n_targets"] = len(result.tasks), len(result.targets)
    document["status"] = doc_status(issues)
    return result


CRASH_CODES = {"error": "extractor_crash", "memory": "memory_limit", "timeout": "timeout", "crash": "worker_crashed"}
# results that depend on the limits or the moment, not on the file: never served from the cache
TRANSIENT_CODES = {"extractor_crash", "assembly_crash", "memory_limit", "timeout", "worker_crashed"}


@dataclass
class Job:
    path: Path
    name: str
    doc_id: str | None
    key: str | None  # cache key: same bytes, name, overrides, code and catalogs -> same rows


def _catalog_digest() -> str:
    """Code version and every catalog file, the analyst's included, and the project's names and labels:
    editing units.csv redoes the documents."""
    from normalizers.catalogs import digest
    h = hashlib.sha256((__version__ + digest()).encode())
    for f in sorted(Path(__file__).with_name("data").glob("*.csv")):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


def _cache_path(out: Path, key: str) -> Path:
    return out / ".cchc" / "cache" / f"{key}.pickle"


def _load_cached(out: Path, key: str | None) -> DocResult | None:
    if not key:
        return None
    try:
        with open(_cache_path(out, key), "rb") as fh:  # our own output folder: written by _save_cached
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None


def _save_cached(out: Path, key: str, res: DocResult) -> None:
    path = _cache_path(out, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.part")
    with open(tmp, "wb") as fh:
        pickle.dump(res, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def is_final(res: DocResult) -> bool:
    """A result worth caching: the same file, code and catalogs will give it again."""
    return not any(i["code"] in TRANSIENT_CODES for i in res.issues)


def _crash_result(job: Job, status: str, detail: str) -> DocResult:
    code = CRASH_CODES[status]
    return DocResult(None, issues=[issue(job.name, code, message(code, detail[:200]), doc_id=job.doc_id,
                                         severity="error")])


class _Summary:
    """Per-document lines for the console and row counts: all a run keeps in memory."""

    def __init__(self):
        self.documents: list[dict] = []
        self.issue_counts: dict[str, Counter] = {}
        self.counts: Counter = Counter()
        self.needs_review = 0

    def add(self, res: DocResult) -> None:
        d = res.document
        if d:
            self.documents.append({"file": d["source_file"], "format": d["source_format"], "province": d["province"],
                                   "year": d["plan_year"], "tasks": d["n_tasks"], "targets": d["n_targets"],
                                   "criteria": len(res.par_assignments), "status": d["status"],
                                   "doc_id": d["doc_id"], "plan_id": None, "is_primary": None})
            self.counts["documents"] += 1
        for name in ("tasks", "targets", "par_assignments", "issues"):
            self.counts[name] += len(getattr(res, name))
        for i in res.issues:
            self.issue_counts.setdefault(i["source_file"], Counter())[i["severity"]] += 1
        self.needs_review += sum(1 for t in res.tasks if t.get("needs_review"))

    def plans(self, plan_of: dict[str, tuple[str, bool]]) -> None:
        """Each document's plan, once plan identity is known."""
        for d in self.documents:
            d["plan_id"], d["is_primary"] = plan_of.get(d["doc_id"], (None, None))

    def as_state(self) -> dict:
        return {"documents": self.documents, "issue_counts": {k: dict(v) for k, v in self.issue_counts.items()},
                "counts": dict(self.counts), "needs_review": self.needs_review}


SORT_KEYS = {"tasks": ["source_row", "task_id"], "targets": ["target_id"]}  # within one document
PLAN_DATASETS = ("documents", "tasks", "targets", "par_assignments")  # the datasets that carry plan_id
# what plan identity reads of each document
PLAN_FIELDS = ("doc_id", "source_file", "source_format", "province_code", "agency", "plan_year", "title", "doc_number",
               "doc_date", "status", "n_tasks", "n_targets")


class _Batch:
    """What the parent keeps of each document while rows stream to disk: the analyst's corrections
    (applied to each document as it passes, cached ones included), and each file's row signature
    for plan identity, kept in a staging file (the documents themselves are read back from the
    staged documents dataset when every document is in)."""

    def __init__(self, corrections: Path | None, manifest: Manifest, staging: Path):
        self.corrector = Corrector(corrections)
        self.manifest = manifest
        self.signatures = Spill(staging / "signatures.pickle")
        self.plan_of: dict[str, tuple[str, bool]] = {}

    def take(self, res: DocResult) -> DocResult:
        res = self.corrector.apply(res)
        if res.document:
            self.signatures[res.document["doc_id"]] = signature(res.tasks, res.par_assignments)
        return res

    def plans(self, writer: RunWriter) -> list[dict]:
        """Which files hold one plan and which of them counts; the issues that raises."""
        documents = list(_rows(writer, "documents", list(PLAN_FIELDS)))
        marked = {d["doc_id"] for d in documents
                  if is_marked_primary(self.manifest.lookup(d["source_file"]).get("primary"))}
        found = identify(documents, self.signatures, marked)
        self.plan_of = found.plan_of
        return found.issues

    def stamp(self, name: str, batch: pa.RecordBatch) -> pa.RecordBatch:
        """plan_id (and is_primary on documents) written into a batch of rows at compaction."""
        import pyarrow as pa
        if name not in PLAN_DATASETS or not batch.num_rows:
            return batch
        plans = [self.plan_of.get(d, (None, None)) for d in batch.column("doc_id").to_pylist()]
        cols = {"plan_id": pa.array([p[0] for p in plans], pa.string())}
        if name == "documents":
            cols["is_primary"] = pa.array([p[1] for p in plans], pa.bool_())
        arrays = [cols.get(f.name, batch.column(i)) for i, f in enumerate(batch.schema)]
        return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)

    def primary(self) -> set[str]:
        return {d for d, (_plan, primary) in self.plan_of.items() if primary is not False}


def _emit(writer: RunWriter, summary: _Summary, res: DocResult, batch: _Batch | None = None) -> None:
    if batch is not None:
        res = batch.take(res)
    if res.document:
        writer.add("documents", [res.document])
    for name in ("tasks", "targets", "par_assignments", "issues"):
        rows = getattr(res, name)
        if rows:
            table = conform(name, rows)
            writer.add_table(name, sort_table(table, SORT_KEYS[name]) if name in SORT_KEYS else table)
    summary.add(res)


def _derived(writer: RunWriter, summary: _Summary, batch: _Batch) -> None:
    """Datasets computed from the others once every document is in: plan identity, the corrections
    the analyst gave, the cross-province comparison (primary files only, corrected targets), the
    dimension datasets and the task-unit bridge."""
    from .compare import target_comparison  # the cross-province view is derived from targets
    from .dimensions import catalog_rows, task_unit_rows
    late = batch.plans(writer) + batch.corrector.issues()
    summary.plans(batch.plan_of)
    if late:
        _emit(writer, summary, DocResult(None, issues=late))
    writer.add_table("corrections", batch.corrector.table())
    cols = ["target_id", "doc_id", "indicator", "province", "province_code", "province_2025", "province_code_2025",
            "plan_year", "comparator", "value", "value_max", "unit"]
    counted = batch.primary()
    # both read a batch of staged rows at a time: the parent never holds the corpus's targets or tasks
    writer.add("target_comparison", target_comparison(
        t for t in _rows(writer, "targets", cols) if t["indicator"] is not None and t["doc_id"] in counted))
    writer.add("provinces", province_rows())  # the dimension the province codes join to
    for name, rows in catalog_rows().items():
        writer.add(name, rows)
    for b in writer.batches("tasks", ["task_id", "doc_id", "lead_units", "support_units"]):
        writer.add("task_units", task_unit_rows(b.to_pylist()))


def _rows(writer: RunWriter, name: str, columns: list[str]) -> Iterator[dict]:
    for b in writer.batches(name, columns):
        yield from b.to_pylist()


def run(inputs: list[str], out: Path, manifest_path: Path | None = None, password: str | None = None,
        progress: Callable[[int, int, str], None] | None = None, workers: int | None = None,
        limits: Limits | None = None, force: bool = False, prune: bool = False, executor: str = "process",
        scheduler: str | None = None, corrections: Path | None = None,
        catalogs: Iterable[Path] | None = None) -> RunResult:
    """Process `inputs` into `out`, with the analyst's corrections file and catalog folders (see
    pipeline/corrections.py, normalizers/catalogs.py; the folders reach the worker processes through
    the environment); raises layout.OutputBusy when another run holds `out`."""
    manifest = load_manifest(manifest_path)  # a bad manifest stops the run before the output is touched
    out.mkdir(parents=True, exist_ok=True)
    layout = Layout(out)
    previous = analyst_dirs()
    use_catalogs(catalogs)
    try:
        with OutputLock(out):
            layout.clean_leftovers(DATASETS)
            return _run_locked(inputs, out, layout, manifest, manifest_path, password, progress, workers,
                               limits or Limits(), force, prune, executor, scheduler, corrections)
    finally:
        set_dirs(previous)


def _run_locked(inputs, out: Path, layout: Layout, manifest: Manifest, manifest_path, password, progress, workers,
                limits: Limits, force, prune, executor, scheduler, corrections: Path | None) -> RunResult:
    skip = {Path(os.path.realpath(out))} | ({Path(os.path.realpath(manifest_path))} if manifest_path else set())
    files, problems = discover(inputs, skip)  # never ingest our output or the manifest
    state = layout.load_state()
    digest = _catalog_digest()
    jobs: list[Job] = []
    for path, name in files:
        check_stop()
        try:
            doc_id = doc_id_of_file(path)
        except OSError:
            doc_id = None
        key = None if doc_id is None else hashlib.sha256(json.dumps(
            [doc_id, name, manifest.lookup(name), digest, bool(password)], sort_keys=True).encode()).hexdigest()[:24]
        jobs.append(Job(path, name, doc_id, key))
    where = str(manifest_path) if manifest_path else ""
    for m in manifest.problems + manifest.unmatched():
        problems.append(issue(where, m.code, message(m.code, f"manifest line {m.line}: {m.detail}"), field=m.field,
                              raw_value=m.raw_value))
    notes: list[str] = []
    links = layout.symlinks_supported()
    if not links:
        problems.append(issue(str(out), "no_atomic_switch", message("no_atomic_switch", f"{out} cannot hold "
                              "symbolic links")))
        notes.append(problems[-1]["message"])

    todo = [i for i, job in enumerate(jobs) if force or not job.key or not _cache_path(out, job.key).exists()]
    listed = {job.name for job in jobs}
    kept = {} if prune else {name: key for name, key in state.get("files", {}).items()
                             if name not in listed and _cache_path(out, key).exists()}
    new_state = {"files": {**{job.name: job.key for job in jobs if job.key}, **kept}, "catalogs": digest,
                 "problems": hashlib.sha256(json.dumps(problems, sort_keys=True).encode()).hexdigest()[:16],
                 "corrections": file_digest(corrections)}
    if not todo and all(new_state[k] == state.get(k) for k in new_state) and "summary" in state \
            and layout.has_output(DATASETS) and (layout.current_run() is not None) == links:
        # nothing changed: the output on disk is this run's output
        s = state["summary"]
        return RunResult(out, s["documents"], s["issue_counts"], s["counts"], s["needs_review"], skipped=len(jobs),
                         timings={"extract": 0.0, "normalise": 0.0, "write": 0.0}, notes=notes)

    run_id = new_run_id()
    tmp = layout.run_tmp(run_id)
    try:
        writer, summary, batch = RunWriter(tmp), _Summary(), _Batch(corrections, manifest, tmp)
        timings = _collect(jobs, todo, kept, problems, out, manifest, password, progress, workers, limits, executor,
                           scheduler, tmp, writer, summary, batch)
        check_stop()
        t0 = time.perf_counter()
        _derived(writer, summary, batch)
        new_state["summary"] = summary.as_state()
        if links:
            run_dir = layout.new_run(run_id)
            writer.compact(run_dir, batch.stamp)
            _write_json(run_dir / "state.json", new_state)
            check_stop()  # the last point where stopping keeps the previous output
            layout.switch(run_dir, DATASETS)
        else:
            staged = tmp / "out"
            writer.compact(staged, batch.stamp)
            _write_json(staged / "state.json", new_state)
            check_stop()
            layout.swap_per_dataset(staged, DATASETS)
        _drop_stale_cache(out, set(new_state["files"].values()))
        timings["write"] = time.perf_counter() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    s = new_state["summary"]
    return RunResult(out, s["documents"], s["issue_counts"], s["counts"], s["needs_review"],
                     skipped=len(jobs) - len(todo), timings=timings, notes=notes)


def _collect(jobs: list[Job], todo: list[int], kept: dict[str, str], problems: list[dict], out: Path,
             manifest: Manifest, password, progress, workers, limits: Limits, executor, scheduler, tmp: Path,
             writer: RunWriter, summary: _Summary, batch: _Batch) -> dict[str, float]:
    """Every document's result into the writer, in input order; returns the per-stage seconds of fresh work."""
    done = len(jobs) - len(todo)

    def tick(k: int) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(jobs), jobs[todo[k]].name)

    if progress:
        progress(done, len(jobs), "")  # the bar starts now, with the unchanged documents already counted

    warm_workers(jobs[i].path for i in todo)  # forked workers share readers and caches instead of loading each
    args = [(jobs[i].path, jobs[i].name, manifest, password) for i in todo]
    workers = workers or default_workers()
    if executor == "dask":
        stream = run_dask(args, process_file, workers, limits, scheduler, tick)
    else:
        stream = run_isolated(args, process_file, workers, limits, on_done=tick, tmp_dir=tmp / "work")
    stream = iter(stream)
    fresh_todo = set(todo)
    timings = {"extract": 0.0, "normalise": 0.0}
    if problems:
        _emit(writer, summary, DocResult(None, issues=problems))
    seen: dict[str, str] = {}
    for i, job in enumerate(jobs):
        check_stop()
        res = None if i in fresh_todo else _load_cached(out, job.key)
        if res is None:
            if i in fresh_todo:
                _, status, payload = next(stream)
            else:  # the cache entry vanished since we looked: read the document now
                (_, status, payload), = run_isolated([(job.path, job.name, manifest, password)], process_file, 1,
                                                     limits, tmp_dir=tmp / "work")
            res = payload if status == "ok" else _crash_result(job, status, str(payload))
            for stage in timings:
                timings[stage] += res.timings.get(stage, 0.0)
            if job.key and is_final(res):
                _save_cached(out, job.key, res)
        did = res.document["doc_id"] if res.document else None
        if did and did in seen:
            res = DocResult(None, issues=[issue(job.name, "duplicate_file", message(
                "duplicate_file", f"same bytes as {seen[did]}: processed once under that name"), doc_id=did)])
        elif did:
            seen[did] = job.name
        _emit(writer, summary, res, batch)
    for _, key in sorted(kept.items()):  # inputs gone since the last run stay until --prune
        res = _load_cached(out, key)
        if res is not None and not (res.document and res.document["doc_id"] in seen):
            _emit(writer, summary, res, batch)
    return timings


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str), "utf-8")
    os.replace(tmp, path)


def _drop_stale_cache(out: Path, live: set[str]) -> None:
    for f in (out / ".cchc" / "cache").glob("*.pickle"):
        if f.stem not in live:
            f.unlink(missing_ok=True)
