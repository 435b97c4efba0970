"""The round's rules as a form (new round and 规则… alike): weights, grades, the top-grade quota
with its scope, rounding and tie rule, and, as the clerk types, how many 优秀 places each
scope has — a scope with none is said in red before the round is saved."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.scoring.types import QuotaRounding, QuotaScope, QuotaTies, Rules
from app.services.review.quota import places_by_scope, quota_warnings_for
from app.services.rounds.rules_storage import parse_category_grades, parse_grades

SCOPES = (
    (QuotaScope.CATEGORY, QT_TRANSLATE_NOOP("RulesForm", "按类别")),
    (QuotaScope.ROUND, QT_TRANSLATE_NOOP("RulesForm", "按全体单位")),
)
ROUNDINGS = (
    (QuotaRounding.FLOOR, QT_TRANSLATE_NOOP("RulesForm", "向下取整")),
    (QuotaRounding.HALF_UP, QT_TRANSLATE_NOOP("RulesForm", "四舍五入")),
)
TIES = (
    (QuotaTies.SHARE, QT_TRANSLATE_NOOP("RulesForm", "并列的都评优秀（可能超出名额）")),
    (QuotaTies.EXCLUDE, QT_TRANSLATE_NOOP("RulesForm", "并列超出名额的都不评优秀（名额可能空余）")),
)


def _percent_box(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 100)
    box.setValue(value)
    return box


def _choice_box(choices: tuple[tuple[object, str], ...]) -> QComboBox:
    """Items carry the rule's value as text (Qt hands a StrEnum back as a plain str)."""
    box = QComboBox()
    for value, label in choices:
        box.addItem(QCoreApplication.translate("RulesForm", label), str(value))
    return box


class RulesForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._categories: Counter[str] = Counter()
        self.weight_box = _percent_box(20)
        self.bonus_cap_box = QDoubleSpinBox()
        self.bonus_cap_box.setRange(0, 100)
        self.bonus_cap_box.setValue(3)
        self.trim_box = QSpinBox()
        self.trim_box.setRange(3, 99)
        self.trim_box.setValue(5)
        self.grades_edit = QLineEdit("优秀:90,良好:80,合格:60,不合格:0")
        self.category_grades_edit = QPlainTextEdit()
        self.category_grades_edit.setPlaceholderText(
            self.tr("某类别另定分数线时，每行一个，如：\n政法部门=优秀:92,良好:80,合格:60,不合格:0")
        )
        self.category_grades_edit.setFixedHeight(64)
        self.quota_box = _percent_box(30)
        self.scope_box = _choice_box(SCOPES)
        self.rounding_box = _choice_box(ROUNDINGS)
        self.ties_box = _choice_box(TIES)
        self.bottom_box = QSpinBox()
        self.bottom_box.setRange(0, 50)
        self.bottom_box.setValue(3)
        self.places = QLabel()
        self.places.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for label, widget in (
            (self.tr("满意度权重（%）"), self.weight_box),
            (self.tr("加分上限"), self.bonus_cap_box),
            (self.tr("去掉最高最低分的评分人数"), self.trim_box),
            (self.tr("等次分数线"), self.grades_edit),
            (self.tr("分类等次（可不填）"), self.category_grades_edit),
            (self.tr("优秀比例上限（%，0 为不限）"), self.quota_box),
            (self.tr("名额范围"), self.scope_box),
            (self.tr("名额取整"), self.rounding_box),
            (self.tr("名额线上并列"), self.ties_box),
            (self.tr("优秀名额"), self.places),
            (self.tr("各类别排名靠后数"), self.bottom_box),
        ):
            form.addRow(label, widget)
        for box in (self.quota_box,):
            box.valueChanged.connect(self._show_places)
        for box in (self.scope_box, self.rounding_box):
            box.currentIndexChanged.connect(self._show_places)

    def set_categories(self, categories: Counter[str]) -> None:
        """The units taking part, counted by category: what the places are computed from."""
        self._categories = categories
        self._show_places()

    def set_rules(self, rules: Rules) -> None:
        weight = rules.satisfaction_weight
        self.weight_box.setValue(int(weight * 100) if weight is not None else 0)
        self.bonus_cap_box.setValue(float(rules.bonus_cap or 0))
        self.trim_box.setValue(rules.trim_from)
        self.grades_edit.setText(",".join(f"{b.name}:{b.minimum}" for b in rules.grades))
        self.category_grades_edit.setPlainText(
            "\n".join(
                f"{category}=" + ",".join(f"{b.name}:{b.minimum}" for b in bands)
                for category, bands in rules.category_grades.items()
            )
        )
        quota = rules.top_quota
        self.quota_box.setValue(int(quota * 100) if quota is not None else 0)
        for box, value in (
            (self.scope_box, rules.quota_scope),
            (self.rounding_box, rules.quota_rounding),
            (self.ties_box, rules.quota_ties),
        ):
            box.setCurrentIndex(max(0, box.findData(str(value))))
        self.bottom_box.setValue(rules.bottom_n)
        self._show_places()

    def rules(self) -> Rules:
        """The rules as typed; UserError names a grade line that cannot be read."""
        weight = self.weight_box.value()
        quota = self.quota_box.value()
        return Rules(
            satisfaction_weight=Decimal(weight) / 100 if weight else None,
            bonus_cap=Decimal(str(self.bonus_cap_box.value())),
            trim_from=self.trim_box.value(),
            grades=parse_grades(self.grades_edit.text()),
            category_grades=parse_category_grades(self.category_grades_edit.toPlainText()),
            top_quota=Decimal(quota) / 100 if quota else None,
            bottom_n=self.bottom_box.value(),
            quota_scope=QuotaScope(self.scope_box.currentData()),
            quota_rounding=QuotaRounding(self.rounding_box.currentData()),
            quota_ties=QuotaTies(self.ties_box.currentData()),
        )

    def _show_places(self) -> None:
        quota = self.quota_box.value()
        rules = Rules(  # places depend on these alone (not on a grade line being typed)
            top_quota=Decimal(quota) / 100 if quota else None,
            quota_scope=QuotaScope(self.scope_box.currentData()),
            quota_rounding=QuotaRounding(self.rounding_box.currentData()),
        )
        if rules.top_quota is None:
            self.places.setText(self.tr("不限"))
            self.places.setStyleSheet("")
            return
        scopes = places_by_scope(rules, self._categories)
        text = "；".join(
            self.tr("{scope} {units} 个单位 {places} 个名额").format(
                scope=s.scope, units=s.units, places=s.places
            )
            for s in scopes
        )
        warnings = quota_warnings_for(rules, self._categories)
        self.places.setText(text + ("<br>" + "<br>".join(warnings) if warnings else ""))
        self.places.setStyleSheet("color: #b00020" if warnings else "")
