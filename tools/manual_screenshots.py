"""Make the manual's pictures (resources/manual/images/) with the program itself, so they show
the window as it is now: `python -m tools.manual_screenshots` (from the source tree, no screen
needed). In a temporary folder it builds the demo year with `python -m app demo`, takes each
page with `python -m app --screenshot … --page …` (offscreen), adds what the demo lacks through
the command line (objections, a backup, accounts) just before the page that shows it, renders
the first page of a 整改通知书 preview, and writes every picture as a small palette PNG.
Run it after changing a page; commit the PNGs (tests/ui/test_manual.py checks each is used)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from PIL import Image

from app.demo.build import DEMO_ROUND
from app.documents.render import PdfPages

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "resources" / "manual" / "images"
CLERK = "liwen"  # the office's clerk, as the change log and the status bar name her
PASSWORD = "Kaoping-2025"
UNIT = "云州市民政局"  # the demo unit whose objections and notice are shown
COLOURS = 128  # a palette this size keeps the anti-aliased Chinese legible at a third the bytes
NOTICE_DPI = 108  # an A4 page 893 px wide: the manual shows it at its own size


def environment(folder: Path) -> dict[str, str]:
    """Offscreen, in this source tree, with settings of its own (never the developer's)."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "KAOPING_SETTINGS": str(folder / "settings.json"),
        "LOGNAME": CLERK,
        "USER": CLERK,
        "USERNAME": CLERK,
    }


def run_app(env: dict[str, str], *args: str) -> str:
    """`python -m app ARGS` from the source tree; its output, or exit naming what failed."""
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"失败：python -m app {' '.join(args)}\n{done.stderr}")
    return done.stdout


def optimise(picture: Image.Image, target: Path) -> int:
    """``picture`` as a palette PNG (no dithering: flat UI colours stay flat); its bytes."""
    palette = picture.convert("RGB").quantize(colors=COLOURS, dither=Image.Dither.NONE)
    palette.save(target, optimize=True)
    return target.stat().st_size


def page_shot(env: dict[str, str], db: Path, page: str, target: Path) -> int:
    raw = target.with_suffix(".raw.png")
    run_app(env, "--db", str(db), "--screenshot", str(raw), "--page", page)
    with Image.open(raw) as picture:
        size = optimise(picture, target)
    raw.unlink()
    return size


def notice_shot(env: dict[str, str], db: Path, target: Path) -> int:
    """The first page of a 整改通知书 as the preview draws it (marked 预览, not numbered)."""
    pdf = target.with_suffix(".pdf")
    preview = ("notice", "preview", "--round", DEMO_ROUND, "--unit", UNIT, "--out", str(pdf))
    run_app(env, "--db", str(db), *preview)
    with PdfPages(pdf) as pages:
        page = pages.render(0, NOTICE_DPI)
    picture = Image.frombuffer(
        "RGBX", (page.width, page.height), page.pixels, "raw", "RGBX", page.stride, 1
    )
    pdf.unlink()
    return optimise(picture, target)


def lost_points(env: dict[str, str], db: Path, unit: str) -> list[tuple[str, Fraction]]:
    """The unit's 扣分 leaves that lost points, with their points, in tree order."""
    explain = ("results", "--round", DEMO_ROUND, "--explain", "--unit", unit, "--json")
    explained = json.loads(run_app(env, "--db", str(db), *explain))
    return [
        (leaf["code"], Fraction(leaf["points"]))
        for leaf in explained["units"][0]["leaves"]
        if leaf["method"] == "扣分"
        and leaf["score"] is not None
        and Fraction(leaf["score"]) < Fraction(leaf["points"])
    ]


def objections(env: dict[str, str], db: Path) -> None:
    """The round in review with three objections: one accepted, one rejected, one pending."""
    in_round = ("--db", str(db))
    run_app(env, *in_round, "round", "status", "--round", DEMO_ROUND, "--to", "审核中")
    leaves = lost_points(env, db, UNIT)[:3]
    reasons = ("已于年中整改到位，附整改报告", "扣分依据的案卷不属本单位", "报送时间以系统记录为准")
    for (code, _points), reason in zip(leaves, reasons, strict=True):
        objection = ("--round", DEMO_ROUND, "--unit", UNIT, "--leaf", code, "--reason", reason)
        run_app(env, *in_round, "objection", "add", *objection)
    full = f"{float(leaves[0][1]):g}"  # accepted: the leaf's full points back
    accept = ("--accept", "--score", full, "--reason", "整改材料属实")
    run_app(env, *in_round, "objection", "review", "1", "--round", DEMO_ROUND, *accept)
    reject = ("--reject", "--reason", "案卷由本单位承办，扣分有据")
    run_app(env, *in_round, "objection", "review", "2", "--round", DEMO_ROUND, *reject)


def accounts(env: dict[str, str], db: Path) -> dict[str, str]:
    """The clerk as administrator and three colleagues; the env that signs her in."""
    people = (
        (CLERK, "李敏", "管理员", ()),
        ("wangqiang", "王强", "考核办", ()),
        ("zhaoli", "赵丽", "评分人", ("--assessor", "司法局考核组")),
        ("leader", "刘主任", "查看", ()),
    )
    signed_in = {**env, "KAOPING_NEW_PASSWORD": PASSWORD, "KAOPING_PASSWORD": PASSWORD}
    for number, (user, name, role, extra) in enumerate(people):
        who = ("--user", CLERK) if number > 1 else ()  # a login from the second account on
        new = ("account", "add", user, "--role", role, "--display-name", name, *extra)
        run_app(signed_in, "--db", str(db), *who, *new)
    return {**signed_in, "KAOPING_USER": CLERK}


def make_pictures(out: Path, say: Callable[[str], None] = print) -> dict[str, int]:
    """Every picture the manual shows, written into ``out``; name → bytes."""
    out.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="kaoping-manual-") as folder:
        env = environment(Path(folder))
        empty, db = Path(folder) / "empty" / "kaoping.db", Path(folder) / "kaoping.db"
        empty.parent.mkdir()

        def shot(run: dict[str, str], name: str, page: str, on: Path = db) -> None:
            sizes[name] = page_shot(run, on, page, out / f"{name}.png")
            say(f"{name}.png　{sizes[name] // 1024} KB")

        shot(env, "start", "home", empty)
        say("正在生成演示数据……")
        run_app(env, "--db", str(db), "demo")
        run_app(env, "--db", str(db), "backup", "create")
        for page in ("home", "units", "frameworks", "rounds", "scoring", "results"):
            shot(env, page, page)
        for page in ("documents", "ledger", "audit"):
            shot(env, page, page)
        sizes["notice"] = notice_shot(env, db, out / "notice.png")
        objections(env, db)
        shot(env, "review", "review")
        run_app(env, "--db", str(db), "backup", "create")
        shot(env, "backups", "backups")
        shot(accounts(env, db), "accounts", "accounts")
    return sizes


def main() -> None:
    sizes = make_pictures(IMAGES)
    print(f"{len(sizes)} 张截图，共 {sum(sizes.values()) // 1024} KB，保存在 {IMAGES}")


if __name__ == "__main__":
    main()
