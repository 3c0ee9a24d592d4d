"""Shared helpers: run the CLI as a user would, and build real sites in temporary folders."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
# The commands keep their compiled modules in __pycache__/ even where the machine turns that off
# (PYTHONDONTWRITEBYTECODE): otherwise every command of every test compiles qip-site again.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}


# Commands that only read and write files: run in this process, with the same exit code and output
# as the command (argparse's exits and the last guard included), without a second of interpreter
# start-up each. `build`, `import` and the others run in a process of their own: a child forked from this
# one (`_forked`: the libraries already imported, so no interpreter to start and nothing to import
# again), and a new interpreter with process=True (tests of the process itself: encodings, signals, a
# FIFO that must not be read).
IN_PROCESS = {"check", "fmt", "new", "demo", "schema"}


def run_cli(*args: str, cwd: Path, process: bool = False, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m qip_site ARGS` in `cwd`, as an editor would run it; `env`: its environment (ENV by default)."""
    if not process and env is None and args and args[0] in IN_PROCESS:
        return _in_process(cwd, list(args))
    if not process and hasattr(os, "fork"):
        return _forked(cwd, list(args), timeout, env or ENV)
    return subprocess.run(
        [sys.executable, "-m", "qip_site", *args], cwd=cwd, env=env or ENV, capture_output=True, text=True,
        timeout=timeout
    )


def check_in_process(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`qip-site check plans ARGS` run in this process, from `cwd`."""
    return _in_process(cwd, ["check", "plans", *args])


def _in_process(cwd: Path, argv: list[str]) -> subprocess.CompletedProcess:
    import contextlib
    import io

    from qip_site.commands.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse: --help, an unknown command
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(["qip-site", *argv], code, out.getvalue(), err.getvalue())


# What a build imports, imported once in this process before the first fork (each child has them then).
_WARM = ("qip_site.commands.cli", "qip_site.outputs.members", "qip_site.site.plugin", "qip_site.domain.district",
         "qip_site.importer", "mkdocs.__main__", "mkdocs.commands.build", "material.plugins.search.plugin")
_FRESH_WARNINGS = [("default", None, DeprecationWarning, "__main__", 0), ("ignore", None, DeprecationWarning, None, 0),
                   ("ignore", None, PendingDeprecationWarning, None, 0), ("ignore", None, ImportWarning, None, 0),
                   ("ignore", None, ResourceWarning, None, 0)]


def _forked(cwd: Path, argv: list[str], timeout: float = 300, env: dict[str, str] = ENV
            ) -> subprocess.CompletedProcess:
    """`qip-site ARGV` in a child forked from this process, as a process of its own: its own working folder,
    environment (`env`), standard streams (UTF-8, as PYTHONIOENCODING=utf-8 sets them), logging and warnings as
    a new interpreter has them, and its exit code. Nothing it does comes back to this process."""
    import importlib
    import io
    import logging
    import signal
    import tempfile
    import time
    import warnings

    for module in _WARM:
        importlib.import_module(module)
    from qip_site.commands.cli import main

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        pid = os.fork()
        if pid == 0:  # the child: never back into pytest's code
            code = 1
            try:
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
                sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
                sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                              errors="backslashreplace", line_buffering=True)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                os.environ.clear()
                os.environ.update(env)
                os.chdir(cwd)
                root = logging.getLogger()
                root.handlers, root.level = [], logging.WARNING
                for logger in logging.Logger.manager.loggerDict.values():
                    if isinstance(logger, logging.Logger):
                        logger.handlers, logger.level, logger.propagate, logger.disabled = [], logging.NOTSET, True, False
                warnings.filters[:] = _FRESH_WARNINGS
                warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: \
                    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))
                try:
                    code = main(argv)
                except SystemExit as exit_:  # argparse: --help, an unknown command
                    code = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException:  # noqa: BLE001 - as Python would: the traceback on stderr, exit code 1
                import traceback

                traceback.print_exc()
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise subprocess.TimeoutExpired(["qip-site", *argv], timeout)
            time.sleep(0.01)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(["qip-site", *argv], os.waitstatus_to_exitcode(status),
                                           _text(out.read()), _text(err.read()))


def _text(data: bytes) -> str:
    """As subprocess.run(text=True) gives a process's output: decoded, newlines as "\\n"."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


# `make test` runs the tests on every core (pytest-xdist), a whole file per worker at a time (`--dist loadfile`,
# so a file's module fixtures are made once). The longest files are handed out first, so that the short ones
# even out the end (`--no-loadscope-reorder` keeps this order); from a measurement, `--durations` to redo it.
LONGEST_FIRST = ("test_accessibility.py", "test_properties.py", "test_search.py", "test_hostile_cases.py",
                 "test_page_cache.py", "test_embed.py", "test_minify.py", "test_print.py", "test_compare.py",
                 "test_import_files.py", "test_pdf.py", "test_shards.py", "test_import_pdf.py", "test_import.py",
                 "test_limits.py", "test_member_sites.py", "test_share.py", "test_spreadsheets.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def fold(text: str) -> str:
    """NFC, whitespace folded: how tests compare text with what a page shows."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def content(path: Path) -> BeautifulSoup:
    """The page's own content (not the theme's header, navigation or footer)."""
    page = soup(path)
    found = page.select_one("article.md-content__inner")
    assert found is not None, f"no content in {path}"
    return found


def content_text(path: Path) -> str:
    return fold(content(path).get_text(" "))


def new_project(root: Path) -> Path:
    """A copy of this project's site set-up (config, docs, theme overrides) with an empty plans/."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "plans").mkdir()
    return root


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # A new file, not the old one emptied: ext4 flushes a file emptied and written again when it is
        # closed (auto_da_alloc), ten times the cost of the write (the properties write thousands).
        path.unlink(missing_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The site of this repository's plans/, built with the README's build command once for all the
    workers of a run (the first that needs it builds it; the others wait for it, then read it). Read only."""
    import fcntl

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a pytest-xdist worker: each worker's folder is in the run's
        shared = shared.parent
    out = shared / "seed-site" / "site"
    with open(shared / "seed-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "index.html").exists():  # the build publishes its folder whole, or nothing
            result = run_cli("build", "-d", str(out), cwd=REPO)
            assert result.returncode == 0, result.stdout + result.stderr
            assert "WARNING" not in result.stderr, result.stderr
    return out


CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"  # from the npm registry, pinned in package-lock.json


@pytest.fixture(scope="session")
def axe_script() -> Iterator[str]:
    """axe-core's address, served over HTTP: Chromium compiles its 500 kB once and takes it from its code
    cache on every later page (injected as text, each page compiled it again: 0.15 against 0.05 CPU-seconds)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test`, which installs it from npm (`npm ci`)")
    from qip_site.outputs.pdf import served

    with served(AXE.parent) as address:
        yield address + AXE.name


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once per worker for every browser test (a launch costs more than a page)."""
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: run `make test`, which installs it with apt-get")
    from playwright.sync_api import sync_playwright

    from qip_site.outputs.pdf import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        # The flags `qip-site pdf` prints with (no host but 127.0.0.1 resolves: nothing is fetched from elsewhere).
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tabs:
    """Open tabs of one Chromium, lent and given back (the `tab` fixture): kept blank by screen (size, and a
    phone's touch screen) between two tests."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.kept: dict[tuple, list] = {}  # blank tabs, by screen
        self.screen_of: dict[int, tuple] = {}  # each tab's screen, by the tab's id()

    def lend(self, viewport: dict | None = None, touch: bool = False, color_scheme: str = "light"):
        """A tab as `browser.new_page(viewport=…, is_mobile=touch, has_touch=touch, color_scheme=…)` opens it."""
        viewport = viewport or {"width": 1280, "height": 720}  # Playwright's own default
        screen = (viewport["width"], viewport["height"], touch)
        free = self.kept.setdefault(screen, [])
        page = free.pop() if free else self.browser.new_context(
            viewport=viewport, is_mobile=touch, has_touch=touch).new_page()
        self.screen_of[id(page)] = screen
        page.emulate_media(media="null", color_scheme=color_scheme)
        return page

    def give_back(self, page) -> None:
        """`page` left blank, its storage, cookies and HTTP cache cleared, for the next test of its screen; a
        page that crashed or was closed is not lent again."""
        from playwright.sync_api import Error

        try:
            page.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
            page.goto("about:blank")
            page.context.clear_cookies()
            session = page.context.new_cdp_session(page)
            session.send("Network.clearBrowserCache")
            session.detach()
        except Error:
            page.context.close()
            del self.screen_of[id(page)]
            return
        self.kept[self.screen_of[id(page)]].append(page)


@pytest.fixture(scope="session")
def open_tabs(browser) -> Tabs:
    """This worker's open tabs, kept for the whole run."""
    return Tabs(browser)


@pytest.fixture
def tab(open_tabs: Tabs) -> Iterator:
    """`tab(viewport, touch=False, color_scheme="light")`: an open tab of this worker's Chromium, lent
    for the test, as `browser.new_page(viewport=…, is_mobile=touch, has_touch=touch, color_scheme=…)`
    would open it. A new tab costs Chromium three times a page load in an open one (a renderer process
    started, 0.5 CPU-s); this one was left blank by the test before, its cookies, storage and cache
    cleared, so the pages it loads start as in a new tab. For tests that load pages and use them (keys,
    clicks, taps): a test that listens to the page's events removes its listener, and one that routes
    its requests, grants permissions or adds scripts to every page opens a tab of its own."""
    lent: list = []

    def lend(viewport: dict | None = None, touch: bool = False, color_scheme: str = "light"):
        lent.append(open_tabs.lend(viewport, touch, color_scheme))
        return lent[-1]

    yield lend
    for page in lent:
        open_tabs.give_back(page)
