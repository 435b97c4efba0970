"""What each role may do. The services check here; the GUI only hides what a role cannot do,
so a hidden button is never the only guard."""

from __future__ import annotations

from enum import StrEnum

from app.errors import UserError
from app.models.accounts import ROLE_ADMIN, ROLE_ASSESSOR, ROLE_STAFF, ROLE_VIEWER
from app.services.actor import Actor, current_actor


class Permission(StrEnum):
    VIEW = "查看数据"
    SCORE = "录入评分"
    MANAGE_SETUP = "管理指标体系与考核对象"
    MANAGE_ROUNDS = "管理考核批次"
    IMPORT = "导入数据"
    DOCUMENTS = "印发文书"
    LEDGER = "管理整改台账"
    REOPEN = "重新打开已发布的批次"
    ACCOUNTS = "管理账户"
    RESTORE = "恢复备份"
    BACKUP = "备份数据"
    PUBLISH_OVERRIDE = "在发布检查未通过时仍发布"  # 管理员 only, with a logged reason
    RESEAL = "确认程序外的改动并重新封存"  # 管理员 only, with a logged reason (issue 15 §1)


_STAFF = {
    Permission.VIEW,
    Permission.SCORE,
    Permission.MANAGE_SETUP,
    Permission.MANAGE_ROUNDS,
    Permission.IMPORT,
    Permission.DOCUMENTS,
    Permission.LEDGER,
    Permission.BACKUP,
}
GRANTS: dict[str, frozenset[Permission]] = {
    ROLE_ADMIN: frozenset(Permission),
    ROLE_STAFF: frozenset(_STAFF),
    # An assessor scores only where assigned; score services check the assignment too.
    ROLE_ASSESSOR: frozenset({Permission.VIEW, Permission.SCORE}),
    ROLE_VIEWER: frozenset({Permission.VIEW}),
}


class Forbidden(UserError):
    pass


def allowed(permission: Permission, actor: Actor | None = None) -> bool:
    who = actor or current_actor()
    return permission in GRANTS.get(who.role, frozenset())


def require(permission: Permission, actor: Actor | None = None) -> Actor:
    who = actor or current_actor()
    if permission not in GRANTS.get(who.role, frozenset()):
        raise Forbidden(f"当前用户“{who.username}”（{who.role}）无权{permission}")
    return who
