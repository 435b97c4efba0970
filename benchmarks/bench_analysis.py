"""Time the analyses of issue 20 on a round of 80 units × 155 leaves × 5 assessors (prints
figures). Targets: robustness, 1,000 runs, under 10 s; the assessors analysis under 2 s.

Run: python benchmarks/bench_analysis.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.models.opening import open_database
from app.scoring.analysis.agreement import analyse_agreement, ranks_changed_without
from app.scoring.analysis.cells import round_cells
from app.scoring.analysis.robustness import RobustnessOptions, analyse_robustness
from app.scoring.types import Rules
from app.services.analysis.assessors import round_assessors
from app.services.analysis.robustness import round_robustness
from benchmarks.bench_results import build
from benchmarks.large_round import build_large_round


def timed(label: str, work) -> object:  # type: ignore[no-untyped-def]  # any callable
    start = time.perf_counter()
    value = work()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return value


def pure() -> None:
    """The engine's data in memory, quota and 排名靠后 on (every rule the runs apply)."""
    leaves, units, entries = build(80, 155, 5)
    rules = Rules(satisfaction_weight=Decimal("0.2"), top_quota=Decimal("0.3"), bottom_n=3)
    survey = {u.name: Decimal(90) - Decimal(u.order % 17) for u in units}
    result = timed(
        "robustness, 1,000 runs, data in memory (quota, 排名靠后)",
        lambda: analyse_robustness(leaves, units, entries, rules, survey, RobustnessOptions()),
    )
    print(
        f"  model agrees with the engine: {result.model_agrees}; "  # type: ignore[attr-defined]
        f"sensitive units: {len(result.sensitive)}"
    )  # type: ignore[attr-defined]
    cells = round_cells(leaves, units, entries).cells
    timed("α and leniency, data in memory", lambda: analyse_agreement(cells))
    names = sorted({e.assessor for e in entries})

    def left_out() -> object:
        return ranks_changed_without(leaves, units, entries, rules, survey, names, cells=cells)

    timed("exact ranks with each of 5 assessors left out, data in memory", left_out)


def through_the_services() -> None:
    """What `analysis robustness` and `analysis assessors` do: read the round from SQLite."""
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        name = timed("building the 80 × 155 × 5 round", lambda: build_large_round(db))
        timed("analysis robustness (1,000 runs, read from the database)",
              lambda: round_robustness(db, name, RobustnessOptions()))  # fmt: skip
        timed("analysis assessors (α, bootstrap, leniency, 5 assessors left out)",
              lambda: round_assessors(db, name))  # fmt: skip
        db.dispose()


if __name__ == "__main__":
    pure()
    through_the_services()
