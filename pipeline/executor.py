"""Run each document in its own worker process, with a time limit and a memory limit.

A forked child reads one document and writes its result to a file; the parent keeps up to N
children going and collects results in input order, so the datasets do not depend on the
number of workers. A child that raises, hangs past the time limit, runs out of memory or dies
becomes one `issues` row with a stable code, and the batch goes on.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MEMORY_MB = 2048


class ExecutorUnavailable(RuntimeError):
    """The chosen executor cannot run here (its optional extra is not installed)."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB


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


def _child(fn: Callable, args: tuple, out: str, memory_mb: int) -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # OCR engines must not fight over the cores
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
                 on_done: Callable[[int], None] | None = None) -> Iterator[tuple[int, str, object]]:
    """Yield (job index, status, payload) in job order; status ok | error | memory | timeout | crash."""
    ctx = mp.get_context("fork")
    done: dict[int, tuple[str, object]] = {}
    running: dict[int, tuple[mp.Process, float, str]] = {}
    next_job = 0
    next_yield = 0
    with tempfile.TemporaryDirectory(prefix="cchc-") as tmp:
        while next_yield < len(jobs):
            while next_job < len(jobs) and len(running) < max(1, workers):
                out = str(Path(tmp) / f"{next_job}.pickle")
                p = ctx.Process(target=_child, args=(fn, jobs[next_job], out, limits.memory_mb), daemon=True)
                p.start()
                running[next_job] = (p, time.monotonic(), out)
                next_job += 1
            for i, (p, started, out) in list(running.items()):
                if not p.is_alive():
                    p.join()
                    if os.path.exists(out):
                        with open(out, "rb") as fh:
                            done[i] = pickle.load(fh)
                    else:
                        done[i] = ("crash", f"worker exited with code {p.exitcode}")
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
                status, payload = done.pop(next_yield)
                yield next_yield, status, payload
                next_yield += 1
            if running and next_yield not in done:
                time.sleep(0.005)


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
