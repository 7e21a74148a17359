"""The effort register (indsatser) on a school screen: the list, and for the leadership a form to
add an effort and one to change or remove each. What is saved goes through queries.efforts (checks
in Danish, then the runner: scope, owner, audit log)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from components import plain, tables
from components.formatting import DATE_PLACEHOLDER, date_text, parse_date
from components.screen import guarded
from queries import efforts
from queries.runner import Runner, Scope

HELP = (
    "Skolens indsatser, fx en ny samtalemodel, en læseindsats eller starten på LEAPS. Hver indsats "
    "vises som en lodret, navngiven streg på graferne over årene for de indikatorer, den sigter mod, "
    "så det kan ses, hvad der blev prøvet hvornår. Indsatserne står også i datapakken og referatet."
)


def _fields(prefix: str, row: dict | None = None) -> dict:
    row = row or {}
    left, right = st.columns(2)
    name = left.text_input(
        "Navn (står på graferne)", value=row.get("name", ""), max_chars=efforts.NAME_CHARS, key=f"{prefix}_name"
    )
    # Dates as Danish text fields (formatting.parse_date): Streamlit's date field reads "day, month, year"
    # and "Choose date" to a screen reader, and no argument changes that.
    start = right.text_input(
        "Start (dd.mm.åååå)",
        value=date_text(row.get("starts_on", date.today())),
        placeholder=DATE_PLACEHOLDER,
        key=f"{prefix}_start",
    )
    end = right.text_input(
        "Slut (dd.mm.åååå; tom, hvis indsatsen er i gang)",
        value=date_text(row.get("ends_on")),
        placeholder=DATE_PLACEHOLDER,
        key=f"{prefix}_end",
    )
    chosen = left.multiselect(
        "Sigter mod",
        list(efforts.INDICATORS),
        default=list(row.get("indicators") or []),
        format_func=efforts.INDICATORS.get,
        placeholder="Vælg en eller flere indikatorer",
        key=f"{prefix}_indicators",
    )
    description = st.text_area(
        "Beskrivelse", value=row.get("description") or "", key=f"{prefix}_description", height=90
    )
    return {"name": name, "starts_on": start, "ends_on": end, "indicators": chosen, "description": description}


def _read_dates(row: dict) -> list[str]:
    """The typed start and end read as dates in `row`; a date that cannot be read is an error, and nothing is saved."""
    errors = []
    for field, label in (("starts_on", "Start"), ("ends_on", "Slut")):
        try:
            row[field] = parse_date(row[field])
        except ValueError as problem:
            errors.append(f"{label}: {problem}")
    return errors


def _report(errors: list[str], done: str) -> None:
    if errors:
        st.error("Ikke gemt: " + " ".join(plain.md(e) for e in errors))
    else:
        st.session_state["effort_status"] = done
        st.rerun()


@guarded
def register(runner: Runner, scope: Scope, username: str, school: str) -> None:
    st.markdown(HELP)
    frame = efforts.load(runner, scope, school)
    if status := st.session_state.pop("effort_status", None):
        st.success(plain.md(status))
    if frame.is_empty():
        st.info("Skolen har ikke registreret nogen indsatser endnu.")
    else:
        tables.dataframe(efforts.table(frame), hide_index=True, width="stretch")
    if not runner.may_write("insert_effort", scope):
        return
    with st.expander("Tilføj en indsats"), st.form("effort_new", clear_on_submit=False):
        row = _fields("effort_new")
        if st.form_submit_button("Gem indsatsen", type="primary"):
            _report(
                _read_dates(row) or efforts.save(runner, scope, username, school, [row]),
                f"Indsatsen »{row['name'].strip()}« er gemt.",
            )
    for effort in frame.iter_rows(named=True):
        key = f"effort_{effort['effort_id']}"
        with st.expander(f"Ret eller fjern »{plain.md(effort['name'])}«"), st.form(key):
            row = _fields(key, effort) | {"effort_id": effort["effort_id"]}
            save, remove = st.columns(2)
            if save.form_submit_button("Gem ændringer"):
                _report(
                    _read_dates(row) or efforts.save(runner, scope, username, school, [row]),
                    f"Indsatsen »{row['name'].strip()}« er gemt.",
                )
            if remove.form_submit_button("Fjern indsatsen"):
                _report(
                    efforts.save(runner, scope, username, school, [], [effort["effort_id"]]),
                    f"Indsatsen »{effort['name']}« er fjernet.",
                )
