"""Two builds of the same commit are byte-identical: no wall clock, no hash-table order.

- `build_date`: the one date a build may stamp on its output where the data has none (MkDocs'
  sitemap `lastmod` and the timestamp inside `sitemap.xml.gz`). It comes from
  SOURCE_DATE_EPOCH when set, else from git (the commit date of HEAD), else from the plans
  (the latest date of issue), never from the clock.
- `stable_pagefind`: Pagefind 1.x writes its filter indexes from a randomly seeded hash map,
  so the order of the filters in `pagefind.<hash>.pf_meta` and of the values inside each
  `filter/*.pf_filter` changes from run to run, and with them the files' names (content
  hashes) and `pagefind-entry.json`. No option turns this off (Pagefind issue #638: fragments
  were made stable in 1.3, filters were not). This rewrites those few files with filters and
  values sorted by name, named the way Pagefind names them. Search reads filters by name and
  qip-search.js sorts the values it shows, so nothing the reader sees changes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from ..domain.build_date import NO_DATE, build_date

__all__ = ["NO_DATE", "build_date", "stable_pagefind"]

# Pagefind's compressed files: gzip (mtime 0) of this signature followed by CBOR.
_SIGNATURE = b"pagefind_dcd"


def _short_hash(data: bytes, length: int) -> str:
    """Pagefind's file-name hash: SHA-1 in hex with each byte's leading zero dropped (Rust `{:x?}`)."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())[:length]


def _read(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise ValueError(f"not a Pagefind file: {path}")
    return data[len(_SIGNATURE):]


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(_SIGNATURE + data, compresslevel=9, mtime=0))


def _unique_name(prefix: str, data: bytes, length: int, taken: set[str]) -> str:
    """`prefix + hash`, lengthened one digit at a time on a collision, as Pagefind does."""
    full = _short_hash(data, 40)
    name = prefix + full[:length]
    while name in taken and length < len(full):
        length += 1
        name = prefix + full[:length]
    taken.add(name)
    return name


class _Unknown(ValueError):
    """A Pagefind file this code does not know how to rewrite byte for byte."""


def _cbor_head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise _Unknown(n)


def _cbor_dump(value) -> bytes:
    """CBOR of the subset Pagefind's index files use: unsigned integers, text and arrays."""
    if isinstance(value, bool) or not isinstance(value, (int, str, list)):
        raise _Unknown(type(value))
    if isinstance(value, int):
        return _cbor_head(0, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _cbor_head(3, len(data)) + data
    return _cbor_head(4, len(value)) + b"".join(_cbor_dump(v) for v in value)


def _cbor_load(data: bytes):
    def item(at: int):
        major, n = data[at] >> 5, data[at] & 31
        at += 1
        if n >= 24:
            if n > 27:
                raise _Unknown(f"CBOR {data[at - 1]:#x}")
            size = 1 << (n - 24)
            n, at = int.from_bytes(data[at:at + size], "big"), at + size
        if major == 0:
            return n, at
        if major == 3:
            return data[at:at + n].decode("utf-8"), at + n
        if major == 4:
            values = []
            for _ in range(n):
                value, at = item(at)
                values.append(value)
            return values, at
        raise _Unknown(f"CBOR major type {major}")

    value, end = item(0)
    # Only what we would write back identically: the rewrite then changes nothing but the order.
    if end != len(data) or _cbor_dump(value) != data:
        raise _Unknown("CBOR not in its shortest form")
    return value


def stable_pagefind(bundle: Path) -> bool:
    """Rewrite the filter indexes of the Pagefind bundle in `bundle` in a fixed order.

    Returns False, leaving the bundle as it is, when its layout is not the one this code knows
    (a future Pagefind); tests/test_reproducible.py then reports the files that differ.
    """
    entry_file = bundle / "pagefind-entry.json"
    entry_text = entry_file.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    if json.dumps(entry, ensure_ascii=False, separators=(",", ":")) != entry_text:
        return False  # we could not write it back as Pagefind does
    old: list[Path] = []
    new: dict[Path, bytes] = {}
    try:
        for language, info in sorted(entry.get("languages", {}).items()):
            meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = _cbor_load(_read(meta_file))
            if len(meta) < 4 or not all(isinstance(f, list) and len(f) == 2 for f in meta[3]):
                return False
            names: set[str] = set()
            filters = []
            for name, old_hash in sorted(meta[3]):
                index = _cbor_load(_read(bundle / "filter" / f"{old_hash}.pf_filter"))
                if len(index) != 2 or index[0] != name:
                    return False
                data = _cbor_dump([name, sorted(index[1], key=lambda value: value[0])])
                new_hash = _unique_name(f"{language}_", data, 7, names)
                old.append(bundle / "filter" / f"{old_hash}.pf_filter")
                new[bundle / "filter" / f"{new_hash}.pf_filter"] = data
                filters.append([name, new_hash])
            meta[3] = filters
            meta_data = _cbor_dump(meta)
            old.append(meta_file)
            info["hash"] = f"{language}_{_short_hash(meta_data, 10)}"
            new[bundle / f"pagefind.{info['hash']}.pf_meta"] = meta_data
    except (_Unknown, OSError, ValueError, TypeError, IndexError):
        return False
    # Nothing is touched until every file has been read: old names first, then the new files
    # (a new name may be an old one).
    for path in old:
        path.unlink()
    for path, data in new.items():
        _write(path, data)
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
