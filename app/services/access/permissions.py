"""What each role may do. The services check here; the GUI only hides what a role cannot do,
so a hidden button is never the only guard."""

from __future__ import annotations

from enum import StrEnum

from app.errors import UserError
from app.models.accounts import ROLE_ADMIN, ROLE_ASSESSOR, ROLE_STAFF, ROLE_VIEWER
from app.services.access.actor import Actor, current_actor


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
    # Where backups go and whether they are made: a full copy holds every password hash, so
    # only an administrator redirects them, and each change is logged (issue 15).
    BACKUP_SETTINGS = "更改备份设置"
    # A copy to a file of one's choosing is the whole database carried out of the backup
    # folder (every unit's scores, every password hash): 管理员 only, and logged.
    COPY_OUT = "把全部数据另存到指定位置"
    PUBLISH_OVERRIDE = "在发布检查未通过时仍发布"  # 管理员 only, with a logged reason
    # 评分人 see their own cells; the whole round's results (every unit's scores, ranks and
    # grades) only once published, and never the change log (it names every unit's values).
    ALL_RESULTS = "在发布前查看全部单位的结果"
    CHANGE_LOG = "查看和导出变更记录"
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
    Permission.ALL_RESULTS,
    Permission.CHANGE_LOG,
}
GRANTS: dict[str, frozenset[Permission]] = {
    ROLE_ADMIN: frozenset(Permission),
    ROLE_STAFF: frozenset(_STAFF),
    # An assessor scores only where assigned; score services check the assignment too.
    ROLE_ASSESSOR: frozenset({Permission.VIEW, Permission.SCORE}),
    # A viewer (a leader, an auditor) reads everything and changes nothing.
    ROLE_VIEWER: frozenset({Permission.VIEW, Permission.ALL_RESULTS, Permission.CHANGE_LOG}),
}


class Forbidden(UserError):
    pass


def allowed(permission: Permission, actor: Actor | None = None) -> bool:
    who = actor or current_actor()
    return permission in GRANTS.get(who.role, frozenset())


def require(permission: Permission, actor: Actor | None = None) -> Actor:
    who = actor or current_actor()
    if who.must_change_password:
        raise Forbidden(f"账户“{who.username}”的密码已由管理员重置，请先修改密码")
    if permission not in GRANTS.get(who.role, frozenset()):
        raise Forbidden(f"当前用户“{who.username}”（{who.role}）无权{permission}")
    return who
