"""No coloured mark that does not come from the statistics module: the chart, card and table
builders may choose the better/worse colours only through components.palette.judgement_colour (or
verdict_scale), which takes a queries.statistics.Verdict and nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from components import palette
from queries.statistics import Verdict

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENT_NAMES = {"BETTER", "WORSE"}
JUDGEMENT_HEX = {palette.BETTER.lower(), palette.WORSE.lower()}
# The same hex used for something that is not a judgement, with the reason.
DECORATION = {"presentation.py": "the left border of the reflection questions on the presentation screen"}


def _is_verdict_member(node: ast.AST) -> bool:
    """Verdict.BETTER (or statistics.Verdict.BETTER): the statistics module's verdict, not a colour."""
    if not isinstance(node, ast.Attribute):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "Verdict") or (
        isinstance(owner, ast.Attribute) and owner.attr == "Verdict"
    )


def colour_decisions(folders: list[Path]) -> list[str]:
    """Every place outside palette.py that names the better/worse colours or writes their hex value."""
    found = []
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            if path.name == "palette.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
                if name in JUDGEMENT_NAMES and not _is_verdict_member(node):
                    found.append(f"{path.name}:{node.lineno} {name}")
                if isinstance(node, ast.ImportFrom):
                    found += [
                        f"{path.name}:{node.lineno} import {a.name}" for a in node.names if a.name in JUDGEMENT_NAMES
                    ]
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and path.name not in DECORATION
                    and any(h in node.value.lower() for h in JUDGEMENT_HEX)
                ):
                    found.append(f"{path.name}:{node.lineno} {node.value!r}")
    return found


def test_no_chart_card_or_table_builder_chooses_a_judgement_colour_itself():
    assert colour_decisions([ROOT / "components", ROOT / "views"]) == []


def test_the_search_finds_a_colour_chosen_by_the_sign_of_a_difference(tmp_path):
    (tmp_path / "cards.py").write_text(
        "from components.palette import BETTER, WORSE\n"
        "def colour(d):\n    return BETTER if d > 0 else WORSE\n"
        "def css(d):\n    return 'color:#005A8C' if d > 0 else ''\n",
        encoding="utf-8",
    )
    assert len(colour_decisions([tmp_path])) == 5


def test_a_judgement_colour_is_chosen_only_from_a_verdict():
    assert palette.judgement_colour(Verdict.BETTER) == palette.BETTER
    assert palette.judgement_colour(Verdict.WORSE) == palette.WORSE
    assert palette.judgement_colour(Verdict.UNSURE) == palette.NEUTRAL
    assert palette.judgement_colour(Verdict.NOT_JUDGED) == palette.NEUTRAL
    for not_a_verdict in (True, -0.02, "bedre"):
        with pytest.raises(TypeError):
            palette.judgement_colour(not_a_verdict)
