"""The language scan (tests/language_scan.py) can fail: it finds each kind of English word and internal
id it promises and lets Danish text through. The scan itself runs on every screen and role in
tests/test_browser.py::test_every_screen_renders_in_the_browser_for_the_role."""

from __future__ import annotations

from tests.language_scan import hits_in


def test_the_scan_finds_what_it_looks_for():
    """A scan that cannot fail proves nothing: it finds each kind it promises and passes Danish text."""
    shown = [
        "Drag and drop file here",
        "Limit 200MB per file",
        "Browse files",
        "Choose an option",
        "None",
        "Skoleår: school_year",
        "3f2c7a10-1b2c-4d5e-8f90-123456789abc",
        "fra 2025-08-01",
        "20.0 elever",
        "day",
        "No results",
        "Søg",
        "Select...",
        "Opgave 1.1: 2,5 (høj) · 3.5 point",
    ]
    kinds = {h.split(":")[0] for h in hits_in(shown)}
    assert kinds == {"engelsk", "snake_case", "uuid", "ISO-dato", "decimalpunktum"}
    assert len(hits_in(shown)) >= 14
    danish = [
        "Trivsel 2024/25 · 1.234 elever · 01.08.2025 · kl. 10.30 · 3,5 · 4.–9. klasse · Åbn · Luk",
        "Vælg en mulighed",
        "Ingen resultater",
        "Træk og slip filen her",
        "Gennemse filer",
        "Indsæt række",
        "open for alle",
        "Sæson 2025/26",
        "uge 34",
        "10.00–11.30",
        "Opgave 1.1: 2 (høj)",
        "Sort bogstav = placeringen",
    ]
    assert hits_in(danish) == []


def test_no_widget_has_a_help_tooltip_whose_icon_streamlit_names_in_english():
    """A widget's help= draws an icon Streamlit names "Help for …" (English, read aloud); the explanation
    is a caption instead. A table column's help (column_config) is a header tooltip without that name."""
    import re

    from tests.conftest import ROOT

    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("components", "views")
        for path in sorted((ROOT / folder).glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bhelp=", line) and "Column(" not in line
    ]
    assert offenders == []
