"""Samtale & referat: prepare the talk, present it, agree, and write the minutes."""

import polars as pl
import streamlit as st

from components import navigation, on_open, plain, year_wheel_sections
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

shown, tab = on_open.tab(["Dagsorden", "Aftaler", "Referat", "Datapakke", "Årshjul"], key="samtale_tab")
institution = school["institution_no"]
with tab:  # only the open tab is built; choosing another reruns the screen
    if shown == "Dagsorden":
        items = sections.agenda(runner(), user.scope, user.username, institution, talk)
        st.subheader("Opfølgning: sidste års aftaler")
        sections.previous_agreements(runner(), user.scope, institution, year)
        st.subheader("Deltagere")
        people = sections.participants(runner(), user.scope, user.username, institution, talk)
        st.subheader("Samtalens formelle krav (folkeskoleloven § 40 a)")
        agreements = sections.talk_agreements(runner(), user.scope, institution, talk)  # the data, not the editor
        if items is not None and people is not None and agreements is not None:  # None: that query failed
            sections.checklist(items, people, agreements, has_previous=len(previous) > 0)
        sections.agenda_downloads(runner(), user.scope, school, talk)
    elif shown == "Aftaler":
        st.markdown("Aftaler med ansvarlig, frist og status. De åbne aftaler føres med til næste års samtale.")
        sections.agreements_editor(runner(), user.scope, user.username, institution, talk)
    elif shown == "Referat":
        sections.minutes_editor(runner(), user.scope, user.username, school, talk, years)
    elif shown == "Datapakke":
        sections.package_downloads(runner(), user.scope, user.role, school, year)
    else:
        st.markdown("Skoleårets datapunkter og skolens egne begivenheder: hvornår data kommer, og hvornår de drøftes.")
        year_wheel_sections.year_wheel(runner(), user.scope, user.username, institution, year, key="samtale_wheel")
