"""When is a difference larger than noise? One place for the rule the screens state.

Means: standard error = the pupils' standard deviation / sqrt(n). Shares: sqrt(p(1-p)/n).
Two independent estimates: their errors add in quadrature. A difference counts when it is
larger than z (settings: noise.z, 1.96 for 95 %) standard errors.
"""
from __future__ import annotations

import math

from data.reference import settings


def z() -> float:
    return float(settings()["noise"]["z"])


def standard_error(kind: str, value: float | None, sd: float | None, n: int | None) -> float | None:
    """SE of a mean (from the pupils' spread) or of a percentage share (value in %)."""
    if value is None or not n:
        return None
    if kind == "pct":
        p = min(max(value / 100, 0.0), 1.0)
        return math.sqrt(max(p * (1 - p), 0.25 / n) / n) * 100
    return (sd or 0.0) / math.sqrt(n)


def is_significant(difference: float | None, *errors: float | None) -> bool:
    if difference is None or any(e is None for e in errors):
        return False
    return abs(difference) > z() * math.sqrt(sum(e * e for e in errors))


def share_change(before: float | None, n_before: int | None, after: float | None,
                 n_after: int | None) -> tuple[float | None, float | None, str]:
    """Change between two shares in % (independent samples): (difference in percentage points,
    its 95 % margin, and a plain Danish verdict)."""
    if before is None or after is None or not n_before or not n_after:
        return None, None, "kan ikke vurderes"
    se = math.sqrt(standard_error("pct", before, None, n_before) ** 2
                   + standard_error("pct", after, None, n_after) ** 2)
    difference, margin = after - before, z() * se
    if difference > margin:
        return difference, margin, "steget"
    if difference < -margin:
        return difference, margin, "faldet"
    return difference, margin, "uændret inden for usikkerheden"
