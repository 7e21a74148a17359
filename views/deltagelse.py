"""Deltagelse: "deltagelsesmuligheder for alle" — participation indicators with the school's targets."""

import streamlit as st

from components import participation_sections as sections
from components.filters import school_screen
from components.session import runner
from data.validation import PARTICIPATION_INDICATORS
from queries.key_figures import previous_year
from queries.statistics import design_effects

user, school, year = school_screen("deltagelse")
st.markdown(
    "Indikatorerne bygger på ministeriets forståelse af inklusion: at være til stede, deltage, "
    "være accepteret og høre til. Lyskurven sammenligner med skolens eget mål: »nået« og »ikke nået« "
    "kun, når forskellen til målet er større end usikkerheden, ellers »kan ikke afgøres endnu«."
)
years = runner().run("school_years", user.scope)["school_year"].to_list()
frame = sections.load(runner(), user.scope, school["institution_no"], years)
targets = runner().run("participation_targets", user.scope, school=school["institution_no"])

st.header(f"Indikatorerne i skoleåret {year}")
effects = design_effects(runner(), user.scope, year)
sections.indicator_cards(frame, targets, year, previous_year(year), effects)
if runner().may_write("set_participation_target", user.scope):
    with st.expander("Sæt skolens mål"):
        sections.target_form(runner(), user.scope, user.username, school["institution_no"], targets)

indicator = st.selectbox(
    "Indikator",
    list(PARTICIPATION_INDICATORS),
    key="part_indicator",
    format_func=lambda k: PARTICIPATION_INDICATORS[k][0],
    placeholder="Vælg en mulighed",
)
st.header("Afdelinger og klassetrin")
left, right = st.columns(2)
with left:
    sections.by_unit(frame, year, indicator, "afdeling", effects)
with right:
    sections.by_unit(frame, year, indicator, "klassetrin", effects)

st.header("Forskelle mellem elevgrupper")
sections.gaps(runner(), user.scope, school["institution_no"], year, effects)

st.header("Over årene")
sections.trend(frame, indicator, targets, year, effects)
