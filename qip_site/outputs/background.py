"""Work done by a second process while the build goes on: the outputs that need only the model (search
index, open data, feed, sharing pictures) are written on the machine's second core while MkDocs writes the
pages on the first (issue 15). Plain `os.fork`, so nothing is sent to the child: it has the loaded model.

- `start(work)` forks; the child runs `work()` and exits (`os._exit`, never back into the caller's code);
  `wait()` returns what `work()` returned (pickled: plain data).
  It dies with its parent (Linux's PR_SET_PDEATHSIG): a killed build leaves no writer behind.
- What the child logs is not printed by it: each record goes back to the parent, which hands it to the
  same logger in `Background.wait()`, so messages keep their order and MkDocs' --strict counts warnings.
- What the child raises is raised again by `wait()` in the parent: a fault is the same one line as
  when everything ran in one process.
- `run(work)` forks and waits: the child is a command of its own (its output is its own, its return
  value its exit code); `qip-site build` runs MkDocs in it.
- `available()`: where fork is (POSIX; not macOS, where system libraries may not survive it). Elsewhere,
  and in `mkdocs serve`, whose server threads could hold a lock at the fork, the caller runs the work
  itself, in order.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any

FAILED = "Tiến trình phụ của lần dựng trang đã dừng bất thường (mã {code}); hãy dựng lại."


def available() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"


class _Collect(logging.Handler):
    """The child's log records, kept as plain data to send to the parent."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()  # arguments formatted here: they may not survive pickling
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


def _child(work: Callable[[], Any], out: int) -> None:
    collect = _Collect()
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        logger.handlers = [collect] if logger is logging.getLogger() else []
    logging.getLogger("mkdocs").propagate = True
    error: BaseException | None = None
    value: Any = None
    try:
        value = work()
    except BaseException as raised:  # noqa: BLE001 - sent to the parent, which raises it
        error = raised
    try:
        data = pickle.dumps((collect.records, error, value))
    except Exception:  # noqa: BLE001 - an error that does not pickle travels as its text
        data = pickle.dumps((collect.records, RuntimeError(str(error)), None))
    with os.fdopen(out, "wb") as pipe:
        pipe.write(data)


class Background:
    """A forked child running some work; `wait()` once for its logs, its fault and its result."""

    def __init__(self, pid: int, pipe: int):
        self.pid = pid
        self.pipe = pipe

    def wait(self) -> Any:
        with os.fdopen(self.pipe, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        try:
            records, error, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - nothing whole came back: the child was killed or crashed
            raise RuntimeError(FAILED.format(code=code)) from None
        for record in records:
            logging.getLogger(record.name).handle(record)
        if error is not None:
            raise error
        if code != 0:
            raise RuntimeError(FAILED.format(code=code))
        return value

    def cancel(self) -> None:
        """Stop the child (the build failed elsewhere) and reap it."""
        os.close(self.pipe)
        _stop(self.pid)


def _fork() -> int:
    """`os.fork()`, with nothing left in the buffers of stdout and stderr (both processes would write it)."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    return os.fork()


def _stop(pid: int) -> None:
    """Kill the child `pid` and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def run(work: Callable[[], int]) -> int:
    """`work()` in a forked child, as a command in a process of its own: it writes to the same stdout and
    stderr, and what it returns is its exit code (a fault that escapes it: 1). `qip-site build` runs MkDocs so
    (a fresh state per build, and no second interpreter to start). Ctrl-C stops both."""
    pid = _fork()
    if pid == 0:  # the child
        code = 1
        try:
            code = work()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        except BaseException:  # noqa: BLE001 - the parent sees the exit code and says the build failed
            if os.environ.get("QIP_DEBUG"):
                import traceback

                traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:  # noqa: BLE001, S110 - a closed or full stream: the exit code still goes
                    pass
            os._exit(code)
    try:
        _, status = os.waitpid(pid, 0)
    except BaseException:  # Ctrl-C: the child is stopped and reaped, as subprocess.call does
        _stop(pid)
        raise
    return os.waitstatus_to_exitcode(status)


def start(work: Callable[[], Any]) -> Background:
    """Run `work()` in a forked child; the parent goes on at once (see the module's docstring)."""
    read, write = os.pipe()
    pid = _fork()
    if pid == 0:  # the child
        code = 0
        try:
            os.close(read)
            _die_with_parent()
            _child(work, write)
        except BaseException:  # noqa: BLE001 - the parent sees the child's exit code
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    return Background(pid, read)
