"""Country values are the ministry's published national figures (shared/DATA-SOURCES.md), never a
mean of school means or another estimate; a figure not published reads "ikke offentliggjort"."""

from __future__ import annotations

import csv

from components.key_figure_card import card_html
from data.reference import REFERENCE_DIR
from queries.key_figures import wellbeing_figures
from queries.runner import Scope

# Every national figure DATA-SOURCES.md lists as published, with the school year it belongs to.
PUBLISHED = {
    "wellbeing_high_share": {
        "2015/16": 93.0,
        "2018/19": 91.5,
        "2020/21": 90.9,
        "2021/22": 89.8,
        "2022/23": 87.5,
        "2023/24": 86.1,
        "2024/25": 87.1,
        "2025/26": 88.1,
    },
    "wellbeing_generel": {
        "2017/18": 3.7,
        "2018/19": 3.7,
        "2019/20": 3.7,
        "2022/23": 3.6,
        "2023/24": 3.6,
        "2024/25": 3.6,
    },
    "wellbeing_social": {"2022/23": 3.9},
    "wellbeing_faglig": {"2017/18": 3.7, "2018/19": 3.7, "2019/20": 3.7, "2020/21": 3.6},
    "wellbeing_stoette": {"2017/18": 3.2, "2018/19": 3.2, "2019/20": 3.2},
    "wellbeing_ro": {"2017/18": 3.8, "2018/19": 3.8, "2019/20": 3.8},
    "absence_total_pct": {"2021/22": 8.1, "2022/23": 7.2, "2023/24": 7.4, "2024/25": 7.5},
    "absence_over10_share": {"2014/15": 13.1, "2017/18": 14.7, "2021/22": 26.0, "2022/23": 20.0, "2023/24": 21.6},
    "exam_bound_average": {"2017/18": 7.3, "2018/19": 7.4},
    "test_good_share_dansk_laesning": {"2022/23": 72.0, "2023/24": 68.0},
    "test_good_share_matematik": {"2022/23": 75.0, "2023/24": 73.0},
}


def test_every_country_value_in_the_reference_file_is_a_published_national_figure():
    with open(REFERENCE_DIR / "national_figures.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    for row in rows:
        assert float(row["value"]) == PUBLISHED[row["measure"]][row["school_year"]], row
        assert row["source"].startswith("Børne- og Undervisningsministeriet"), row
        assert "skolernes gennemsnit" not in row["note"], row  # a mean of school means is not a national figure
    assert {(r["measure"], r["school_year"]) for r in rows} == {(m, y) for m, years in PUBLISHED.items() for y in years}


def test_an_unpublished_national_figure_reads_ikke_offentliggjort_on_the_card(demo_runner):
    """2024/25: social trivsel, faglig trivsel and ro og orden have no published national figure."""
    figures = {
        f.key: f for f in wellbeing_figures(demo_runner, Scope("ledelse", frozenset(["900001"])), "900001", "2024/25")
    }
    for key in ("wellbeing_social", "wellbeing_faglig", "wellbeing_ro"):
        fig = figures[key]
        assert fig.country.value is None, key
        assert 'Landet</th><td class="kf-cmp-value">–</td>' in card_html(fig, "2023/24")
        assert "ikke offentliggjort" in card_html(fig, "2023/24"), key
    assert figures["wellbeing_generel"].country.value == 3.6
    assert figures["wellbeing_high_share"].country.value == 87.1
