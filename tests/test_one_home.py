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
    monkeypatch.setattr(runner, "settings", lambda: {**configured, "suppression": {
        **configured["suppression"], "min_group_size": 7}})
    assert runner.small_group() == "færre end 7 elever" and runner.small_group("svar") == "færre end 7 svar"


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def test_no_screen_writes_the_minimum_group_size_into_a_text():
    literal = re.compile(r"færre end \d+ (elever|svar)")
    offenders = []
    for folder in ("components", "views", "queries"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "MINISTRY_SUPPRESSED"
                                                        for t in node.targets):
                    skip.add(id(node.value))  # the ministry's own rule, not our setting
                if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                        and literal.search(node.value)):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_high_absence_threshold_comes_from_the_settings_in_every_query(monkeypatch, demo_runner):
    from queries.runner import Scope, load_query
    users = [n for n in ("absence_by_grade", "municipality_school_indicators", "participation_gaps",
                         "participation_indicators", "year_group_classes", "year_group_warning_signs")]
    assert all("high_above_pct" in load_query(n).params for n in users)
    configured = reference.settings()

    def share(threshold: float) -> float:
        monkeypatch.setattr(runner, "settings", lambda: {**configured, "absence": {
            **configured["absence"], "high_absence_above_pct": threshold}})
        frame = demo_runner.run("absence_by_grade", Scope("admin", None), school="900001", school_year="2025/26")
        return float(frame["over10_share"].drop_nulls().mean())
    assert share(0.0) > share(10.0) > share(100.0) == 0.0


def test_no_editor_column_is_required_so_the_server_refuses_in_danish_instead_of_the_browser_dropping_rows():
    """A `required` column makes the browser keep an incomplete new row back, silently and in English,
    while the save reports the other rows as saved; the server-side check answers in Danish."""
    offenders = [f"{p.relative_to(ROOT)}:{node.lineno}" for folder in ("components", "views")
                 for p in (ROOT / folder).rglob("*.py")
                 for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                 if isinstance(node, ast.keyword) and node.arg == "required"
                 and isinstance(node.value, ast.Constant) and node.value.value is True]
    assert offenders == []


def test_a_leaps_course_without_a_year_group_is_refused_in_danish():
    from datetime import date

    from data.validation import validate_course
    errors = validate_course({"title": "Bæredygtig by", "year_group": None, "start_date": date(2026, 1, 5),
                              "end_date": date(2026, 2, 5), "weeks": 4, "subjects": ["Dansk"]}, {"Dansk"}, set())
    assert "Bæredygtig by: vælg årgangen." in errors
