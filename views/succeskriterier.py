"""Succeskriterier: a school project's milestones and measured success criteria."""

import streamlit as st

from components import plain
from components import success_criteria_sections as sections
from components.filters import school_screen
from components.formatting import danish_date
from components.session import runner

user, school, year = school_screen("succeskriterier")
projects = runner().run("school_projects", user.scope, school=school["institution_no"])
if projects.is_empty():
    st.info(f"{plain.md(school['name'])} har ingen projekter med succeskriterier registreret.")
    st.stop()
project = st.selectbox(
    "Projekt", projects.to_dicts(), format_func=lambda p: p["title"], key="project", placeholder="Vælg en mulighed"
)
st.header(plain.md(project["title"]))
st.markdown(
    f"{plain.md_lines(project['purpose'])}  \nPeriode: {danish_date(project['start_date'])} – "
    f"{danish_date(project['end_date'])}"
)

st.subheader("Milepæle")
sections.milestones(runner(), user.scope, user.username, school["institution_no"], project["project_id"])

st.subheader("Målte kriterier: før- og eftermåling")
st.markdown(
    "Andelen, der svarer positivt, før og efter. »Steget« og »faldet« bruges kun, når ændringen "
    "er større end usikkerheden ud fra antal svar, med projektets kriterier og mål vurderet samlet; ellers "
    "står der »uændret inden for usikkerheden«. Derfor kan et interval, der lige netop ikke rummer 0, stå "
    "gråt. »Målet nået« er »nået« eller »ikke nået« kun, når afstanden til målet er større end "
    "usikkerheden, ellers »kan ikke afgøres endnu« – med begrundelsen i tabellen."
)
sections.measured(runner(), user.scope, school["institution_no"], project["project_id"])
