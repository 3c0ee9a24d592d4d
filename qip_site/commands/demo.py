"""Synthetic plans for trials and benchmarks, built from the seed plans' vocabulary and shapes.

`qip-site demo --schools N --years K --seed S --out DIR` writes N school folders, each with plans
for K school years: an annual plan per year, or (one school in three) a five-year plan with
per-year items beside annual plans. Every file says `synthetic: true`, and every page built from
it carries a visible "DỮ LIỆU MẪU" mark. The same seed gives the same files.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import yaml

from ..domain.catalogue import circular_for
from ..reading.schema import CELL_FIELDS, Level
from ..reading.validate import load_site

NAMES = [
    "Hoa Sen", "Bình Minh", "Đồng Khởi", "Lê Lợi", "Nguyễn Du", "Trần Hưng Đạo", "Võ Thị Sáu", "Hướng Dương",
    "Sơn Ca", "Họa Mi", "Tuổi Thơ", "Ánh Dương", "Quang Trung", "Nguyễn Trãi", "Phan Bội Châu", "Kim Đồng",
    "Đoàn Thị Điểm", "Chu Văn An", "Lý Thường Kiệt", "Hoàng Hoa Thám", "Măng Non", "Thủy Tiên", "Bông Sen",
]
PLACES = [
    ("Thành phố Hồ Chí Minh", ["Quận 1", "Quận 5", "Quận 10", "Huyện Bình Chánh", "Huyện Củ Chi", "Quận Gò Vấp"]),
    ("Thành phố Hà Nội", ["Quận Đống Đa", "Quận Ba Đình", "Huyện Đông Anh", "Quận Cầu Giấy"]),
    ("Tỉnh Điện Biên", ["Thành phố Điện Biên Phủ", "Huyện Mường Chà"]),
    ("Thành phố Đà Nẵng", ["Quận Hải Châu", "Quận Sơn Trà"]),
    ("Tỉnh Đồng Nai", ["Thành phố Biên Hòa", "Huyện Định Quán"]),
    ("Thành phố Cần Thơ", ["Quận Ninh Kiều", "Huyện Phong Điền"]),
]
LEVEL_WORDS = {
    Level.preschool: ("Trường Mầm non", "MN"), Level.primary: ("Trường Tiểu học", "TH"),
    Level.lower_secondary: ("Trường THCS", "THCS"), Level.upper_secondary: ("Trường THPT", "THPT"),
    Level.secondary: ("Trường Trung học", "TrH"),
}
BUDGETS = ["Không", "7.000.000", "3 triệu/NH", "150 triệu", "30.000.000 đồng", "Kinh phí dự án Quận",
           "Ngân sách nhà nước", "5 triệu", "10.000.000 đồng", "Xã hội hóa"]


class NoWords(Exception):
    """The plans given have no plan, or too little text, to take words from."""


class Vocabulary:
    """Paragraphs of the real plans, by field, to sample from."""

    def __init__(self, plans_dir: Path):
        site, _ = load_site(plans_dir)
        if not site.plans:
            raise NoWords("không có kế hoạch nào")
        self.cells: dict[str, list[str]] = {name: [] for name in CELL_FIELDS}
        self.sections: list[tuple[str, list]] = []
        self.preambles: list[str] = []
        for plan in site.plans:
            for row in plan.rows():
                for name in CELL_FIELDS:
                    self.cells[name].extend(row.cells(name))
            self.sections.extend((s.heading, [c if isinstance(c, str) else {"heading": c.heading} for c in s.content])
                                 for s in plan.data.sections if not s.table and s.content)
            self.preambles.extend(plan.data.preamble)
        # Texts citing a circular would cite the wrong one for a school of another level.
        self.preambles = [p for p in self.preambles if "Thông tư" not in p]
        self.sections = [(h, [c for c in content if not (isinstance(c, str) and "Thông tư" in c)])
                         for h, content in self.sections]
        for name, fallback in (("weakness", "target"), ("target", "measures"), ("support", "responsible")):
            if not self.cells[name]:
                self.cells[name] = list(self.cells[fallback])
        if not self.sections or not self.cells["measures"]:
            raise NoWords("các kế hoạch không có mục nào có chữ, hoặc không có biện pháp nào trong bảng")

    def pick(self, rng: random.Random, name: str, most: int = 2) -> list[str]:
        pool = self.cells[name]
        return rng.sample(pool, k=min(len(pool), rng.randint(1, most)))


def _plan(rng: random.Random, vocab: Vocabulary, level: Level, school_name: str, short: str, first: int, last: int,
          number: int) -> dict:
    circular = circular_for(level)
    annual = first == last
    label = f"{first}-{first + 1}" if annual else f"{first}-{first + 1} đến {last}-{last + 1}"
    columns = {"index": "TT", "criterion": "Tiêu chuẩn, tiêu chí", "target": "Kết quả cần đạt",
               "measures": "Công việc/giải pháp cần thực hiện", "responsible": "Chủ trì và phối hợp thực hiện",
               "timeline": "Thời gian thực hiện", "budget": "Dự kiến kinh phí", "support": "Điều kiện hỗ trợ khác"}
    standards = []
    for standard in circular.standards:
        chosen = sorted(rng.sample(list(standard.criteria), k=rng.randint(1, min(4, len(standard.criteria)))),
                        key=lambda c: [int(p) for p in c.code.split(".")])
        rows = []
        for criterion in chosen:
            row = {"code": criterion.code, "criterion": f"Tiêu chí {criterion.code}",
                   "target": vocab.pick(rng, "target"), "responsible": vocab.pick(rng, "responsible", 1),
                   "budget": rng.choice(BUDGETS), "support": vocab.pick(rng, "support", 1)}
            if annual or rng.random() < 0.5:
                row["measures"] = vocab.pick(rng, "measures", 3)
                row["timeline"] = f"Năm học {label}" if annual else f"Từ năm học {first}-{first + 1} đến {last}-{last + 1}"
            else:
                row["years"] = [{"school_year": f"{y}-{y + 1}", "timeline": f"Năm học {y}-{y + 1}",
                                 "measures": vocab.pick(rng, "measures", 1)} for y in range(first, last + 1)]
            rows.append(row)
        standards.append({"index": str(standard.number), "heading": f"Tiêu chuẩn {standard.number}: {standard.title}",
                          "criteria": rows})
    heading, content = rng.choice(vocab.sections)
    return {
        "synthetic": True,
        "period": label.split(" ")[0] if annual else {"from": f"{first}-{first + 1}", "to": f"{last}-{last + 1}"},
        "header": {"school": school_name.upper(), "number": f"Số: {number}/KH-{short}",
                   "national_name": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto": "Độc lập - Tự do - Hạnh phúc",
                   "place_date": f"ngày {rng.randint(1, 28)} tháng {rng.choice([8, 9, 10])} năm {first}"},
        "title": ["KẾ HOẠCH", "CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", f"Năm học {label}"],
        "preamble": rng.sample(vocab.preambles, k=min(2, len(vocab.preambles))),
        "sections": [{"heading": heading, "content": content},
                     {"heading": "III. NỘI DUNG KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC", "table": True}],
        "table": {"columns": columns, "levels": [{"heading": "MỨC 1, 2, 3", "standards": standards},
                                                {"heading": "MỨC 4: Không có"}]},
        "recipients": ["- Phòng GDĐT (để b/c);", "- Lưu VT."],
        "signer": {"position": "HIỆU TRƯỞNG", "name": rng.choice(["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Thị Hoa",
                                                                 "Phạm Minh Đức", "Võ Thị Hằng"])},
    }


def _dump(data: dict, kind: str) -> str:
    """The file's text: block style, keys sorted, Vietnamese as written. libyaml (C, through PyYAML)
    writes it, byte for byte as ruamel's pure-Python safe dumper did (`qip-site demo` of 178 plans:
    0.7 s instead of 4.5 s)."""
    out = io.StringIO()
    out.write(f"# yaml-language-server: $schema=../../qip_site/schema/{kind}.schema.json\n")
    out.write("# DỮ LIỆU MẪU: kế hoạch giả lập để thử nghiệm, không phải văn bản thật.\n")
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    yaml.dump(data, out, Dumper=dumper, default_flow_style=False, allow_unicode=True, width=4096, sort_keys=True)
    return out.getvalue()


def generate(out: Path, schools: int, years: int, seed: int, source: Path) -> int:
    """Write `schools` schools with plans for `years` school years; return the number of plans."""
    rng = random.Random(seed)
    vocab = Vocabulary(source)
    levels = list(LEVEL_WORDS)
    count = 0
    first_year = 2026 - years
    for i in range(1, schools + 1):
        level = levels[(i - 1) % len(levels)]
        noun, short = LEVEL_WORDS[level]
        name = f"{noun} {NAMES[(i - 1) % len(NAMES)]} Số {i}"
        province, districts = PLACES[(i - 1) % len(PLACES)]
        slug = f"mau-{short.lower()}-{i}"
        folder = out / slug
        folder.mkdir(parents=True, exist_ok=True)
        school = {"synthetic": True, "name": name, "level": level.value,
                  "managing_body": f"UBND {rng.choice(districts).upper()}",
                  "place": {"as_written": rng.choice(districts), "province": province}}
        (folder / "school.yml").write_text(_dump(school, "school"), encoding="utf-8")
        five_year = i % 3 == 0 and years >= 5
        if five_year:
            first = first_year
            plan = _plan(rng, vocab, level, name, short, first, first + 4, i)
            (folder / f"{first}-{first + 5}.yml").write_text(_dump(plan, "plan"), encoding="utf-8")
            count += 1
        for year in range(first_year, first_year + years):
            if five_year and year < first_year + 5 and rng.random() < 0.6:
                continue  # many schools with a five-year plan write no annual plan that year
            plan = _plan(rng, vocab, level, name, short, year, year, i * 100 + year)
            (folder / f"{year}-{year + 1}.yml").write_text(_dump(plan, "plan"), encoding="utf-8")
            count += 1
    return count
