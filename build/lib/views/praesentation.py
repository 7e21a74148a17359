"""Presentation mode for the projector: one agenda item at a time, the clock, and live notes."""
from datetime import datetime

import polars as pl
import streamlit as st

from components import plain, presentation
from components.auth import require_role
from components.navigation import SCREENS
from components.session import current_user, runner

user = require_role(current_user(), *next(s.roles for s in SCREENS if s.title == "Præsentation"))
st.markdown(presentation.HIDE_CHROME, unsafe_allow_html=True)
talk_id, school = st.session_state.get("present_talk"), st.session_state.get("present_school")
if talk_id is None or school is None:
    st.title("Præsentation · ingen samtale valgt")
    st.info("Vælg en samtale under »Samtale & referat«, og tryk »Start præsentation«.")
    st.stop()
items = runner().run("talk_agenda", user.scope, school=school, talk_id=talk_id)
talk = runner().run("talks_for_school", user.scope, school=school).filter(pl.col("talk_id") == talk_id).row(
    0, named=True)
index, item = presentation.current_item(items)

left, middle, right = st.columns([1, 4, 1])
if left.button("◀ Forrige", disabled=index == 0, width="stretch"):
    st.session_state["present_item"] = index - 1
    st.rerun()
if right.button("Næste ▶", disabled=index == len(items) - 1, width="stretch"):
    st.session_state["present_item"] = index + 1
    st.rerun()
middle.markdown(f'<div class="present-slot">Punkt {index + 1} af {len(items)} · '
                f'{str(item["starts_at"])[:5].replace(":", ".")}–{str(item["ends_at"])[:5].replace(":", ".")} · '
                f'klokken er {datetime.now():%H.%M}</div>', unsafe_allow_html=True)
st.title(plain.md(item["title"]))
if item["questions"]:
    st.markdown(f'<div class="present-questions">{plain.html(item["questions"])}</div>', unsafe_allow_html=True)
presentation.figures_for(runner(), user.scope, school, talk["school_year"], item["screen"])

widget = f"note_{item['item_id']}"
if widget not in st.session_state:
    st.session_state[widget] = item["note"] or ""
st.text_area("Noter til punktet (gemmes mens der skrives)", key=widget, height=180,
             on_change=presentation.save_note, args=(runner(), user.scope, user.username, school, item, widget))
st.caption(st.session_state.get("note_status", "Noterne gemmes, hver gang feltet forlades."))
if st.button("Afslut præsentation"):
    st.switch_page("views/samtale.py")
