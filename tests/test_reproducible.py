"""Two builds of the same commit are byte-identical.

The site of this repository's plans/ is built twice, from two clones at different paths, with
different Python hash seeds, into different folders, and every file is compared byte for byte.
The commit being built is dated 2001, and the dates MkDocs would take from the clock (the
sitemap's) must be that commit's.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, REPO

from qip_site.outputs import reproducible

COMMIT_DATE = "2001-02-03T04:05:06+00:00"
GIT_ENV = {
    **ENV, "GIT_AUTHOR_NAME": "Kiểm thử", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_AUTHOR_DATE": COMMIT_DATE,
    "GIT_COMMITTER_NAME": "Kiểm thử", "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_COMMITTER_DATE": COMMIT_DATE,
}
# What the site is built from; everything else in the repository does not reach the site.
SOURCES = ("mkdocs.yml", "docs", "overrides", "plans")


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, env=GIT_ENV, check=True,
                   capture_output=True, timeout=120)


def source_checkout(dest: Path) -> None:
    """A clone of this repository (its history dates the plans) with the working tree's site sources.

    The sources as they are now are committed on top, dated COMMIT_DATE, with a site_url so
    that the sitemap lists the pages with their dates.
    """
    cloned = subprocess.run(["git", "clone", "-q", str(REPO), str(dest)], env=GIT_ENV, capture_output=True, check=False)
    if cloned.returncode != 0:  # not a git checkout (a source archive): a history of one commit
        dest.mkdir(parents=True, exist_ok=True)
        git("init", "-q", cwd=dest)
    for name in SOURCES:
        shutil.rmtree(dest / name, ignore_errors=True)
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
        else:
            shutil.copy(REPO / name, dest / name)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "site_url: !ENV [QIP_SITE_URL, null]\n" in text
    config.write_text(text.replace("site_url: !ENV [QIP_SITE_URL, null]\n", "site_url: https://example.org/qip/\n"),
                      encoding="utf-8")
    git("add", "-A", "--", *SOURCES, cwd=dest)
    git("commit", "-q", "--no-verify", "--allow-empty", "-m", "build under test", cwd=dest)


def build(source: Path, out: Path, hash_seed: str) -> None:
    env = {k: v for k, v in ENV.items() if k != "SOURCE_DATE_EPOCH"}
    # Run from outside the clone: `python -m` puts the working folder first on sys.path, and the
    # clone's own qip_site/ (as committed) must not stand in for the package under test.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(source / "mkdocs.yml"), "-d", str(out)],
        cwd=out.parent, env={**env, "PYTHONHASHSEED": hash_seed}, capture_output=True, text=True, timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    """Each file that is not the same in both sites, with how it differs."""
    in_a, in_b = files(a), files(b)
    out = []
    for name in sorted(in_a.keys() | in_b.keys()):
        if name not in in_b:
            out.append(f"{name}: chỉ có ở lần dựng thứ nhất")
        elif name not in in_a:
            out.append(f"{name}: chỉ có ở lần dựng thứ hai")
        elif in_a[name].read_bytes() != in_b[name].read_bytes():
            out.append(f"{name}: nội dung khác nhau")
    return out


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("reproducible")
    source_checkout(root / "first")
    subprocess.run(["git", "clone", "-q", str(root / "first"), str(root / "second")], check=True, capture_output=True)
    build(root / "first", root / "site-1", hash_seed="1")
    build(root / "second", root / "site-2", hash_seed="2")
    return root / "site-1", root / "site-2"


def test_two_builds_of_the_same_commit_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    assert len(files(first)) > 50
    # The open data's zips (whose entries could carry the clock and the machine) are among the files compared.
    assert {"du-lieu/du-lieu.zip", "truong/mn-thuy-tien/du-lieu.zip"} <= files(first).keys()
    diff = differences(first, second)
    assert not diff, f"{len(diff)} tệp khác nhau giữa hai lần dựng cùng một commit:\n" + "\n".join(diff)


def test_sitemap_dates_come_from_git_not_the_clock(two_builds: tuple[Path, Path]) -> None:
    site = two_builds[0]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    dates = re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)
    assert len(dates) > 50 and set(dates) == {"2001-02-03"}, sorted(set(dates))
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed).decode("utf-8") == sitemap
    stamp = int.from_bytes(packed[4:8], "little")  # the gzip header's MTIME
    assert dt.datetime.fromtimestamp(stamp, dt.UTC).date() == dt.date(2001, 2, 3)


def test_build_date_prefers_source_date_epoch_then_git_then_plans(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "981173106")  # 2001-02-03T04:05:06Z
    assert reproducible.build_date(tmp_path) == dt.date(2001, 2, 3)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert reproducible.build_date(tmp_path, [None, dt.date(2023, 9, 5), dt.date(2022, 1, 1)]) == dt.date(2023, 9, 5)
    assert reproducible.build_date(tmp_path) == reproducible.NO_DATE
    git("init", "-q", cwd=tmp_path)
    git("commit", "-q", "--allow-empty", "-m", "x", cwd=tmp_path)
    assert reproducible.build_date(tmp_path, [dt.date(2023, 9, 5)]) == dt.date(2001, 2, 3)


def _shuffle_filters(bundle: Path) -> None:
    """Write the bundle's filters as Pagefind may: another order of filters and of their values."""
    entry_file = bundle / "pagefind-entry.json"
    entry = entry_file.read_text(encoding="utf-8")
    (meta_file,) = bundle.glob("pagefind.*.pf_meta")
    meta = reproducible._cbor_load(reproducible._read(meta_file))
    shuffled = []
    for name, old_hash in reversed(meta[3]):
        old = bundle / "filter" / f"{old_hash}.pf_filter"
        index = reproducible._cbor_load(reproducible._read(old))
        data = reproducible._cbor_dump([name, list(reversed(index[1]))])
        new_hash = "vi_" + reproducible._short_hash(data, 7)
        old.unlink()
        reproducible._write(bundle / "filter" / f"{new_hash}.pf_filter", data)
        shuffled.append([name, new_hash])
    meta[3] = shuffled
    data = reproducible._cbor_dump(meta)
    meta_hash = "vi_" + reproducible._short_hash(data, 10)
    meta_file.unlink()
    reproducible._write(bundle / f"pagefind.{meta_hash}.pf_meta", data)
    entry_file.write_text(re.sub(r'"hash":"[^"]*"', f'"hash":"{meta_hash}"', entry), encoding="utf-8")


def test_pagefind_filters_are_written_in_one_order_whatever_order_pagefind_chose(
        two_builds: tuple[Path, Path], tmp_path: Path) -> None:
    built = two_builds[0] / "pagefind"
    bundle = tmp_path / "pagefind"
    shutil.copytree(built, bundle)
    _shuffle_filters(bundle)
    assert differences(built, bundle), "the shuffle changed nothing: the test would prove nothing"
    assert reproducible.stable_pagefind(bundle)
    assert differences(built, bundle) == []
    # A bundle it does not know how to read is left exactly as it is.
    (bundle / "pagefind-entry.json").write_text('{"version": "9"}', encoding="utf-8")
    before = {name: path.read_bytes() for name, path in files(bundle).items()}
    assert not reproducible.stable_pagefind(bundle)
    assert {name: path.read_bytes() for name, path in files(bundle).items()} == before
