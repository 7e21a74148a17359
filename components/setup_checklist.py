"""A new, empty store: what the data owner imports next, in the order that works, each step with
its command line and its way on the Data screen."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from queries.runner import Runner, Scope

ADMIN = Scope("admin", None)


@dataclass(frozen=True)
class Step:
    columns: tuple[str, ...]  # store_contents.sql columns; done when any is non-zero
    title: str
    why: str
    command: str
    source_label: str  # the source as the Data screen's picker names it


STEPS = (
    Step(
        ("schools",),
        "Institutionsregistret",
        "skolerne, deres navne og kommune; alt andet henviser til dem",
        "python -m data import institutions institutionsregister.csv",
        "institutions",
    ),
    Step(
        ("published_figures",),
        "Offentliggjorte tal (Skoletal fra uddannelsesstatistik.dk)",
        "fravær, karaktergennemsnit, trivsel og socioøkonomisk reference pr. skole, som ministeriet har "
        "offentliggjort dem",
        "python -m data import school-figures skoletal.csv --hentet 2026-11-24",
        "school-figures",
    ),
    Step(
        ("pupils",),
        "Elevregistret",
        "kommunens egne elever pr. skoleår (pseudonyme nøgler, aldrig CPR); de øvrige elevdata henviser til det",
        "python -m data import pupils elever.csv",
        "pupils",
    ),
    Step(
        ("wellbeing", "absence", "tests", "exams", "surveys", "leaps"),
        "Resten",
        "trivselsbesvarelser, fravær, nationale test, prøvekarakterer, spørgeskemaer og LEAPS",
        "python -m data import wellbeing trivsel.csv (og absence, tests, exams, surveys, leaps)",
        "wellbeing, absence, tests, exams, surveys, leaps",
    ),
)


def contents(runner: Runner) -> dict[str, int]:
    return runner.run("store_contents", ADMIN).to_dicts()[0]


def is_empty(runner: Runner) -> bool:
    """No school, or no school year yet (only the register): nothing any screen could show."""
    have = runner.run("store_is_empty", ADMIN).to_dicts()[0]
    return have["schools"] == 0 or have["school_years"] == 0


def done(runner: Runner) -> list[bool]:
    have = contents(runner)
    return [any(have[c] for c in step.columns) for step in STEPS]


def on_data_screen(runner: Runner) -> None:
    """The checklist at the top of the Data screen while a step is still to do."""
    steps = done(runner)
    if not all(steps):
        with st.expander("Hvad skal importeres nu?", expanded=not steps[0]):
            checklist(runner, title="Importér i denne rækkefølge")


def checklist(runner: Runner, title: str = "Datablik er klar til kommunens data") -> None:
    finished = done(runner)
    st.header(title)
    if all(finished):
        st.success("Alle kilder har data.")
        return
    st.markdown(
        "Importér i denne rækkefølge — hver fil kontrolleres helt, før noget skrives. "
        "Enten på skærmen **Data → Importér** (vælg kilden, upload filen, bekræft), eller på "
        "kommandolinjen på serveren, mens appen er stoppet:"
    )
    for n, (step, ok) in enumerate(zip(STEPS, finished, strict=True), start=1):
        mark = "✅" if ok else "⬜"
        st.markdown(
            f"{mark} **{n}. {step.title}** — {step.why}.  \nData-skærmen: kilde `{step.source_label}` · kommandolinjen:"
        )
        st.code(step.command, language="bash")
    st.caption(
        "Formatet for hver kilde står i docs/import/. Med kun de offentliggjorte tal (trin 1 og 2) "
        "viser skærmene ministeriets tal for hver skole."
    )
