"""Time the scoring engine on a city-sized round and on a stress-sized one (prints figures).

Run: python benchmarks/bench_results.py   (targets: 80x155x5 < 0.1 s; 5000x200x3 < 5 s, < 1 GB)
"""

from __future__ import annotations

import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.scoring.engine import compute_results
from app.scoring.types import Entry, Leaf, Method, Rules, Tier, Unit

TIERS = (Tier(Decimal(1), Decimal(1)), Tier(Decimal("0.95"), Decimal("0.8")))
METHODS = [Method.DEDUCT] * 7 + [Method.SCORE, Method.YES_NO, Method.TIER]


def build(units: int, leaves: int, assessors: int, seed: int = 1):
    rng = random.Random(seed)
    leaf_list = [
        Leaf(f"{i % 5 + 1}.{i}", str(i % 5 + 1), Decimal(1), m, TIERS if m is Method.TIER else ())
        for i, m in ((i, METHODS[i % len(METHODS)]) for i in range(leaves))
    ]
    unit_list = [Unit(f"单位{i}", f"类别{i % 4}", i) for i in range(units)]
    halves = [Decimal(n) / 2 for n in range(3)]
    rates = [Decimal(n) / 100 for n in range(85, 101)]
    entries = []
    for unit in unit_list:
        for leaf in leaf_list:
            for a in range(assessors):
                name = f"评分人{a}"
                if leaf.method is Method.DEDUCT:
                    entries.append(Entry(unit.name, leaf.code, name, deduction=rng.choice(halves)))
                elif leaf.method is Method.SCORE:
                    entries.append(Entry(unit.name, leaf.code, name, score=rng.choice(halves[:3])))
                elif leaf.method is Method.YES_NO:
                    entries.append(Entry(unit.name, leaf.code, name, answer=rng.random() < 0.9))
                else:
                    entries.append(Entry(unit.name, leaf.code, name, measured=rng.choice(rates)))
    return leaf_list, unit_list, entries


def measure(label: str, units: int, leaves: int, assessors: int, repeat: int) -> None:
    leaf_list, unit_list, entries = build(units, leaves, assessors)
    rules = Rules(satisfaction_weight=Decimal("0.2"), top_quota=Decimal("0.3"), bottom_n=3)
    survey = {u.name: Decimal(90) for u in unit_list}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        compute_results(leaf_list, unit_list, entries, rules, survey)
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label}: {len(entries):,} entries, best {min(times):.3f} s of {repeat}, "
        f"peak RSS so far {peak_mb:,.0f} MB"
    )


if __name__ == "__main__":
    measure("80 units x 155 leaves x 5 assessors", 80, 155, 5, repeat=5)
    measure("5000 units x 200 leaves x 3 assessors", 5000, 200, 3, repeat=1)
