"""Transcription self-check: every word of a seed must be in the plan file at least as often.

Usage: .venv/bin/python tools/seedcheck.py ../shared/seeds/004_8519a3dbcecfe91b.txt plans/th-le-dinh-chinh/2023-2024.yml
Also validates the plan and school files against the plan format (qip_site/reading/schema.py).
"""

import collections
import re
import sys
import unicodedata
from pathlib import Path

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from qip_site.reading.schema import PlanFile, SchoolFile  # noqa: E402


def words(text):
    return collections.Counter(re.findall(r"\w+", unicodedata.normalize("NFC", text)))


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


seed_path, plan_path = sys.argv[1], Path(sys.argv[2])
yaml = YAML(typ="safe")
data = yaml.load(plan_path.read_text(encoding="utf-8"))
PlanFile.model_validate(data)
SchoolFile.model_validate(yaml.load((plan_path.parent / "school.yml").read_text(encoding="utf-8")))
seed = words(Path(seed_path).read_text(encoding="utf-8"))
# The page prints the label "Nơi nhận:" above the recipients; the file holds only the lines.
have = words(" ".join(strings(data)) + (" Nơi nhận" if data.get("recipients") else ""))
missing = {w: c - have[w] for w, c in seed.items() if have[w] < c}
print("missing words (word: how many more times needed):", missing or "none")
sys.exit(1 if missing else 0)
