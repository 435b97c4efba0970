"""评分标准 texts as offices write them: the rule they state, and texts that state none."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.io.rule_text import deduction_amounts, recognise
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
    from app.io.readers.framework_reader import read_framework
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
    from app.io.readers.framework_reader import read_framework
    from tests.workbooks import write_sheet

    path = write_sheet(
        tmp_path / "细则.xlsx",
        ["一级指标", "二级指标", "分值", "评分方式", "评分标准"],
        [["依法行政", "权责清单公布", 2, "扣分", "未公布权责清单的，不得分"]],
    )
    leaf = read_framework(path).roots[0].children[0]
    assert leaf.method is Method.DEDUCT and leaf.rule_note == ""


# Phrasings collected from published 考核细则 (and their usual variants): the text, the method,
# the 评分参数 it prefills (None: any tier text the parser reads back), and a 酌情 range.
PHRASINGS = [
    ("行政规范性文件未按规定报备的，每件扣0.5分，扣完为止。", Method.DEDUCT, "每项0.5", None),
    ("抽查行政执法案卷10卷，每发现1卷不合格扣0.2分。", Method.DEDUCT, "每项0.2", None),
    ("每发现一起行政诉讼败诉案件扣1分，最多扣3分。", Method.DEDUCT, "每项1", None),
    ("行政机关负责人未出庭应诉的，每次扣0.5分", Method.DEDUCT, "每项0.5", None),
    ("政务公开栏目信息更新不及时的，每发现一处扣0.1分", Method.DEDUCT, "每项0.1", None),
    ("每项扣1分", Method.DEDUCT, "每项1", None),
    ("未按要求报送材料的，每项扣1分，扣完为止", Method.DEDUCT, "每项1", None),
    ("执法人员未持证上岗的，每人次扣0.5分", Method.DEDUCT, "每项0.5", None),
    ("被上级通报批评的，每次扣2分；", Method.DEDUCT, "每项2", None),
    ("复议决定被撤销、确认违法的，每件扣1分", Method.DEDUCT, "每项1", None),
    ("每少一次扣0.5分", Method.DEDUCT, "每项0.5", None),
    ("缺少一项每项扣0.5分", Method.DEDUCT, "每项0.5", None),
    ("执法文书不规范的，每份扣0.2分，扣完本项分值为止", Method.DEDUCT, "每项0.2", None),
    ("行政执法决定未公示的，每个扣0.3分", Method.DEDUCT, "每项0.3", None),
    ("未按期办结的，每件扣两分", Method.DEDUCT, "每项2", None),
    ("年度述法工作未开展的，酌情扣1-3分", Method.DEDUCT, "酌情1-3", (1, 3)),
    ("落实不到位的，视情况扣1～2分", Method.DEDUCT, "酌情1-2", (1, 2)),
    ("工作推进不力的，酌情扣2—5分", Method.DEDUCT, "酌情2-5", (2, 5)),
    ("存在问题的扣5-10分", Method.DEDUCT, "酌情5-10", (5, 10)),
    ("视情节轻重扣0.5至1分", Method.DEDUCT, "酌情0.5-1", (Decimal("0.5"), 1)),
    ("未建立不得分", Method.YES_NO, "", None),
    ("未制定的不得分", Method.YES_NO, "", None),
    ("未建立行政执法公示制度的，本项不得分。", Method.YES_NO, "", None),
    ("没有成立法治政府建设领导小组的不得分", Method.YES_NO, "", None),
    ("未召开常务会议专题研究法治政府建设工作的，不得分", Method.YES_NO, "", None),
    ("未完成年度立法计划的，扣除本项全部分值", Method.YES_NO, "", None),
    ("未配备法律顾问的，该项不得分", Method.YES_NO, "", None),
    ("未按时报送年度法治政府建设报告的，本项不计分", Method.YES_NO, "", None),
    ("达到95%以上得满分，90%-95%得80%，低于90%不得分", Method.TIER, "≥95%:1；≥90%:0.8", None),
    (
        "出庭应诉率达到100%的得满分；90%（含）-100%的得60%；低于90%的不得分",
        Method.TIER,
        "≥100%:1；≥90%:0.6",
        None,
    ),
    (
        "合法性审查率100%以上得满分，95%-100%得90%，85%-95%得70%",
        Method.TIER,
        "≥100%:1；≥95%:0.9；≥85%:0.7",
        None,
    ),
    ("网上可办率达到90%及以上的得满分，80%～90%得50%", Method.TIER, "≥90%:1；≥80%:0.5", None),
    ("培训覆盖率在80%以上的得1分，60%-80%得0.5分", Method.TIER, None, None),
    ("获得省级以上表彰的，加1分，最高加2分", Method.BONUS, "最高2分", None),
    (
        "加分项：法治建设经验被中央、省级推广的，每项加0.5分，累计不超过3分",
        Method.BONUS,
        "最高3分",
        None,
    ),
    ("被命名为全国法治政府建设示范地区的加3分", Method.BONUS, "", None),
    ("工作创新获上级肯定的，可加分，最多加1分", Method.BONUS, "最高1分", None),
    ("发生重大违法行政案件，造成恶劣社会影响的，实行一票否决", Method.VETO, "", None),
    ("弄虚作假的，一票否决。", Method.VETO, "", None),
    ("出现严重失职渎职情形的，考核结果予以否决", Method.VETO, "", None),
    ("每发现一例扣0.5分，扣完为止", Method.DEDUCT, "每项0.5", None),
    ("每 发 现 一 例 扣 0.5 分", Method.DEDUCT, "每项0.5", None),
    ("每发现一例扣０.５分", Method.DEDUCT, "每项0.5", None),
]
# Texts that name a rate, a 分 or a 不得 without stating a rule: nothing may be prefilled.
NOT_A_RULE = [
    "查阅年度工作报告、会议记录等资料",
    "实地查看、随机抽查",
    "按照《法治政府建设实施纲要》要求落实",
    "根据完成情况综合评分",
    "此项由市委政法委评分",
    "满分5分",
    "得分按实际完成比例计算",
    "建立健全行政执法“三项制度”",
    "不得以任何理由拒绝出庭",
    "扣分理由须注明",
    "对照清单逐项检查",
    "每年至少开展一次法治培训",
    "完成率",
    "上级加分政策另行通知",
]


@pytest.mark.parametrize(("text", "method", "parameters", "span"), PHRASINGS)
def test_real_phrasings(text: str, method: Method, parameters: str | None, span) -> None:
    found = recognise(text, points=Decimal(2))
    assert found is not None and found.method is method
    if parameters is not None:
        assert found.parameters == parameters
    if span is not None:
        assert (found.low, found.high) == tuple(Decimal(v) for v in span)
    if method is Method.TIER:
        assert parse_tiers(found.parameters)
    shown = unicodedata.normalize("NFKC", text[found.start : found.end]).replace(" ", "")
    assert all(part in shown for part in found.matched.split("；"))  # the UI highlights them


@pytest.mark.parametrize("text", NOT_A_RULE)
def test_phrases_that_state_no_rule(text: str) -> None:
    assert recognise(text) is None


UNITS = st.sampled_from(["例", "项", "次", "件", "处", "份", "起", "卷"])
AMOUNTS = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(10), places=1)


@given(
    before=st.sampled_from(["", "抽查中", "规范性文件未备案的，", "经核查，"]),
    unit=UNITS,
    each=AMOUNTS,
    after=st.sampled_from(["", "，扣完为止", "。", "，本项扣完为止。"]),
)
def test_any_per_item_deduction_prefills_its_amount(before, unit, each, after) -> None:
    text = f"{before}每发现一{unit}扣{each}分{after}"
    found = recognise(text)
    assert found is not None and found.method is Method.DEDUCT
    assert found.parameters == f"每项{each.normalize():f}"
    assert text[found.start : found.end] == found.matched


@given(low=AMOUNTS, high=AMOUNTS, dash=st.sampled_from(["-", "—", "～", "至", "~"]))
def test_any_discretionary_range_records_min_and_max(low, high, dash) -> None:
    found = recognise(f"工作不到位的，酌情扣{low}{dash}{high}分")
    assert found is not None and found.method is Method.DEDUCT
    assert (found.low, found.high) == (min(low, high), max(low, high))


@given(st.text(max_size=60))
def test_any_text_is_safe_and_spans_stay_inside(text: str) -> None:
    found = recognise(text, points=Decimal(5))
    if found is not None:
        assert 0 <= found.start <= found.end <= len(text)
        if found.method is Method.TIER:
            assert parse_tiers(found.parameters)


@pytest.mark.parametrize(
    ("parameters", "standard", "step"),
    [
        ("每项0.5", "每发现一例扣0.5分，扣完为止", "0.5"),
        ("每次0.25", "未按规定公示抽查结果的，每次扣0.25分", "0.25"),
        ("每个1", "", "1"),
        ("", "每个部门未公示扣0.25分", "0.25"),
        ("迟报每件0.25；漏报每件0.5", "", "0.25"),
        ("每人0.25", "未按期年审的扣0.5分；证件未收回的，每人扣0.25分", "0.25"),
        # a fixed amount beside the per-item one: 1 + n x 0.3 must stay possible
        ("", "未编制目录的扣1分；每发现一项应公开未公开的扣0.3分", "0.1"),
        ("", "每项扣半分", "0.5"),
        # no per-item amount, or a 酌情 range: no step
        ("未排查0.5；群体性事件1", "未开展月度排查的扣0.5分", None),
        ("酌情5-10", "", None),
        ("", "酌情扣1-3分；每项扣0.5分", None),
        ("", "全程网办比例每低于目标1个百分点扣0.25分", None),
    ],
)
def test_deduction_steps_are_read_from_parameters_and_standard(
    parameters: str, standard: str, step: str | None
) -> None:
    found = deduction_amounts(parameters, standard).step()
    assert found == (None if step is None else Decimal(step))
