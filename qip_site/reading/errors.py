"""Problems found in plan files: one Vietnamese line each, naming file, line, column and field.

Errors stop the build; warnings are printed and publishing goes on. Each kind of problem is its
own class so that callers and tests can tell them apart without parsing messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import textrules


@dataclass
class Problem(Exception):
    """Something wrong in one place of one file."""

    file: Path | str
    line: int | None
    column: int | None
    field: str
    message: str
    example: str | None = None

    severity = "lỗi"

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        field = f" trường \"{_short(self.field, 80)}\":" if self.field else ""
        example = f" Ví dụ đúng: {_short(self.example, 300)}" if self.example else ""
        # One line per problem, even when a quoted value holds a line break; a character that
        # could break the terminal or the line (a control, a lone surrogate …) shows as \uXXXX.
        # A field name or text quoted from a hostile file can be megabytes long: shortened.
        line = f"{where}: {self.severity}:{field} {_short(self.message, 1000)}{example}"
        return textrules.printable(" ".join(line.split("\n")))


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


class EncodingProblem(Problem):
    """The file is not UTF-8 text."""


class YamlSyntaxProblem(Problem):
    """The file is not valid YAML (or uses tabs, duplicate keys …)."""


class ControlCharacterProblem(Problem):
    """A text holds a character that may not be published (textrules.REFUSED_RE): a control
    character, a noncharacter, a lone surrogate or a bidirectional override."""


class UnreadableFileProblem(Problem):
    """Not a file that can be read: a folder, a broken or looping link, or far too large for a plan."""


class UnknownFieldProblem(Problem):
    """A key the format does not have (often a typo)."""


class MissingFieldProblem(Problem):
    """A required key is absent."""


class WrongTypeProblem(Problem):
    """A value of the wrong kind (a list where a text is expected …)."""


class InvalidValueProblem(Problem):
    """A value of the right kind that is not allowed (a school year "2023-2025" …)."""


class UnknownCriterionProblem(Problem):
    """A criterion code the school level's circular does not have."""


class YearOutsidePeriodProblem(Problem):
    """A per-year item whose school year is outside the plan's period."""


class DuplicatePlanProblem(Problem):
    """Two plans of the same kind for the same school and school year."""


class MissingSchoolFileProblem(Problem):
    """A school folder without its school.yml."""


class DeletedPlanProblem(Problem):
    """A published plan's file was deleted before its 5 years online were over."""


class MissingOriginalProblem(Problem):
    """`original` names a file that is not beside the plan, or not a PDF or image."""


class PlanWarning(Problem):
    """Doubtful but publishable: printed, never fatal."""

    severity = "cảnh báo"


class InvisibleCharacterWarning(PlanWarning):
    """Invisible characters (zero-width spaces, soft hyphens …) were removed from a text."""


class CommentAfterTextWarning(PlanWarning):
    """A comment after an unquoted text ("text  # note"): not published, and maybe meant as text."""


class CircularMismatchWarning(PlanWarning):
    """The plan cites a circular meant for another school level."""


class UnreadableDateWarning(PlanWarning):
    """The place-and-date line could not be read as a date."""


class NoOriginalWarning(PlanWarning):
    """No signed original (PDF or image) beside the plan file."""


class ShallowHistoryWarning(PlanWarning):
    """A shallow git clone: publication dates and change histories would be wrong."""


class PlanErrors(Exception):
    """All the errors found in the plans; raised once, after every file was checked.

    `warnings` found meanwhile travel along and are printed with the errors, by file and line.
    """

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = problems
        self.warnings = warnings or []
        super().__init__(str(self))

    def __str__(self) -> str:
        shown = sorted(self.problems + self.warnings, key=lambda p: (str(p.file), p.line or 0, p.column or 0))
        summary = f"Có {len(self.problems)} lỗi"
        if self.warnings:
            summary += f" và {len(self.warnings)} cảnh báo"
        return "\n".join(str(p) for p in shown) + f"\n{summary} trong các tệp kế hoạch."
