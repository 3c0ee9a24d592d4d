"""The build warns, in Vietnamese, when the site nears or passes a host's size or file limit."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from conftest import REPO, new_project, run_cli

from qip_site.outputs import host_limits
from qip_site.outputs.host_limits import ADVICE, measure
from qip_site.outputs.host_limits import host_limits as limits_of

GB = 1_000_000_000
SMALL_FILES = 10  # a file count far below every limit
SMALL_BYTES = 1_000_000


def test_the_limits_are_the_hosts() -> None:
    assert host_limits.GITHUB_MAX_BYTES == GB
    assert host_limits.GITLAB_MAX_BYTES == GB
    assert host_limits.GITLAB_MAX_FILES == 200_000


def test_advice_names_the_schools_setting() -> None:
    assert "`schools`" in ADVICE and "mkdocs.yml" in ADVICE and "quận/huyện" in ADVICE


def test_below_80_percent_says_nothing() -> None:
    assert limits_of(790_000_000, 158_000) == []  # 79 % of 1 GB and of 200,000 files
    assert limits_of(0, 0) == []


def test_size_at_81_percent_warns_for_both_hosts() -> None:
    assert limits_of(810_000_000, SMALL_FILES) == [
        f"cảnh báo: trang web dựng ra nặng 810,0 MB, gần tới giới hạn dung lượng 1 GB của GitHub Pages (81 %). {ADVICE}",
        f"cảnh báo: trang web dựng ra nặng 810,0 MB, gần tới giới hạn dung lượng 1 GB của GitLab Pages (81 %). {ADVICE}",
    ]


def test_size_at_101_percent_says_the_host_will_refuse() -> None:
    assert limits_of(1_010_000_000, SMALL_FILES) == [
        "cảnh báo: trang web dựng ra nặng 1.010,0 MB, vượt giới hạn dung lượng 1 GB của GitHub Pages (101 %): "
        f"GitHub Pages sẽ không đăng trang này. {ADVICE}",
        "cảnh báo: trang web dựng ra nặng 1.010,0 MB, vượt giới hạn dung lượng 1 GB của GitLab Pages (101 %): "
        f"GitLab Pages sẽ không đăng trang này. {ADVICE}",
    ]


def test_files_at_81_and_101_percent_warn_for_gitlab_only() -> None:
    assert limits_of(SMALL_BYTES, 162_000) == [
        f"cảnh báo: trang web dựng ra có 162.000 tệp, gần tới giới hạn 200.000 tệp của GitLab Pages (81 %). {ADVICE}",
    ]
    assert limits_of(SMALL_BYTES, 202_000) == [
        "cảnh báo: trang web dựng ra có 202.000 tệp, vượt giới hạn 200.000 tệp của GitLab Pages (101 %): "
        f"GitLab Pages sẽ không đăng trang này. {ADVICE}",
    ]
    assert limits_of(SMALL_BYTES, 158_000) == []


def test_every_limit_crossed_is_one_line() -> None:
    said = limits_of(1_010_000_000, 162_000)
    assert len(said) == 3
    assert [line.split(" của ")[1].split(" (")[0] for line in said] == ["GitHub Pages", "GitLab Pages", "GitLab Pages"]


def test_measure_counts_bytes_and_files_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "index.html").write_bytes(b"x" * 100)
    (tmp_path / "a" / "data.json").write_bytes(b"y" * 2000)
    (tmp_path / "a" / "b" / "empty.txt").write_bytes(b"")
    (tmp_path / "a" / "c").mkdir()  # folders are not files
    assert measure(tmp_path) == (2100, 3)


def _tiny_project(root: Path) -> Path:
    project = new_project(root)
    shutil.copytree(REPO / "plans" / "th-le-dinh-chinh", project / "plans" / "th-le-dinh-chinh")
    return project


def test_build_near_the_limits_warns_and_still_publishes(tmp_path: Path, monkeypatch, capsys) -> None:
    """What `qip-site build` runs in its child process (MkDocs, --strict), with the limits lowered."""
    from qip_site.outputs import sitedir

    project = _tiny_project(tmp_path / "project")
    staging = tmp_path / "staging"
    summary = tmp_path / "summary.md"
    # A tiny site, but limits a little above it: the site is past 80 % of each, and not past 100 %.
    monkeypatch.setattr(host_limits, "GITHUB_MAX_BYTES", 1_000_000)  # 1 MB: the site passes it
    monkeypatch.setattr(host_limits, "GITLAB_MAX_BYTES", 10**12)
    monkeypatch.setattr(host_limits, "GITLAB_MAX_FILES", 10**6)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(project)
    mkdocs_log = logging.getLogger("mkdocs")  # MkDocs' command line stops it propagating: put it back
    monkeypatch.setattr(mkdocs_log, "propagate", mkdocs_log.propagate)
    monkeypatch.setattr(mkdocs_log, "level", mkdocs_log.level)
    build_log = logging.getLogger("mkdocs.commands.build")  # and adds filters to it (one drops repeated lines)
    monkeypatch.setattr(build_log, "filters", list(build_log.filters))
    code = sitedir.child([str(staging), "--strict", "-f", "mkdocs.yml", "-d", str(staging)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert (staging / "index.html").is_file()
    assert (staging / "truong" / "th-le-dinh-chinh" / "index.html").is_file()
    size, files = measure(staging)
    said = [line for line in err.splitlines() if "cảnh báo: trang web dựng ra" in line]
    assert said == [f"INFO    -  cảnh báo: trang web dựng ra nặng {host_limits._mb(size)}, vượt giới hạn dung lượng "
                    f"1,0 MB của GitHub Pages ({size * 100 // 1_000_000} %): GitHub Pages sẽ không đăng trang này. {ADVICE}"]
    assert summary.read_text(encoding="utf-8").count("cảnh báo: trang web dựng ra") == 1
    # Now lowered to just above the site: "gần tới" for the size and the files on GitLab.
    monkeypatch.setattr(host_limits, "GITHUB_MAX_BYTES", 10**12)
    monkeypatch.setattr(host_limits, "GITLAB_MAX_BYTES", size * 10 // 9)
    monkeypatch.setattr(host_limits, "GITLAB_MAX_FILES", files * 10 // 9)
    staging2 = tmp_path / "staging2"
    code = sitedir.child([str(staging2), "--strict", "-f", "mkdocs.yml", "-d", str(staging2)])
    err = capsys.readouterr().err
    assert code == 0, err
    said = [line for line in err.splitlines() if "cảnh báo: trang web dựng ra" in line]
    assert len(said) == 2, err
    assert "gần tới giới hạn dung lượng" in said[0] and "của GitLab Pages" in said[0]
    assert f"có {files:,} tệp".replace(",", ".") + ", gần tới giới hạn" in said[1]


def test_qip_site_build_of_a_small_site_says_nothing(tmp_path: Path) -> None:
    """The real command, as editors run it: a small site is far below every limit, so no line."""
    project = _tiny_project(tmp_path / "project")
    result = run_cli("build", "-d", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert "cảnh báo: trang web dựng ra" not in result.stdout + result.stderr
