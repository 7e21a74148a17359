"""When is a difference larger than noise? One place for the rule every coloured mark follows
(docs/ARCHITECTURE.md, "Honest differences", gives the reasons).

1. **Standard error of one figure**: a mean's is the pupils' standard deviation / √n, a share's
   √(p(1−p)/n); both times √deff, the design effect of pupils clustered in classes
   (deff = 1 + (m − 1)·ICC, `design_effect`), with the intraclass correlation estimated from the
   store by the one-way ANOVA estimator of classes within schools (`queries/class_clustering.sql`,
   `icc_from_anova`).
2. **Standard error of a difference** depends on how the two groups relate (`difference_se`):
   - `independent` (another municipality, last year's pupils): √(SE_a² + SE_b²);
   - `nested` (the school inside its own municipality, whose figure is over all its pupils,
     the school's included): √(SE_school² − SE_municipality²), which equals the school against the
     rest of the municipality scaled by the rest's share (the two means share the school's pupils);
   - `exact` (a target, or a published country value over all pupils of the country): SE_a.
3. **Published values are rounded**: a published 3,6 is anything from 3,55 to 3,65
   (`rounding_half_width`); a difference counts only if it holds for the whole interval, i.e. its
   distance to the nearest end of the interval is what is tested.
4. **Many comparisons on one page**: the comparisons a page shows together are one `Family`, and the
   Benjamini–Hochberg procedure at q (5 %, the two-sided level of settings noise.z) decides them at
   once, so that at most about 5 % of the coloured differences are expected to be noise, however many
   a page shows. A family of one is the plain 1,96-rule.

Colours are chosen from the `Verdict` a test gives (components/palette.judgement_colour), never from
the sign of a difference alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from data.reference import settings

NOISE_RULE = (
    "Forskelle og ændringer er kun farvet (▲/▼ bedre eller dårligere), når de er større end "
    "usikkerheden ud fra antal elever og spredning – med skolen regnet som en del af kommunen, "
    "elever i samme klasse regnet som hinanden lidt mere lig, afrundede landstal som hele deres "
    "interval, og med en kontrol for de mange sammenligninger på siden, så højst 5 % af de farvede "
    "forskelle ventes at være tilfældige; ellers står de gråt som »ikke sikker«."
)

INDEPENDENT, NESTED, EXACT = "independent", "nested", "exact"


class Verdict(StrEnum):
    """What a comparison says; the only thing a colour may be chosen from."""

    BETTER = "bedre"
    WORSE = "dårligere"
    UNSURE = "ikke sikker"  # within the noise
    NOT_JUDGED = "ikke vurderet"  # no uncertainty known (published figures), or nothing to compare


def z() -> float:
    return float(settings()["noise"]["z"])


def level() -> float:
    """The two-sided level that goes with z (1,96 → 5 %): the false-discovery rate of a family."""
    return math.erfc(z() / math.sqrt(2))


# -- one figure --------------------------------------------------------------------------------
def design_effect(icc: float | None, class_size: float | None) -> float:
    """deff = 1 + (m − 1)·ICC for pupils clustered in classes of m; a negative ICC estimate counts as 0."""
    if icc is None or class_size is None or class_size <= 1:
        return 1.0
    return 1.0 + (class_size - 1.0) * max(icc, 0.0)


def icc_from_anova(ms_between: float | None, ms_within: float | None, n0: float | None) -> float | None:
    """The one-way ANOVA estimator of the intraclass correlation:
    (MSB − MSW) / (MSB + (n0 − 1)·MSW), n0 the (weighted) mean class size; truncated at 0."""
    if ms_between is None or ms_within is None or n0 is None:
        return None
    denominator = ms_between + (n0 - 1.0) * ms_within
    if denominator <= 0:
        return None
    return max((ms_between - ms_within) / denominator, 0.0)


def icc_anova(values: Sequence[float], classes: Sequence, schools: Sequence | None = None) -> tuple[float, float]:
    """(ICC, n0) of pupils' values in classes (optionally classes within schools), the same estimator
    as queries/class_clustering.sql, for tests and one-off use."""
    import numpy as np
    import polars as pl

    frame = pl.DataFrame(
        {
            "v": np.asarray(values, dtype=float),
            "c": list(classes),
            "s": list(schools) if schools is not None else [0] * len(values),
        }
    )
    per_class = (
        frame.group_by("s", "c")
        .agg(pl.len().alias("n"), pl.col("v").mean().alias("m"), pl.col("v").var().fill_null(0).alias("var"))
        .filter(pl.col("n") >= 2)
    )
    per_school = per_class.group_by("s").agg(
        pl.col("n").sum().alias("ns"),
        ((pl.col("n") * pl.col("m")).sum() / pl.col("n").sum()).alias("ms"),
        (pl.col("n") ** 2).sum().alias("sq"),
        pl.len().alias("k"),
    )
    joined = per_class.join(per_school, on="s")
    ss_between = float((joined["n"] * (joined["m"] - joined["ms"]) ** 2).sum())
    ss_within = float(((joined["n"] - 1) * joined["var"]).sum())
    n, k = float(joined["n"].sum()), len(joined)
    df_between = float((per_school["k"] - 1).sum())
    n0 = float((per_school["ns"] - per_school["sq"] / per_school["ns"]).sum()) / df_between
    icc = icc_from_anova(ss_between / df_between, ss_within / (n - k), n0)
    return (icc or 0.0), n0


def standard_error(kind: str, value: float | None, sd: float | None, n: int | None, deff: float = 1.0) -> float | None:
    """SE of a mean (from the pupils' spread) or of a percentage share (value in %), times √deff."""
    if value is None or not n:
        return None
    if kind == "pct":
        p = min(max(value / 100, 0.0), 1.0)
        se = math.sqrt(max(p * (1 - p), 0.25 / n) / n) * 100
    else:
        if sd is None:
            return None
        se = sd / math.sqrt(n)
    return se * math.sqrt(max(deff, 1.0))


def rounding_half_width(value: float | None, decimals: int | None = None, at_least: int = 1) -> float:
    """Half the rounding step of a published value: 3,6 → 0,05. Without `decimals`, the decimals the
    value shows, but at least `at_least` (a published 93,0 is stored as 93.0 and loses its zero)."""
    if value is None:
        return 0.0
    if decimals is None:
        decimals = next((d for d in range(6) if abs(round(value, d) - value) < 1e-9), 6)
        decimals = max(decimals, at_least)
    return 0.5 * 10**-decimals


# -- one difference ----------------------------------------------------------------------------
def difference_se(se_a: float | None, se_b: float | None, relation: str = INDEPENDENT) -> float | None:
    """SE of a − b. `nested`: a's pupils are part of b's (school in its municipality)."""
    if se_a is None:
        return None
    if relation == EXACT:
        return se_a
    if se_b is None:
        return None
    if relation == NESTED:
        return math.sqrt(max(se_a * se_a - se_b * se_b, 0.0))
    if relation == INDEPENDENT:
        return math.sqrt(se_a * se_a + se_b * se_b)
    raise ValueError(f"unknown relation {relation!r}")


@dataclass
class Test:
    """One comparison: the difference, its standard error, the rounding half-width of a published value
    in it, and whether it counts (set by `Family.decide`)."""

    __test__ = False  # not a pytest class
    difference: float | None
    se: float | None
    half_width: float = 0.0
    significant: bool = False

    @property
    def judgeable(self) -> bool:
        return self.difference is not None and self.se is not None and self.se > 0

    @property
    def p(self) -> float | None:
        """Two-sided p-value of the part of the difference that holds over the whole rounding interval."""
        if not self.judgeable:
            return None
        distance = max(abs(self.difference) - self.half_width, 0.0)
        return math.erfc(distance / self.se / math.sqrt(2))

    @property
    def margin(self) -> float | None:
        """The single-comparison 95 % margin, rounding included (for ± in tables)."""
        return None if self.se is None else z() * self.se + self.half_width


def compare(
    value: float | None,
    se: float | None,
    other: float | None,
    other_se: float | None = None,
    relation: str = INDEPENDENT,
    half_width: float = 0.0,
) -> Test:
    """value − other as a Test (not yet decided)."""
    if value is None or other is None:
        return Test(None, None)
    return Test(value - other, difference_se(se, other_se, relation), half_width)


def benjamini_hochberg(p_values: Sequence[float | None], q: float | None = None) -> list[bool]:
    """Which of a family's p-values are discoveries at false-discovery rate q (None: not judged)."""
    q = level() if q is None else q
    judged = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(judged)
    cut = 0
    for rank, (p, _) in enumerate(judged, start=1):
        if p <= rank / m * q:
            cut = rank
    found = {i for _, i in judged[:cut]}
    return [i in found for i in range(len(p_values))]


class Family:
    """The comparisons one page (or one card grid, table or chart of it) shows together."""

    def __init__(self) -> None:
        self.tests: list[Test] = []

    def add(self, test: Test) -> Test:
        self.tests.append(test)
        return test

    def extend(self, tests: Iterable[Test]) -> None:
        self.tests.extend(tests)

    def decide(self, q: float | None = None) -> Family:
        for test, found in zip(self.tests, benjamini_hochberg([t.p for t in self.tests], q), strict=True):
            test.significant = found
        return self


def verdict(test: Test | None, higher_is_better: bool) -> Verdict:
    """bedre / dårligere only for a decided, significant test; the sign alone never colours."""
    if test is None or not test.judgeable:
        return Verdict.NOT_JUDGED
    if not test.significant:
        return Verdict.UNSURE
    return Verdict.BETTER if (test.difference > 0) == higher_is_better else Verdict.WORSE


def ministry_verdict(assessment: str | None) -> Verdict:
    """The ministry's own published assessment of the socio-economic reference."""
    return {"Over niveau": Verdict.BETTER, "Under niveau": Verdict.WORSE, "På niveau": Verdict.UNSURE}.get(
        assessment or "", Verdict.NOT_JUDGED
    )


# -- targets -----------------------------------------------------------------------------------
REACHED, NOT_REACHED, UNDECIDED, NO_TARGET = "nået", "ikke nået", "kan ikke afgøres endnu", "intet mål"


def target_test(value: float | None, se: float | None, target: float | None) -> Test:
    """value against a target the school set (exact: no noise in the target), undecided."""
    return compare(value, se, target, None, EXACT)


def target_result(test: Test | None, target: float | None, higher_is_better: bool = True) -> str:
    """From a decided target test: nået when the value is on the good side of the target by more than
    the noise, ikke nået when it is on the bad side by more than the noise, else kan ikke afgøres endnu."""
    if target is None:
        return NO_TARGET
    if test is None or not test.judgeable:
        return UNDECIDED
    if not test.significant:
        return UNDECIDED
    return REACHED if (test.difference > 0) == higher_is_better else NOT_REACHED


def target_judgement(result: str) -> Verdict:
    """The colour key of a target result: nået as bedre, ikke nået as dårligere, the rest neutral."""
    return {REACHED: Verdict.BETTER, NOT_REACHED: Verdict.WORSE}.get(result, Verdict.UNSURE)


# -- kept for callers that judge one comparison on its own ---------------------------------------
def is_significant(difference: float | None, *errors: float | None) -> bool:
    """One comparison of independent estimates at z (no family): used where a single figure stands
    alone. Pages with several comparisons use a Family."""
    if difference is None or any(e is None for e in errors):
        return False
    return abs(difference) > z() * math.sqrt(sum(e * e for e in errors))


def share_change(
    before: float | None, n_before: int | None, after: float | None, n_after: int | None
) -> tuple[float | None, float | None, str]:
    """Change between two shares in % (independent samples): (difference in percentage points,
    its 95 % margin, and a plain Danish verdict) for one comparison on its own."""
    test = share_change_test(before, n_before, after, n_after)
    if test is None:
        return None, None, "kan ikke vurderes"
    test.significant = is_significant(test.difference, test.se)
    return test.difference, test.margin, change_words(test)


def share_change_test(
    before: float | None, n_before: int | None, after: float | None, n_after: int | None
) -> Test | None:
    if before is None or after is None or not n_before or not n_after:
        return None
    return compare(
        after,
        standard_error("pct", after, None, n_after),
        before,
        standard_error("pct", before, None, n_before),
        INDEPENDENT,
    )


def change_words(test: Test | None) -> str:
    if test is None or not test.judgeable:
        return "kan ikke vurderes"
    if not test.significant:
        return "uændret inden for usikkerheden"
    return "steget" if test.difference > 0 else "faldet"


# -- the design effect per indicator from the store ---------------------------------------------
def design_effects(runner, scope, school_year: str) -> dict[str, float]:
    """deff per indicator key for one school year, from queries/class_clustering.sql."""
    frame = runner.run("class_clustering", scope, school_year=school_year)
    out = {}
    for row in frame.iter_rows(named=True):
        if row.get("suppressed"):
            continue
        icc = icc_from_anova(row["ms_between"], row["ms_within"], row["class_size"])
        out[row["indicator"]] = design_effect(icc, row["class_size"])
    return out


def deff_for(key: str, effects: dict[str, float]) -> float:
    """The design effect of an indicator key; the national-test shares share their subject's."""
    if key in effects:
        return effects[key]
    if key.startswith("test_"):
        subject = key.split("_share_", 1)[-1]
        return effects.get(f"test_good_share_{subject}", 1.0)
    return 1.0
