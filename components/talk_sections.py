"""The parts of the Samtale & referat screen: preparing the talk, the agenda with its formal
checklist, agreements, the minutes editor with versions, exports and the data package."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from datetime import date

import pandas as pd
import polars as pl
import streamlit as st

from components import charts, data_package, documents, minutes, on_open, plain, tables, upload_gate
from components.editing import as_pandas, data_editor, trusted_keys
from components.formatting import DATE_PLACEHOLDER, danish_date, date_text, parse_date
from components.screen import guarded
from components.session import audit_export, current_user
from queries import efforts, talks
from queries.runner import QueryError, Runner, Scope

KIND_LABELS = {
    "velkomst": "Velkomst",
    "opfølgning": "Opfølgning",
    "skolens fokus": "Skolens fokus",
    "kommunens tema": "Kommunens tema",
    "data": "Data",
    "test": "Testresultater",
    "evaluering": "Evaluering",
    "pause": "Pause",
    "andet": "Andet",
}


@guarded
def prepare_form(runner: Runner, scope: Scope, username: str, school: dict, year: str) -> None:
    with st.form("prepare_talk"):
        st.markdown(
            f"Der er ingen samtale for {year} endnu. Forbered den ud fra en skabelon: første punkt "
            "udfyldes med sidste års aftaler og deres status, og de åbne aftaler føres med over."
        )
        left, middle, right = st.columns(3)
        typed_date = left.text_input("Dato (dd.mm.åååå)", value=date_text(date.today()), placeholder=DATE_PLACEHOLDER)
        place = middle.text_input("Sted", value=school["name"])
        template = right.selectbox(
            "Skabelon",
            list(talks.templates()),
            format_func=lambda k: talks.templates()[k]["name"],
            placeholder="Vælg en mulighed",
        )
        if st.form_submit_button("Forbered samtalen", type="primary"):
            try:
                talk_date = parse_date(typed_date)
            except ValueError as problem:
                st.error(f"Samtalen er ikke oprettet. Dato: {plain.md(problem)}")
                return
            if talk_date is None:
                st.error("Samtalen er ikke oprettet. Skriv samtalens dato (dd.mm.åååå).")
                return
            try:
                talks.create_talk(runner, scope, username, school["institution_no"], year, talk_date, place, template)
            except QueryError as refusal:
                st.error(str(refusal))
                return
            st.rerun()


SCREEN_CHOICES = ["", "overblik", "trivsel", "fravaer", "faglighed", "deltagelse", "leaps"]


@guarded
def agenda(runner: Runner, scope: Scope, username: str, school: str, talk: dict) -> pl.DataFrame:
    """The agenda as an editable table (time slot, title, kind, screen shown, questions)."""
    items = runner.run("talk_agenda", scope, school=school, talk_id=talk["talk_id"])
    view = as_pandas(
        items.select(
            "item_id",
            pl.col("starts_at").cast(pl.String).str.slice(0, 5).alias("Fra"),
            pl.col("ends_at").cast(pl.String).str.slice(0, 5).alias("Til"),
            pl.col("title").alias("Punkt"),
            pl.col("kind").alias("Type"),
            pl.col("screen").fill_null("").alias("Skærm"),
            pl.col("questions").fill_null("").alias("Spørgsmål"),
            pl.col("note").fill_null("").alias("Noter"),
        )
    )
    config = {
        "item_id": None,
        "Fra": st.column_config.TextColumn(help="tt:mm"),
        "Til": st.column_config.TextColumn(help="tt:mm"),
        "Type": st.column_config.SelectboxColumn(options=list(KIND_LABELS)),
        "Skærm": st.column_config.SelectboxColumn(options=SCREEN_CHOICES, help="Skærmen hvis tal vises"),
        "Spørgsmål": st.column_config.TextColumn(width="large"),
        "Noter": st.column_config.TextColumn(disabled=True, help="Skrives i præsentationen"),
    }
    edited = data_editor(view, column_config=config, hide_index=True, width="stretch", key=f"agenda_{talk['talk_id']}")
    if st.button("Gem dagsorden"):
        edited = trusted_keys(view, edited, ("item_id",))
        changed = [
            r for r, before in zip(edited.to_dict("records"), view.to_dict("records"), strict=True) if r != before
        ]
        time = re.compile(r"[0-2]\d:[0-5]\d")
        bad = [
            r["Punkt"]
            for r in changed
            if not all(time.fullmatch(r[k] or "") for k in ("Fra", "Til")) or r["Fra"] >= r["Til"]
        ]
        if bad:
            st.error(
                "Intet er gemt: tidspunkter skrives tt:mm, og et punkt skal slutte efter det starter "
                f"({plain.md(', '.join(bad))})."
            )
        else:
            try:
                runner.write(
                    "update_agenda_item",
                    scope,
                    username,
                    [
                        {
                            "school": school,
                            "item_id": r["item_id"],
                            "starts_at": r["Fra"],
                            "ends_at": r["Til"],
                            "title": r["Punkt"],
                            "kind": r["Type"],
                            "screen": r["Skærm"] or None,
                            "questions": r["Spørgsmål"] or None,
                        }
                        for r in changed
                    ],
                )
            except QueryError as refusal:
                st.error(str(refusal))
            else:
                st.success(f"{len(changed)} punkter er gemt.")
    return items


@guarded
def previous_agreements(runner: Runner, scope: Scope, school: str, year: str) -> None:
    """The statutory follow-up: last talk's agreements with their status."""
    previous = talks.previous_talk(runner, scope, school, year)
    if previous is None:
        st.info("Ingen tidligere samtale at følge op på.")
        return
    rows = runner.run("talk_agreements", scope, school=school, talk_id=previous["talk_id"])
    st.markdown(f"Fra samtalen {danish_date(previous['talk_date'])}:")
    tables.dataframe(
        rows.select(
            pl.col("text").alias("Aftale"), pl.col("owner").alias("Ansvarlig"), pl.col("status").alias("Status")
        ),
        hide_index=True,
        width="stretch",
    )


@guarded
def participants(runner: Runner, scope: Scope, username: str, school: str, talk: dict) -> pl.DataFrame:
    people = runner.run("talk_participants", scope, school=school, talk_id=talk["talk_id"])
    if len(people):
        tables.dataframe(
            people.select(
                pl.col("name").alias("Navn"),
                pl.col("role").replace_strict(talks.ROLES, default=pl.col("role")).alias("Rolle"),
            ),
            hide_index=True,
            width="stretch",
        )
    with st.form("add_participant", clear_on_submit=True):
        left, right = st.columns(2)
        name = left.text_input("Navn")
        role = right.selectbox("Rolle", list(talks.ROLES), format_func=talks.ROLES.get, placeholder="Vælg en mulighed")
        if st.form_submit_button("Tilføj deltager") and name.strip():
            try:
                runner.write(
                    "insert_participant",
                    scope,
                    username,
                    [{"school": school, "talk_id": talk["talk_id"], "name": name.strip(), "role": role}],
                )
            except QueryError as refusal:
                st.error(str(refusal))
            else:
                st.rerun()
    return people


def checklist(items: pl.DataFrame, people: pl.DataFrame, agreements: pl.DataFrame, has_previous: bool) -> None:
    for requirement, met, how in talks.checklist(items, people, agreements, has_previous):
        mark = ":blue[**✓ opfyldt**]" if met else ":orange[**✗ mangler**]"
        st.markdown(f"{mark} · **{requirement}** — {how}")


@guarded
def talk_agreements(runner: Runner, scope: Scope, school: str, talk: dict) -> pl.DataFrame:
    """This talk's agreements as data (the agenda's checklist needs them; the editor is in its own tab)."""
    return runner.run("talk_agreements", scope, school=school, talk_id=talk["talk_id"])


@guarded
def agreements_editor(runner: Runner, scope: Scope, username: str, school: str, talk: dict) -> pl.DataFrame:
    rows = runner.run("talk_agreements", scope, school=school, talk_id=talk["talk_id"])
    view = as_pandas(rows.select("agreement_id", "text", "owner", "deadline", "status", "carried_from"))
    config = {
        "agreement_id": None,
        "carried_from": st.column_config.TextColumn("Følger op på", disabled=True),
        "text": st.column_config.TextColumn("Aftale", width="large"),
        "owner": st.column_config.TextColumn("Ansvarlig"),
        "deadline": st.column_config.DateColumn("Frist", format="DD.MM.YYYY"),
        "status": st.column_config.SelectboxColumn("Status", options=talks.AGREEMENT_STATUSES),
    }
    # No column is `required`: the browser would then keep an incomplete new row back without a word
    # (and in English) while the save reported the others as saved. Every row reaches the check below,
    # which refuses in Danish or fills in the default status.
    edited = data_editor(
        view,
        column_config=config,
        hide_index=True,
        width="stretch",
        num_rows="dynamic",
        key=f"agreements_{talk['talk_id']}",
    )
    if st.button("Gem aftaler", type="primary"):
        batch = []
        edited = trusted_keys(view, edited, ("agreement_id", "carried_from"))
        for i, row in enumerate(edited.to_dict("records")):
            row = {k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in row.items()}
            if not (row.get("text") or "").strip() or not (row.get("owner") or "").strip():
                st.error("Intet er gemt: hver aftale skal have en tekst og en ansvarlig.")
                return rows
            deadline = row["deadline"].date() if isinstance(row.get("deadline"), pd.Timestamp) else row.get("deadline")
            batch.append(
                {
                    "school": school,
                    "talk_id": talk["talk_id"],
                    "agreement_id": row.get("agreement_id") or f"{talk['talk_id']}-A{len(view) + i + 1}",
                    "text": row["text"].strip(),
                    "owner": row["owner"].strip(),
                    "deadline": deadline,
                    "status": row.get("status") or "ikke startet",
                    "carried_from": row.get("carried_from"),
                    "username": username,
                }
            )
        try:
            runner.write("upsert_agreement", scope, username, batch)
        except QueryError as refusal:
            st.error(str(refusal))
        else:
            st.success(f"{len(batch)} aftaler er gemt.")
    return rows


def trend_image(runner: Runner, scope: Scope, school: str, years: list[str]) -> bytes:
    """The well-being trend as a PNG for the documents (print size, see documents.chart_png)."""
    rows = data_package.trend_frames(runner, scope, school, years)["trivsel"]
    aimed = data_package.chart_efforts(efforts.load(runner, scope, school)).get("trivsel")
    return documents.chart_png(charts.trend(rows, "Gennemsnit", "Generel trivsel (1–5)", 2, efforts=aimed))


STALE = (
    "Referatet er ændret af en anden, siden du åbnede det. Din tekst er ikke gemt: kopier den, genindlæs "
    "siden og flet ændringerne."
)


def _md(text: str) -> str:
    """User text shown through st.markdown: escaped, so it is never Markdown, HTML or a directive."""
    return documents.markdown_escape(text, streamlit=True)


KEPT_ROWS = "minutes_rows_kept"  # a table section's rows as edited, kept while its tab is closed


def _kept_table(section: minutes.Section, key: str) -> list[list]:
    """The rows a table section's editor starts from: as saved, or as edited before its tab was
    closed. A data editor cannot keep its state while it is not built (persist_state is not offered
    on it), so its rows are copied to a key of their own; the base of a mounted editor stays the same
    from run to run, or its edits would be applied to another table."""
    kept = st.session_state.setdefault(KEPT_ROWS, {})
    bases = st.session_state.setdefault(f"{KEPT_ROWS}_base", {})
    if key not in st.session_state or key not in bases:  # built on this run, not on the last one
        bases[key] = kept.get(key, section.rows)
    return bases[key]


def _section_editor(section: minutes.Section, key: str, figures: Callable[[], None] | None = None) -> minutes.Section:
    """One section: its heading, text or table, and whether it is in the public version, with the
    figures of its agenda item beside it (the screen the item shows), built when they are opened.
    A confidential section has no choice: it is internal. What is typed and not saved is kept while
    another tab is open (`persist_state="page"`)."""
    with st.container(border=True):
        top, side = st.columns([3, 1])
        if section.group:
            top.markdown(f"**{_md(section.group)}** · {_md(section.heading)}")
            heading = section.heading
        else:
            heading = top.text_input("Overskrift", section.heading, key=f"{key}_h", max_chars=300, persist_state="page")
        # Said as text, not as a tooltip: Streamlit names a tooltip's icon "Help for …" in English.
        if section.confidential:
            side.markdown(f":orange[**{minutes.CONFIDENTIAL_LABEL}**]")
            side.caption(minutes.CONFIDENTIAL_WHY)
            public = False
        else:
            public = side.toggle("Offentlig", value=section.public, key=f"{key}_p", persist_state="page")
            side.caption("Med i den offentlige udgave til hjemmesiden")
        text = section.text
        if section.text or not section.rows:
            text = st.text_area(
                "Tekst",
                section.text,
                key=f"{key}_t",
                max_chars=20000,
                height=max(100, 26 * (section.text.count("\n") + 2)),
                persist_state="page",
            )
        rows = section.rows
        if section.rows:
            base = _kept_table(section, f"{key}_r")
            header, body = base[0], base[1:]
            frame = pd.DataFrame([[str(c) for c in r] for r in body], columns=header, dtype="string")
            edited = data_editor(frame, key=f"{key}_r", hide_index=True, width="stretch", num_rows="fixed")
            rows = [header, *[["" if pd.isna(v) else str(v) for v in r] for r in edited.itertuples(index=False)]]
            st.session_state[KEPT_ROWS][f"{key}_r"] = rows
        if section.image:
            st.caption(f"Figur: {section.caption} (dannes, når referatet hentes)")
        if figures is not None and (box := on_open.expander("Tallene til punktet", key)) is not None:
            with box:
                try:
                    figures()
                except QueryError as problem:
                    st.error(f"Tallene kunne ikke vises: {plain.md(problem)}")
    return dataclasses.replace(section, heading=heading, text=text, public=public, rows=rows)


def _item_figures(runner: Runner, scope: Scope, school: str, talk: dict) -> dict[str, Callable[[], None]]:
    """Section key -> drawing the figures of the agenda item it came from (items that show a screen)."""
    from components import presentation

    agenda = runner.run("talk_agenda", scope, school=school, talk_id=talk["talk_id"])
    out = {}
    for item in agenda.filter(pl.col("screen").is_not_null()).iter_rows(named=True):
        draw = functools.partial(presentation.figures_for, runner, scope, school, talk["school_year"], item["screen"])
        out[f"punkt-{item['item_id']}"] = out[f"række-{item['item_id']}"] = draw
    return out


@guarded
def minutes_editor(runner: Runner, scope: Scope, username: str, school: dict, talk: dict, years: list[str]) -> None:
    """The minutes as sections, each internal or public; saved as numbered versions; the public
    version exported only once a leader has approved the newest version."""
    institution, talk_id = school["institution_no"], talk["talk_id"]
    latest = minutes.newest(runner, scope, institution, talk_id)
    base_version = latest["version"] if latest else 0
    key = f"minutes_{talk_id}"
    left, right = st.columns([2, 1])
    styles = list(minutes.STYLES)
    style = right.radio(
        "Skabelon",
        styles,
        key="minutes_style",
        persist_state="page",
        format_func=minutes.STYLES.get,
        index=styles.index(minutes.default_style(school.get("municipality_code"))),
    )
    generation = st.session_state.get(f"{key}_generation", 0)
    if right.button("Lav nyt udkast fra dagsorden, noter og aftaler"):
        generation += 1
        st.session_state[f"{key}_generation"] = generation
        st.session_state[key] = minutes.minutes_draft(runner, scope, school, talk, style)
    if key not in st.session_state:
        st.session_state[key] = (
            latest["sections"] if latest else minutes.minutes_draft(runner, scope, school, talk, style)
        )
    sections: list[minutes.Section] = st.session_state[key]
    if flash := st.session_state.pop(f"{key}_flash", None):
        left.success(flash)
    left.caption(
        f"Gemt version: {base_version or 'ingen endnu'}"
        + (f" af {plain.md(latest['created_by'])}, {danish_date(latest['created_at'].date())}" if latest else "")
        + ". Hvert afsnit er offentligt eller kun internt. Afsnit med resultater fra de nationale test er altid "
        "kun interne (folkeskoleloven § 55 b)."
    )
    # Not a form: a form's typed values reach the server only when it is submitted, so they would be
    # lost when the leader opens another tab (only the open tab is built) and comes back.
    with left:
        figures = _item_figures(runner, scope, institution, talk)
        edited = [_section_editor(s, f"{key}_{generation}_{i}", figures.get(s.key)) for i, s in enumerate(sections)]
        save = st.button("Gem version", type="primary")
    if save:
        try:
            version = minutes.save_version(runner, scope, username, institution, talk_id, base_version, edited)
        except QueryError:
            st.error(STALE)
        else:
            st.session_state[key] = edited
            st.session_state[f"{key}_flash"] = (
                f"Version {version} er gemt (intern og offentlig udgave). Den "
                "offentlige udgave skal godkendes af en leder, før den kan hentes."
            )
            st.rerun()
    with right:
        approval(runner, scope, username, institution, talk_id, latest, sections)
    images = lambda: {minutes.TREND_IMAGE: trend_image(runner, scope, institution, years)}  # noqa: E731
    with left:
        exports(runner, scope, school, talk, sections, images)
        municipal_template(runner, scope, school, talk, sections, images)
        with st.expander("Se den offentlige udgave af teksten ovenfor"):
            preview = [
                dataclasses.replace(b, level=b.level + 3) if b.kind == "heading" else b
                for b in minutes.document(sections, public=True)
                if b.kind != "image"
            ]
            st.markdown(documents.to_markdown(preview, streamlit=True))


@guarded
def approval(
    runner: Runner,
    scope: Scope,
    username: str,
    school: str,
    talk_id: str,
    latest: dict | None,
    sections: list[minutes.Section],
) -> None:
    """What stands in the way of the public version, and the leader's approval of it."""
    st.markdown("**Offentlig udgave (til hjemmesiden)**")
    hits = minutes.public_hits(sections)
    if hits:
        st.warning(
            f"{len(hits)} steder i den offentlige tekst ligner fortrolige testresultater eller små "
            "grupper. Ret dem, eller gør afsnittet internt, og gem en ny version:"
        )
        st.markdown("\n".join(f"- **{_md(h.where)}**: {_md(h.message)}" for h in hits))
    if latest is None:
        st.info("Gem referatet som en version; derefter kan en leder godkende den offentlige udgave.")
    elif latest["approved_by"] is not None:
        st.success(
            f"Version {latest['version']} er godkendt til hjemmesiden af {latest['approved_by']}, "
            f"{danish_date(latest['approved_at'].date())} kl. {latest['approved_at']:%H.%M}. "
            "Gemmes en ny version, skal den godkendes igen."
        )
    elif not runner.may_write("approve_minutes_version", scope):
        st.info(f"Version {latest['version']} venter på, at en leder fra skolen godkender den offentlige udgave.")
    elif st.button(
        f"Godkend version {latest['version']} til hjemmesiden",
        type="primary",
        disabled=bool(minutes.public_hits(latest["sections"])),
    ):
        try:
            minutes.approve(runner, scope, username, school, talk_id, latest["version"])
        except QueryError as refusal:
            st.error(str(refusal))
        else:
            st.session_state[f"minutes_{talk_id}_flash"] = f"Version {latest['version']} er godkendt til hjemmesiden."
            st.rerun()


FORMATS = [
    ("Word", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("PDF", "pdf", "application/pdf"),
    ("HTML", "html", "text/html"),
    ("Markdown", "md", "text/markdown"),
]


def renderings(blocks: list[documents.Block], images, title: str, meta: documents.Meta | None = None) -> dict:
    """Each format as a callable, so a file is only made when it is downloaded."""
    return {
        "docx": lambda: documents.to_docx(blocks, images(), meta),
        "pdf": lambda: documents.to_pdf(blocks, images(), meta),
        "html": lambda: documents.to_html(blocks, images(), title),
        "md": lambda: documents.to_markdown(blocks).encode("utf-8"),
    }


@guarded
def exports(runner: Runner, scope: Scope, school: dict, talk: dict, sections: list[minutes.Section], images) -> None:
    """The internal minutes (as on the screen) and the public one (the approved newest version) in
    every format; each download is audited."""
    st.markdown("**Hent referatet**")
    base = f"referat_{school['name'].replace(' ', '_')}_{talk['school_year'].replace('/', '-')}"
    title = f"Referat, {school['name']}"
    choices = [("Intern", "intern", minutes.document(sections, public=False))]
    try:
        latest, public = minutes.approved_public(runner, scope, school["institution_no"], talk["talk_id"])
    except QueryError as refusal:
        st.caption(f"Offentlig (til hjemmesiden): {refusal}")
    else:
        choices.append((f"Offentlig, version {latest['version']} (til hjemmesiden)", "offentlig", public))
    for label, suffix, blocks in choices:
        meta = documents.Meta(
            title=f"Referat af skoleudviklingssamtalen {talk['school_year']}",
            school=school["name"],
            date=danish_date(talk["talk_date"]),
            confidential=suffix == "intern",
        )
        rendered = renderings(blocks, images, title, meta)
        cols = st.columns(len(FORMATS) + 1)
        cols[0].markdown(f"{label}:")
        for col, (name, ext, mime) in zip(cols[1:], FORMATS, strict=True):
            file_name = f"{base}_{suffix}.{ext}"
            col.download_button(
                name,
                rendered[ext],
                file_name,
                mime=mime,
                key=f"{ext}_{suffix}",
                on_click=audit_export,
                args=(file_name,),
            )


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@guarded
def agenda_downloads(runner: Runner, scope: Scope, school: dict, talk: dict) -> None:
    """The invitation with the agenda as Word and PDF, made when it is downloaded (a callable, so
    the buttons stay after a download)."""
    from components import agenda_document

    blocks = lambda: agenda_document.agenda_document(runner, scope, school, talk)  # noqa: E731
    meta = agenda_document.meta(school, talk)
    stem = f"dagsorden_{data_package.safe_name(school['name'])}_{talk['school_year'].replace('/', '-')}"
    st.markdown(
        "**Hent dagsordenen** (invitationen med tid, sted, deltagere, punkter, spørgsmål og sidste års aftaler)"
    )
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(
        "Word",
        lambda: documents.to_docx(blocks(), {}, meta),
        f"{stem}.docx",
        mime=DOCX_MIME,
        key="agenda_docx",
        on_click=audit_export,
        args=(f"{stem}.docx",),
        icon=":material/download:",
    )
    right.download_button(
        "PDF",
        lambda: documents.to_pdf(blocks(), {}, meta),
        f"{stem}.pdf",
        mime="application/pdf",
        key="agenda_pdf",
        on_click=audit_export,
        args=(f"{stem}.pdf",),
        icon=":material/download:",
    )


@guarded
def package_downloads(runner: Runner, scope: Scope, role: str, school: dict, year: str) -> None:
    """The data package for the school (Word, PDF) and, for the municipality, every school at once
    (a zip). Built when downloaded, so the buttons stay after a download; internal only."""
    st.markdown(
        "Forvaltningens datapakke til skolen før samtalen: nøgletal mod kommunen og landet med "
        "ændringen siden sidste år og om den er større end usikkerheden, udviklingen over årene, "
        "deltagelse, LEAPS og refleksionsspørgsmål pr. tema. "
        ":orange[**Fortroligt – kun til intern brug**] (indeholder resultater fra de nationale test)."
    )
    package = lambda: data_package.build(runner, scope, school, year)  # noqa: E731
    stem = f"datapakke_{data_package.safe_name(school['name'])}_{year.replace('/', '-')}"
    cols = st.columns([1, 1, 2, 1])
    cols[0].download_button(
        "Word",
        lambda: package().docx(),
        f"{stem}.docx",
        mime=DOCX_MIME,
        key="package_docx",
        on_click=audit_export,
        args=(f"{stem}.docx",),
        icon=":material/download:",
    )
    cols[1].download_button(
        "PDF",
        lambda: package().pdf(),
        f"{stem}.pdf",
        mime="application/pdf",
        key="package_pdf",
        on_click=audit_export,
        args=(f"{stem}.pdf",),
        icon=":material/download:",
    )
    if role in ("kommune", "admin"):
        schools = runner.run("schools", scope).to_dicts()
        name = f"datapakker_{len(schools)}_skoler_{year.replace('/', '-')}.zip"
        cols[2].download_button(
            f"Alle {len(schools)} skoler (zip med Word og PDF)",
            lambda: data_package.municipality_zip(runner, scope, schools, year),
            name,
            mime="application/zip",
            key="package_zip",
            on_click=audit_export,
            args=(name,),
            icon=":material/folder_zip:",
        )
    if st.toggle("Vis datapakkens tal her", key="package_preview"):
        preview = data_package.build(runner, scope, school, year, with_charts=False).blocks
        preview = [
            dataclasses.replace(b, level=b.level + 2) if b.kind == "heading" else b
            for b in preview
            if b.kind != "image"
        ]
        st.markdown(documents.to_markdown(preview, streamlit=True))


@guarded
def municipal_template(
    runner: Runner, scope: Scope, school: dict, talk: dict, sections: list[minutes.Section], images
) -> None:
    """The agenda and the minutes in the municipality's own Word template (docs/word-skabeloner.md).
    The template is checked when uploaded; it lives in this session only."""
    from components import agenda_document, word_templates

    with st.expander("Kommunens egen Word-skabelon (brevhoved, logo, egne typografier)"):
        st.caption(
            "Vælg kommunens .docx med pladsholdere som {{ skole }}, {{ dato }} og {% for a in afsnit %}; "
            "listen står i docs/word-skabeloner.md."
        )
        # The leader's own upload, up to the template's limit; no type= (Streamlit's browser code would
        # refuse another type in English): word_templates refuses it in Danish.
        user = current_user()
        if user is None:
            return
        upload_gate.allow_this_session(user.username, word_templates.MAX_BYTES)
        upload = st.file_uploader(
            "Skabelon (.docx)", key="municipal_template", max_upload_size=upload_gate.browser_limit_mb()
        )
        if upload is None:
            return
        try:
            word_templates.check_size(upload.name, upload_gate.size_of(upload))
            used = word_templates.check(upload.getvalue())
        except word_templates.TemplateError as problem:
            st.error(plain.md(str(problem)))
            return
        data = upload.getvalue()
        st.caption("Skabelonen bruger: " + (", ".join(used) or "ingen pladsholdere"))
        stem = f"{data_package.safe_name(school['name'])}_{talk['school_year'].replace('/', '-')}"
        agenda_meta = agenda_document.meta(school, talk)
        minutes_meta = documents.Meta(
            title=f"Referat af skoleudviklingssamtalen {talk['school_year']}",
            school=school["name"],
            date=danish_date(talk["talk_date"]),
        )
        choices = [
            (
                "Dagsorden",
                f"dagsorden_{stem}_skabelon.docx",
                agenda_meta,
                lambda: agenda_document.agenda_document(runner, scope, school, talk),
                dict,
            ),
            (
                "Referat, intern",
                f"referat_{stem}_intern_skabelon.docx",
                minutes_meta,
                lambda: minutes.document(sections, public=False),
                images,
            ),
        ]
        try:
            _, public = minutes.approved_public(runner, scope, school["institution_no"], talk["talk_id"])
        except QueryError:
            st.caption("Den offentlige udgave kan dannes i skabelonen, når en leder har godkendt den.")
        else:
            choices.append(
                ("Referat, offentlig", f"referat_{stem}_offentlig_skabelon.docx", minutes_meta, lambda: public, images)
            )
        cols = st.columns(len(choices))
        for col, (label, name, meta, blocks, pictures) in zip(cols, choices, strict=True):
            col.download_button(
                label,
                lambda b=blocks, m=meta, p=pictures: word_templates.render(
                    data, runner, scope, school, talk, m, b(), p()
                ),
                name,
                mime=DOCX_MIME,
                key=f"template_{name}",
                on_click=audit_export,
                args=(name,),
                icon=":material/download:",
            )
