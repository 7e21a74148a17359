"""The parts of the Data screen: upload and check files, confirm the import, the import history
with rollback, and how fresh each source is per school."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from components import exports, plain, tables, upload_gate
from components.formatting import DATE_PLACEHOLDER, danish_date, date_text, number, parse_date
from components.screen import guarded
from components.session import current_user
from data.importers import SOURCES, engine, reading, report
from data.importers.fields import fields
from data.importers.reading import LINE
from queries.runner import QueryError, Runner, Scope

STATUS = {"aktiv": "aktiv", "erstattet": "erstattet af en nyere fil", "rullet tilbage": "rullet tilbage"}
PREVIEW_ROWS = 10
KEPT_PROBLEMS = 10_000  # problems kept between reruns (and in the downloaded report) per file


def _source_title(batch_source: str) -> str:
    """'school-figures/school_wellbeing' -> the source's title."""
    return SOURCES[batch_source.split("/")[0]].TITLE


def source_label(source: str) -> str:
    return f"{SOURCES[source].TITLE} ({source})"


def _prepare(runner: Runner, source: str, upload, retrieved_on: date | None, replacement: bool) -> engine.Prepared:
    """Check one uploaded file; a file over the size limit (kept back by the upload gate) or of another
    type is refused before its bytes are read."""
    try:
        reading.check_size(upload.name, upload_gate.size_of(upload))
        reading.check_type(upload.name)
    except reading.FileRefused as problem:
        return engine.refused(source, upload.name, upload.file_id, str(problem))
    cur = runner.import_cursor()
    try:
        return engine.prepare(cur, source, upload.name, upload.getvalue(), retrieved_on, replacement=replacement)
    finally:
        cur.close()


def _checked(
    runner: Runner, source: str, uploads: list, retrieved_on: date | None, replacement: bool = False
) -> list[engine.Prepared]:
    """Check each uploaded file once (reruns reuse the results until the files or the data change). Only a
    summary is kept in the session (the first rows and problems, and the counts): the file's data is let
    go after the check, and read again when the import is confirmed."""
    version = runner.data_version()
    keys = [(source, upload.file_id, retrieved_on, version, replacement) for upload in uploads]
    cache = {k: v for k, v in st.session_state.get("import_checks", {}).items() if k in keys}
    for key, upload in zip(keys, uploads, strict=True):
        if key not in cache:
            cache[key] = _prepare(runner, source, upload, retrieved_on, replacement).summary(
                PREVIEW_ROWS, KEPT_PROBLEMS
            )
    st.session_state["import_checks"] = cache
    return [cache[k] for k in keys]


def _labels(prepared: engine.Prepared) -> dict[str, str]:
    """Store field -> the file's own spelling is unknown here; show the first known header."""
    return {f.name: f.headers[0] for f in fields(prepared.layout)} if prepared.layout else {}


def _display(column: pl.Series) -> pl.Series:
    """A typed column as the Danish text a reader expects (ja/nej, 31.12.2025, 7,5, empty for missing)."""
    if column.dtype == pl.Boolean:
        return column.replace_strict({True: "ja", False: "nej"}, default=None, return_dtype=pl.String).fill_null("")
    if column.dtype == pl.Date:
        return column.dt.strftime("%d.%m.%Y").fill_null("")
    if column.dtype.is_float():
        return pl.Series(column.name, [number(v, 1) if v is not None else "" for v in column.to_list()])
    if isinstance(column.dtype, pl.List):
        return column.list.join(", ").fill_null("")
    return column.cast(pl.String).fill_null("")


def preview(prepared: engine.Prepared) -> None:
    if prepared.frame.is_empty() or prepared.frame.width <= 1:
        return
    shown = prepared.frame.head(PREVIEW_ROWS).drop(LINE)
    labels = _labels(prepared)
    shown = pl.DataFrame([_display(shown[c]).alias(labels.get(c, c)) for c in shown.columns])
    st.caption(f"De første {min(PREVIEW_ROWS, prepared.rows)} rækker, som Datablik har læst dem:")
    tables.dataframe(shown, hide_index=True, width="stretch")


def problems(prepared: engine.Prepared) -> None:
    if prepared.ok:
        st.success(plain.md(report.summary(prepared)))
        return
    st.error(plain.md(report.summary(prepared)))
    for row in prepared.problems.filter(pl.col("line").is_null()).head(5).iter_rows(named=True):
        st.error(plain.md(report.problem_line(row)))  # a problem with the whole file, said in full
    table = report.table(prepared.problems)
    tables.dataframe(table.head(500), hide_index=True, width="stretch")
    if prepared.problem_count > 500:
        whole = (
            "hent hele rapporten"
            if prepared.problem_count <= table.height
            else f"rapporten til download har de første {number(table.height, 0)}; hele rapporten giver "
            "kommandolinjen: python -m data import --dry-run --rapport FIL"
        )
        st.caption(f"De første 500 af {number(prepared.problem_count, 0)} problemer vises; {whole}.")
    st.download_button(
        "Hent fejlrapporten (CSV)",
        exports.to_csv(table, {}),
        file_name=f"fejlrapport_{prepared.file_name}.csv",
        mime="text/csv",
        key=f"report_{prepared.sha256}",
    )


@guarded
def upload_and_import(runner: Runner, username: str) -> None:
    user = current_user()  # the screen's guard already stopped anyone else; files are never taken without it
    if user is None or user.role != "admin" or user.username != username:
        st.error("Kun en dataansvarlig (admin), der er logget ind, kan importere filer.")
        return
    upload_gate.allow_this_session(username, reading.limits()["max_file_mb"] * 1_000_000)
    source = st.selectbox(
        "Kilde", list(SOURCES), format_func=source_label, key="import_source", placeholder="Vælg en mulighed"
    )
    retrieved_on = None
    if source == "school-figures":
        typed = st.text_input(
            "Hentet fra Uddannelsesstatistik.dk den (dd.mm.åååå)",
            value=date_text(date.today()),
            placeholder=DATE_PLACEHOLDER,
            key="import_retrieved",
        )
        try:
            retrieved_on = parse_date(typed)
        except ValueError as problem:
            st.error(f"Filerne kontrolleres ikke endnu. Hentet: {plain.md(problem)}")
            return
        if retrieved_on is None:
            st.error("Skriv den dag, tallene blev hentet (dd.mm.åååå); ministeriet kræver den i kildeangivelsen.")
            return
    replacement = source == "pupils" and st.checkbox(
        "Erstat elevregistret: elever, der ikke står i filen, fjernes fra filens skoler og skoleår med alle deres "
        "data (kan rulles tilbage)",
        key="import_replace",
    )
    st.caption(f"Filformat og kolonner: docs/import/{source}.md · eksempler: tests/fixtures/import/{source}-*")
    # No type=: Streamlit's browser code would refuse another type in English ("... files are not
    # allowed"); reading.check_type refuses it in Danish. The size limit is the gate's (upload_gate).
    uploads = st.file_uploader(
        "Filer (CSV eller Excel .xlsx)",
        accept_multiple_files=True,
        key=f"import_files_{st.session_state.get('import_round', 0)}",
        max_upload_size=upload_gate.browser_limit_mb(),
    )
    if not uploads:
        return
    with st.spinner("Kontrollerer filerne ..."):
        checked = _checked(runner, source, uploads, retrieved_on, replacement)
    for prepared in checked:
        st.subheader(plain.md(prepared.file_name))
        if prepared.description:
            st.caption(plain.md(" · ".join([prepared.description, *prepared.notes])))
        if prepared.previous is not None:
            st.info(
                f"Filen er allerede importeret (parti {plain.md(prepared.previous['batch_id'])}); "
                "en ny import ændrer intet."
            )
        for warning in prepared.warnings:
            st.warning(warning)
        problems(prepared)
        preview(prepared)
    new = [(p, upload) for p, upload in zip(checked, uploads, strict=True) if p.previous is None]
    if any(not p.ok for p in checked) or not new:
        return
    rows = sum(p.rows for p, _ in new)
    if st.button(f"Importér {number(rows, 0)} rækker", type="primary", key="import_confirm"):
        bar = st.progress(0.0, text="Skriver ...")
        try:
            # The files are read and checked again (the session kept only a summary); any problem now refuses.
            full = [_prepare(runner, source, upload, retrieved_on, replacement) for _, upload in new]
            outcomes = runner.transaction(
                lambda cur: engine.write(
                    cur, full, username, lambda share, text: bar.progress(min(share, 1.0), text=text)
                )
            )
            del full
        except (QueryError, engine.ImportRefused) as problem:
            st.error(plain.md(problem))
            return
        except Exception as problem:  # the transaction is rolled back
            st.error(f"Importen mislykkedes; intet er ændret. Teknisk årsag: {type(problem).__name__}")
            return
        bar.progress(1.0, text="Færdig")
        st.session_state["import_done"] = [o.message for o in outcomes]
        st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
        st.rerun()


@guarded
def history(runner: Runner, scope: Scope, username: str) -> None:
    batches = runner.run("import_batches", scope)
    if batches.is_empty():
        st.info("Der er ikke importeret nogen filer endnu.")
        return
    shown = batches.select(
        pl.col("batch_id").alias("Parti"),
        pl.col("source").map_elements(_source_title, return_dtype=pl.String).alias("Kilde"),
        pl.col("file_name").alias("Fil"),
        pl.col("row_count").alias("Rækker"),
        pl.col("schools").alias("Skoler"),
        pl.col("school_years").fill_null("").alias("Skoleår"),
        pl.col("imported_at").dt.strftime("%d.%m.%Y %H.%M").alias("Importeret"),
        pl.col("imported_by").alias("Af"),
        pl.col("status").replace_strict(STATUS, default=None).alias("Status"),
        pl.col("retrieved_on").dt.strftime("%d.%m.%Y").fill_null("").alias("Hentet"),
    )
    tables.dataframe(shown, hide_index=True, width="stretch")
    active = batches.filter(pl.col("status") != "rullet tilbage").to_dicts()
    if not active:
        return
    with st.expander("Rul et parti tilbage"):
        st.caption(
            "Rækkerne fra partiet fjernes i én transaktion, og de rækker, partiet erstattede eller fjernede, "
            "lægges tilbage. Et parti, som en nyere fil har erstattet, rulles tilbage efter det nyere."
        )
        chosen = st.selectbox(
            "Parti",
            active,
            key="rollback_batch",
            format_func=lambda b: (
                f"{b['batch_id']}: {b['file_name']} ({b['source']}, {number(b['row_count'], 0)} rækker)"
            ),
            placeholder="Vælg en mulighed",
        )
        sure = st.checkbox("Ja, fjern partiets rækker", key="rollback_sure")
        if st.button("Rul tilbage", disabled=not sure, key="rollback_go"):
            try:
                message = runner.transaction(lambda cur: engine.rollback_batch(cur, chosen["batch_id"], username))
            except (QueryError, engine.ImportRefused) as problem:
                st.error(plain.md(problem))
                return
            st.session_state["import_done"] = [message]
            st.rerun()


@guarded
def freshness(runner: Runner, scope: Scope) -> None:
    frame = runner.run("data_freshness", scope)
    if frame.is_empty():
        st.info("Databasen er tom.")
        return
    shown = frame.select(
        pl.col("school_name").alias("Skole"),
        pl.col("source")
        .replace_strict({s: m.TITLE for s, m in SOURCES.items()}, default=pl.col("source"))
        .alias("Kilde"),
        pl.col("newest_year").alias("Nyeste skoleår"),
        pl.col("rows").map_elements(lambda n: number(n, 0), return_dtype=pl.String).alias("Rækker"),
        pl.col("last_import")
        .dt.strftime("%d.%m.%Y %H.%M")
        .fill_null("ikke importeret (demodata)")
        .alias("Senest importeret"),
        pl.col("retrieved_on").map_elements(danish_date, return_dtype=pl.String).fill_null("").alias("Hentet"),
    )
    tables.dataframe(shown, hide_index=True, width="stretch", height=420)
