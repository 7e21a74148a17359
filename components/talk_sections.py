"""The parts of the Samtale & referat screen: preparing the talk, the agenda with its formal
checklist, agreements, the minutes editor with versions, exports and the data package."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
import polars as pl
import streamlit as st

from components import charts, documents, minutes, plain
from components.formatting import danish_date
from components.session import audit_export
from data.reference import settings
from queries import talks
from queries.runner import QueryError, Runner, Scope

KIND_LABELS = {"velkomst": "Velkomst", "opfølgning": "Opfølgning", "skolens fokus": "Skolens fokus",
               "kommunens tema": "Kommunens tema", "data": "Data", "test": "Testresultater",
               "evaluering": "Evaluering", "pause": "Pause", "andet": "Andet"}


def prepare_form(runner: Runner, scope: Scope, username: str, school: dict, year: str) -> None:
    with st.form("prepare_talk"):
        st.markdown(f"Der er ingen samtale for {year} endnu. Forbered den ud fra en skabelon: første punkt "
                    "udfyldes med sidste års aftaler og deres status, og de åbne aftaler føres med over.")
        left, middle, right = st.columns(3)
        talk_date = left.date_input("Dato", value=date.today(), format="DD.MM.YYYY")
        place = middle.text_input("Sted", value=school["name"])
        template = right.selectbox("Skabelon", list(talks.templates()),
                                   format_func=lambda k: talks.templates()[k]["name"])
        if st.form_submit_button("Forbered samtalen", type="primary"):
            try:
                talks.create_talk(runner, scope, username, school["institution_no"], year, talk_date, place, template)
            except QueryError as refusal:
                st.error(str(refusal))
                return
            st.rerun()


SCREEN_CHOICES = ["", "overblik", "trivsel", "fravaer", "faglighed", "deltagelse", "leaps"]


def agenda(runner: Runner, scope: Scope, username: str, school: str, talk: dict) -> pl.DataFrame:
    """The agenda as an editable table (time slot, title, kind, screen shown, questions)."""
    items = runner.run("talk_agenda", scope, school=school, talk_id=talk["talk_id"])
    view = items.select(
        "item_id", pl.col("starts_at").cast(pl.String).str.slice(0, 5).alias("Fra"),
        pl.col("ends_at").cast(pl.String).str.slice(0, 5).alias("Til"), pl.col("title").alias("Punkt"),
        pl.col("kind").alias("Type"), pl.col("screen").fill_null("").alias("Skærm"),
        pl.col("questions").fill_null("").alias("Spørgsmål"), pl.col("note").fill_null("").alias("Noter")).to_pandas()
    config = {"item_id": None, "Fra": st.column_config.TextColumn(help="tt:mm"),
              "Til": st.column_config.TextColumn(help="tt:mm"),
              "Type": st.column_config.SelectboxColumn(options=list(KIND_LABELS)),
              "Skærm": st.column_config.SelectboxColumn(options=SCREEN_CHOICES, help="Skærmen hvis tal vises"),
              "Spørgsmål": st.column_config.TextColumn(width="large"),
              "Noter": st.column_config.TextColumn(disabled=True, help="Skrives i præsentationen")}
    edited = st.data_editor(view, column_config=config, hide_index=True, width="stretch",
                            key=f"agenda_{talk['talk_id']}")
    if st.button("Gem dagsorden"):
        changed = [r for r, before in zip(edited.to_dict("records"), view.to_dict("records"), strict=True)
                   if r != before]
        time = re.compile(r"[0-2]\d:[0-5]\d")
        bad = [r["Punkt"] for r in changed
               if not all(time.fullmatch(r[k] or "") for k in ("Fra", "Til")) or r["Fra"] >= r["Til"]]
        if bad:
            st.error("Intet er gemt: tidspunkter skrives tt:mm, og et punkt skal slutte efter det starter "
                     f"({plain.md(', '.join(bad))}).")
        else:
            try:
                runner.write("update_agenda_item", scope, username, [
                    {"school": school, "item_id": r["item_id"], "starts_at": r["Fra"], "ends_at": r["Til"],
                     "title": r["Punkt"], "kind": r["Type"], "screen": r["Skærm"] or None,
                     "questions": r["Spørgsmål"] or None} for r in changed])
            except QueryError as refusal:
                st.error(str(refusal))
            else:
                st.success(f"{len(changed)} punkter er gemt.")
    return items


def previous_agreements(runner: Runner, scope: Scope, school: str, year: str) -> None:
    """The statutory follow-up: last talk's agreements with their status."""
    previous = talks.previous_talk(runner, scope, school, year)
    if previous is None:
        st.info("Ingen tidligere samtale at følge op på.")
        return
    rows = runner.run("talk_agreements", scope, school=school, talk_id=previous["talk_id"])
    st.markdown(f"Fra samtalen {danish_date(previous['talk_date'])}:")
    st.dataframe(rows.select(pl.col("text").alias("Aftale"), pl.col("owner").alias("Ansvarlig"),
                             pl.col("status").alias("Status")).to_pandas(), hide_index=True, width="stretch")


def participants(runner: Runner, scope: Scope, username: str, school: str, talk: dict) -> pl.DataFrame:
    people = runner.run("talk_participants", scope, school=school, talk_id=talk["talk_id"])
    if len(people):
        st.dataframe(people.select(pl.col("name").alias("Navn"), pl.col("role").replace_strict(
            talks.ROLES, default=pl.col("role")).alias("Rolle")).to_pandas(), hide_index=True, width="stretch")
    with st.form("add_participant", clear_on_submit=True):
        left, right = st.columns(2)
        name = left.text_input("Navn")
        role = right.selectbox("Rolle", list(talks.ROLES), format_func=talks.ROLES.get)
        if st.form_submit_button("Tilføj deltager") and name.strip():
            try:
                runner.write("insert_participant", scope, username,
                             [{"school": school, "talk_id": talk["talk_id"], "name": name.strip(), "role": role}])
            except QueryError as refusal:
                st.error(str(refusal))
            else:
                st.rerun()
    return people


def checklist(items: pl.DataFrame, people: pl.DataFrame, agreements: pl.DataFrame, has_previous: bool) -> None:
    for requirement, met, how in talks.checklist(items, people, agreements, has_previous):
        mark = ":blue[**✓ opfyldt**]" if met else ":orange[**✗ mangler**]"
        st.markdown(f"{mark} · **{requirement}** — {how}")


def agreements_editor(runner: Runner, scope: Scope, username: str, school: str, talk: dict) -> pl.DataFrame:
    rows = runner.run("talk_agreements", scope, school=school, talk_id=talk["talk_id"])
    view = rows.select("agreement_id", "text", "owner", "deadline", "status", "carried_from").to_pandas()
    config = {"agreement_id": None, "carried_from": st.column_config.TextColumn("Følger op på", disabled=True),
              "text": st.column_config.TextColumn("Aftale", width="large", required=True),
              "owner": st.column_config.TextColumn("Ansvarlig", required=True),
              "deadline": st.column_config.DateColumn("Frist", format="DD.MM.YYYY"),
              "status": st.column_config.SelectboxColumn("Status", options=talks.AGREEMENT_STATUSES, required=True)}
    edited = st.data_editor(view, column_config=config, hide_index=True, width="stretch", num_rows="dynamic",
                            key=f"agreements_{talk['talk_id']}")
    if st.button("Gem aftaler", type="primary"):
        batch = []
        for i, row in enumerate(edited.to_dict("records")):
            row = {k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in row.items()}
            if not (row.get("text") or "").strip() or not (row.get("owner") or "").strip():
                st.error("Intet er gemt: hver aftale skal have en tekst og en ansvarlig.")
                return rows
            deadline = row["deadline"].date() if isinstance(row.get("deadline"), pd.Timestamp) else row.get("deadline")
            batch.append({"school": school, "talk_id": talk["talk_id"],
                          "agreement_id": row.get("agreement_id") or f"{talk['talk_id']}-A{len(view) + i + 1}",
                          "text": row["text"].strip(), "owner": row["owner"].strip(), "deadline": deadline,
                          "status": row.get("status") or "ikke startet", "carried_from": row.get("carried_from"),
                          "username": username})
        try:
            runner.write("upsert_agreement", scope, username, batch)
        except QueryError as refusal:
            st.error(str(refusal))
        else:
            st.success(f"{len(batch)} aftaler er gemt.")
    return rows


def trend_image(runner: Runner, scope: Scope, school: str, years: list[str]) -> bytes:
    """The well-being trend as a PNG for the documents."""
    frame = runner.run("wellbeing_indicators_school_and_municipality", scope, school=school, years=years,
                       high_above=settings()["wellbeing"]["high_wellbeing_above"], grade_from=4, grade_to=9,
                       gender="alle")
    rows = frame.filter(pl.col("indicator") == "generel").with_columns(
        pl.col("level").replace_strict({"skole": "Skolen", "kommune": "Kommunen"}).alias("Serie")).select(
        "Serie", pl.col("school_year").alias("Skoleår"), pl.col("mean").alias("Gennemsnit")).sort("Skoleår")
    return documents.chart_png(charts.trend(rows, "Gennemsnit", "Generel trivsel (1–5)", 2, height=260))


def minutes_editor(runner: Runner, scope: Scope, username: str, school: dict, talk: dict, years: list[str]) -> None:
    versions = runner.run("talk_minutes_versions", scope, school=school["institution_no"], talk_id=talk["talk_id"])
    latest = versions.filter(~pl.col("public")).head(1)
    base_version = int(latest["version"][0]) if len(latest) else 0
    key = f"minutes_{talk['talk_id']}"
    left, right = st.columns([2, 1])
    styles = {"notat": "Klassisk notat", "tre-kolonner": "Fokusområde – situation – handlinger"}
    style = right.radio("Skabelon", list(styles), key="minutes_style", format_func=styles.get)
    if right.button("Lav nyt udkast fra dagsorden, noter og aftaler"):
        st.session_state[key] = minutes.minutes_draft(runner, scope, school, talk, style)
    if key not in st.session_state:
        st.session_state[key] = latest["body_md"][0] if len(latest) else minutes.minutes_draft(
            runner, scope, school, talk, style)
    left.caption(f"Gemt version: {base_version or 'ingen endnu'}"
                 + (f" af {plain.md(latest['created_by'][0])}, {danish_date(latest['created_at'][0].date())}"
                    if len(latest) else "")
                 + ". Passager mellem <!-- fortroligt --> og <!-- /fortroligt --> kommer ikke med i den "
                 "offentlige udgave.")
    text = left.text_area("Referat (Markdown)", key=key, height=520)
    if right.button("Gem version", type="primary"):
        try:
            runner.write("save_minutes_version", scope, username, [{
                "school": school["institution_no"], "talk_id": talk["talk_id"], "base_version": base_version,
                "body_internal": text, "body_public": talks.public_version(text), "username": username}])
        except QueryError:
            st.error("Referatet er ændret af en anden, siden du åbnede det. Din tekst er ikke gemt: kopier den, "
                     "genindlæs siden og flet ændringerne.")
        else:
            st.success(f"Version {base_version + 1} er gemt (intern og offentlig udgave).")
    exports(text, school, talk, {"figur-trivsel.png": trend_image(runner, scope, school["institution_no"], years)})


FORMATS = [("Word", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
           ("PDF", "pdf", "application/pdf"), ("HTML", "html", "text/html"), ("Markdown", "md", "text/markdown")]


def exports(text: str, school: dict, talk: dict, images: dict[str, bytes]) -> None:
    """Internal and public minutes in every format; each download is audited."""
    st.markdown("**Hent referatet**")
    base = f"referat_{school['name'].replace(' ', '_')}_{talk['school_year'].replace('/', '-')}"
    for label, body, suffix in (("Intern", text, "intern"),
                                ("Offentlig (til hjemmesiden)", talks.public_version(text), "offentlig")):
        rendered = {"docx": lambda b=body: documents.to_docx(b, images),
                    "pdf": lambda b=body: documents.to_pdf(b, images),
                    "html": lambda b=body: documents.to_html(b, images, f"Referat, {school['name']}"),
                    "md": lambda b=body: b.encode("utf-8")}
        cols = st.columns(len(FORMATS) + 1)
        cols[0].markdown(f"{label}:")
        for col, (name, ext, mime) in zip(cols[1:], FORMATS, strict=True):
            file_name = f"{base}_{suffix}.{ext}"
            col.download_button(name, rendered[ext](), file_name, mime=mime, key=f"{ext}_{suffix}",
                                on_click=audit_export, args=(file_name,))
