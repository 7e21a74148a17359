"""The noise rule on constructed data with known answers (queries/statistics.py): overlapping groups,
rounded published values, pupils clustered in classes and many comparisons on one page."""

from __future__ import annotations

import math

import numpy as np
import pytest

from queries import statistics
from queries.statistics import (
    EXACT,
    INDEPENDENT,
    NESTED,
    Family,
    Test,
    compare,
    design_effect,
    difference_se,
    icc_anova,
    rounding_half_width,
)

SEED = 20260121


def _school_vs_municipality(share: float, pupils: int = 2000, repeats: int = 4000):
    """Simulated municipalities with no real difference: the school is the first `share` of the
    municipality's pupils. Returns (empirical sd of school − municipality, formula SE nested,
    formula SE independent)."""
    rng = np.random.default_rng(SEED)
    n_school = int(pupils * share)
    values = rng.normal(0.0, 1.0, size=(repeats, pupils))
    difference = values[:, :n_school].mean(axis=1) - values.mean(axis=1)
    se_school, se_municipality = 1 / math.sqrt(n_school), 1 / math.sqrt(pupils)
    return (
        float(difference.std(ddof=1)),
        difference_se(se_school, se_municipality, NESTED),
        difference_se(se_school, se_municipality, INDEPENDENT),
    )


def test_school_that_is_half_of_its_municipality_gets_the_nested_standard_error():
    empirical, nested, independent = _school_vs_municipality(0.5)
    assert nested == pytest.approx(empirical, rel=0.03)
    # Adding the errors in quadrature, as if the groups were independent, overstates the noise by √3.
    assert independent / empirical == pytest.approx(math.sqrt(3), rel=0.03)


def test_school_that_is_five_percent_of_its_municipality_gets_the_nested_standard_error():
    empirical, nested, independent = _school_vs_municipality(0.05)
    assert nested == pytest.approx(empirical, rel=0.03)
    assert independent / nested == pytest.approx(math.sqrt(1.05 / 0.95), rel=1e-9)  # 5 % too much noise


def test_nested_rule_equals_the_school_against_the_rest_of_the_municipality():
    sd, n_school, n_municipality = 1.3, 60, 900
    f = n_school / n_municipality
    rest = difference_se(sd / math.sqrt(n_school), sd / math.sqrt(n_municipality - n_school), INDEPENDENT)
    assert difference_se(sd / math.sqrt(n_school), sd / math.sqrt(n_municipality), NESTED) == pytest.approx(
        (1 - f) * rest
    )


def test_a_school_that_is_the_whole_municipality_is_never_different_from_it():
    family = Family()
    test = family.add(compare(3.8, 0.05, 3.8, 0.05, NESTED))
    family.decide()
    assert test.se == 0 and test.p is None and not test.significant


def test_a_published_value_is_an_interval_of_its_rounding():
    assert rounding_half_width(3.6) == pytest.approx(0.05)
    assert rounding_half_width(93.0) == pytest.approx(0.05)  # published 93,0: the lost zero still counts
    assert rounding_half_width(7.25) == pytest.approx(0.005)
    assert rounding_half_width(12, decimals=0) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("school", "exact_says", "interval_says"),
    [
        (3.70, True, False),  # 0,10 above 3,6 is 2,5 SE, but only 0,05 above 3,65: 1,25 SE
        (3.50, True, False),  # the same below
        (3.76, True, True),  # beyond the whole interval
        (3.6 + 0.05 + 1.96 * 0.04 - 0.001, True, False),  # just inside the border of the interval
        (3.6 + 0.05 + 1.96 * 0.04 + 0.001, True, True),  # just outside it
    ],
)
def test_rounded_national_value_on_the_border(school, exact_says, interval_says):
    exact = compare(school, 0.04, 3.6, None, EXACT)
    rounded = compare(school, 0.04, 3.6, None, EXACT, rounding_half_width(3.6))
    for test, expected in ((exact, exact_says), (rounded, interval_says)):
        family = Family()
        family.add(test)
        family.decide()
        assert test.significant is expected


def _clustered_school(rng, classes: int, size: int, icc: float, shift: float = 0.0):
    between = rng.normal(0.0, math.sqrt(icc), size=classes)
    values = (between[:, None] + rng.normal(0.0, math.sqrt(1 - icc), size=(classes, size))).ravel() + shift
    return values, np.repeat(np.arange(classes), size)


def test_the_intraclass_correlation_is_estimated_from_classes_with_a_known_answer():
    rng = np.random.default_rng(SEED)
    values, classes = _clustered_school(rng, 400, 20, 0.2)
    icc, n0 = icc_anova(values, classes)
    assert icc == pytest.approx(0.2, abs=0.03)
    assert n0 == pytest.approx(20)
    assert design_effect(icc, n0) == pytest.approx(1 + 19 * icc)
    unclustered, _ = icc_anova(rng.normal(size=8000), np.repeat(np.arange(400), 20))
    assert unclustered < 0.02
    # classes within schools: a difference between schools is not clustering in classes
    schools = np.repeat(np.arange(20), 400)
    shifted = rng.normal(size=8000) + np.repeat(rng.normal(0, 1, 20), 400)
    within, _ = icc_anova(shifted, np.repeat(np.arange(400), 20), schools)
    assert within < 0.02


def test_clustered_classes_need_the_design_effect_to_keep_the_noise_at_five_percent():
    """Two schools with no real difference, each 3 classes of 20 with ICC 0,15, over 400 draws."""
    rng = np.random.default_rng(SEED)
    naive = with_deff = 0
    deff = design_effect(0.15, 20)
    for _ in range(400):
        a, _ = _clustered_school(rng, 3, 20, 0.15)
        b, _ = _clustered_school(rng, 3, 20, 0.15)
        se_a, se_b = a.std(ddof=1) / math.sqrt(len(a)), b.std(ddof=1) / math.sqrt(len(b))
        naive += abs(a.mean() - b.mean()) > 1.96 * math.hypot(se_a, se_b)
        family = Family()
        test = family.add(compare(a.mean(), se_a * math.sqrt(deff), b.mean(), se_b * math.sqrt(deff)))
        family.decide()
        with_deff += test.significant
    assert naive / 400 > 0.15  # ignoring the classes colours about one in five
    assert with_deff / 400 <= 0.08  # with the design effect: about the stated 5 %


def test_the_class_clustering_query_gives_the_same_estimate_as_the_python_estimator(demo_store, demo_runner):
    import duckdb
    import polars as pl

    from queries.runner import Scope

    year = "2024/25"
    frame = demo_runner.run(
        "class_clustering", Scope("admin", None), school_year=year, high_above=3.0, high_above_pct=10.0
    )
    row = frame.filter(pl.col("indicator") == "wellbeing_generel").row(0, named=True)
    sql_icc = statistics.icc_from_anova(row["ms_between"], row["ms_within"], row["class_size"])
    with duckdb.connect(str(demo_store)) as con:  # the runner holds the file open read-write
        pupils = con.sql(
            "SELECT s.institution_no, s.class_name, w.score FROM student s JOIN wellbeing_score w "
            "USING (school_year, student_key, institution_no) WHERE s.school_year = ? "
            "AND w.indicator = 'generel'",
            params=[year],
        ).pl()
    icc, n0 = icc_anova(
        pupils["score"].to_numpy(),
        (pupils["institution_no"] + pupils["class_name"]).to_list(),
        pupils["institution_no"].to_list(),
    )
    assert sql_icc == pytest.approx(icc, abs=1e-9)
    assert row["class_size"] == pytest.approx(n0)
    effects = statistics.design_effects(demo_runner, Scope("admin", None), year)
    assert effects["wellbeing_generel"] == pytest.approx(design_effect(icc, n0))
    assert all(d >= 1 for d in effects.values())


def _pages(stores: int, comparisons: int, real: dict[int, float], rng):
    """`stores` simulated pages of `comparisons` school-vs-municipality means (school 50 of the
    municipality's 1.000 pupils); `real` shifts the school of some comparisons by that many SE.
    Returns (coloured by the page's family, coloured by a plain 1,96 per comparison), both as
    boolean arrays stores × comparisons."""
    n_school, n_municipality = 50, 1000
    values = rng.normal(0.0, 1.0, size=(stores, comparisons, n_municipality))
    se_school, se_municipality = 1 / math.sqrt(n_school), 1 / math.sqrt(n_municipality)
    se = difference_se(se_school, se_municipality, NESTED)
    for index, shift in real.items():
        values[:, index, :n_school] += shift * se / (1 - n_school / n_municipality)
    school = values[:, :, :n_school].mean(axis=2)
    municipality = values.mean(axis=2)
    by_family = np.zeros((stores, comparisons), dtype=bool)
    for s in range(stores):
        family = Family()
        tests = [
            family.add(compare(school[s, c], se_school, municipality[s, c], se_municipality, NESTED))
            for c in range(comparisons)
        ]
        family.decide()
        by_family[s] = [t.significant for t in tests]
    plain = np.abs(school - municipality) > 1.96 * se
    return by_family, plain


def test_a_page_of_40_comparisons_with_no_real_difference_colours_at_most_the_stated_share():
    coloured, plain = _pages(200, 40, {}, np.random.default_rng(SEED))
    # Benjamini-Hochberg at 5 %: with no real difference, at most 5 % of pages show any coloured mark
    # (binomial slack: 200 pages, 5 % is 10, allow 16), and far fewer than 5 % of the comparisons.
    assert coloured.any(axis=1).sum() <= 16
    assert coloured.mean() <= 0.005
    # The old rule (1,96 per comparison) colours about 5 % of them, on nearly every page.
    assert plain.mean() == pytest.approx(0.05, abs=0.01)
    assert plain.any(axis=1).mean() > 0.8


def test_a_page_of_40_comparisons_with_one_real_difference_finds_it():
    coloured, _ = _pages(200, 40, {17: 6.0}, np.random.default_rng(SEED + 1))
    assert coloured[:, 17].sum() >= 195  # found on (nearly) every page
    false = np.delete(coloured, 17, axis=1).sum(axis=1)
    # the stated rate: of the coloured marks, at most 5 % expected to be noise (slack for 200 pages)
    assert (false / np.maximum(coloured.sum(axis=1), 1)).mean() <= 0.07
    assert false.sum() / (200 * 39) <= 0.005  # and the 39 others nearly always grey


def test_benjamini_hochberg_known_answer():
    # m = 5, q = 5 %: thresholds 0,01 0,02 0,03 0,04 0,05; the largest p under its threshold is rank 3.
    assert statistics.benjamini_hochberg([0.001, 0.5, 0.025, 0.015, 0.2], 0.05) == [True, False, True, True, False]
    assert statistics.benjamini_hochberg([None, 0.04], 0.05) == [False, True]
    assert statistics.level() == pytest.approx(0.05, abs=1e-4)


def test_a_lone_comparison_is_the_plain_196_rule():
    for difference in (0.0979, 0.0981):
        family = Family()
        test = family.add(Test(difference, 0.05))
        family.decide()
        assert test.significant is (abs(difference) > 1.96 * 0.05)


def test_target_results_say_reached_not_reached_or_not_yet():
    def decided(value, se, target):
        family = Family()
        test = family.add(statistics.target_test(value, se, target))
        family.decide()
        return statistics.target_result(test, target, higher_is_better=True)

    assert decided(80, 2, 70) == statistics.REACHED
    assert decided(60, 2, 70) == statistics.NOT_REACHED
    assert decided(71, 2, 70) == statistics.UNDECIDED
    assert decided(69, 2, 70) == statistics.UNDECIDED
    assert statistics.target_result(None, None) == statistics.NO_TARGET


# -- the rule where the screens use it -----------------------------------------------------------
def _card_figure(now: dict, municipality: dict, country: float | None = None):
    from queries.key_figures import _figure, settle

    fig = _figure(
        "wellbeing_generel",
        "Trivsel",
        "Generel trivsel",
        "score",
        True,
        "Trivselsmålingen",
        "2025",
        now,
        None,
        municipality,
        "mean",
        "sd",
        (country, "Landstal") if country is not None else None,
        "2024/25",
    )
    return settle([fig])[0]


def test_key_figure_judges_the_school_against_its_own_municipality_as_nested():
    """School 500 of the municipality's 1.000 pupils, 0,07 above it: 2,8 nested SE (1,6 if the errors
    were added as for independent groups, the old rule, which read it »ikke sikker«)."""
    from components.key_figure_card import card_html

    fig = _card_figure({"mean": 3.80, "sd": 0.8, "n": 500}, {"mean": 3.73, "sd": 0.8, "n": 1000})
    assert fig.municipality.significant
    assert fig.municipality.test.se == pytest.approx(math.sqrt(0.8**2 / 500 - 0.8**2 / 1000))
    assert "▲ +0,07, bedre" in card_html(fig, "2023/24")


def test_key_figure_against_a_rounded_country_value_holds_for_the_whole_interval():
    """3,70 against a published 3,6 with SE 0,04: 2,5 SE from 3,6 but only 1,25 from 3,65."""
    from components.key_figure_card import card_html

    fig = _card_figure({"mean": 3.70, "sd": 0.8, "n": 400}, {"mean": 3.70, "sd": 0.8, "n": 4000}, country=3.6)
    assert not fig.country.significant
    assert "ikke sikker" in card_html(fig, "2023/24").split("Landet")[1]


def test_drilldown_bar_of_a_tiny_difference_is_not_coloured():
    """The Trivsel drill-down coloured every bar by its sign, even −0,02; now only beyond the noise."""
    import polars as pl

    from components.wellbeing_sections import drilldown_tests

    rows = pl.DataFrame(
        {
            "mean": [3.60, 3.10],
            "sd": [0.9, 0.9],
            "n": [300, 300],
            "municipality_mean": [3.62, 3.62],
            "municipality_sd": [0.9, 0.9],
            "municipality_n": [3000, 3000],
            "previous_mean": [3.61, 3.5],
            "previous_sd": [0.9, 0.9],
            "previous_n": [300, 300],
        }
    )
    differences, changes = drilldown_tests(rows)
    assert statistics.verdict(differences[0], True) is statistics.Verdict.UNSURE
    assert statistics.verdict(differences[1], True) is statistics.Verdict.WORSE
    assert not changes[0].significant and changes[1].significant


def test_a_key_figure_takes_the_first_row_matching_every_column_and_a_missing_value_matches_nothing():
    import polars as pl

    from queries.key_figures import _row

    frame = pl.DataFrame(
        {
            "level": ["skole", "kommune", "skole", None],
            "school_year": ["2025/26", "2025/26", "2024/25", None],
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    assert _row(frame, level="skole", school_year="2024/25")["value"] == 3.0
    assert _row(frame, level="kommune")["value"] == 2.0
    assert _row(frame, level="land") is None
    assert _row(frame, level=None) is None  # as SQL: a null is never equal to anything
    assert _row(frame.clear(), level="skole") is None
