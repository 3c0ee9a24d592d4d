"""The hosts' limits: warn, after a build, when the site nears what GitHub or GitLab Pages accept.

The site is measured once every output is written (the plugin's `on_post_build`, which is also
what `qip-site build` runs in its child process, before the swap). From 80 % of a limit there is
one Vietnamese line per limit crossed, naming the host, the limit, the measured figure and what to
do: split the site by district with the `schools` setting. Above 100 % it is still a warning, not an
error: the host refuses the site, qip-site does not; the line then says "vượt" (exceeds).

The lines are logged at INFO, like the plans' warnings and the `site_url` note, so `--strict`
builds still pass, and they show in `make site` and in the publishing job's log. When
`$GITHUB_STEP_SUMMARY` is set (GitHub Actions), they are added to the job's summary too.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..domain.money import format_number

# 1 GB read as 10^9 bytes, the smaller of its two readings (GitLab counts 1024 MB of 2^20 bytes),
# so the warning comes early rather than late.
GB = 1_000_000_000

# GitHub Pages: "Published GitHub Pages sites may be no larger than 1 GB."
# (docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits; issue 15)
GITHUB_MAX_BYTES = 1 * GB
# GitLab Pages (GitLab.com): the pages site (its artifacts) at most 1 GB by default, and at most
# 200,000 files (docs.gitlab.com/ee/user/gitlab_com/#gitlab-pages; issue 15).
GITLAB_MAX_BYTES = 1 * GB
GITLAB_MAX_FILES = 200_000

WARN_AT = 0.80  # warn from this share of a limit

ADVICE = ("Hãy chia trang theo quận/huyện: mỗi quận/huyện một trang web (một kho, hoặc một tệp cấu hình "
          "dựng riêng bằng qip-site build -f), ghi thư mục các trường của quận/huyện đó ở dòng `schools` "
          "trong mkdocs.yml của trang ấy.")


def _mb(n: int) -> str:
    """Bytes as MB (10^6) with one decimal, Vietnamese style: "850,3 MB"."""
    return format_number(n / 1_000_000, 1) + " MB"


def _limits() -> list[tuple[str, str, int, str]]:
    """(host, what is measured, limit, the limit as words). Read at call time: tests lower them."""
    return [
        ("GitHub Pages", "bytes", GITHUB_MAX_BYTES, "dung lượng " + _limit_bytes(GITHUB_MAX_BYTES)),
        ("GitLab Pages", "bytes", GITLAB_MAX_BYTES, "dung lượng " + _limit_bytes(GITLAB_MAX_BYTES)),
        ("GitLab Pages", "files", GITLAB_MAX_FILES, f"{format_number(GITLAB_MAX_FILES)} tệp"),
    ]


def _limit_bytes(n: int) -> str:
    return f"{format_number(n // GB)} GB" if n % GB == 0 else _mb(n)


def host_limits(total_bytes: int, files: int) -> list[str]:
    """One Vietnamese warning per host limit the site reaches 80 % of; [] when it fits with margin."""
    messages = []
    for host, kind, limit, words in _limits():
        measured = total_bytes if kind == "bytes" else files
        if measured < WARN_AT * limit:
            continue
        figure = f"nặng {_mb(measured)}" if kind == "bytes" else f"có {format_number(measured)} tệp"
        share = f"{measured * 100 // limit} %"
        if measured > limit:
            said = f"vượt giới hạn {words} của {host} ({share}): {host} sẽ không đăng trang này."
        else:
            said = f"gần tới giới hạn {words} của {host} ({share})."
        messages.append(f"cảnh báo: trang web dựng ra {figure}, {said} {ADVICE}")
    return messages


def measure(folder: Path) -> tuple[int, int]:
    """(bytes, files) of a built site: the sum of its files' sizes, what a host stores, and their count."""
    total = files = 0
    for base, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            if os.path.isfile(path) and not os.path.islink(path):
                total += os.path.getsize(path)
                files += 1
    return total, files


def check_site(folder: Path) -> list[str]:
    """Measure the built site in `folder`; its warnings, also added to the GitHub job summary if any."""
    messages = host_limits(*measure(folder))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if messages and summary:
        try:
            with open(summary, "a", encoding="utf-8") as out:
                out.write("".join(f"\n- ⚠️ {message}\n" for message in messages))
        except OSError:
            pass  # the summary is a copy: the lines are in the job's log already
    return messages
