"""Run each document in its own worker process, with a time limit and a memory limit.

A forked child reads one document and writes its result to a file; the parent keeps up to N
children going and collects results in input order, so the datasets do not depend on the
number of workers. A child that raises, hangs past the time limit, runs out of memory or dies
becomes one `issues` row with a stable code, and the batch goes on.
"""
from __future__ import annotations

import gc
import math
import multiprocessing as mp
import os
import pickle
import resource
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .signals import check_stop

DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MEMORY_MB = 2048
MIN_MEMORY_MB = 64  # below this a worker cannot even start Python
LOOKAHEAD = 4  # jobs started ahead of the oldest unfinished one, per worker
PR_SET_PDEATHSIG = 1  # prctl(2) option number on Linux


class ExecutorUnavailable(RuntimeError):
    """The chosen executor cannot run here (its optional extra is not installed)."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB

    def __post_init__(self) -> None:
        # nan compares false with everything: without this check it would mean "no limit"
        if not (math.isfinite(self.timeout_s) and self.timeout_s > 0):
            raise ValueError(f"--timeout must be a number of seconds above 0 (got {self.timeout_s:g}; "
                             f"default {DEFAULT_TIMEOUT_S:g})")
        if self.memory_mb != 0 and not self.memory_mb >= MIN_MEMORY_MB:
            raise ValueError(f"--memory-mb must be 0 (no limit) or at least {MIN_MEMORY_MB} "
                             f"(got {self.memory_mb}; default {DEFAULT_MEMORY_MB})")


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _address_space_now() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the parent dies (kill -9 included), so none is orphaned."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the parent's own clean-up still stops its workers


def _child(fn: Callable, args: tuple, out: str, memory_mb: int, tmp_dir: str | None) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # OCR engines must not fight over the cores
    if tmp_dir:
        # the reader's temporary files (LibreOffice, OCR) go into the run's folder, which the parent
        # (or the next run, after a kill -9) removes
        os.environ["TMPDIR"] = tmp_dir
        tempfile.tempdir = tmp_dir
    if memory_mb:
        # address space, on top of what the fork inherited: a parent with many libraries and threads
        # mapped (a test runner, a notebook) must not leave the worker too little to load the OCR engine
        limit = _address_space_now() + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # reported by the parent as one issue row
        result = ("error", f"{type(exc).__name__}: {exc}"[:300])
    tmp = out + ".part"
    with open(tmp, "wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, out)


def run_isolated(jobs: list[tuple], fn: Callable, workers: int, limits: Limits,
                 on_done: Callable[[int], None] | None = None,
                 tmp_dir: Path | None = None) -> Iterator[tuple[int, str, object]]:
    """Yield (job index, status, payload) in job order; status ok | error | memory | timeout | crash.

    At most LOOKAHEAD x workers jobs run or wait ahead of the next one to yield, and a result is
    loaded only when yielded, so the parent's memory does not grow with the number of jobs. When the
    consumer stops (an exception, Ctrl-C, SIGTERM turned into an exception), running workers are killed."""
    ctx = mp.get_context("fork")
    done: dict[int, tuple[str, object] | str] = {}  # a finished job: its result file, or its status
    running: dict[int, tuple[mp.Process, float, str]] = {}
    next_job = 0
    next_yield = 0
    workers = max(1, workers)
    if tmp_dir is not None:
        tmp_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-", dir=tmp_dir) as tmp:
        try:
            while next_yield < len(jobs):
                check_stop()
                while next_job < len(jobs) and len(running) < workers and next_job - next_yield < LOOKAHEAD * workers:
                    out = str(Path(tmp) / f"{next_job}.pickle")
                    p = ctx.Process(target=_child, args=(fn, jobs[next_job], out, limits.memory_mb, tmp),
                                    daemon=True)
                    # the child's collector must not walk (and so copy) every page of the parent's
                    # objects: frozen, they stay shared; the parent collects them again at once
                    gc.freeze()
                    try:
                        p.start()
                    finally:
                        gc.unfreeze()
                    running[next_job] = (p, time.monotonic(), out)
                    next_job += 1
                for i, (p, started, out) in list(running.items()):
                    if not p.is_alive():
                        p.join()
                        done[i] = out if os.path.exists(out) else ("crash", f"worker exited with code {p.exitcode}")
                    elif time.monotonic() - started > limits.timeout_s:
                        p.kill()
                        p.join()
                        done[i] = ("timeout", f"no result after {limits.timeout_s:g} s")
                    else:
                        continue
                    del running[i]
                    if on_done:
                        on_done(i)
                while next_yield in done:
                    result = done.pop(next_yield)
                    if isinstance(result, str):
                        with open(result, "rb") as fh:
                            result = pickle.load(fh)
                        os.unlink(fh.name)
                    status, payload = result
                    yield next_yield, status, payload
                    next_yield += 1
                if running and next_yield not in done:
                    time.sleep(0.005)
        finally:
            for p, _, _ in running.values():
                p.kill()
            for p, _, _ in running.values():
                p.join()


def _guarded(fn: Callable, args: tuple) -> tuple[str, object]:
    try:
        return "ok", fn(*args)
    except MemoryError:
        return "memory", None
    except Exception as exc:
        return "error", f"{type(exc).__name__}: {exc}"[:300]


def run_dask(jobs: list[tuple], fn: Callable, workers: int, limits: Limits, scheduler: str | None = None,
             on_done: Callable[[int], None] | None = None) -> Iterator[tuple[int, str, object]]:
    """The same contract as run_isolated, on a Dask cluster: a local one (one single-threaded
    worker process per --workers, memory limit per worker) or an existing one at `scheduler`."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ExecutorUnavailable("the dask executor needs the optional extra: pip install 'cchc[dask]'") from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               memory_limit=f"{limits.memory_mb}MB" if limits.memory_mb else None,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(_guarded, fn, job, pure=False, retries=0) for job in jobs]
        for i, fut in enumerate(futures):
            try:
                status, payload = fut.result(timeout=limits.timeout_s)
            except TimeoutError:
                fut.cancel()
                status, payload = "timeout", f"no result after {limits.timeout_s:g} s"
            except Exception as exc:  # KilledWorker and the like: the worker died on this document
                status, payload = "crash", f"{type(exc).__name__}: {exc}"[:300]
            if on_done:
                on_done(i)
            yield i, status, payload
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
