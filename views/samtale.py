"""Samtale & referat: prepare the talk, present it, agree, and write the minutes."""

import polars as pl
import streamlit as st

from components import navigation, plain, year_wheel_sections
from components import talk_sections as sections
from components.filters import school_screen
from components.formatting import danish_date
from components.session import runner

user, school, year = school_screen("samtale")
years = runner().run("school_years", user.scope)["school_year"].to_list()
talks_here = runner().run("talks_for_school", user.scope, school=school["institution_no"])
talk_rows = talks_here.filter(pl.col("school_year") == year)
if talk_rows.is_empty():
    sections.prepare_form(runner(), user.scope, user.username, school, year)
    st.subheader("Datapakke")  # the package goes to the school before any talk exists
    sections.package_downloads(runner(), user.scope, user.role, school, year)
    st.subheader(f"Årshjul {year}")
    year_wheel_sections.year_wheel(
        runner(), user.scope, user.username, school["institution_no"], year, key="samtale_wheel"
    )
    st.stop()
talk = talk_rows.row(0, named=True)
previous = talks_here.filter(pl.col("school_year") < year)
st.markdown(
    f"**{plain.md(talk['status'].capitalize())}** · {danish_date(talk['talk_date'])} · {plain.md(talk['place'])}"
)
if st.button("Start præsentation", type="primary", icon=":material/slideshow:"):
    st.session_state["present_school"] = school["institution_no"]
    st.session_state["present_year"] = year
    navigation.switch_to(
        "praesentation", query_params={"skole": school["institution_no"], "skoleaar": year, "punkt": "1"}
    )

agenda_tab, agreements_tab, minutes_tab, package_tab, wheel_tab = st.tabs(
    ["Dagsorden", "Aftaler", "Referat", "Datapakke", "Årshjul"]
)
with agenda_tab:
    items = sections.agenda(runner(), user.scope, user.username, school["institution_no"], talk)
    st.subheader("Opfølgning: sidste års aftaler")
    sections.previous_agreements(runner(), user.scope, school["institution_no"], year)
    st.subheader("Deltagere")
    people = sections.participants(runner(), user.scope, user.username, school["institution_no"], talk)
with agreements_tab:
    st.markdown("Aftaler med ansvarlig, frist og status. De åbne aftaler føres med til næste års samtale.")
    agreements = sections.agreements_editor(runner(), user.scope, user.username, school["institution_no"], talk)
with agenda_tab:
    st.subheader("Samtalens formelle krav (folkeskoleloven § 40 a)")
    if items is not None and people is not None and agreements is not None:  # None: that part's query failed
        sections.checklist(items, people, agreements, has_previous=len(previous) > 0)
    sections.agenda_downloads(runner(), user.scope, school, talk)
with minutes_tab:
    sections.minutes_editor(runner(), user.scope, user.username, school, talk, years)
with package_tab:
    sections.package_downloads(runner(), user.scope, user.role, school, year)
with wheel_tab:
    st.markdown("Skoleårets datapunkter og skolens egne begivenheder: hvornår data kommer, og hvornår de drøftes.")
    year_wheel_sections.year_wheel(
        runner(), user.scope, user.username, school["institution_no"], year, key="samtale_wheel"
    )
