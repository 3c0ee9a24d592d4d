"""`qip-site new --school SLUG --years 2025-2026`: an empty plan whose comments explain each field.

Each text to copy from the document holds PLACEHOLDER, which `check` refuses, naming the fields
still to fill: an untouched draft is never published as an empty plan. The editor replaces each
with the document's words, or with "" where the document has none; the preview lists what is left. The comments come from the descriptions in `schema.py`
(the same words the editor's completion shows), with hints on how to copy the document.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

from ..domain.years import Period, SchoolYear
from ..reading import schema as S
from ..reading.names import is_slug, level_in_name, slugify

SCHOOL_FILE = "school.yml"
_RANGE_RE = re.compile(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$")
_MARK_RE = re.compile(r"@(\w+)\.(\w+)@")  # "@Header.number@": that field's description in schema.py
_QUOTED_RE = re.compile(r'"[^"]*"')
_WIDTH = 100  # comments are wrapped to this many characters
# What the scaffold writes where the document's words go; never a real document's whole text.
PLACEHOLDER = "(chưa điền)"

_YEARS_HELP = ("Hãy ghi một năm học (2025-2026), một giai đoạn (2022-2027 là kế hoạch 5 năm từ năm học "
               "2022-2023 đến năm học 2026-2027), hoặc năm học đầu và năm học cuối (2022-2023:2026-2027).")

def parse_years(text: str) -> Period:
    """"2025-2026" (one school year), "2022-2027" or "2022-2023:2026-2027" (several); ValueError otherwise."""
    text = str(text).strip()
    if ":" in text:
        first_text, last_text = text.split(":", 1)
        first, last = SchoolYear.parse(first_text), SchoolYear.parse(last_text)
    else:
        match = _RANGE_RE.match(text)
        if match and int(match.group(2)) > int(match.group(1)) + 1:
            first = SchoolYear.parse(f"{match.group(1)}-{int(match.group(1)) + 1}")
            last = SchoolYear.parse(f"{int(match.group(2)) - 1}-{match.group(2)}")
        else:
            first = last = SchoolYear.parse(text)
    if last < first:
        raise ValueError(f"năm học cuối {last} đứng trước năm học đầu {first}")
    return Period(first, last)


def guess_level(slug: str) -> S.Level | None:
    """The level a folder's name gives ("mn-thuy-tien", "truong-thcs-a"); the file asks the editor to check."""
    level = level_in_name(slug)
    return S.Level(level) if level else None


def _description(model: str, name: str) -> str:
    return getattr(S, model).model_fields[name].description or ""


def _render(template: str, values: dict[str, str]) -> str:
    """Fill `{name}` values and `@Model.field@` descriptions; wrap long comment lines."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    out: list[str] = []
    for line in template.strip("\n").split("\n"):
        line = _MARK_RE.sub(lambda m: _description(m.group(1), m.group(2)), line)
        stripped = line.lstrip(" ")
        if stripped.startswith("# ") and len(line) > _WIDTH and not stripped.startswith("# yaml-language-server"):
            indent = " " * (len(line) - len(stripped)) + "# "
            # Quoted examples stay on one line; a list item's next lines stand under its text.
            text = _QUOTED_RE.sub(lambda m: m.group().replace(" ", "\0"), stripped[2:])
            more = indent + ("  " if text.startswith("- ") else "")
            wrapped = textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=more,
                                    break_long_words=False, break_on_hyphens=False)
            out.extend(part.replace("\0", " ") for part in wrapped)
        else:
            out.append(line)
    return "\n".join(out) + "\n"


SCHOOL_TEMPLATE = """
# yaml-language-server: $schema=../../qip_site/schema/school.schema.json
# Thông tin trường, ghi một lần cho mọi kế hoạch của trường. Thay mỗi chữ (chưa điền) bằng nội dung đúng như văn bản ghi; văn bản không ghi thì thay bằng "" (không tự điền).

# @SchoolFile.name@
name: {todo}
# {level_help}
# {level_check}
level: {level}
# @SchoolFile.managing_body@ Ví dụ: UBND HUYỆN BÌNH CHÁNH
managing_body: {todo}
# @SchoolFile.place@
place:
  # @Place.as_written@
  as_written: {todo}
  # @Place.province@ Dùng để xếp trường theo địa danh.
  province: {todo}
  # @Place.commune@
  commune: {todo}
"""

PLAN_TEMPLATE = """
# yaml-language-server: $schema=../../qip_site/schema/plan.schema.json
# Kế hoạch cải tiến chất lượng giáo dục, {period_label}. Cách điền:
# - Thay mỗi chữ (chưa điền) bằng nội dung văn bản, đúng từng chữ như văn bản ghi, kể cả lỗi chính tả, dấu cách thừa, cách viết hoa và dấu câu; giữ hai dấu ngoặc kép. Lệnh kiểm tra báo những chỗ còn (chưa điền).
# - Văn bản không ghi thì thay bằng "" hoặc xóa dòng đó; không tự điền.
# - Trong ngoặc kép, dấu " viết là \\" và dấu \\ viết là \\\\. Thụt lề bằng dấu cách, không dùng phím Tab.
# - Một ô nhiều đoạn thì ghi thành danh sách, mỗi đoạn một dòng bắt đầu bằng - (như title dưới đây).
# - Dòng bắt đầu bằng # là ghi chú cho người biên tập, không hiện trên trang; có thể xóa các ghi chú này.
# - Kiểm tra: qip-site check (hoặc make check). Xem trước: qip-site serve (hoặc make serve).

# @PlanFile.period@
{period}

# @PlanFile.header@ Mỗi dòng như văn bản ghi. Xóa cả khối nếu văn bản không có phần đầu.
header:
  # @Header.managing_body@
  managing_body: {todo}
  # @Header.school@
  school: {todo}
  # Số, ký hiệu văn bản như văn bản ghi, ví dụ: Số: 107/KH-LĐC (trang tự tách số 107/KH-LĐC).
  number: {todo}
  # @Header.national_name@ Ví dụ: CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
  national_name: {todo}
  # @Header.motto@ Ví dụ: Độc lập - Tự do - Hạnh phúc
  motto: {todo}
  # @Header.place_date@ Trang tự đọc ngày ban hành từ dòng này.
  place_date: {todo}
  # @Header.date@ Ví dụ:
  # date: 2025-09-06

# @PlanFile.title@ Bắt buộc. Mỗi dòng một phần tử, ví dụ:
#   - KẾ HOẠCH
#   - CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC
#   - {title_example}
title:
  - {todo}

# @PlanFile.preamble@ Mỗi đoạn một phần tử. Xóa nếu văn bản không có.
preamble:
  - {todo}

# @PlanFile.sections@ Chép mọi mục của văn bản; thêm mục bằng cách chép cả khối "- heading: …".
sections:
  # @Section.heading@
  - heading: {todo}
    # @Section.content@ Đoạn văn bắt đầu bằng dấu "-" phải đặt trong ngoặc kép, ví dụ "- Biên chế đều học sinh các lớp."
    content:
      # Tiêu đề mục con, ví dụ: - heading: "1. Mục đích:"
      - heading: {todo}
      - {todo}
  # Mục có bảng kế hoạch ở cuối: "table: true" ở đúng một mục. Ví dụ tiêu đề: III. NỘI DUNG KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC
  - heading: {todo}
    # @Section.table@
    table: true

# @PlanFile.table@
table:
  # @Table.columns@ Xóa cột văn bản không có; thêm area (Lĩnh vực) nếu có. Tiêu đề "" thì trang hiện tên chuẩn.
  columns:
    index: ""  # ví dụ: TT
    criterion: ""  # ví dụ: Tiêu chuẩn, tiêu chí
    weakness: ""  # ví dụ: Điểm yếu
    target: ""  # ví dụ: Kết quả cần đạt (so với hiện trạng)
    measures: ""  # ví dụ: Công việc/giải pháp cần thực hiện
    responsible: ""  # ví dụ: Chủ trì và phối hợp thực hiện
    timeline: ""  # ví dụ: Thời gian thực hiện và hoàn thành
    budget: ""  # ví dụ: Dự kiến kinh phí
    support: ""  # ví dụ: Điều kiện hỗ trợ khác
    note: ""  # ví dụ: Ghi chú
  # Cách nhóm các dòng: dùng MỘT trong ba cách, như văn bản.
  # - levels: @Table.levels@ Mỗi mức có heading (ví dụ "MỨC 1, 2, 3") và standards như dưới đây.
  # - standards: @Table.standards@ Cách này được dùng dưới đây.
  # - areas: @Table.areas@ Mỗi phần tử là một dòng như một tiêu chí dưới đây, với ô area.
  standards:
    # Cột TT của dòng tiêu chuẩn, ví dụ "1" (số đặt trong ngoặc kép).
    - index: {todo}
      # @Standard.heading@
      heading: {todo}
      # @Standard.criteria@ Thêm dòng bằng cách chép khối "- code: …".
      criteria:
        # Mã tiêu chí theo thông tư, trong ngoặc kép, ví dụ code: "1.4"; để null khi văn bản không ghi rõ.
        - code: null
          # @Row.index@
          index: {todo}
          # @Row.criterion@
          criterion: {todo}
          # @Row.weakness@
          weakness: {todo}
          # @Row.target@
          target: {todo}
          # @Row.measures@ Nhiều đoạn thì ghi thành danh sách.
          measures: {todo}
          # @Row.responsible@
          responsible: {todo}
          # @Row.timeline@ Ví dụ: Năm học {first_year}
          timeline: {todo}
          # @Row.budget@ Ví dụ: 3 triệu/NH
          budget: {todo}
          # @Row.support@
          support: {todo}
          # @Row.note@
          note: {todo}
          # @Row.result@ Ví dụ:
          # result:
          #   state: đã thực hiện  # hoặc: đang thực hiện, chưa thực hiện, điều chỉnh
          #   date: {result_date}
          #   text: "Đã sửa xong 4 phòng học."
          #   evidence: "minh-chung-3-1.pdf"  # tệp PDF hoặc ảnh cạnh tệp kế hoạch, hoặc địa chỉ https://
{years_help}
# @PlanFile.closing@ Xóa nếu văn bản không có.
closing: {todo}

# @PlanFile.recipients@ Trang tự in chữ "Nơi nhận:", không chép dòng này. Ví dụ:
#   - "- Phòng GDĐT (để b/c);"
#   - "- Lưu VT."
recipients:
  - {todo}

# @PlanFile.signer@
signer:
  # @Signer.position@
  position: {todo}
  # @Signer.note@
  note: {todo}
  # @Signer.name@
  name: {todo}

# Công khai (không phải nội dung văn bản).
# @PlanFile.published@ Ví dụ: 2025-09-15
published: ""
# @PlanFile.original@
original: ""
# @PlanFile.status@ Ví dụ:
# status:
#   state: superseded
#   date: 2025-10-01
#   reason: "Thay bằng kế hoạch điều chỉnh số 12/KH-MN ngày 01/10/2025."
#   replaced_by: "{first_year}-dieu-chinh"
"""

# Per-year items, only for plans of several years.
YEARS_HELP = """
          # @Row.years@ Khi đó ghi mỗi việc thành một mục, ví dụ:
          # years:
          #   - school_year: "{first}"
          #     timeline: Năm học {first}
          #     measures: ""
          #   - school_year: "{second}"
          #     timeline: Năm học {second} và các năm tiếp theo
          #     measures: ""
"""


def plan_text(period: Period) -> str:
    """The scaffold of a plan for `period`, with its comments."""
    if period.is_annual:
        period_yaml = f'period: "{period.first}"'
        title_example = f"Năm học {period.first.start} - {period.first.start + 1}"
        years_help = ""
    else:
        period_yaml = f'period:\n  from: "{period.first}"  # năm học đầu\n  to: "{period.last}"  # năm học cuối'
        title_example = f"Giai đoạn {period.first.start} - {period.last.start + 1}"
        years_help = YEARS_HELP.strip("\n") + "\n"
        years_help = years_help.replace("{first}", str(period.years[0])).replace(
            "{second}", str(period.years[1]))
    return _render(PLAN_TEMPLATE, {
        "todo": f'"{PLACEHOLDER}"',
        "period_label": period.phrase,
        "period": period_yaml,
        "title_example": title_example,
        "first_year": str(period.first),
        "years_help": years_help,
        "result_date": f"20/5/{period.first.start + 1}",
    })


def school_text(slug: str) -> str:
    """The scaffold of a school.yml; the level is guessed from the folder name, and flagged."""
    guessed = guess_level(slug)
    level = guessed or S.Level.preschool
    choices = ", ".join(f"{item.value} ({_lower(S.LEVEL_LABELS[item])})" for item in S.Level)
    if guessed:
        check = (f"HÃY KIỂM TRA: cấp học dưới đây được đoán từ tên thư mục \"{slug}\" "
                 f"({_lower(S.LEVEL_LABELS[level])}); sửa nếu sai.")
    else:
        check = ("HÃY SỬA: chưa biết cấp học của trường; tạm ghi preschool (mầm non) để xem trước được. "
                 "Cấp học quyết định thông tư dùng để đối chiếu mã tiêu chí.")
    return _render(SCHOOL_TEMPLATE, {
        "todo": f'"{PLACEHOLDER}"',
        "level_help": f"Cấp học (bắt buộc), một trong: {choices}.",
        "level_check": check,
        "level": level.value,
    })


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _overlapping(folder: Path, target: Path, period: Period) -> Path | None:
    """An existing plan of the same kind (annual, several years) sharing a school year with `period`."""
    for file in sorted(folder.glob("*.yml")):
        if file.name == SCHOOL_FILE or file == target:
            continue
        try:
            other = parse_years(file.stem)
        except ValueError:
            continue
        if other.kind == period.kind and set(other.years) & set(period.years):
            return file
    return None


def new_plan(plans_dir: Path, school: str, years: str, *, force: bool = False,
             echo: Callable[[str], object] = print) -> int:
    """Write plans/SCHOOL/<period>.yml (and school.yml for a new school). 0 when written, 1 when a
    file is in the way, 2 when the school or years are typed wrong."""
    try:
        period = parse_years(years)
    except ValueError as exc:
        echo(f"Năm học \"{years}\" không dùng được: {exc}. {_YEARS_HELP}")
        return 2
    if not is_slug(school):

        echo(f"Tên thư mục trường \"{school}\" không dùng được: tên thư mục là một phần địa chỉ trang web nên chỉ "
             f"được có chữ thường không dấu, chữ số và dấu \"-\", ví dụ \"{slugify(school) or 'mn-thuy-tien'}\".")
        return 2
    from ..reading.limits import MAX_NAME_CHARS

    if len(school) > MAX_NAME_CHARS:
        echo(f"Tên thư mục trường dài {len(school)} ký tự; tên là một phần địa chỉ trang web nên không được quá "
             f"{MAX_NAME_CHARS} ký tự. Hãy viết tắt, ví dụ \"mn-thuy-tien\".")
        return 2
    if not plans_dir.is_dir():
        echo(f"Không có thư mục kế hoạch \"{plans_dir}\"; hãy chạy lệnh trong thư mục dự án, hoặc chỉ rõ thư "
             "mục bằng --plans.")
        return 1
    folder = plans_dir / school
    plan_file = folder / f"{period.slug}.yml"
    if plan_file.exists() and not force:
        echo(f"Tệp {plan_file} đã có; không ghi đè. Thêm --force nếu thật sự muốn thay bằng khung trống.")
        return 1
    other = _overlapping(folder, plan_file, period) if folder.is_dir() else None
    if other is not None:
        kind = "kế hoạch năm học" if period.is_annual else "kế hoạch nhiều năm"
        echo(f"Trường đã có {kind} {other} trùng năm học với {period.slug}; mỗi năm học chỉ có một {kind} "
             "của mỗi trường. Hãy sửa tệp đó, hoặc chọn năm học khác.")
        return 1
    folder.mkdir(exist_ok=True)
    school_file = folder / SCHOOL_FILE
    if not school_file.exists():
        school_file.write_bytes(school_text(school).encode("utf-8"))
        echo(f"Đã tạo {school_file}: hãy điền tên trường, địa danh và kiểm tra cấp học.")
    plan_file.write_bytes(plan_text(period).encode("utf-8"))
    echo(f"Đã tạo {plan_file}: hãy chép nội dung văn bản vào tệp theo các ghi chú trong đó.")
    echo("Sau đó kiểm tra bằng lệnh \"qip-site check\" và xem trước bằng \"qip-site serve\".")
    return 0
