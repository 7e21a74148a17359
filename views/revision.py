"""Revisionsspor: the audit log for the data owner (read-only; only data/audit.py writes it)."""

import polars as pl
import streamlit as st

from components import navigation, plain, tables
from components.audit_details import readable, search_terms
from components.filters import screen_user
from components.formatting import DATE_PLACEHOLDER, parse_date
from components.session import runner
from queries import audit_log

user = screen_user("revision")
st.title(f"{navigation.screen('revision').title} · hvem har gjort hvad")
st.caption(
    "Logins, visninger af elevniveau og af andre skolers tal, eksporter, importer og alle ændringer (mål, "
    "forløb, vurderinger, kriterier, noter, aftaler, referater). Loggen kan ikke ændres fra appen. "
    "De nyeste 1.000 hændelser, der passer til søgningen, vises."
)
text, who, school = st.columns(3)
text = text.text_input("Søg i handling og detaljer (del af et ord)", key="audit_text").strip()
who = who.text_input("Bruger", key="audit_user").strip()
school = school.text_input("Skole (nummer eller navn)", key="audit_school").strip()
first, last = st.columns(2)
dates = {}
for column, label, key in ((first, "Fra dato", "audit_from"), (last, "Til dato", "audit_to")):
    typed = column.text_input(f"{label} (dd.mm.åååå)", placeholder=DATE_PLACEHOLDER, key=key)
    try:
        dates[key] = parse_date(typed)
    except ValueError as problem:  # the search runs without that bound, and says so
        column.error(f"{label}: {plain.md(problem)} Søgningen er uden den grænse.")
        dates[key] = None
date_from, date_to = dates["audit_from"], dates["audit_to"]
entries = audit_log.search(
    runner(),
    user.scope,
    username=who,
    texts=search_terms(text),
    school=school,
    date_from=date_from,
    date_to=date_to,
)
headings = {
    "entry_id": "Nr.",
    "logged_at": "Tidspunkt",
    "username": "Bruger",
    "action": "Handling",
    "school_name": "Skole",
    "school": "Skolenr.",
    "target": "Hvad",
    "detail": "Detaljer",
}
entries = entries.with_columns(pl.col("detail").map_elements(readable, return_dtype=pl.String, skip_nulls=False))
tables.dataframe(
    entries.rename(headings),
    hide_index=True,
    width="stretch",
    column_config={"Tidspunkt": st.column_config.DatetimeColumn(format="DD.MM.YYYY HH:mm:ss")},
)
