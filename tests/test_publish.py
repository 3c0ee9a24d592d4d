"""Publish by push: the GitHub Pages and GitLab Pages files, checked against the Makefile.

The workflow files are parsed (PyYAML); their build commands must be the Makefile's own targets,
so the site online is built exactly as `make site` builds it on an editor's machine. The error
path (a failing `make check`) is run for real with a stand-in `make`, to show that the job stops
before anything is published and that the Vietnamese errors reach the job summary / log.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github" / "workflows" / "publish.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
MAKEFILE = ROOT / "Makefile"
GUIDE = ROOT / "guide" / "bien-tap.md"  # the editor's guide: publishing is its section

HEADING = "Lỗi trong các tệp kế hoạch — trang đang chạy được giữ nguyên"
# The deploy job's condition: only the repository's default branch is published.
DEFAULT_BRANCH_ONLY = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
# An action pinned to a full commit, its version in a comment (so that a new release changes nothing
# until someone moves the pin on purpose, as the comment at the top of the file explains).
PINNED_ACTION = re.compile(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+")
PYTHON_VERSION = "3.11.12"
# The Makefile targets the publishing jobs call, in order: install apart (so that an install
# failure is not reported as a plan error), then the inbox (files uploaded into tai-len/), check, the
# plans' PDFs, site.
BUILD_TARGETS = ["install", "inbox", "check", "pdf", "site"]
VI_ERROR = 'plans/x/2025-2026.yml:3:1: lỗi: trường "periodx": không có trường "periodx" ở đây.'


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def makefile_targets() -> dict[str, list[str]]:
    """Target name → its recipe lines (the tab-indented lines that follow it)."""
    targets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in MAKEFILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            if current is not None:
                current.append(line.strip())
            continue
        m = re.match(r"^([A-Za-z0-9_.$()/-]+)\s*:(?!=)", line)
        if m and not line.startswith((".", "$")):
            current = targets.setdefault(m.group(1), [])
        elif line.strip() and not line.startswith("#"):
            current = None
    return targets


def shell_lines(script: str) -> list[str]:
    """The script's lines without comments."""
    return [ln.split("#", 1)[0].strip() for ln in script.splitlines() if ln.split("#", 1)[0].strip()]


def make_calls(scripts: list[str]) -> list[str]:
    """Every `make <target>` in the scripts, in order."""
    calls = []
    for script in scripts:
        for line in shell_lines(script):
            calls += re.findall(r"(?<![\w-])make\s+([A-Za-z0-9_.-]+)", line)
    return calls


def github_on(doc: dict) -> dict:
    # PyYAML (YAML 1.1) reads the key `on` as the boolean True.
    return doc.get("on", doc.get(True))


def github_steps(doc: dict) -> list[dict]:
    return doc["jobs"]["build"]["steps"]


def github_scripts(doc: dict) -> list[str]:
    return [job_step["run"] for job in doc["jobs"].values() for job_step in job.get("steps", []) if "run" in job_step]


def gitlab_scripts(doc: dict) -> list[str]:
    return list(doc["pages"]["script"])


def step_using(steps: list[dict], action: str) -> dict:
    found = [s for s in steps if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"{action} phải có đúng một lần"
    return found[0]


# --- The Makefile ---------------------------------------------------------------------------


def test_makefile_has_the_targets_the_jobs_call():
    targets = makefile_targets()
    for target in BUILD_TARGETS:
        assert target in targets, f"Makefile thiếu mục {target}"
    assert any("qip-site build" in line for line in targets["site"])
    assert any("qip-site check" in line for line in targets["check"])
    assert any("qip-site inbox" in line for line in targets["inbox"])


# --- GitHub Pages ---------------------------------------------------------------------------


def test_github_triggers_on_push_to_main():
    doc = load(GITHUB)
    on = github_on(doc)
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert doc["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_github_checks_out_full_history_and_python_311():
    steps = github_steps(load(GITHUB))
    assert step_using(steps, "actions/checkout")["with"]["fetch-depth"] == 0
    assert str(step_using(steps, "actions/setup-python")["with"]["python-version"]) == PYTHON_VERSION


def test_github_build_commands_are_the_makefile_targets():
    doc = load(GITHUB)
    calls = make_calls(github_scripts(doc))
    assert calls == BUILD_TARGETS
    assert set(calls) <= set(makefile_targets())
    # The commands are the Makefile's, not copies of its recipes.
    for script in github_scripts(doc):
        for line in shell_lines(script):
            assert "qip-site" not in line and "mkdocs" not in line and "pip " not in line, line


def test_github_uploads_site_only_after_check_and_build():
    steps = github_steps(load(GITHUB))
    upload = step_using(steps, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    index = {id(s): i for i, s in enumerate(steps)}
    runs = [s for s in steps if "run" in s]
    inbox = next(s for s in runs if "make inbox" in s["run"])
    check = next(s for s in runs if "make check" in s["run"])
    site = next(s for s in runs if "make site" in s["run"])
    assert index[id(inbox)] < index[id(check)] < index[id(site)] < index[id(upload)]
    # No step of the build job is allowed to go on after a failure (that would upload a site
    # built past a failing check).
    for s in steps:
        assert "continue-on-error" not in s and "if" not in s, s


def test_github_deploy_job():
    jobs = load(GITHUB)["jobs"]
    deploy = jobs["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    step_using(deploy["steps"], "actions/deploy-pages")
    assert set(jobs) == {"build", "deploy"}


def test_github_deploys_only_from_the_default_branch():
    jobs = load(GITHUB)["jobs"]
    assert jobs["deploy"]["if"] == DEFAULT_BRANCH_ONLY
    assert "if" not in jobs["build"]  # other branches (a manual run) are still checked and built


def test_github_actions_and_runners_are_pinned():
    text = GITHUB.read_text(encoding="utf-8")
    uses = [line.strip().removeprefix("- ") for line in text.splitlines() if "uses:" in line]
    assert len(uses) == 6
    for line in uses:
        assert PINNED_ACTION.fullmatch(line), line
    for name, job in load(GITHUB)["jobs"].items():
        assert re.fullmatch(r"ubuntu-\d+\.\d+", job["runs-on"]), name
    assert "Nâng phiên bản" in text and "git ls-remote" in text  # how to move the pins


def test_both_jobs_keep_the_sharing_pictures_and_pdfs_between_runs():
    """The sharing pictures, the plans' PDFs and the built pages are named by their content: kept between runs,
    only changed ones are drawn, printed or built; the PDFs are printed with the address the site is built with."""
    steps = github_steps(load(GITHUB))
    cache = step_using(steps, "actions/cache")
    build = next(i for i, s in enumerate(steps) if s.get("run") == "make site")
    pdf = next(i for i, s in enumerate(steps) if "make pdf" in s.get("run", ""))
    kept = [".cache/qip-og", ".cache/qip-pdf", ".cache/qip-pages", ".cache/qip-render"]
    assert cache["with"]["path"].split() == kept and steps.index(cache) < pdf < build
    assert cache["with"]["restore-keys"] == "qip-cache-"
    assert steps[pdf]["env"]["QIP_SITE_URL"] == steps[build]["env"]["QIP_SITE_URL"]
    assert load(GITLAB)["pages"]["cache"]["paths"] == [f"{folder}/" for folder in kept]
    from qip_site.outputs.og_image import CACHE
    from qip_site.outputs.page_cache import CACHE as PAGE_CACHE
    from qip_site.outputs.pdf import CACHE as PDF_CACHE
    from qip_site.site.render_cache import CACHE as RENDER_CACHE

    assert [CACHE.as_posix(), PDF_CACHE.as_posix(), PAGE_CACHE.as_posix(), RENDER_CACHE.as_posix()] == kept


def test_gitlab_image_is_pinned():
    text = GITLAB.read_text(encoding="utf-8")
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-bookworm", load(GITLAB)["pages"]["image"])
    assert "Nâng phiên bản" in text and "hub.docker.com/_/python" in text  # how to move it


def test_github_summary_lists_the_errors_under_the_vietnamese_heading():
    steps = github_steps(load(GITHUB))
    check = next(s for s in steps if "make check" in s.get("run", ""))
    script = check["run"]
    assert "set -o pipefail" in script
    assert "tee check.log" in script
    assert "$GITHUB_STEP_SUMMARY" in script
    assert HEADING in script
    assert "cat check.log" in script


# --- GitLab Pages ---------------------------------------------------------------------------


def test_gitlab_pages_job_on_the_default_branch():
    doc = load(GITLAB)
    job = doc["pages"]
    assert job["image"] == f"python:{PYTHON_VERSION}-bookworm"  # the same Python as the GitHub job
    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]  # no other way to publish
    assert {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"} in job["rules"]
    assert str(job["variables"]["GIT_DEPTH"]) == "0"
    assert "git fetch --unshallow || true" in gitlab_scripts(doc)


def test_gitlab_build_commands_are_the_makefile_targets():
    scripts = gitlab_scripts(load(GITLAB))
    calls = make_calls(scripts)
    assert calls == BUILD_TARGETS
    assert set(calls) <= set(makefile_targets())
    for script in scripts:
        for line in shell_lines(script):
            assert "qip-site" not in line and "mkdocs" not in line and "pip " not in line, line


def test_gitlab_publishes_public_made_from_site():
    doc = load(GITLAB)
    job = doc["pages"]
    assert job["artifacts"]["paths"] == ["public", "tai-len-ket-qua.md"]  # the inbox's summary, even on failure
    assert job["artifacts"]["when"] == "always"
    lines = [ln for script in gitlab_scripts(doc) for ln in shell_lines(script)]
    assert "mv site public" in lines
    assert lines.index("mv site public") > next(i for i, ln in enumerate(lines) if "make site" in ln)
    assert "allow_failure" not in job
    check = next(s for s in gitlab_scripts(doc) if "make check" in s)
    assert "tee check.log" in check and HEADING in check and "exit 1" in check


# --- The error path, run for real with a stand-in `make` ------------------------------------


INBOX_ERROR = "Không nhập được: loại tệp này không nhập được"


def fake_make(tmp_path: Path, fail_check: bool, inbox: str = "empty") -> dict[str, str]:
    """A PATH whose `make` logs its target and prints a Vietnamese error for a failing check, and whose `git`
    logs a push instead of pushing (every other git command is git's own).

    `inbox`: what `make inbox` does: "empty" (nothing to import), "commit" (it commits, as after an
    import) or "fail" (an upload that cannot be imported).
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    make = bin_dir / "make"
    make.write_text(
        "#!/bin/sh\n"
        f'echo "$1" >> "{tmp_path}/calls"\n'
        f'if [ "$1" = check ] && [ "{int(fail_check)}" = 1 ]; then\n'
        f"  echo '{VI_ERROR}' >&2\n"
        "  exit 1\n"
        "fi\n"
        f'if [ "$1" = inbox ] && [ "{inbox}" = commit ]; then\n'
        "  git -c user.name=bot -c user.email=bot@x commit -q --allow-empty -m 'Nhập kế hoạch từ tai-len/x.docx'\n"
        "fi\n"
        f'if [ "$1" = inbox ] && [ "{inbox}" = fail ]; then echo "{INBOX_ERROR}"; exit 1; fi\n'
        'if [ "$1" = site ]; then mkdir -p site && echo ok > site/index.html; fi\n',
        encoding="utf-8",
    )
    make.chmod(0o755)
    real_git = shutil.which("git")
    git = bin_dir / "git"
    git.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = push ]; then echo "$*" >> "{tmp_path}/pushes"; exit 0; fi\n'
        f'exec "{real_git}" "$@"\n',
        encoding="utf-8",
    )
    git.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def work_repo(tmp_path: Path, env: dict[str, str]) -> Path:
    """The job's checkout: a git repository at the pushed commit, which the jobs know as GITHUB_SHA / CI_COMMIT_SHA."""
    work = tmp_path / "work"
    work.mkdir()
    for args in (["init", "-q"], ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "--allow-empty",
                                  "-m", "Tải lên"]):
        subprocess.run(["git", *args], cwd=work, env=env, check=True)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    env.update(GITHUB_SHA=sha, GITHUB_REF="refs/heads/main", CI_COMMIT_SHA=sha, CI_COMMIT_BRANCH="main",
               CI_SERVER_PROTOCOL="https", CI_SERVER_HOST="gitlab.example.vn", CI_SERVER_PORT="443",
               CI_PROJECT_PATH="pgd/ke-hoach")
    return work


def pushes(tmp_path: Path) -> list[str]:
    log = tmp_path / "pushes"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def run_script(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    # GitHub's default shell for `run:` is `bash -e`; GitLab's runner also stops at a failing command.
    return subprocess.run(["bash", "-e", "-c", script], check=False, cwd=cwd, env=env, capture_output=True, text=True)


def run_gitlab(work: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The pages job's script entries, stopping at the first that fails, as GitLab does."""
    for script in [s for s in gitlab_scripts(load(GITLAB)) if not s.startswith("git fetch")]:
        result = run_script(script, work, env)
        if result.returncode != 0:
            break
    return result


bash_needed = pytest.mark.skipif(shutil.which("bash") is None, reason="cần bash")


@bash_needed
@pytest.mark.parametrize("fail_check", [True, False])
def test_github_check_step_behaviour(tmp_path, fail_check):
    steps = github_steps(load(GITHUB))
    check = next(s for s in steps if "make check" in s.get("run", ""))
    env = fake_make(tmp_path, fail_check)
    summary = tmp_path / "summary.md"
    summary.touch()
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    work = work_repo(tmp_path, env)
    result = run_script(check["run"], work, env)
    text = summary.read_text(encoding="utf-8")
    if fail_check:
        assert result.returncode != 0  # the job stops: no upload, no deploy
        assert HEADING in text and VI_ERROR in text
        assert re.search(r"```text\n.*" + re.escape(VI_ERROR) + r".*\n```", text, re.DOTALL)
        assert VI_ERROR in result.stdout  # also in the step's log, through tee
    else:
        assert result.returncode == 0
        assert text == ""


@bash_needed
@pytest.mark.parametrize("fail_check", [True, False])
def test_gitlab_script_behaviour(tmp_path, fail_check):
    env = fake_make(tmp_path, fail_check)
    work = work_repo(tmp_path, env)
    result = run_gitlab(work, env)
    calls = (tmp_path / "calls").read_text().split()
    assert pushes(tmp_path) == []  # nothing imported: nothing pushed
    if fail_check:
        assert result.returncode != 0
        assert calls == ["install", "inbox", "check"]
        assert HEADING in result.stdout and VI_ERROR in result.stdout
        assert not (work / "public").exists()
    else:
        assert result.returncode == 0
        assert calls == BUILD_TARGETS
        assert (work / "public" / "index.html").exists() and not (work / "site").exists()


@bash_needed
@pytest.mark.parametrize("inbox", ["empty", "commit", "fail"])
def test_github_inbox_step_pushes_only_its_commit(tmp_path, inbox):
    """The commit `make inbox` made is pushed to the branch; nothing else is, and a failed import stops the job."""
    doc = load(GITHUB)
    step = next(s for s in github_steps(doc) if "make inbox" in s.get("run", ""))
    env = fake_make(tmp_path, False, inbox)
    work = work_repo(tmp_path, env)
    result = run_script(step["run"], work, {**env, **step["env"]})
    if inbox == "fail":
        assert result.returncode != 0 and INBOX_ERROR in result.stdout  # check, build and deploy never run
        assert pushes(tmp_path) == []
    else:
        assert result.returncode == 0, result.stderr
        assert pushes(tmp_path) == (["push origin HEAD:refs/heads/main"] if inbox == "commit" else [])
    # The bot's identity for the commit; GITHUB_TOKEN's pushes start no other run (no loop).
    assert step["env"]["QIP_BOT_NAME"] == "github-actions[bot]"
    assert "GITHUB_TOKEN" in GITHUB.read_text(encoding="utf-8")


@bash_needed
@pytest.mark.parametrize("inbox", ["commit", "commit-without-token", "fail"])
def test_gitlab_inbox_push(tmp_path, inbox):
    """GitLab pushes the inbox's commit with the project access token, skipping the pipeline it would start."""
    env = fake_make(tmp_path, False, inbox.removesuffix("-without-token"))
    work = work_repo(tmp_path, env)
    if inbox != "commit-without-token":
        env["QIP_PUSH_TOKEN"] = "glpat-thu"
    result = run_gitlab(work, env)
    calls = (tmp_path / "calls").read_text().split()
    if inbox == "commit":
        assert result.returncode == 0, result.stdout + result.stderr
        assert calls == BUILD_TARGETS
        assert pushes(tmp_path) == ["push -o ci.skip https://oauth2:glpat-thu@gitlab.example.vn:443/pgd/ke-hoach.git "
                                    "HEAD:refs/heads/main"]
        assert (work / "public" / "index.html").exists()
    else:
        assert result.returncode != 0 and calls == ["install", "inbox"]  # stopped: the site online is kept
        assert pushes(tmp_path) == [] and not (work / "public").exists()
        expected = INBOX_ERROR if inbox == "fail" else "Thiếu biến QIP_PUSH_TOKEN (Settings → CI/CD → Variables)"
        assert expected in result.stdout
    assert "write_repository" in GITLAB.read_text(encoding="utf-8")  # the token, documented


# --- Editor's guide -------------------------------------------------------------------------


def guide_section() -> str:
    """The publishing section, to the next section of the same level."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index('<a id="dang-len-mang"></a>')
    end = text.index("\n## ", text.index("\n## ", start) + 1)
    return text[start:end]


def test_guide_section_describes_both_files_and_custom_domains():
    guide = GUIDE.read_text(encoding="utf-8")
    assert "(#dang-len-mang)" in guide.split('<a id="dang-len-mang"></a>')[0]  # table of contents
    section = guide_section()
    assert "Đăng lên mạng" in section
    for needle in (
        ".github/workflows/publish.yml",
        ".gitlab-ci.yml",
        "Settings → Pages",
        "Source: GitHub Actions",
        "Custom domain",
        "CNAME",
        "github.io",
        "Enforce HTTPS",
        "New domain",
        "TXT",
        "site_url",
        "plans/",
        HEADING,
        "make check",
        "make site",
    ):
        assert needle in section, needle


def test_one_school_site_from_a_district_repository(tmp_path):
    """`schools` in mkdocs.yml publishes the chosen school folders only; a wrong name stops the build."""
    from conftest import REPO, new_project, run_cli

    root = new_project(tmp_path / "phong")
    for school in ("th-le-dinh-chinh", "mn-thuy-tien"):
        shutil.copytree(REPO / "plans" / school, root / "plans" / school)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      schools: []\n" in config
    (root / "mkdocs.yml").write_text(config.replace("      schools: []\n", "      schools: [th-le-dinh-chinh]\n"),
                                     encoding="utf-8")
    result = run_cli("build", cwd=root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert (site / "truong/th-le-dinh-chinh/ke-hoach-2023-2024/index.html").is_file()
    assert not (site / "truong/mn-thuy-tien").exists()
    assert "Thủy Tiên" not in (site / "truong/index.html").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("      schools: []\n", "      schools: [th-le-dinh-chin]\n"),
                                     encoding="utf-8")
    result = run_cli("build", cwd=root)
    assert result.returncode == 1
    assert ("plans/th-le-dinh-chin: lỗi: mkdocs.yml chọn đăng trường \"th-le-dinh-chin\" (schools) nhưng không có "
            "thư mục này trong plans/") in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "truong/th-le-dinh-chinh/index.html").is_file()  # the previous site is kept


def test_both_jobs_give_the_build_the_public_address():
    """sitemap.xml, og:url and schema.org need the site's address: each job passes the one its host gives."""
    steps = github_steps(load(GITHUB))
    pages = step_using(steps, "actions/configure-pages")
    site = next(s for s in steps if "make site" in s.get("run", ""))
    assert steps.index(pages) < steps.index(site)
    assert site["env"]["QIP_SITE_URL"] == "${{ steps.%s.outputs.base_url }}" % pages["id"]
    # configure-pages reads the Pages settings; the build job may read them, and write nothing but the
    # inbox's commit (contents).
    assert load(GITHUB)["jobs"]["build"]["permissions"] == {"contents": "write", "pages": "read"}
    assert load(GITLAB)["pages"]["variables"]["QIP_SITE_URL"] == "$CI_PAGES_URL"
    # mkdocs.yml reads it (tests/test_share.py builds with it).
    assert "site_url: !ENV [QIP_SITE_URL, null]" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_guide_describes_the_browser_only_path():
    """The editor's guide walks through uploading into tai-len/ on both hosts, click by click."""
    guide = GUIDE.read_text(encoding="utf-8")
    assert "(#tai-len-tu-trinh-duyet)" in guide.split('<a id="tai-len-tu-trinh-duyet"></a>')[0]
    start = guide.index('<a id="tai-len-tu-trinh-duyet"></a>')
    section = guide[start:guide.index("<a id=", start + 1)]
    for needle in ("tai-len/th-le-dinh-chinh/", "th-le-dinh-chinh__", "Add file → Upload files", "Commit changes",
                   "Actions", "Summary", "Nhập kế hoạch từ thư mục tai-len/", "nút bút chì", "Delete file",
                   "Settings → Pages", "Upload file", "Build → Jobs", "QIP_PUSH_TOKEN", "write_repository",
                   "tai-len-ket-qua.md", "trang\n   đang chạy được giữ nguyên"):
        assert needle in section, needle
    readme = (ROOT / "tai-len" / "README.md").read_text(encoding="utf-8")
    assert "Add file →\nUpload files" in readme and "__" in readme
