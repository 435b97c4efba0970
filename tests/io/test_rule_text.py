"""评分标准 texts as offices write them: the rule they state, and texts that state none."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.io.rule_text import recognise
from app.io.tiers import parse_tiers
from app.scoring.types import Method

DEDUCT_EACH = [
    ("每发现一例扣0.5分，扣完为止", "每项0.5"),
    ("每发现1例扣0.5分，扣完为止。", "每项0.5"),
    ("抽查行政执法案卷，每发现一件不规范的扣0.2分", "每项0.2"),
    ("每有一项未按时报送扣1分", "每项1"),
    ("每出现一次违法行政行为被纠错扣2分，本项分值扣完为止", "每项2"),
    ("规范性文件未报备的，每件扣0.5分", "每项0.5"),
    ("每缺一项扣1分", "每项1"),
    ("发现问题每处扣0.3分，扣完为止", "每项0.3"),
    ("每起败诉案件扣一分", "每项1"),
    ("每发现一人次未持证执法扣0.5分", "每项0.5"),
    ("每个部门未公示扣0.25分", "每项0.25"),
    ("每项扣半分", "每项0.5"),
    ("每份行政复议决定书未按期履行扣1分，扣完为止", "每项1"),
    ("抽查中每发现一项问题扣0.5分。", "每项0.5"),
    ("每次未参加培训扣1分", "每项1"),
    ("每 发现 一例 扣 0.5 分", "每项0.5"),
    ("每发现一例扣０．５分", "每项0.5"),
]
RANGES = [
    ("酌情扣1-3分", Decimal(1), Decimal(3)),
    ("发现问题的，视情扣5—10分", Decimal(5), Decimal(10)),
    ("工作不到位的扣2至4分", Decimal(2), Decimal(4)),
    ("视情况扣0.5~2分", Decimal("0.5"), Decimal(2)),
    ("扣5-10分", Decimal(5), Decimal(10)),
]
YES_NO = [
    "未建立不得分",
    "未制定年度普法计划的不得分",
    "未出台实施方案的，不得分",
    "未开展法治督察的不得分",
    "未落实法律顾问制度的，扣除全部分值",
    "未印发年度工作要点的得0分",
    "未设立公职律师的不计分",
    "未公布权责清单的，不得分。",
]
TIERS = [
    ("达到95%以上得满分，90%-95%得80%，低于90%不得分", "≥95%:1；≥90%:0.8"),
    ("执法公示率100%得满分，95%-100%得60%", None),
    ("复议纠错率在5%以上的得50%", "≥5%:0.5"),
    ("按期办结率达到98%以上得满分；95%（含）-98%得90%；90%-95%得70%", "≥98%:1；≥95%:0.9；≥90%:0.7"),
    ("参训率90%以上的得2分，80%-90%得1分", "≥90%:1；≥80%:0.5"),
]
BONUS = [
    ("获得国家级表彰的加2分，最高加2分", "最高2分"),
    ("被确定为全国法治政府建设示范地区的，加3分", ""),
    ("创新工作被省级推广的，每项加0.5分，累计不超过2分", "最高2分"),
    ("加分项：工作经验被中央媒体报道", ""),
]
VETO = ["发生重大违法行政案件造成恶劣影响的，实行一票否决", "一票否决", "出现上述情形的予以否决"]
NOTHING = [
    "",
    "查阅资料、实地查看",
    "按照有关规定执行",
    "根据工作完成情况评分",
    "报送及时、内容完整",
    "由考核组综合评定",
]


@pytest.mark.parametrize(("text", "parameters"), DEDUCT_EACH)
def test_deduction_per_item(text: str, parameters: str) -> None:
    found = recognise(text)
    assert found is not None and found.method is Method.DEDUCT
    assert found.parameters == parameters and found.matched


@pytest.mark.parametrize(("text", "low", "high"), RANGES)
def test_discretionary_range(text: str, low: Decimal, high: Decimal) -> None:
    found = recognise(text)
    assert found is not None and found.method is Method.DEDUCT
    assert (found.low, found.high) == (low, high) and "理由" in found.note


@pytest.mark.parametrize("text", YES_NO)
def test_yes_no(text: str) -> None:
    found = recognise(text)
    assert found is not None and found.method is Method.YES_NO


@pytest.mark.parametrize(("text", "parameters"), TIERS)
def test_tiers_read_back_by_the_tier_parser(text: str, parameters: str | None) -> None:
    found = recognise(text, points=Decimal(2))
    assert found is not None and found.method is Method.TIER
    if parameters is not None:
        assert found.parameters == parameters
    assert parse_tiers(found.parameters)


@pytest.mark.parametrize(("text", "parameters"), BONUS)
def test_bonus(text: str, parameters: str) -> None:
    found = recognise(text)
    assert found is not None and found.method is Method.BONUS
    assert found.parameters == parameters


@pytest.mark.parametrize("text", VETO)
def test_veto(text: str) -> None:
    found = recognise(text)
    assert found is not None and found.method is Method.VETO


@pytest.mark.parametrize("text", NOTHING)
def test_texts_without_a_rule(text: str) -> None:
    assert recognise(text) is None


def test_a_sheet_without_a_method_column_takes_the_rules_from_the_standard(tmp_path) -> None:
    from app.io.framework_reader import read_framework
    from tests.workbooks import write_sheet

    path = write_sheet(
        tmp_path / "细则.xlsx",
        ["一级指标", "二级指标", "分值", "评分标准"],
        [
            ["依法行政", "权责清单公布", 2, "未公布权责清单的，不得分"],
            ["依法行政", "执法案卷评查", 3, "每发现一件不规范的扣0.5分，扣完为止"],
            ["依法行政", "执法公示", 2, "公示率达到95%以上得满分，90%-95%得80%"],
            ["依法行政", "示范创建", 2, "被评为示范单位的加2分"],
            ["依法行政", "重大事故", None, "发生重大违法行政案件的，一票否决"],
            ["依法行政", "综合评价", 1, "由考核组综合评定"],
        ],
    )
    leaves = read_framework(path).roots[0].children
    methods = [leaf.method for leaf in leaves]
    assert methods == [
        Method.YES_NO,
        Method.DEDUCT,
        Method.TIER,
        Method.BONUS,
        Method.VETO,
        Method.DEDUCT,
    ]
    assert leaves[1].parameters == "每项0.5" and leaves[2].tiers
    assert "不得分" in leaves[0].rule_note and leaves[5].rule_note == ""
    assert read_framework(path).roots[0].points == 8  # bonus and veto stand outside the sum


def test_an_explicit_method_column_wins(tmp_path) -> None:
    from app.io.framework_reader import read_framework
    from tests.workbooks import write_sheet

    path = write_sheet(
        tmp_path / "细则.xlsx",
        ["一级指标", "二级指标", "分值", "评分方式", "评分标准"],
        [["依法行政", "权责清单公布", 2, "扣分", "未公布权责清单的，不得分"]],
    )
    leaf = read_framework(path).roots[0].children[0]
    assert leaf.method is Method.DEDUCT and leaf.rule_note == ""
