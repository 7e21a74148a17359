"""Årgang: one year group of one school, class by class, over the years and pupil by pupil."""

import streamlit as st

from components import item_matrix_sections, learning_triangle_sections, year_wheel_sections
from components import year_group_sections as sections
from components.filters import school_screen
from components.session import audit_view, runner
from queries.key_figures import previous_year

user, school, year = school_screen("aargang")
grades = sorted(user.scope.grades) if user.scope.grades else list(range(10))
grade = st.selectbox(
    "Årgang (klassetrin i det valgte skoleår)",
    grades,
    format_func=lambda g: f"{g}. årgang",
    key="year_group",
    placeholder="Vælg en mulighed",
)
audit_view("Årgang (elevniveau)", school["institution_no"], f"{grade}. årgang, skoleåret {year}")
st.caption(
    "Elevniveau: kun for skolens ledelse og årgangens team. Elevernes svar i trivselsmålingen vises "
    "aldrig for den enkelte elev, kun for klassen, og ikke for grupper under 5 elever."
)

st.header(f"Klasserne i {grade}. årgang")
sections.classes(runner(), user.scope, school["institution_no"], year, grade)

st.header("Årgangen gennem årene")
st.markdown("De samme elever år for år, mens de er rykket op gennem klassetrinnene.")
sections.cohort(runner(), user.scope, school["institution_no"], year, grade)

st.header("Vurderinger 1–5: dansk, matematik og social trivsel")
pupils = sections.grid(runner(), user.scope, school["institution_no"], year, previous_year(year), grade)
if pupils is not None:  # None: the grid's query failed
    with st.expander("Ret vurderinger", expanded=False):
        sections.grid_editor(runner(), user.scope, user.username, school["institution_no"], year, grade, pupils)

st.header("Elever med flere advarselstegn")
sections.warning_signs(runner(), user.scope, school["institution_no"], year, grade)

st.header("Teamets egne prøver opgave for opgave")
st.markdown(
    "Hver opgave med sit faglige område og signalord, som i teamets regneark: hvor har den enkelte elev "
    "og årgangen det svært?"
)
item_matrix_sections.item_matrix(runner(), user.scope, school["institution_no"], year, grade)

st.header("Læringstrekanten")
st.markdown("Elevens niveau i seks kompetenceområder, tre gange om året; den forrige placering står lyst ved siden af.")
if pupils is not None:
    learning_triangle_sections.learning_triangle(
        runner(), user.scope, user.username, school["institution_no"], year, grade, pupils
    )
else:  # the pupils come from the grid's query, which failed above
    st.caption("Læringstrekanten kan ikke vises uden årgangens elevliste.")

st.header(f"Årshjul {year}")
st.markdown(
    "Hvornår data kommer, og hvornår teamet ser på dem: skolens målinger, prøver og samtaler, teamets egne "
    "data og skolens egne begivenheder."
)
year_wheel_sections.year_wheel(
    runner(), user.scope, user.username, school["institution_no"], year, grade, key="aargang_wheel"
)
