"""evidence: the units' packages (自评包) out and back, the review of each leaf's evidence, the
lists and the round's export for the inspection (issue 19)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_USAGE_OR_INPUT, parse_day, print_json

if TYPE_CHECKING:
    from app.models.database import Database
    from app.services.evidence.package_check import CheckedPackage


def cmd_export_packages(db: Database, args: argparse.Namespace) -> None:
    from app.services.evidence import package_export

    done = package_export.export_packages(db, args.round, args.out, args.unit or None)
    for package in done:
        back = f"，退回补充 {package.returned} 项" if package.returned else ""
        print(f"{package.path.name}：{package.leaves} 个指标，已有材料 {package.files} 个{back}")
    print(f"共 {len(done)} 个材料包，在 {Path(args.out)}")


def _print_package(package: CheckedPackage) -> None:
    from app.services.evidence.package_check import KEPT

    new, replaced = package.count("新增"), package.count("替换")
    withdrawn = package.count("撤回")
    print(
        f"{package.source.name}：{package.unit}，变化的指标 {len(package.changed)} 个；"
        f"文件 新增 {new}、替换 {replaced}、撤回 {withdrawn}，"
        f"共 {package.size / 1024 / 1024:.1f} MB"
    )
    for leaf in package.changed:
        score = (
            leaf.score
            if leaf.score == leaf.score_before
            else f"{leaf.score_before or '—'} → {leaf.score or '—'}"
        )
        print(
            f"  {leaf.code} {leaf.name}  自评分 {score or '—'}"
            + (f"  说明：{leaf.note}" if leaf.note != leaf.note_before else "")
        )
        for f in leaf.files:
            if f.status != KEPT:
                print(
                    f"    {f.status} {f.name}（{f.size} 字节，{f.kind or '—'}，{f.sha256[:12]}…）"
                )


def cmd_import_packages(db: Database, args: argparse.Namespace) -> None:
    """Each package on its own: all or nothing; a refused one makes the exit nonzero."""
    from app.services.evidence import package_import

    refused = False
    for source in args.packages:
        try:
            if args.preview:
                checked = package_import.preview_package(db, args.round, source, args.unit)
                if checked.refused:
                    raise package_import.PackageRejected(checked)
                _print_package(checked)
                continue
            done = package_import.import_package(db, args.round, source, args.unit)
        except package_import.PackageRejected as rejected:
            refused = True
            print(f"{Path(source).name}：有问题，未导入", file=sys.stderr)
            for problem in rejected.package.problems:
                print(f"  错误：{problem}", file=sys.stderr)
            continue
        if not done.applied:
            print(f"{Path(source).name}：{done.package.unit} 与已导入的内容相同，未变化")
            continue
        _print_package(done.package)
    if args.preview:
        print("仅预览，未写入任何数据")
    if refused:
        raise SystemExit(EXIT_USAGE_OR_INPUT)


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.evidence import listing

    leaves = listing.round_evidence(db, args.round, args.unit)
    if args.json:
        print_json(listing.as_json(leaves))
        return
    for leaf in leaves:
        if not leaf.files and not leaf.self_score:
            continue
        status = f"  [{leaf.review}]" if leaf.review else ""
        print(f"{leaf.unit}  {leaf.code} {leaf.name}  自评分 {leaf.self_score or '—'}{status}")
        for f in leaf.files:
            print(f"    {f.name}  {f.size} 字节  {f.sha256}")


def cmd_export(db: Database, args: argparse.Namespace) -> None:
    from app.services.evidence import round_export

    done = round_export.export_round_evidence(db, args.round, args.out)
    print(
        f"已导出 {done.units} 个单位的佐证材料 {done.files} 个文件"
        f"（{done.size / 1024 / 1024:.1f} MB）"
        f"及目录到 {done.folder}"
    )


def cmd_index(db: Database, args: argparse.Namespace) -> None:
    from app.services.evidence import round_export

    for path in round_export.unit_index(db, args.round, args.unit, args.out):
        print(f"已写出 {path}")


def cmd_review(db: Database, args: argparse.Namespace) -> None:
    from app.models.evidence import REVIEW_ACCEPTED, REVIEW_RETURNED
    from app.services.evidence import reviews

    status = REVIEW_RETURNED if args.send_back else REVIEW_ACCEPTED
    changes = reviews.review_evidence(
        db, args.round, args.unit, args.leaf, status, args.missing or "", parse_day(args.due)
    )
    state = "已记录" if changes else "与原审核相同，未变化"
    print(f"{args.unit} 指标 {args.leaf}：{status}，{state}")


def cmd_returned(db: Database, args: argparse.Namespace) -> None:
    from app.services.evidence import reviews

    items = reviews.returned_items(db, args.round, parse_day(args.today))
    if args.json:
        print_json(
            [
                {
                    "unit": i.unit,
                    "leaf": i.leaf,
                    "missing": i.missing,
                    "due": i.due.isoformat() if i.due else None,
                    "overdue": i.overdue,
                }
                for i in items
            ]
        )
        return
    for i in items:
        late = "（已逾期）" if i.overdue else ""
        print(f"{i.unit}  {i.leaf} {i.leaf_name}：{i.missing}，期限 {i.due}{late}")


def cmd_limits(db: Database, args: argparse.Namespace) -> None:
    from app.services.evidence.limits import EvidenceLimits, load_limits, set_limits

    if args.file_mb is None and args.package_mb is None:
        limits = load_limits(db)
    else:
        current = load_limits(db)
        limits = EvidenceLimits(
            args.file_mb or current.file_mb, args.package_mb or current.package_mb
        )
        set_limits(db, limits)
    print(f"单个文件上限 {limits.file_mb} MB，每个材料包上限 {limits.package_mb} MB")


READ_ONLY = frozenset({cmd_list, cmd_export, cmd_index, cmd_returned})


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("evidence", help="佐证材料：自评包、审核、目录与导出").add_subparsers(
        dest="action", required=True
    )
    package = add("package", None, group, help="自评包（导出给单位、导入单位交回的）")
    packages = package.add_subparsers(dest="package_action", required=True)
    p = add("export", cmd_export_packages, packages, help="每个单位一个 zip 自评包")
    p.add_argument("--round", required=True)
    p.add_argument("--out", required=True, help="保存到的文件夹")
    p.add_argument("--unit", action="append", help="只导出这个单位（可重复）")
    p = add("import", cmd_import_packages, packages, help="导入单位交回的自评包（zip 或文件夹）")
    p.add_argument("packages", nargs="+", metavar="ZIP_OR_FOLDER")
    p.add_argument("--round", required=True)
    p.add_argument("--unit", help="只接受这个单位的材料包")
    p.add_argument("--preview", action="store_true", help="只列出变化，不写入")
    p = add("list", cmd_list, group, help="列出佐证材料")
    p.add_argument("--round", required=True)
    p.add_argument("--unit")
    p.add_argument("--json", action="store_true")
    p = add("export", cmd_export, group, help="按单位、指标导出全部佐证材料及目录")
    p.add_argument("--round", required=True)
    p.add_argument("--out", required=True)
    p = add("index", cmd_index, group, help="单位的佐证材料目录（PDF 和 .xlsx）")
    p.add_argument("--round", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--out", required=True, help="保存到的文件夹")
    p = add("review", cmd_review, group, help="审核一个指标的佐证材料：认可或退回补充")
    p.add_argument("--round", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--leaf", required=True, help="指标编码")
    p.add_argument("--accept", action="store_true", help="认可")
    p.add_argument("--send-back", action="store_true", help="退回补充（须 --missing 和 --due）")
    p.add_argument("--missing", help="缺少的材料")
    p.add_argument("--due", help="补充期限，如 2026-03-31")
    p = add("returned", cmd_returned, group, help="退回补充、尚待单位补交的指标")
    p.add_argument("--round", required=True)
    p.add_argument("--today", help="按这一天判断逾期（默认今天）")
    p.add_argument("--json", action="store_true")
    p = add("limits", cmd_limits, group, help="查看或设置文件大小上限")
    p.add_argument("--file-mb", type=int)
    p.add_argument("--package-mb", type=int)
