"""The tables migrations after 0013 add (0014 evidence, 0015 analysis links): a test that
turns a database back into an older one drops them too. A later migration's tables go here."""

LATER_TABLES = {
    "analysis_links",
    "evidence_files",
    "evidence_chunks",
    "evidence_packages",
    "evidence_attachments",
    "evidence_reviews",
    "objection_files",
    "problem_event_files",
}
