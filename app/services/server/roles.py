"""The program's roles as database group roles, what each may touch, and the one door to the
personal logins (issue 18). Group roles are named after the database (``kaoping_admin`` for a
database called ``kaoping``): roles are shared by the whole cluster, and a second Kaoping
database there (a restored backup, a trial year) must not hand its people's rights over.

What the program does as each role decides the grants: every write also appends the change log
and reseals the state (state_seals), and signing in reads every account (the seal digests them);
an 评分人's score rows and a person's own account row are narrowed further by row-level
security (policies)."""

from __future__ import annotations

from dataclasses import dataclass

from app.models.accounts import ROLE_ADMIN, ROLE_ASSESSOR, ROLE_STAFF, ROLE_VIEWER
from app.services.access.server_logins import LOGIN_FUNCTION

SUFFIXES = {
    ROLE_ADMIN: "admin",
    ROLE_STAFF: "staff",
    ROLE_ASSESSOR: "assessor",
    ROLE_VIEWER: "viewer",
}
MAX_DATABASE_NAME = 63 - len("_assessor")
# Columns a person may change on their own account row: a sign-in's failure count and lock,
# and their own password (the row's role, name and link to an assessor stay the admin's).
OWN_ACCOUNT_COLUMNS = ("failed_attempts", "locked_until", "password_hash", "must_change_password")
# Tables that hold no office data but that the program writes with every change.
LOG, SEALS, VERSION = "change_log", "state_seals", "alembic_version"
# The ids an 评分人's write draws: a score, a review of a unit's evidence (认可 / 退回补充 on
# the cells assigned to them, issue 19), the change-log record of either.
SEQUENCE_TABLES = ("score_entries", "evidence_reviews", LOG)


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class Groups:
    """This database's four group roles."""

    admin: str
    staff: str
    assessor: str
    viewer: str

    @classmethod
    def of(cls, database: str) -> Groups:
        return cls(*(f"{database}_{SUFFIXES[role]}" for role in SUFFIXES))

    def by_role(self) -> dict[str, str]:
        return dict(zip(SUFFIXES, self.all(), strict=True))

    def all(self) -> tuple[str, ...]:
        return (self.admin, self.staff, self.assessor, self.viewer)


def group_statements(groups: Groups, existing: set[str]) -> list[str]:
    return [f"CREATE ROLE {ident(g)} NOLOGIN" for g in groups.all() if g not in existing]


def grant_statements(
    database: str, groups: Groups, tables: list[str], sequences: dict[str, str]
) -> list[str]:
    """Every grant, from nothing: applied again they change nothing (init is idempotent), and
    a table added by a later migration is covered by running init again."""
    everyone = ", ".join(ident(g) for g in groups.all())
    office = f"{ident(groups.admin)}, {ident(groups.staff)}"
    assessor, viewer = ident(groups.assessor), ident(groups.viewer)
    data = [t for t in tables if t not in (LOG, VERSION)]
    statements = [
        f"REVOKE ALL ON DATABASE {ident(database)} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {ident(database)} TO {everyone}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {everyone}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {everyone}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}",
        # Nobody's grant reaches an UPDATE, DELETE or TRUNCATE of the change log; a trigger
        # stops its owner too (policies.py).
        f"GRANT INSERT ON {LOG} TO {office}, {assessor}, {viewer}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {office}",
    ]
    for table in data:
        if table == "accounts":
            continue
        statements.append(f"GRANT INSERT, UPDATE, DELETE ON {ident(table)} TO {office}")
    columns = ", ".join(OWN_ACCOUNT_COLUMNS)
    statements += [
        f"GRANT INSERT, UPDATE, DELETE ON accounts TO {ident(groups.admin)}",
        f"GRANT UPDATE ({columns}) ON accounts TO {ident(groups.staff)}, {assessor}, {viewer}",
        f"GRANT INSERT, UPDATE, DELETE ON score_entries TO {assessor}",
        # Reviews are never deleted (a changed mind is an UPDATE, logged): no DELETE.
        f"GRANT INSERT, UPDATE ON evidence_reviews TO {assessor}",
        f"GRANT INSERT, DELETE ON {SEALS} TO {assessor}, {viewer}",
        # A 查看 account writes no office data: only its own password (after a reset it must),
        # the record of that change and the account seal (policies narrow all three).
        f"GRANT USAGE, SELECT ON SEQUENCE {sequences[LOG]} TO {viewer}",
    ]
    for table in SEQUENCE_TABLES:
        statements.append(f"GRANT USAGE, SELECT ON SEQUENCE {sequences[table]} TO {assessor}")
    return statements


def login_function(groups: Groups) -> str:
    """The door to the personal logins (app.services.access.server_logins). An administrator
    (a member of the admin group, or the owner) creates, re-passwords, regroups and (by taking
    the group away: no CONNECT is left) deactivates them; anyone else may only set their own
    password. A role that is not a personal login (a superuser, a group, the owner) is refused,
    so the door cannot be turned on the server itself."""
    names = ", ".join(literal(g) for g in groups.all())
    roles = ", ".join(literal(r) for r in SUFFIXES)
    return f"""
CREATE FUNCTION public.{LOGIN_FUNCTION}(
    p_name text, p_password text, p_role text, p_active boolean
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
DECLARE
    v_groups text[] := ARRAY[{names}];
    v_roles text[] := ARRAY[{roles}];
    v_found pg_roles%ROWTYPE;
    v_group text;
BEGIN
    IF NOT pg_has_role(session_user, {literal(groups.admin)}, 'MEMBER')
       AND NOT (p_name = session_user AND p_role IS NULL AND p_active IS NULL) THEN
        RAISE EXCEPTION '只有管理员可以管理其他账户的数据库登录' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO v_found FROM pg_roles WHERE rolname = p_name;
    IF FOUND AND (v_found.rolsuper OR v_found.rolcreaterole OR v_found.rolcreatedb
                  OR v_found.rolbypassrls OR p_name = ANY (v_groups) OR p_name = current_user) THEN
        RAISE EXCEPTION '数据库中已有名为“%”的角色，它不是考评系统的个人登录；请换一个用户名',
            p_name USING ERRCODE = '42501';
    END IF;
    IF NOT FOUND THEN
        IF p_password IS NULL THEN
            RETURN;  -- an account from before the server (an import): a reset creates it
        END IF;
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_name, p_password);
    ELSIF p_password IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_name, p_password);
    END IF;
    IF p_role IS NULL AND p_active IS NULL THEN
        RETURN;
    END IF;
    IF array_position(v_roles, p_role) IS NULL THEN
        RAISE EXCEPTION '角色“%”无效', p_role USING ERRCODE = '22023';
    END IF;
    FOREACH v_group IN ARRAY v_groups LOOP
        IF EXISTS (SELECT 1 FROM pg_auth_members m
                   JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
                   WHERE g.rolname = v_group AND u.rolname = p_name) THEN
            EXECUTE format('REVOKE %I FROM %I', v_group, p_name);
        END IF;
    END LOOP;
    IF coalesce(p_active, true) THEN
        EXECUTE format('GRANT %I TO %I', v_groups[array_position(v_roles, p_role)], p_name);
    END IF;
END
$fn$"""


def login_function_grants(groups: Groups) -> list[str]:
    everyone = ", ".join(ident(g) for g in groups.all())
    signature = f"public.{LOGIN_FUNCTION}(text, text, text, boolean)"
    return [
        f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {signature} TO {everyone}",
    ]
