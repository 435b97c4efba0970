"""Small walks over indicator trees (records or tree nodes alike)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

NON_SCORING_METHODS = ("加分", "否决")  # their points do not count toward the parent


def walk(nodes: Sequence[Any]) -> Iterator[Any]:
    for node in nodes:
        yield node
        yield from walk(node.children)


def leaves(nodes: Sequence[Any]) -> Iterator[Any]:
    return (node for node in walk(nodes) if not node.children)


def leaf_count(nodes: Sequence[Any]) -> int:
    return sum(1 for _ in leaves(nodes))


def counts_toward_parent(node: Any) -> bool:
    return str(node.method) not in NON_SCORING_METHODS or bool(node.children)


def total_points(nodes: Sequence[Any]) -> Decimal:
    return sum((n.points or Decimal(0) for n in nodes if counts_toward_parent(n)), Decimal(0))
