"""Peers like the ministry's: for every school, the most similar schools across the country on the
socio-economic reference, mother tongue and size, shown to the leader and the kommune as aggregates
only, with the rule on screen."""

from __future__ import annotations

import polars as pl
import pytest

from components import peer_sections
from queries.runner import Scope, ScopeError
from tests.test_app_pages import login

ADMIN = Scope("admin", None)
YEAR = "2025/26"


def _folkeskoler(runner) -> list[dict]:
    return (
        runner.run("schools", ADMIN)
        .join(
            runner.run("municipality_school_profiles", ADMIN, municipality="999", school_year=YEAR).select(
                "institution_no", "school_type"
            ),
            on="institution_no",
        )
        .filter(pl.col("school_type") == "folkeskole")
        .to_dicts()
    )


def test_every_demo_school_has_a_peer_group_of_aggregates_only(demo_runner):
    schools = _folkeskoler(demo_runner)
    assert len(schools) == 11
    for school in schools:
        frame = peer_sections.peer_group(demo_runner, ADMIN, school["institution_no"], YEAR)
        profile = frame.filter(pl.col("kind") == "profile").row(0, named=True)
        assert profile["schools"] == 11 and profile["peers"] == 5  # a small store: half of the other 10
        indicators = frame.filter(pl.col("kind") == "indicator")
        assert set(indicators["indicator"]) == set(peer_sections.LABELS)
        # aggregates only: no school number or name of another school in the result
        assert "institution_no" not in frame.columns and "school_name" not in frame.columns
        ranked = indicators.filter(pl.col("place").is_not_null())
        assert len(ranked) >= 3 and (ranked["place"] <= ranked["ranked"]).all() and (ranked["ranked"] == 6).all()


def _all_profiles(runner) -> pl.DataFrame:
    codes = runner.run("municipalities", ADMIN)["code"].to_list()
    return (
        pl.concat(
            [
                runner.run("municipality_school_profiles", ADMIN, municipality=c, school_year=YEAR).with_columns(
                    pl.lit(c).alias("municipality")
                )
                for c in codes
            ]
        )
        .filter((pl.col("school_type") == "folkeskole") & pl.col("expected_average").is_not_null())
        .sort("institution_no")
    )


def _nearest_by_hand(profiles: pl.DataFrame, school: str, k: int) -> pl.DataFrame:
    """The k nearest schools on the three standardised features (log size), computed here."""
    import numpy as np

    x = np.column_stack([profiles["expected_average"], profiles["bilingual_share"], np.log(profiles["n"])])
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    me = profiles["institution_no"].to_list().index(school)
    distance = np.sqrt(((z - z[me]) ** 2).sum(axis=1))
    return profiles[[int(i) for i in np.argsort(distance, kind="stable") if i != me][:k]]


def test_peers_are_the_nearest_on_the_standardised_profile(demo_runner):
    profiles = _all_profiles(demo_runner)
    for school in ("900001", "900007"):
        nearest = _nearest_by_hand(profiles, school, 5)
        profile = (
            peer_sections.peer_group(demo_runner, ADMIN, school, YEAR)
            .filter(pl.col("kind") == "profile")
            .row(0, named=True)
        )
        assert profile["peer_value"] == pytest.approx(nearest["expected_average"].mean())
        assert profile["peer_bilingual_share"] == pytest.approx(nearest["bilingual_share"].mean())


def test_a_school_without_bilingual_pupils_has_a_share_of_0_and_still_gets_peers(store_copy):
    """The register's summary has no bilingual rows for such a school: its share is 0 %, not unknown
    (unknown would match it on two features only)."""
    import duckdb

    from data import summaries
    from queries.runner import runner_for

    con = duckdb.connect(str(store_copy))
    con.execute("UPDATE student SET bilingual = false WHERE institution_no = '900001'")
    summaries.refresh(con, "SELECT DISTINCT institution_no, school_year FROM student WHERE institution_no = '900001'")
    con.close()
    profile = (
        peer_sections.peer_group(runner_for(store_copy), ADMIN, "900001", YEAR)
        .filter(pl.col("kind") == "profile")
        .row(0, named=True)
    )
    assert profile["school_bilingual_share"] == 0
    assert profile["peers"] > 0


@pytest.mark.parametrize("user, password", [("leder", "demo-leder"), ("kommune", "demo-kommune")])
def test_the_leader_and_the_kommune_see_the_peer_group_with_its_rule(demo_store, user, password):
    at = login(user, password)
    assert not at.exception and not at.error
    assert "Sammenlignelige skoler i hele landet" in [h.value for h in at.header]
    text = "\n".join(m.value for m in at.markdown)
    assert "Sammenlignelige skoler er de 5 folkeskoler i hele landet" in text
    assert "aldrig en enkelt anden skoles tal eller navn" in text
    tables = [d.value for d in at.dataframe]
    figures = next(t for t in tables if "Skolens plads" in t.columns)
    assert figures["Skolens plads"].str.contains(r"^\d+\. af 6$").sum() >= 3
    others = {s for s in ("Fjordskolen", "Skovvangskolen", "Engparkens Skole", "Lindehøj Skole")}
    assert not any(name in str(t.to_dict()) for t in tables for name in others)


def test_the_peer_group_renders_for_every_demo_school(demo_store, demo_runner):
    at = login("admin", "demo-admin")
    for school in _folkeskoler(demo_runner):
        at.selectbox(key="filter_school").select(
            next(o for o in at.selectbox(key="filter_school").options if o == school["name"])
        ).run()
        assert not at.exception and not at.error, school["name"]
        text = "\n".join(m.value for m in at.markdown)
        assert "Sammenlignelige skoler er de 5 folkeskoler" in text, school["name"]


def test_the_team_sees_no_peer_group(demo_store):
    at = login("team", "demo-team")
    assert not at.exception
    assert "Sammenlignelige skoler i hele landet" not in [h.value for h in at.header]


@pytest.fixture(scope="module")
def country_store(tmp_path_factory):
    """A store shaped like the national one, small: 60 schools in 6 municipalities."""
    from data import demo
    from data.demo_population import DemoParams
    from queries.runner import runner_for

    path = tmp_path_factory.mktemp("country") / "country.duckdb"
    demo.build(path, DemoParams(schools=60, municipalities=6, pupils_per_school=0.4, years=2))
    return runner_for(path)


def test_a_school_in_a_national_store_gets_ten_peers_from_across_the_country(country_store):
    profiles = _all_profiles(country_store)
    school = profiles.filter(pl.col("municipality") != "999")["institution_no"][0]
    frame = peer_sections.peer_group(country_store, ADMIN, school, YEAR)
    profile = frame.filter(pl.col("kind") == "profile").row(0, named=True)
    assert profile["peers"] == peer_sections.PEERS and profile["schools"] == len(profiles) >= 40
    nearest = _nearest_by_hand(profiles, school, peer_sections.PEERS)
    assert profile["peer_value"] == pytest.approx(nearest["expected_average"].mean())
    assert nearest["municipality"].n_unique() > 1  # across the country, not inside the municipality
    ranked = frame.filter((pl.col("kind") == "indicator") & pl.col("place").is_not_null())
    assert len(ranked) >= 3 and (ranked["ranked"] == 11).all()
    # the leader of that school may run it for the school, and only for it
    leader = Scope("ledelse", frozenset([school]))
    assert len(peer_sections.peer_group(country_store, leader, school, YEAR)) == 6
    other = profiles.filter(pl.col("institution_no") != school)["institution_no"][0]
    with pytest.raises(ScopeError):
        peer_sections.peer_group(country_store, leader, other, YEAR)


def test_the_data_package_holds_the_socio_economic_reference_and_the_peer_group(demo_runner):
    from datetime import date

    from components import data_package

    leader = Scope("ledelse", frozenset(["900001"]))
    school = demo_runner.run("schools", leader).row(0, named=True)
    package = data_package.build(demo_runner, leader, school, YEAR, as_of=date(2026, 3, 1), with_charts=False)
    texts = [b.text for b in package.blocks]
    assert "Socioøkonomisk reference" in texts and "Sammenlignelige skoler i hele landet" in texts
    socio = next(b for b in package.blocks if b.kind == "table" and b.rows[0][-1] == "Ministeriets vurdering")
    assert {row[-1] for row in socio.rows[1:]} <= {"Over niveau", "På niveau", "Under niveau", "–"}
    assert any(
        "af 6" in cell
        for b in package.blocks
        if b.kind == "table" and "Skolens plads" in b.rows[0]
        for row in b.rows[1:]
        for cell in row
    )
    assert any(t.startswith("Sammenlignelige skoler er de 5 folkeskoler") for t in texts)


def test_a_school_with_only_published_figures_is_matched_on_the_published_reference_and_size(tmp_path):
    """A store with no pupil register (the ministry's Skoletal for Ishøj): peers from the published
    socio-economic reference and pupil count, the figures as published, and the rule says so."""
    from data import __main__ as cli
    from data import store
    from queries.runner import runner_for
    from tests.test_published_figures import REAL

    path = tmp_path / "kommune.duckdb"
    store.connect(path).close()
    for source, name in (("institutions", "institutionsregister.csv"), ("school-figures", "skoletal-cp1252.csv")):
        args = ["--hentet", "2026-11-24"] if source == "school-figures" else []
        assert cli.main(["--path", str(path), "import", source, str(REAL / name), *args]) == 0
    runner = runner_for(path)
    frame = peer_sections.peer_group(runner, Scope("ledelse", frozenset(["183901"])), "183901", "2024/25")
    profile = frame.filter(pl.col("kind") == "profile").row(0, named=True)
    assert profile["school_value"] == 6.5 and profile["school_bilingual_share"] is None
    assert profile["peers"] >= 1 and profile["school_pupils"] == 1012
    exam = frame.filter(pl.col("indicator") == "exam_bound_average").row(0, named=True)
    assert exam["school_value"] == 6.8 and exam["school_published"]
    assert "ministeriets offentliggjorte tal" in peer_sections.rule_text(profile)
