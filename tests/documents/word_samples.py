"""Documents for the Word tests, built from the content model as the services build them:
a 整改通知书 long enough for several pages with its attachment table, 抄送 and 版记, and a
督办函 in the 信函 format."""

from __future__ import annotations

from datetime import date

from app.documents.official.model import (
    FILE_LAYOUT,
    LETTER_LAYOUT,
    AttachmentTable,
    Block,
    OfficialDocument,
)

ISSUED = date(2026, 3, 9)
CODE = "0123456789abcdef0123"
FINDINGS = [
    ("1.1.2", "行政规范性文件合法性审核", "0.5", "未按规定备案（2件）", "司法局考核组"),
    ("2.3.1", "重大行政决策程序", "1", "未履行合法性审查程序", "政法委考核组"),
    ("3.1.4", "行政执法“三项制度”", "0.25", "执法公示栏目信息更新不及时", "督查室考核组"),
]


def notice(paragraphs: int = 30) -> OfficialDocument:
    blocks = [
        Block("para", "根据考核结果，你单位考核得分84.91分，等次为良好。现将有关问题通知如下。"),
        Block("h1", "一、存在的问题"),
        Block("h2", "（一）依法全面履行政府职能"),
    ]
    blocks += [
        Block(
            "h3",
            f"{i + 1}.第{i + 1}项工作：行政执法公示栏目信息更新不及时，"
            "法治建设工作台账和佐证资料不完整（司法局考核组，扣0.5分）。",
        )
        for i in range(paragraphs)
    ]
    blocks += [
        Block("h1", "二、整改要求"),
        Block(
            "para",
            "各单位要对照考核中发现的问题，逐项制定整改措施，明确责任单位和完成时限，"
            "确保件件有着落、事事有回音，整改情况纳入下一年度法治建设考核，"
            "对整改不力、敷衍塞责的单位予以通报。",
        ),
        Block("para", "请于2026年5月9日前报送整改方案。"),
    ]
    table = AttachmentTable(
        "云州市教育局扣分情况明细表",
        ("序号", "指标", "扣分", "扣分理由", "评分人"),
        (12, 50, 16, 52, 26),
        [
            (str(i), f"{c} {n}", lost, why, who)
            for i, (c, n, lost, why, who) in enumerate(FINDINGS, start=1)
        ],
    )
    return OfficialDocument(
        layout=FILE_LAYOUT,
        issuer_mark="云州市全面依法治市委员会办公室文件",
        number="云法办〔2026〕7号",
        title="关于云州市教育局2025年度法治建设考核发现问题限期整改的通知",
        title_parts=(
            "关于",
            "云州市",
            "教育局",
            "2025年度",
            "法治建设考核",
            "发现问题",
            "限期整改的通知",
        ),
        addressee="云州市教育局",
        blocks=blocks,
        signature="云州市全面依法治市委员会办公室",
        issued_on=ISSUED,
        attachments=[table],
        cc="市委办公室，市人大常委会办公室，市政府办公室",
        printer="云州市全面依法治市委员会办公室",
        check_code=CODE,
    )


def letter(paragraphs: int = 24) -> OfficialDocument:
    blocks = [Block("para", "经整改台账核查，你单位以下问题已超过整改期限，尚未完成整改销号：")]
    blocks += [
        Block("h3", f"{i + 1}.台账第{i + 1}项问题未按期整改到位，请说明原因并限期完成。")
        for i in range(paragraphs)
    ]
    blocks.append(
        Block(
            "para",
            "请你单位高度重视，按期完成整改并报送整改情况报告；确因客观原因不能按期完成的，"
            "须书面说明理由和整改计划。逾期仍未整改的，将予以通报并在年度考核中扣分。",
        )
    )
    return OfficialDocument(
        layout=LETTER_LAYOUT,
        issuer_mark="云州市全面依法治市委员会办公室",
        number="云法办督〔2026〕2号",
        title="关于督促云州市教育局加快整改逾期问题的函",
        addressee="云州市教育局",
        blocks=blocks,
        signature="云州市全面依法治市委员会办公室",
        issued_on=ISSUED,
        check_code=CODE,
    )
