"""The standards and criteria of the 2018 accreditation circulars, shipped as versioned data.

Each circular is a YAML file in `catalogue/` (see its README for sources and confidence). Which
circular applies follows from the school level: 19/2018 preschool, 17/2018 primary, 18/2018
lower and upper secondary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..reading.schema import Level

CATALOGUE_DIR = Path(__file__).parents[1] / "catalogue"

SOURCE_LABELS = {
    "official": "văn bản chính thức",
    "transcription": "bản chép lại của bên thứ ba",
    "unverified": "chưa kiểm chứng được",
}


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    source: str
    note: str | None
    standard: int


@dataclass(frozen=True)
class CatalogueStandard:
    """A standard as the circular states it (not a plan's standard heading: schema.Standard)."""

    number: int
    title: str
    source: str
    note: str | None
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Circular:
    number: str  # "19/2018/TT-BGDĐT"
    slug: str  # "tt19-2018"
    version: str
    short_title: str
    title: str
    levels: tuple[Level, ...]
    source: str
    source_note: str
    standards: tuple[CatalogueStandard, ...]
    level4: tuple[str, ...]

    @property
    def criteria(self) -> dict[str, Criterion]:
        return {c.code: c for s in self.standards for c in s.criteria}

    @property
    def short_number(self) -> str:
        """"19/2018": how plans cite it."""
        return "/".join(self.number.split("/")[:2])


@lru_cache(maxsize=None)
def load_catalogue(directory: Path = CATALOGUE_DIR) -> tuple[Circular, ...]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # our own files: libyaml, ten times ruamel's speed
    circulars = []
    for file in sorted(directory.glob("*.yml")):
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)
        standards = tuple(
            CatalogueStandard(
                number=s["number"], title=s["title"], source=s.get("source", data["source"]),
                note=s.get("note"),
                criteria=tuple(
                    Criterion(str(c["code"]), c["title"], c.get("source", data["source"]), c.get("note"), s["number"])
                    for c in s["criteria"]
                ),
            )
            for s in data["standards"]
        )
        circulars.append(
            Circular(
                number=data["circular"], slug=data["slug"], version=str(data["version"]),
                short_title=data["short_title"], title=data["title"],
                levels=tuple(Level(level) for level in data["levels"]), source=data["source"],
                source_note=data.get("source_note") or "", standards=standards,
                level4=tuple(clause["text"] for clause in data.get("level4", [])),
            )
        )
    return tuple(circulars)


def circular_for(level: Level) -> Circular:
    for circular in load_catalogue():
        if level in circular.levels:
            return circular
    raise LookupError(f"no circular in the catalogue covers level {level.value}")
