"""Ctrl-C and SIGTERM end a run in one line: the signal becomes an exception, so the workers are
killed and the temporary folders removed on the way out, and the previous output stays current."""
from __future__ import annotations

import signal
from contextlib import contextmanager


class Stopped(Exception):  # noqa: N818 - reads as "the run was stopped"
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.signal_name = signal.Signals(signum).name


def _raise(signum, _frame):
    # ignore further signals while unwinding: a second Ctrl-C must not interrupt the clean-up
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, signal.SIG_IGN)
    raise Stopped(signum)


@contextmanager
def stop_on_signals():
    previous = {s: signal.signal(s, _raise) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
