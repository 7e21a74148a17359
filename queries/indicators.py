"""The one list of the indicators: each measure's key (as the queries, the national figures
(data/reference/national_figures.csv), the effort register and the imports name it), its Danish
names, unit and direction, and where it is used. Every other list is derived from this one: the
Kommune table's columns, the peer comparison, what an effort may aim at, the well-being
sub-indicators and the national-test subjects. tests/test_one_home.py fails when a module writes
its own Danish name for one of these keys.

Pure data (no Streamlit), so the command line, the documents and the screens share it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str  # the full Danish name (effort register, peer table, documents)
    short: str  # a column heading (the Kommune table)
    unit: str  # score | pct | grade | count | decimal
    higher_is_better: bool
    national: bool = True  # has a country value under this key (national_figures.csv or published)
    kommune: bool = True  # a column the Kommune table offers
    trend: bool = False  # has a trend chart, so an effort may aim at it (queries/efforts.py)
    peers: bool = False  # compared with the peer group (queries/peer_group.sql's measures)
    measured_on: str = ""  # whom it is measured on, when the name needs it ("4.–9. kl.")
    code: str = ""  # a well-being sub-indicator's code in wellbeing_score.indicator

    @property
    def peer_label(self) -> str:
        return f"{self.label} ({self.measured_on})" if self.measured_on else self.label


_W = "4.–9. kl."
INDICATORS: list[Indicator] = [
    Indicator(
        "wellbeing_generel",
        "Generel trivsel",
        "Generel trivsel",
        "score",
        True,
        trend=True,
        peers=True,
        measured_on=_W,
        code="generel",
    ),
    Indicator(
        "wellbeing_social", "Social trivsel", "Social trivsel", "score", True, kommune=False, trend=True, code="social"
    ),
    Indicator(
        "wellbeing_faglig", "Faglig trivsel", "Faglig trivsel", "score", True, kommune=False, trend=True, code="faglig"
    ),
    Indicator(
        "wellbeing_stoette",
        "Støtte og inspiration",
        "Støtte og inspiration",
        "score",
        True,
        kommune=False,
        trend=True,
        code="stoette",
    ),
    Indicator("wellbeing_ro", "Ro og orden", "Ro og orden", "score", True, kommune=False, trend=True, code="ro"),
    Indicator(
        "wellbeing_high_share", "Andel med højest trivsel", "Højest trivsel", "pct", True, peers=True, measured_on=_W
    ),
    Indicator("absence_total_pct", "Samlet fravær", "Fravær", "pct", False, trend=True, peers=True),
    Indicator("absence_over10_share", "Elever med over 10 % fravær", "Over 10 % fravær", "pct", False, trend=True),
    Indicator(
        "exam_bound_average",
        "Karaktergennemsnit, bundne prøver",
        "Karaktergennemsnit",
        "grade",
        True,
        trend=True,
        peers=True,
    ),
    Indicator(
        "test_good_share_dansk_laesning",
        "Nationale test, læsning: andel gode",
        "Læsning, andel gode",
        "pct",
        True,
        trend=True,
    ),
    Indicator(
        "test_good_share_matematik",
        "Nationale test, matematik: andel gode",
        "Matematik, andel gode",
        "pct",
        True,
        trend=True,
    ),
    Indicator("general_class_share", "Andel elever i almenklasser", "I almenklasser", "pct", True, national=False),
    Indicator("reduced_timetable_share", "Andel elever med nedsat skema", "Nedsat skema", "pct", False, national=False),
    Indicator(
        "leaps_done_share", "Andel LEAPS-forløb gennemført", "LEAPS-forløb gennemført", "pct", True, national=False
    ),
    # Published by the ministry only (imported from uddannelsesstatistik.dk):
    Indicator("pupils", "Elevtal", "Elevtal", "count", True),
    Indicator("class_size", "Klassekvotient", "Klassekvotient", "decimal", True),
    Indicator(
        "socio_difference",
        "Forskel til socioøkonomisk reference",
        "Forskel til socioøk. reference",
        "grade",
        True,
        peers=True,
    ),
    Indicator("competence_coverage", "Kompetencedækning", "Kompetencedækning", "pct", True),
    Indicator("transition_share", "Overgang til ungdomsuddannelse", "Overgang til ungdomsuddannelse", "pct", True),
]
BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}

# Derived lists, each in the order above.
KOMMUNE = [i for i in INDICATORS if i.kommune]
TREND = [i for i in INDICATORS if i.trend]
PEERS = [i for i in INDICATORS if i.peers]
WELLBEING = [(i.code, i.label) for i in INDICATORS if i.code]  # (wellbeing_score.indicator, name)
# The national tests' subjects: (key suffix, subject name), from the indicators named test_good_share_<subject>.
TEST_SUBJECTS = [
    (i.key.removeprefix("test_good_share_"), i.short.split(",")[0])
    for i in INDICATORS
    if i.key.startswith("test_good_share_")
]
# The Kommune table's columns when the user has chosen none (those with figures this year are shown).
KOMMUNE_DEFAULT = [
    "wellbeing_generel",
    "absence_total_pct",
    "exam_bound_average",
    "socio_difference",
    "test_good_share_dansk_laesning",
    "leaps_done_share",
]


def label(key: str) -> str:
    return BY_KEY[key].label


def short(key: str) -> str:
    return BY_KEY[key].short
