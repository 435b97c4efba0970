"""The statuses a row can be in, named once: a typo in a bare "公示中" would compare false
silently; a misspelt member fails at import. StrEnum members are their Chinese text, so the
database, the change log and JSON keep exactly the words they always held."""

from __future__ import annotations

from enum import StrEnum


class RoundStatus(StrEnum):
    DRAFT = "草稿"
    SCORING = "评分中"
    REVIEW = "审核中"
    PUBLICITY = "公示中"
    PUBLISHED = "已发布"


class ProblemStatus(StrEnum):
    TO_DO = "待整改"
    IN_PROGRESS = "整改中"
    TO_VERIFY = "待核验"
    CLOSED = "已销号"


class NoticeStatus(StrEnum):
    ISSUED = "已印发"
    WITHDRAWN = "已撤回"
