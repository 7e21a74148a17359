"""Property-based scope fuzzing: for every query the runner knows and every role, generated
parameter values (other schools, other year groups, other municipalities, SQL fragments, unicode,
huge and negative numbers, None, lists) never bring back a row outside the caller's scope or an
unsuppressed small group, and nothing raises anything but the runner's own QueryError."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.runner import QueryError, Scope, load_query, query_names

BAKKE = "900001"
SCOPES = {
    "ledelse": Scope("ledelse", frozenset([BAKKE])),
    "team": Scope("team", frozenset([BAKKE]), grades=frozenset([4, 5, 6])),
    "kommune": Scope("kommune", frozenset(f"9{i:05d}" for i in range(1, 13)), municipality_code="999"),
}
READS = [n for n in query_names() if load_query(n).level != "write"]

GARBAGE = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "' OR 1=1 --",
            "900001; DROP TABLE student",
            "$school",
            "%",
            "\u202e",
            "900010",
            "999",
            "101",
            "2025/26",
            "../..",
            "",
        ]
    ),
    st.lists(st.sampled_from(["900001", "900010", "2025/26", "x"]), max_size=3),
)
PLAUSIBLE = {
    "school": st.sampled_from(["900001", "900002", "900010", "900012", "100001"]),
    "municipality": st.sampled_from(["999", "101", "900"]),
    "school_year": st.sampled_from(["2025/26", "2024/25", "2021/22", "1999/00"]),
    "previous_year": st.sampled_from(["2024/25", "2023/24"]),
    "years": st.lists(st.sampled_from(["2025/26", "2024/25", "2023/24"]), min_size=1, max_size=3),
    "grade": st.integers(min_value=-1, max_value=10),
    "year_group": st.integers(min_value=0, max_value=10),
    "grade_from": st.integers(min_value=0, max_value=9),
    "grade_to": st.integers(min_value=0, max_value=9),
    "gender": st.sampled_from(["alle", "pige", "dreng"]),
    "high_above": st.floats(min_value=1, max_value=5),
    "high_above_pct": st.floats(min_value=0, max_value=100),
    "low_social": st.floats(min_value=1, max_value=5),
    "indicator": st.sampled_from(["generel", "social", "stoette"]),
    "as_of": st.just(date(2026, 11, 25)),
    "min_signals": st.integers(min_value=0, max_value=3),
}


@st.composite
def calls(draw):
    name = draw(st.sampled_from(READS))
    role = draw(st.sampled_from(sorted(SCOPES)))
    params = {}
    for param in sorted(load_query(name).params - {"scope_schools"}):
        strategy = PLAUSIBLE.get(param, GARBAGE)
        params[param] = draw(st.one_of(strategy, GARBAGE) if draw(st.booleans()) else strategy)
    return name, role, params


@pytest.mark.filterwarnings("ignore")
@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(call=calls())
def test_no_query_leaks_outside_the_scope_or_below_the_minimum(demo_runner, call):
    name, role, params = call
    scope = SCOPES[role]
    spec = load_query(name)
    try:
        frame = demo_runner.run(name, scope, **params)
    except QueryError:
        return
    if "institution_no" in frame.columns:
        assert set(frame["institution_no"].drop_nulls()) <= scope.schools, name
    if role == "kommune":
        assert spec.level != "pupil" and "student_key" not in frame.columns, name
    if role == "team" and "grade" in frame.columns:
        assert set(frame["grade"].drop_nulls()) <= scope.grades, name
    if spec.level == "aggregate" and len(frame):
        small = frame.filter(pl.col("suppressed").not_())
        assert (small[spec.n].drop_nulls() >= demo_runner.min_group_size).all(), name
