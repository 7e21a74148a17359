"""One home per rule: the minimum group size is a setting, and every text that says a group was left
out reads it from there (queries/runner.small_group), never a hard-coded 5."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from data import reference
from queries import runner

ROOT = Path(__file__).resolve().parents[1]


def test_the_suppression_text_follows_the_configured_minimum_group_size(monkeypatch):
    configured = reference.settings()
    monkeypatch.setattr(
        runner, "settings", lambda: {**configured, "suppression": {**configured["suppression"], "min_group_size": 7}}
    )
    assert runner.small_group() == "færre end 7 elever" and runner.small_group("svar") == "færre end 7 svar"


def _docstrings(tree: ast.AST) -> set[int]:
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def test_no_screen_writes_the_minimum_group_size_into_a_text():
    literal = re.compile(r"færre end \d+ (elever|svar)")
    offenders = []
    for folder in ("components", "views", "queries"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and any(
                    getattr(t, "id", "") == "MINISTRY_SUPPRESSED" for t in node.targets
                ):
                    skip.add(id(node.value))  # the ministry's own rule, not our setting
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in skip
                    and literal.search(node.value)
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_high_absence_threshold_comes_from_the_settings_in_every_query(monkeypatch, demo_runner):
    from queries.runner import Scope, load_query

    users = [
        n
        for n in (
            "absence_by_grade",
            "municipality_school_indicators",
            "participation_gaps",
            "participation_indicators",
            "year_group_classes",
            "year_group_warning_signs",
        )
    ]
    assert all("high_above_pct" in load_query(n).params for n in users)
    configured = reference.settings()

    def share(threshold: float) -> float:
        monkeypatch.setattr(
            runner,
            "settings",
            lambda: {**configured, "absence": {**configured["absence"], "high_absence_above_pct": threshold}},
        )
        frame = demo_runner.run("absence_by_grade", Scope("admin", None), school="900001", school_year="2025/26")
        return float(frame["over10_share"].drop_nulls().mean())

    assert share(0.0) > share(10.0) > share(100.0) == 0.0


def test_no_editor_column_is_required_so_the_server_refuses_in_danish_instead_of_the_browser_dropping_rows():
    """A `required` column makes the browser keep an incomplete new row back, silently and in English,
    while the save reports the other rows as saved; the server-side check answers in Danish."""
    offenders = [
        f"{p.relative_to(ROOT)}:{node.lineno}"
        for folder in ("components", "views")
        for p in (ROOT / folder).rglob("*.py")
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.keyword)
        and node.arg == "required"
        and isinstance(node.value, ast.Constant)
        and node.value.value is True
    ]
    assert offenders == []


def test_a_leaps_course_without_a_year_group_is_refused_in_danish():
    from datetime import date

    from data.validation import validate_course

    errors = validate_course(
        {
            "title": "Bæredygtig by",
            "year_group": None,
            "start_date": date(2026, 1, 5),
            "end_date": date(2026, 2, 5),
            "weeks": 4,
            "subjects": ["Dansk"],
        },
        {"Dansk"},
        set(),
    )
    assert "Bæredygtig by: vælg årgangen." in errors


def _indicator_names_outside_the_home() -> list[str]:
    """Places outside queries/indicators.py that give one of its indicators a Danish name of their own:
    a dict entry {key: "name"} or {key: ("name", ...)}, or a tuple (key, "name", ...) / (code, "name")."""
    from queries import indicators

    keys = set(indicators.BY_KEY)
    codes = {i.code for i in indicators.INDICATORS if i.code} | {s for s, _ in indicators.TEST_SUBJECTS}

    def text(node) -> bool:  # a name: a string that starts with a capital letter (not a key, unit or code)
        return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value[:1].isupper()

    def named(node) -> bool:
        return text(node) or (isinstance(node, ast.Tuple) and bool(node.elts) and text(node.elts[0]))

    offenders = []
    for folder in ("components", "views", "queries"):  # data/ speaks the files' own vocabularies
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "queries" / "indicators.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                found = None
                if isinstance(node, ast.Dict):
                    found = next(
                        (
                            k.value
                            for k, v in zip(node.keys, node.values, strict=True)
                            if isinstance(k, ast.Constant) and k.value in keys and named(v)
                        ),
                        None,
                    )
                elif isinstance(node, ast.Tuple):
                    values = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
                    found = next((v for i, v in enumerate(values[:-1]) if v in keys and text(node.elts[i + 1])), None)
                    if found is None and len(values) == 2 and values[0] in codes and text(node.elts[1]):
                        found = values[0]
                if found:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {found}")
    return offenders


def test_the_indicators_have_one_list_and_every_other_is_derived_from_it():
    from components import municipality_sections, peer_sections
    from queries import efforts, indicators, key_figures

    assert _indicator_names_outside_the_home() == []
    assert list(efforts.INDICATORS) == [i.key for i in indicators.TREND]
    assert list(municipality_sections.INDICATORS) == [i.key for i in indicators.KOMMUNE]
    assert list(peer_sections.LABELS) == [i.key for i in indicators.PEERS]
    assert key_figures.WELLBEING == indicators.WELLBEING
    assert key_figures.TEST_SUBJECTS == [("dansk_laesning", "Læsning"), ("matematik", "Matematik")]
    assert set(indicators.KOMMUNE_DEFAULT) <= set(municipality_sections.INDICATORS)


def test_every_indicator_with_a_country_value_has_one_under_its_key():
    import polars as pl

    from queries import indicators

    measures = set(pl.read_csv(ROOT / "data" / "reference" / "national_figures.csv", separator=";")["measure"])
    stored = {i.key for i in indicators.INDICATORS if i.national and i.key in measures}
    published_only = {"pupils", "class_size", "socio_difference", "competence_coverage", "transition_share"}
    assert {i.key for i in indicators.INDICATORS if i.national} == stored | published_only
    assert measures <= set(indicators.BY_KEY)
