"""The command line: `qip-site check | build | serve` (also `python -m qip_site …`).

Messages are Vietnamese; exit code 0 means success, 1 that the plans have errors or the build
failed, 2 a command typed wrong (argparse).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

# Each command imports what it needs when it runs: `build` and `serve` start a second or a server
# process, and need not load the plan format (pydantic's models) first.

# argparse's own words (usage, errors, help headings), in Vietnamese: argparse looks them up
# through gettext at run time, by this module-level name.
_ARGPARSE_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "đối số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "the following arguments are required: %s": "thiếu đối số bắt buộc: %s",
    "unrecognized arguments: %s": "đối số không hiểu được: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không có: %(value)r (chọn một trong %(choices)s)",
    "argument %(argument_name)s: %(message)s": "đối số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_VI.get(text, text)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    """Run a command; whatever fault escapes it is one Vietnamese line, never a traceback."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last guard: an editor sees one line
        if os.environ.get("QIP_DEBUG"):
            raise
        print(f"Lỗi không mong đợi ({type(error).__name__}); không có gì bị thay đổi trên trang web. Hãy báo lỗi "
              "này cho người phụ trách kỹ thuật, kèm lệnh đã chạy (đặt QIP_DEBUG=1 để xem chi tiết).",
              file=sys.stderr)
        return 1


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="qip-site", description="Công khai kế hoạch cải tiến chất lượng giáo dục thành trang web."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    check = sub.add_parser("check", help="kiểm tra các tệp kế hoạch")
    check.add_argument("plans", nargs="?", default="plans", help="thư mục kế hoạch (mặc định: plans)")
    build = sub.add_parser("build", help="kiểm tra rồi dựng trang web vào thư mục site/")
    build.add_argument("-f", "--config-file", default="mkdocs.yml", help="tệp cấu hình MkDocs")
    build.add_argument("-d", "--site-dir", default="site", help="thư mục kết quả (mặc định: site)")
    pdf = sub.add_parser("pdf", help="in bản PDF của các kế hoạch mới hoặc đã sửa (vào .cache/qip-pdf/); "
                         "lần dựng trang sau đăng chúng kèm liên kết tải")
    pdf.add_argument("-f", "--config-file", default="mkdocs.yml", help="tệp cấu hình MkDocs")
    serve = sub.add_parser("serve", help="xem trước tại http://127.0.0.1:8000, tự cập nhật khi sửa tệp")
    serve.add_argument("-f", "--config-file", default="mkdocs.yml", help="tệp cấu hình MkDocs")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="địa chỉ xem trước")
    serve.add_argument("--school", metavar="TRƯỜNG",
                       help="chỉ xem trước một trường (tên thư mục trong plans/, ví dụ mn-thuy-tien): "
                            "cập nhật trong vài giây dù trang có hàng nghìn kế hoạch")
    sub.add_parser("schema", help="tạo lại tệp JSON Schema (cho VS Code) và bảng các trường dữ liệu (guide/truong-du-lieu.md)")
    imp = sub.add_parser("import", help="nhập kế hoạch từ tệp Word (.docx) hoặc một thư mục các tệp Word")
    imp.add_argument("paths", nargs="+", help="tệp .docx (hoặc .doc, .odt, .rtf) hay thư mục")
    imp.add_argument("--school", help="tên thư mục của trường trong plans/, ví dụ mn-thuy-tien")
    imp.add_argument("--out", help="tệp kế hoạch sẽ ghi (khi nhập một tệp)")
    imp.add_argument("--plans", default="plans", help="thư mục kế hoạch (mặc định: plans)")
    imp.add_argument("--force", action="store_true", help="cho phép ghi đè tệp kế hoạch đã có")
    inbox = sub.add_parser("inbox", help="nhập các tệp đã tải lên thư mục tai-len/ (Word, PDF), kiểm tra rồi ghi "
                           "commit; việc đăng trang trên GitHub/GitLab gọi lệnh này")
    inbox.add_argument("--inbox", default="tai-len", metavar="THƯ_MỤC", help="thư mục tải lên (mặc định: tai-len)")
    inbox.add_argument("--plans", default="plans", metavar="THƯ_MỤC", help="thư mục kế hoạch (mặc định: plans)")
    inbox.add_argument("--summary", metavar="TỆP", help="ghi thêm bản tóm tắt (Markdown) vào tệp này")
    fmt = sub.add_parser("fmt", help="sắp xếp lại trình bày các tệp kế hoạch (giữ nội dung và ghi chú)")
    fmt.add_argument("paths", nargs="*", default=["plans"], help="tệp hoặc thư mục (mặc định: plans)")
    fmt.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi")
    new = sub.add_parser("new", help="tạo khung kế hoạch trống có chú thích tiếng Việt")
    new.add_argument("--school", required=True, help="tên thư mục của trường, ví dụ mn-thuy-tien")
    new.add_argument("--years", required=True, help="năm học, ví dụ 2025-2026, hoặc 2022-2027 cho kế hoạch 5 năm")
    new.add_argument("--plans", default="plans", help="thư mục kế hoạch (mặc định: plans)")
    new.add_argument("--force", action="store_true", help="cho phép ghi đè tệp đã có")
    demo = sub.add_parser("demo", help="tạo kế hoạch giả lập (DỮ LIỆU MẪU) để thử nghiệm")
    demo.add_argument("--schools", type=int, default=10, help="số trường (mặc định 10)")
    demo.add_argument("--years", type=int, default=1, help="số năm học (mặc định 1)")
    demo.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên: cùng số cho cùng kết quả")
    demo.add_argument("--out", required=True, help="thư mục ghi kế hoạch giả lập")
    demo.add_argument("--from", dest="source", default="plans", help="kế hoạch thật để lấy từ ngữ (mặc định plans)")
    demo.add_argument("--into-plans", action="store_true", help="cho phép ghi vào thư mục plans/ của trang thật")
    hub = sub.add_parser("hub", help="tạo trang tìm kiếm chung cho trang web của nhiều tỉnh, thành phố")
    hub.add_argument("--shard", action="append", required=True, metavar="TÊN=ĐỊA_CHỈ",
                     help="một trang tỉnh, thành phố, ví dụ \"Hà Nội=https://ha-noi.example.vn/\" (lặp lại cho mỗi trang)")
    hub.add_argument("--out", required=True, help="thư mục ghi trang tìm kiếm chung")
    hub.add_argument("--title", help="tiêu đề trang")
    args = parser.parse_args(argv)
    if args.command == "hub":
        return hub_command(args)
    if args.command == "demo":
        return demo_command(args)
    if args.command == "import":
        from ..importer import import_paths

        return import_paths([Path(p) for p in args.paths], Path(args.plans), school=args.school,
                            out=Path(args.out) if args.out else None, force=args.force)
    if args.command == "inbox":
        from .inbox import run_inbox

        return run_inbox(Path(args.inbox), Path(args.plans), Path(args.summary) if args.summary else None)
    if args.command == "fmt":
        from .fmt import format_paths

        return format_paths([Path(p) for p in args.paths], check=args.check)
    if args.command == "new":
        from .scaffold import new_plan

        return new_plan(Path(args.plans), args.school, args.years, force=args.force)
    if args.command == "schema":
        from ..reading.json_schema import write_schemas
        from .fieldref import write_reference

        for path in [*write_schemas(), write_reference()]:
            print(f"Đã ghi {path}")
        return 0
    if args.command == "check":
        return check_command(Path(args.plans))
    if args.command == "build":
        return build_command(Path(args.config_file), Path(args.site_dir))
    if args.command == "pdf":
        from .pdf import make_pdfs

        return make_pdfs(Path(args.config_file))
    if args.school:
        return serve_school(args)
    # In this process, not a child: stopping `qip-site serve` stops the preview server with it.
    from mkdocs.__main__ import cli

    return cli.main(["serve", "-f", args.config_file, "-a", args.dev_addr], standalone_mode=False) or 0


def serve_school(args: argparse.Namespace) -> int:
    """The preview of one school: its pages, and site-wide pages listing only it.

    A full rebuild of a thousand-plan site takes about a minute; one school takes a second or two.
    Only this process's preview reads one school (QIP_PREVIEW_SCHOOL, read by the plugin when serving).
    """
    from mkdocs.__main__ import cli
    from mkdocs.config import load_config

    from ..reading.names import is_slug
    from ..site.plugin import PREVIEW_ENV

    if not is_slug(args.school):  # a folder name, never a path
        print(f"\"{args.school}\" không phải tên thư mục trường (chữ thường không dấu, chữ số, dấu \"-\").",
              file=sys.stderr)
        return 2
    config = load_config(args.config_file)
    plugin = config.plugins.get("qip")
    plans = Path(config.config_file_path).parent / (plugin.config.plans_dir if plugin else "plans")
    if not (plans / args.school).is_dir():
        print(f"Không có thư mục trường {plans / args.school}.", file=sys.stderr)
        return 1
    if plugin and plugin.config.schools and args.school not in plugin.config.schools:
        print(f"mkdocs.yml chỉ đăng các trường {', '.join(plugin.config.schools)} (schools), không có "
              f"{args.school}.", file=sys.stderr)
        return 1
    os.environ[PREVIEW_ENV] = args.school
    print(f"Chỉ xem trước trường {args.school}: trang chủ, danh sách và tiêu chí chỉ có trường này.",
          file=sys.stderr)
    return cli.main(["serve", "-f", args.config_file, "-a", args.dev_addr], standalone_mode=False) or 0


# The seed plans beside the package (a checkout of this project): the demo's words when no plans/ is at hand.
SEED_PLANS = Path(__file__).resolve().parents[2] / "plans"


def demo_command(args: argparse.Namespace) -> int:
    from ..reading.errors import PlanErrors
    from .demo import generate

    out = Path(args.out)
    if out.resolve() == Path(args.source).resolve() or (out.resolve() == Path("plans").resolve()):
        if not args.into_plans:
            print("Không ghi dữ liệu mẫu vào thư mục plans/ của trang thật; thêm --into-plans nếu thật sự muốn.",
                  file=sys.stderr)
            return 2
    if args.schools < 1 or args.years < 1:
        print("Số trường và số năm học phải từ 1 trở lên.", file=sys.stderr)
        return 2
    from .demo import NoWords

    source = Path(args.source)
    if (args.source == "plans" and SEED_PLANS.is_dir()
            and not (source.is_dir() and any(source.glob("*/*.y*ml")))):
        source = SEED_PLANS  # run outside a site, or before its first plan: the words of the seed plans shipped
    try:
        count = generate(out, args.schools, args.years, args.seed, source)
    except PlanErrors as errors:
        print(f"Không lấy được từ ngữ từ các kế hoạch trong {source} (--from):\n{errors}", file=sys.stderr)
        return 1
    except NoWords as reason:
        print(f"Không lấy được từ ngữ từ các kế hoạch trong {source} (--from): {reason}. "
              "Hãy chỉ tới một thư mục có kế hoạch đầy đủ, hoặc bỏ --from để dùng các kế hoạch mẫu.", file=sys.stderr)
        return 1
    print(f"Đã tạo {args.schools} trường, {count} kế hoạch giả lập (DỮ LIỆU MẪU) trong {out}.")
    return 0


def hub_command(args: argparse.Namespace) -> int:
    import unicodedata

    from ..outputs.hub import TITLE, HubError, parse_shard, write_hub

    try:
        shards = [parse_shard(text) for text in args.shard]
        title = unicodedata.normalize("NFC", args.title.strip()) if args.title and args.title.strip() else TITLE
        write_hub(shards, Path(args.out), title)
    except HubError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Đã ghi trang tìm kiếm chung của {len(shards)} tỉnh, thành phố vào {Path(args.out).resolve()}.")
    return 0


def check_command(plans: Path) -> int:
    from ..reading.errors import PlanErrors
    from ..reading.validate import load_site

    root = plans.absolute().parent  # as the build sees it, even when plans/ is a link
    try:
        site, warnings = load_site(plans, root, **site_settings(root))
    except PlanErrors as errors:
        print(str(errors), file=sys.stderr)
        return 1
    for warning in warnings:
        print(str(warning), file=sys.stderr)
    print(
        f"Đã kiểm tra {len(site.schools)} trường, {len(site.plans)} kế hoạch: không có lỗi"
        + (f", {len(warnings)} cảnh báo." if warnings else ".")
    )
    return 0


def site_settings(root: Path) -> dict:
    """The settings of mkdocs.yml that decide what a plan may be, so that check judges as build does."""
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        return {}
    from mkdocs.config import load_config

    try:
        plugin = load_config(str(config_file)).plugins.get("qip")
    except Exception:  # noqa: BLE001 - a broken mkdocs.yml is build's to report; check the plans as default
        return {}
    return {"original_max_bytes": plugin.config.original_max_mb * 1024 * 1024} if plugin else {}


def build_command(config_file: Path, site_dir: Path) -> int:
    """Build beside `site_dir`, then swap (sitedir.py): a failed build leaves the old site.

    The child builds the district's site, then each member site (`member_sites`) inside the same
    staging folder (outputs/members.py), so a failed member build fails the whole build before the swap.
    """
    from ..outputs import background, sitedir

    try:
        with sitedir.staging_folder(site_dir) as staging:
            argv = [str(site_dir), str(config_file), str(staging)]
            if background.available():  # a forked child (no second interpreter to start), else a process
                from ..outputs.members import child

                result = background.run(lambda: child(*argv))
            else:
                result = subprocess.call([sys.executable, "-m", "qip_site.outputs.members", *argv])
            if result == sitedir.FAULT_EXIT:
                return 1  # the child told the fault in its one line
            if result != 0:
                print("Dựng trang thất bại; trang web cũ (nếu có) được giữ nguyên.", file=sys.stderr)
                return 1
            sitedir.publish(staging, site_dir)
    except sitedir.SiteFault as fault:
        print(fault, file=sys.stderr)
        return 1
    print(f"Đã dựng trang web vào {site_dir.resolve()}.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
