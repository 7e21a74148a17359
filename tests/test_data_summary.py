"""»Hvad viser data?«: on constructed cases (a real change, only noise, a suppressed group, a
published-only school) and for every demo school and year, the text calls nothing a change that
the statistics do not, and never mentions a suppressed group."""

from __future__ import annotations

import pytest

from components.data_summary import summarise
from queries.key_figures import Comparison, KeyFigure


def figure(
    key="wellbeing_generel",
    label="Generel trivsel",
    value=3.95,
    previous=3.80,
    change_significant=False,
    municipality=(3.85, False),
    country=(3.90, False),
    **changes,
) -> KeyFigure:
    fig = KeyFigure(
        key,
        "Trivsel",
        label,
        "score",
        True,
        value,
        412,
        False,
        "Trivselsmålingen",
        "januar–marts 2025",
        previous_value=previous,
        change=None if value is None or previous is None else value - previous,
        change_significant=change_significant,
    )
    fig.municipality = Comparison(municipality[0], None if value is None else value - municipality[0], municipality[1])
    fig.country = Comparison(country[0], None if value is None else value - country[0], country[1])
    for name, v in changes.items():
        setattr(fig, name, v)
    return fig


def test_a_real_change_is_stated_with_its_figures_and_n():
    text = summarise(
        [figure(change_significant=True), figure("wellbeing_ro", "Ro og orden", 3.5, 3.45)], "2024/25", "2023/24"
    ).sentences()
    assert text[0] == (
        "Bedre end i 2023/24, mere end den tilfældige variation: generel trivsel er steget fra 3,80 "
        "til 3,95 (+0,15 point; n = 412 elever)."
    )
    assert text[1] == "Alt andet ligger inden for den normale variation: ro og orden."


def test_a_fall_in_absence_is_called_better_and_a_difference_to_the_municipality_is_stated():
    absence = figure(
        "absence_total_pct",
        "Samlet fravær",
        6.1,
        7.4,
        change_significant=True,
        municipality=(7.2, True),
        unit="pct",
        higher_is_better=False,
    )
    text = summarise([absence], "2024/25", "2023/24").sentences()
    assert text[0] == (
        "Bedre end i 2023/24, mere end den tilfældige variation: samlet fravær er faldet fra 7,4 % "
        "til 6,1 % (−1,3 pct.-point; n = 412 elever)."
    )
    assert text[1] == (
        "Bedre end kommunen, mere end den tilfældige variation: samlet fravær 6,1 % mod 7,2 % (n = 412 elever)."
    )
    assert len(text) == 2  # nothing is left for "everything else"


def test_only_noise_is_never_called_a_change_however_large_the_numbers_look():
    figures = [
        figure(value=4.4, previous=3.1, municipality=(3.0, False), country=(3.0, False)),
        figure("wellbeing_social", "Social trivsel"),
    ]
    text = summarise(figures, "2024/25", "2023/24").sentences()
    assert text == [
        "Ingen nøgletal har ændret sig eller adskiller sig fra kommunen og landet mere end den normale "
        "variation (generel trivsel og social trivsel)."
    ]


def test_a_suppressed_group_is_never_mentioned():
    hidden = figure("wellbeing_ro", "Ro og orden", None, 3.2, suppressed=True, reason="færre end 5 elever", n=3)
    text = " ".join(summarise([figure(change_significant=True), hidden], "2024/25", "2023/24").sentences())
    assert "Ro og orden" not in text and "ro og orden" not in text and "færre end 5" not in text


def test_a_published_only_school_is_named_as_not_judged_and_nothing_is_called_a_change():
    published = [
        figure(
            value=3.2,
            previous=4.1,
            change_significant=False,
            basis="offentliggjort",
            unit="decimal",
            municipality=(3.9, False),
            country=(3.9, False),
        ),
        figure(
            "exam_bound_average", "Karaktergennemsnit, bundne prøver", 5.1, 7.9, basis="offentliggjort", unit="grade"
        ),
    ]
    for fig in published:
        fig.municipality.judged = fig.country.judged = False
    text = summarise(published, "2024/25", "2023/24").sentences()
    assert text == [
        "Generel trivsel og karaktergennemsnit i de bundne prøver: ministeriets offentliggjorte tal uden "
        "oplyst usikkerhed, så det kan ikke siges, om ændringer og forskelle er mere end tilfældige."
    ]


def test_the_ministrys_own_assessment_of_the_socio_economic_reference_is_stated():
    socio = figure(
        "socio_difference",
        "Forskel til socioøkonomisk reference",
        0.8,
        None,
        basis="offentliggjort",
        unit="grade",
        significance="Over niveau",
        n=48,
    )
    text = summarise([socio], "2024/25", "2023/24").sentences()
    assert text == [
        "Ministeriet vurderer karaktergennemsnittet over niveau i forhold til den socioøkonomiske "
        "reference (+0,8 karakterpoint; n = 48 elever)."
    ]


def test_national_test_statements_are_confidential_and_left_out_of_the_public_text():
    test = figure("test_good_share_matematik", "Matematik: andel gode", 70.0, 55.0, change_significant=True, unit="pct")
    calm = figure("test_top_share_matematik", "Matematik: andel dygtigste", 20.0, 19.0, unit="pct")
    summary = summarise([test, calm, figure()], "2024/25", "2023/24")
    assert summary.statements[0].confidential
    assert summary.sentences()[0].startswith("Nationale test (fortroligt), bedre end i 2023/24")
    public = " ".join(summary.sentences(public=True))
    assert "Matematik" not in public and "matematik" not in public
    assert "matematik: andel dygtigste" in " ".join(summary.sentences())


def _demo_cases(demo_runner):
    from queries.runner import Scope

    admin = Scope("admin", None)
    schools = demo_runner.run("schools", admin)["institution_no"].to_list()
    years = demo_runner.run("school_years", admin)["school_year"].to_list()
    return admin, schools, years


def test_every_demo_school_and_year_states_only_changes_beyond_noise_and_no_suppressed_group(demo_runner):
    from queries.key_figures import key_figures, previous_year

    admin, schools, years = _demo_cases(demo_runner)
    checked = 0
    for school in schools:
        for year in years:
            figures = key_figures(demo_runner, admin, school, year)
            by_key = {f.key: f for f in figures}
            summary = summarise(figures, year, previous_year(year))
            text = " ".join(summary.sentences())
            assert text, (school, year)
            for statement in summary.statements:
                fig = by_key[statement.key]
                assert not fig.suppressed and fig.value is not None
                if statement.kind == "ændring":
                    assert fig.change_significant and fig.basis == "elevdata", (school, year, statement.text)
                elif statement.kind in ("kommunen", "landet"):
                    comparison = fig.municipality if statement.kind == "kommunen" else fig.country
                    assert comparison.significant and comparison.judged, (school, year, statement.text)
            for fig in figures:
                if fig.suppressed:
                    assert fig.label not in text and fig.label.lower() not in text.lower(), (school, year, fig.key)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("public", [False, True])
def test_the_summary_becomes_document_blocks_with_its_heading_and_method(public):
    from components.data_summary import HEADING, METHOD, blocks

    out = blocks(summarise([figure(change_significant=True)], "2024/25", "2023/24"), public)
    assert out[0].text == HEADING and out[-1].text == METHOD and out[1].kind == "bullet"
