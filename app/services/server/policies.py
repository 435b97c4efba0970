"""Row-level security and triggers on a server (issue 18): what the grants cannot say.

- score_entries: an 评分人 reads their own assessor's rows, and every row of a published
  round (the program shows them the whole round's results only then); writes a row only when
  it is their own assessor's, an assignment covers its (round, leaf, unit) and the round is
  评分中 — checked on the row before and after an UPDATE, so a row can neither be taken nor
  moved out of one's own work. The state seal keeps one group per assessor's share of a unit
  (migration 0013), so what an 评分人 seals is exactly what they can read.
- evidence_reviews: an 评分人 writes the review (认可 / 退回补充) of a unit's evidence only on
  a cell their own assessor is assigned, only while the round is 评分中 and only in their own
  name (reviewed_by), as for score_entries; never deletes one. Reviewing needs no permission
  of its own: the person who scores a cell is the one who judges its evidence (录入评分).
- accounts: a person other than an administrator changes only their own row (its columns are
  narrowed by the grants: their password, after a reset too); state_seals: an 评分人
  rewrites only score and account seals, a 查看 account only the account seal.
- change_log: an 评分人 reads only their own records and their own cells' (the head's hash
  through kaoping_chain_head, so they still chain after everyone's); an 评分人 or a 查看
  account appends records only in their own name; a trigger
  refuses every UPDATE, DELETE and TRUNCATE, the owner's too (grants do not bind the owner,
  triggers do).
- A published round's rows are refused by triggers, as the SQLite file's migrations do; only
  an administrator takes a round out of 已发布 (the program's 重新打开).
Policies from an earlier version that these replace are dropped by `server init` (RETIRED).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models.enums import RoundStatus
from app.services.server.roles import Groups, ident, literal

PUBLISHED = literal(RoundStatus.PUBLISHED)
SCORING = literal(RoundStatus.SCORING)
READ_ONLY = literal("考核批次已发布，为只读；如需修改请由管理员说明理由后重新打开")
# Rows that belong to a round and freeze with it (as in migrations 0002, 0003, 0008, 0010).
ROUND_TABLES = (
    "score_entries",
    "satisfaction_results",
    "satisfaction_exemptions",
    "round_nodes",
    "round_units",
    "assignments",
    "review_settings",
    "self_assessments",
    "objections",
    "stage_scores",
    "evidence_packages",
    "evidence_attachments",
    "evidence_reviews",
)
RLS_TABLES = ("score_entries", "evidence_reviews", "accounts", "state_seals", "change_log")
MAY_SCORE = "kaoping_may_score"
ACCOUNT = "group_key = '账户'"
MY_ASSESSOR = "kaoping_my_assessor"
MY_ASSESSOR_NAME = "kaoping_my_assessor_name"
CHAIN_HEAD = "kaoping_chain_head"  # app.services.access.audit reads the head through it
PUBLISHED_ROUND = "kaoping_round_published"
# (table, policy) an earlier version made and this one replaces: dropped where found.
RETIRED = (("score_entries", "everyone_reads"), ("change_log", "everyone_reads"))


@dataclass(frozen=True)
class Policy:
    table: str
    name: str
    sql: str


def functions(groups: Groups) -> dict[str, str]:
    """Name → CREATE FUNCTION, for the policies and triggers below."""
    return {
        MAY_SCORE: f"""
CREATE FUNCTION public.{MAY_SCORE}(p_round integer, p_node integer, p_unit integer,
                                   p_assessor integer)
RETURNS boolean LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $fn$
    SELECT EXISTS (
        SELECT 1 FROM accounts a
        JOIN rounds r ON r.id = p_round AND r.status = {SCORING}
        JOIN assignments g ON g.round_id = p_round AND g.assessor_id = p_assessor
            AND g.node_id = p_node AND (g.unit_id IS NULL OR g.unit_id = p_unit)
        WHERE a.username = current_user AND a.active AND a.role = '评分人'
            AND a.assessor_id = p_assessor)
$fn$""",
        MY_ASSESSOR: f"""
CREATE FUNCTION public.{MY_ASSESSOR}() RETURNS integer LANGUAGE sql STABLE
SET search_path = pg_catalog, public AS $fn$
    SELECT a.assessor_id FROM accounts a
    WHERE a.username = current_user AND a.active AND a.role = '评分人'
$fn$""",
        MY_ASSESSOR_NAME: f"""
CREATE FUNCTION public.{MY_ASSESSOR_NAME}() RETURNS text LANGUAGE sql STABLE
SET search_path = pg_catalog, public AS $fn$
    SELECT s.name FROM accounts a JOIN assessors s ON s.id = a.assessor_id
    WHERE a.username = current_user AND a.active AND a.role = '评分人'
$fn$""",
        # Every writer chains after the true head, also one who may read only their own
        # records: the head's hash, and nothing else of the log, through the owner's rights.
        CHAIN_HEAD: f"""
CREATE FUNCTION public.{CHAIN_HEAD}() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $fn$
    SELECT hash FROM change_log ORDER BY id DESC LIMIT 1
$fn$""",
        PUBLISHED_ROUND: f"""
CREATE FUNCTION public.{PUBLISHED_ROUND}(p_round integer) RETURNS boolean LANGUAGE sql STABLE
SET search_path = pg_catalog, public AS $fn$
    SELECT EXISTS (SELECT 1 FROM rounds r WHERE r.id = p_round AND r.status = {PUBLISHED})
$fn$""",
        "kaoping_log_append_only": """
CREATE FUNCTION public.kaoping_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION '变更记录只能追加，不能修改或删除' USING ERRCODE = '42501';
END
$fn$""",
        "kaoping_round_rows_frozen": f"""
CREATE FUNCTION public.kaoping_round_rows_frozen() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, public AS $fn$
BEGIN
    IF (TG_OP <> 'INSERT' AND (SELECT status FROM rounds WHERE id = OLD.round_id) = {PUBLISHED})
       OR (TG_OP <> 'DELETE'
           AND (SELECT status FROM rounds WHERE id = NEW.round_id) = {PUBLISHED}) THEN
        RAISE EXCEPTION {READ_ONLY} USING ERRCODE = '42501';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$fn$""",
        "kaoping_round_frozen": f"""
CREATE FUNCTION public.kaoping_round_frozen() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, public AS $fn$
BEGIN
    IF OLD.status = {PUBLISHED} THEN
        IF TG_OP = 'DELETE' OR NEW.status = {PUBLISHED} THEN
            RAISE EXCEPTION {READ_ONLY} USING ERRCODE = '42501';
        END IF;
        IF NOT pg_has_role(current_user, {literal(groups.admin)}, 'MEMBER') THEN
            RAISE EXCEPTION '只有管理员可以重新打开已发布的考核批次' USING ERRCODE = '42501';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$fn$""",
        "kaoping_notice_frozen": """
CREATE FUNCTION public.kaoping_notice_frozen() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION '已印发的文书不能修改，只能撤回并说明理由' USING ERRCODE = '42501';
END
$fn$""",
        "kaoping_number_kept": """
CREATE FUNCTION public.kaoping_number_kept() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION '文号一经使用即登记，不能删除' USING ERRCODE = '42501';
END
$fn$""",
    }


NOTICE_CONTENT = (
    "kind, year, serial, number, round_id, unit_id, title, issued_on, plan_due, result_due, "
    "pdf_sha256, pdf_name, content, issued_by, issued_at"
)


def triggers() -> dict[tuple[str, str], str]:
    """(table, trigger) → CREATE TRIGGER."""
    found = {
        ("change_log", "change_log_append_only"): (
            "CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log "
            "FOR EACH ROW EXECUTE FUNCTION kaoping_log_append_only()"
        ),
        ("change_log", "change_log_no_truncate"): (
            "CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION kaoping_log_append_only()"
        ),
        ("rounds", "rounds_published_frozen"): (
            "CREATE TRIGGER rounds_published_frozen BEFORE UPDATE OR DELETE ON rounds "
            "FOR EACH ROW EXECUTE FUNCTION kaoping_round_frozen()"
        ),
        ("notices", "notices_content_frozen"): (
            f"CREATE TRIGGER notices_content_frozen BEFORE UPDATE OF {NOTICE_CONTENT} ON notices "
            "FOR EACH ROW EXECUTE FUNCTION kaoping_notice_frozen()"
        ),
        ("notices", "notices_withdrawn_final"): (
            "CREATE TRIGGER notices_withdrawn_final BEFORE UPDATE ON notices FOR EACH ROW "
            "WHEN (OLD.status = '已撤回') EXECUTE FUNCTION kaoping_notice_frozen()"
        ),
        ("notices", "notices_never_deleted"): (
            "CREATE TRIGGER notices_never_deleted BEFORE DELETE ON notices "
            "FOR EACH ROW EXECUTE FUNCTION kaoping_notice_frozen()"
        ),
        ("document_numbers", "document_numbers_kept"): (
            "CREATE TRIGGER document_numbers_kept BEFORE DELETE ON document_numbers "
            "FOR EACH ROW EXECUTE FUNCTION kaoping_number_kept()"
        ),
    }
    for table in ROUND_TABLES:
        found[(table, f"{table}_published_frozen")] = (
            f"CREATE TRIGGER {table}_published_frozen BEFORE INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION kaoping_round_rows_frozen()"
        )
    return found


def policies(groups: Groups) -> list[Policy]:
    everyone = ", ".join(ident(g) for g in groups.all())
    office = f"{ident(groups.admin)}, {ident(groups.staff)}"
    admin, assessor = ident(groups.admin), ident(groups.assessor)
    own = f"{MAY_SCORE}(round_id, node_id, unit_id, assessor_id)"
    # An 评分人's write reseals their share of a unit's scores, or a unit's evidence group (a
    # review), and the account seal.
    scored = "(group_key LIKE '评分/%' OR group_key LIKE '佐证/%' OR group_key = '账户')"
    mine = "username = current_user"
    viewer = ident(groups.viewer)
    readers = f"{office}, {viewer}"
    own_rows = f"(assessor_id = {MY_ASSESSOR}() OR {PUBLISHED_ROUND}(round_id))"
    # The log names every cell's values: an 评分人 reads their own records and those of
    # their own cells (key "单位/指标/评分人"), e.g. to be told who changed one meanwhile.
    own_cell = (
        f"(entity = '评分' AND right(entity_key, char_length({MY_ASSESSOR_NAME}()) + 1) "
        f"= '/' || {MY_ASSESSOR_NAME}())"
    )
    own_records = f'("user" = current_user OR {own_cell})'
    own_review = f"{MAY_SCORE}(round_id, node_id, unit_id, {MY_ASSESSOR}())"
    review = f"({own_review} AND reviewed_by = current_user)"
    return [
        Policy("score_entries", "office_reads", f"FOR SELECT TO {readers} USING (true)"),
        Policy("score_entries", "assessor_reads", f"FOR SELECT TO {assessor} USING ({own_rows})"),
        Policy("score_entries", "office_writes", f"FOR ALL TO {office} USING (true)"),
        Policy("score_entries", "assessor_adds", f"FOR INSERT TO {assessor} WITH CHECK ({own})"),
        Policy(
            "score_entries",
            "assessor_changes",
            f"FOR UPDATE TO {assessor} USING ({own}) WITH CHECK ({own})",
        ),
        Policy("score_entries", "assessor_removes", f"FOR DELETE TO {assessor} USING ({own})"),
        Policy("evidence_reviews", "everyone_reads", f"FOR SELECT TO {everyone} USING (true)"),
        Policy("evidence_reviews", "office_writes", f"FOR ALL TO {office} USING (true)"),
        Policy(
            "evidence_reviews", "assessor_adds", f"FOR INSERT TO {assessor} WITH CHECK ({review})"
        ),
        Policy(
            "evidence_reviews",
            "assessor_changes",
            f"FOR UPDATE TO {assessor} USING ({own_review}) WITH CHECK ({review})",
        ),
        Policy("accounts", "everyone_reads", f"FOR SELECT TO {everyone} USING (true)"),
        Policy("accounts", "admin_writes", f"FOR ALL TO {admin} USING (true)"),
        Policy(
            "accounts",
            "own_row",
            f"FOR UPDATE TO {ident(groups.staff)}, {assessor}, {viewer} "
            f"USING ({mine}) WITH CHECK ({mine})",
        ),
        Policy("state_seals", "everyone_reads", f"FOR SELECT TO {everyone} USING (true)"),
        Policy("state_seals", "office_writes", f"FOR ALL TO {office} USING (true)"),
        Policy("state_seals", "assessor_adds", f"FOR INSERT TO {assessor} WITH CHECK ({scored})"),
        Policy("state_seals", "assessor_removes", f"FOR DELETE TO {assessor} USING ({scored})"),
        Policy("state_seals", "viewer_adds", f"FOR INSERT TO {viewer} WITH CHECK ({ACCOUNT})"),
        Policy("state_seals", "viewer_removes", f"FOR DELETE TO {viewer} USING ({ACCOUNT})"),
        Policy("change_log", "office_reads", f"FOR SELECT TO {readers} USING (true)"),
        Policy("change_log", "assessor_reads", f"FOR SELECT TO {assessor} USING ({own_records})"),
        Policy("change_log", "office_appends", f"FOR INSERT TO {office} WITH CHECK (true)"),
        Policy(
            "change_log",
            "own_name_appends",
            f'FOR INSERT TO {assessor}, {viewer} WITH CHECK ("user" = current_user)',
        ),
    ]
