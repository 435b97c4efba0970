"""How long the Word copies take: 80 整改通知书 as .docx (issue 21: target under 4 s), beside
the same 80 as PDF, from the demo year's findings. Prints figures; never passes or fails.

    python -m benchmarks.bench_word
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from app.demo.build import DEMO_ROUND, build_demo
from app.documents.official.assembly import write_documents
from app.documents.word.writer import write_docx
from app.models.opening import open_database
from app.services.publishing.notice_findings import open_findings
from app.services.publishing.notice_wording import RECTIFICATION, build_document
from app.services.publishing.office_settings import load_document_settings
from app.services.review.findings import round_findings


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "demo.db")
        build_demo(db)
        settings = load_document_settings(db)
        _results, findings = round_findings(db, DEMO_ROUND)
        units = open_findings(db, DEMO_ROUND, findings).units[:80]
        documents = [
            build_document(
                RECTIFICATION,
                u,
                DEMO_ROUND,
                2025,
                settings,
                f"云法办〔2026〕{i}号",
                date(2026, 1, 31),
                "0123456789abcdef",
            )
            for i, u in enumerate(units, start=1)
        ]
        write_docx(Path(folder) / "warm.docx", documents[:1], "warm")  # imports, fonts
        write_documents(Path(folder) / "warm.pdf", documents[:1], "warm")
        for suffix, write in (("docx", write_docx), ("pdf", write_documents)):
            start = time.perf_counter()
            for index, document in enumerate(documents):
                write(Path(folder) / f"{index}.{suffix}", [document], document.title)
            print(f"{len(documents)} notices as .{suffix}: {time.perf_counter() - start:.2f} s")
        db.dispose()


if __name__ == "__main__":
    main()
