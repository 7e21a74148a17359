"""The parts of the LEAPS screen: status against the programme's rules per year group, the
courses (editable by the leadership and by each team for its own year group), and the
programme survey with the change since last year."""

from __future__ import annotations

import pandas as pd
import polars as pl
import streamlit as st

from components import charts, plain, tables
from components.editing import as_pandas, data_editor, trusted_keys
from components.screen import guarded, source_text, table
from data.validation import LEAPS_COMPETENCES
from queries import edits
from queries.runner import Runner, Scope, small_group
from queries.statistics import Family, Test, change_words, share_change_test

GROUPS = {"medarbejdere": "Medarbejdere", "elever": "Elever", "virksomheder": "Virksomheder"}
EDIT_COLUMNS = [
    "course_id",
    "grade",
    "title",
    "subjects",
    "weeks",
    "start_date",
    "end_date",
    "mandatory",
    "description_shared",
    "evaluation_done",
    "company_partner",
    "pupil_involvement",
    "competences",
]


@guarded
def status(runner: Runner, scope: Scope, school: str, year: str) -> None:
    frame = runner.run("leaps_rule_status", scope, school=school, school_year=year)
    if frame.is_empty():
        st.info("Ingen årgange at vise.")
        return

    def mark(ok: bool, text: str) -> str:
        return ("✓ " if ok else "✗ ") + text

    rows = []
    for r in frame.iter_rows(named=True):
        missing = r["subjects_missing"] or []
        rows.append(
            {
                "Årgang": f"{r['grade']}. årgang",
                "Forløb": mark(r["courses"] >= r["courses_required"], f"{r['courses']} af {r['courses_required']}"),
                "Længde": mark(
                    r["wrong_length"] == 0,
                    "alle inden for reglen" if r["wrong_length"] == 0 else f"{r['wrong_length']} forløb for kort/langt",
                ),
                "Virksomhedsforløb": mark(r["company_courses"] >= r["company_required"], str(r["company_courses"])),
                "Forløbsbeskrivelse delt": mark(
                    r["descriptions_missing"] == 0,
                    f"{r['descriptions_missing']} mangler" if r["descriptions_missing"] else "alle",
                ),
                "Forløbsevaluering": mark(
                    r["evaluations_missing"] == 0,
                    f"{r['evaluations_missing']} mangler" if r["evaluations_missing"] else "alle",
                ),
                "Fag der mangler": mark(not missing, ", ".join(missing) if missing else "alle fag er med"),
            }
        )
    met = sum(all(v.startswith("✓") for k, v in row.items() if k != "Årgang") for row in rows)
    st.markdown(
        f"**{met} af {len(rows)} årgange** opfylder alle programmets regler i {year}. ✓ = opfyldt, ✗ = mangler."
    )
    tables.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        f"Kilde: LEAPS-forløb registreret af skolen · skoleåret {year} · n = {len(rows)} årgange · "
        "Reglerne og fagene er kommunens opsætning; en administrator kan ændre dem (se README)."
    )


@guarded
def courses(runner: Runner, scope: Scope, username: str, school: str, year: str) -> None:
    frame = runner.run("leaps_courses", scope, school=school, school_year=year)
    subjects = runner.run("leaps_reference_lists", scope)["subject"].to_list()
    editable = runner.may_write("update_leaps_course", scope)
    view = as_pandas(frame.select(EDIT_COLUMNS))
    grades = sorted(scope.grades) if scope.grades else list(range(10))
    config = {
        "course_id": None,
        "grade": st.column_config.SelectboxColumn("Årgang", options=grades),  # never `required`: see talk_sections
        "title": st.column_config.TextColumn("Titel"),
        "subjects": st.column_config.MultiselectColumn("Fag", options=subjects),
        "weeks": st.column_config.NumberColumn("Uger", min_value=1, max_value=20, step=1),
        "start_date": st.column_config.DateColumn("Start", format="DD.MM.YYYY"),
        "end_date": st.column_config.DateColumn("Slut", format="DD.MM.YYYY"),
        "mandatory": st.column_config.CheckboxColumn("Obligatorisk"),
        "description_shared": st.column_config.CheckboxColumn("Beskrivelse delt"),
        "evaluation_done": st.column_config.CheckboxColumn("Evalueret"),
        "company_partner": st.column_config.TextColumn("Virksomhed"),
        "pupil_involvement": st.column_config.TextColumn("Elevinddragelse"),
        "competences": st.column_config.MultiselectColumn("Deeper learning-kompetencer", options=LEAPS_COMPETENCES),
    }
    if not editable:
        tables.dataframe(view, column_config=config, hide_index=True, width="stretch")
        return
    edited = data_editor(
        view,
        column_config=config,
        hide_index=True,
        width="stretch",
        num_rows="dynamic",
        key=f"leaps_editor_{school}_{year}",
    )
    st.caption(
        "Ret direkte i tabellen, eller tilføj et forløb nederst. Ændringer gemmes først, når du trykker "
        "»Gem forløb«, og gemmes med dit navn og tidspunkt."
    )
    if st.button("Gem forløb", type="primary"):
        save_courses(runner, scope, username, school, year, view, trusted_keys(view, edited, ("course_id",)))


def _clean(row: dict) -> dict:
    out = {k: (None if (not isinstance(v, list) and pd.isna(v)) else v) for k, v in row.items()}
    for key in ("start_date", "end_date"):
        if isinstance(out.get(key), pd.Timestamp):
            out[key] = out[key].date()
    out["subjects"] = list(out.get("subjects") or [])
    out["competences"] = list(out.get("competences") or [])
    return out


@guarded
def save_courses(
    runner: Runner, scope: Scope, username: str, school: str, year: str, original: pd.DataFrame, edited: pd.DataFrame
) -> None:
    before = {r["course_id"]: _clean(r) for r in original.to_dict("records")}
    changed = []
    for row in (_clean(r) for r in edited.to_dict("records")):
        if row.get("course_id") and before.get(row["course_id"]) == row:
            continue  # unchanged
        row["year_group"] = row.pop("grade")
        changed.append(row)
    errors = edits.save_courses(runner, scope, username, school, year, changed)
    if errors:
        st.error("Intet er gemt. Ret først:\n\n" + plain.bullets(errors))
    else:
        st.success(f"{len(changed)} forløb er gemt.")


@guarded
def survey(runner: Runner, scope: Scope, school: str, year: str, previous: str) -> None:
    frame = runner.run("leaps_survey_change", scope, school=school, school_year=year, previous_year=previous)
    if frame.is_empty():
        st.info("Skolen har ingen LEAPS-survey for skoleåret.")
        return
    rows = []
    family = Family()  # every question's change on the screen, decided at once
    tests = [
        family.add(share_change_test(r["previous_share"], r["previous_n"], r["share"], r["n"]) or Test(None, None))
        for r in frame.iter_rows(named=True)
    ]
    family.decide()
    for r, test in zip(frame.iter_rows(named=True), tests, strict=True):
        diff, verdict = test.difference, change_words(test)
        rows.append(
            {
                "Gruppe": GROUPS.get(r["respondent_group"], r["respondent_group"]),
                "Spørgsmål": r["question_text"],
                "I år": r["share"],
                "Sidste år": r["previous_share"],
                "Ændring": diff,
                "Vurdering": verdict if not r["suppressed"] else small_group("svar"),
                "n": r["n"],
            }
        )
    data = pl.DataFrame(rows)
    shown = (
        data.filter(pl.col("I år").is_not_null())
        .unpivot(index=["Spørgsmål", "Gruppe"], on=["Sidste år", "I år"], variable_name="Serie", value_name="Andel")
        .with_columns((pl.col("Gruppe") + ": " + pl.col("Spørgsmål")).alias("Spørgsmål"))
    )
    charts.show(
        charts.year_pairs(shown, "Spørgsmål", "Andel", "Andel enige/positive (%)"),
        source_text(
            "Kata Fonden, LEAPS-survey",
            f"februar {int(year[:4]) + 1}",
            int(data["n"].drop_nulls().sum()),
            "besvarelser",
        ),
        table=table(
            data,
            {
                "Gruppe": ("Gruppe", None, ""),
                "Spørgsmål": ("Spørgsmål", None, ""),
                "I år": ("I år", 0, " %"),
                "Sidste år": ("Sidste år", 0, " %"),
                "Ændring (pct.-point)": ("Ændring", 0, ""),
                "Vurdering": ("Vurdering", None, ""),
                "Antal svar": ("n", 0, ""),
            },
        ),
    )
