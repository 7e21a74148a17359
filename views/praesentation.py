"""Presentation mode for the projector: one agenda item at a time, by keyboard or clicker, the
item in the URL, the figures beside the notes, the time left and a clear end."""

import polars as pl
import streamlit as st

from components import navigation, plain, presentation
from components.filters import screen_user
from components.session import runner
from queries.runner import ScopeError

user = screen_user("praesentation")
TITLE = navigation.screen("praesentation").title
st.markdown(presentation.HIDE_CHROME, unsafe_allow_html=True)
school, year, index = presentation.from_url(
    st.session_state.get("present_school"), st.session_state.get("present_year")
)
if school is None or year is None:
    st.title(f"{TITLE} · ingen samtale valgt")
    st.info("Vælg en samtale under »Samtale & referat«, og tryk »Start præsentation«.")
    st.stop()
try:
    talks = runner().run("talks_for_school", user.scope, school=school).filter(pl.col("school_year") == year)
except ScopeError as refusal:
    st.title(f"{TITLE} · ingen adgang")
    st.error(plain.md(refusal))
    st.stop()
if talks.is_empty():
    st.title(f"{TITLE} · ingen samtale")
    st.info(f"Skolen har ingen samtale i skoleåret {plain.md(year)}. Forbered den under »Samtale & referat«.")
    st.stop()
talk = talks.row(0, named=True)
items = runner().run("talk_agenda", user.scope, school=school, talk_id=talk["talk_id"])
index = presentation.clamp(index, len(items))
st.query_params.update(
    {presentation.SCHOOL: school, presentation.YEAR: year, presentation.ITEM: str(index + 1)}
)  # a reload or a second screen opens this item

top, buttons = st.columns([2.3, 1.7], vertical_alignment="center")
with top:
    presentation.header(talk["talk_id"], items, index)
with buttons:
    presentation.navigation(talk["talk_id"], index, len(items))

if index == len(items):
    st.title("Samtalen er slut")
    presentation.end(runner(), user.scope, school, talk)
    if st.button("Tilbage til Samtale & referat", icon=":material/forum:"):
        navigation.switch_to("samtale")
    st.stop()

item = items.row(index, named=True)
st.title(plain.md(item["title"]))
figures, notes = st.columns([2.7, 1], gap="large")
with figures:
    if item["screen"]:
        presentation.figures_for(runner(), user.scope, school, talk["school_year"], item["screen"])
    else:
        presentation.without_figures(runner(), user.scope, school, talk, item)
with notes:
    presentation.notes(runner(), user.scope, user.username, school, item)
    if st.button("Afslut præsentation", icon=":material/close:"):
        navigation.switch_to("samtale")
