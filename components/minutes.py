"""The minutes as a list of sections, each with its own visibility, and the public version that is
safe by construction.

- A section's `source` says where its content comes from. Sections from a test-results agenda
  item (kind "test", or an item that shows the Faglighed screen) and the national-test figures
  are confidential (folkeskoleloven § 55 b): `published` is false whatever the leader chooses,
  and the screen offers no choice for them. A section has no text markers a user could delete.
- User text stays text: the renderers in `components.documents` escape it in every format.
- The public text is scanned (`public_hits`) for national-test words next to a number and for
  counts of pupils under the minimum group size; each hit is shown to the leader, and a version
  with hits cannot be approved.
- The public export exists only for the newest saved version, and only while a leader's
  approval of exactly that version is recorded (`approve`, `approved_public`). Saving the
  minutes again makes a new version without approval.

The data package (internal, with the confidential test results) stays generated Markdown.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from datetime import date

import polars as pl

from components import documents
from components.documents import Block
from components.formatting import danish_date, format_value
from data.reference import settings
from queries.key_figures import KeyFigure, key_figures
from queries.runner import QueryError, Runner, Scope
from queries.talks import ROLES, is_test_item, public_notice

# Where a section's content comes from. The confidential sources are never public.
CONFIDENTIAL_SOURCES = frozenset({"testpunkt", "nationale test", "testrække", "tidligere"})
SOURCE_LABELS = {
    "titel": "Overskrift",
    "deltagere": "Deltagere",
    "formål": "Formål",
    "materiale": "Materiale",
    "nøgletal": "Nøgletal",
    "nationale test": "Nationale test",
    "punkt": "Dagsordenspunkt",
    "testpunkt": "Testresultater",
    "aftaler": "Aftaler",
    "række": "Række i tabellen",
    "testrække": "Række med testresultater",
    "tidligere": "Tidligere gemt referat",
    "notatrække": "Punkt i notatet",
    "hvad viser data": "Hvad viser data?",
    "indsatser": "Skolens indsatser",
}
CONFIDENTIAL_LABEL = "Fortroligt – kun intern"
CONFIDENTIAL_WHY = (
    "Resultater fra de nationale test er fortrolige (folkeskoleloven § 55 b) og kommer aldrig "
    "med i den offentlige udgave."
)
FIGURE_HEADER = ["Nøgletal", "Skolen", "Kommunen", "Landet"]
AGREEMENT_HEADER = ["Aftale", "Ansvarlig", "Frist", "Status"]
THREE_COLUMNS = ["Fokusområde", "Situation", "Handlinger"]
NOTE_COLUMNS = ["Punkt", "Indhold"]
# The built-in templates, after the municipal examples in the ministry's collection (seed 004):
# Kolding's classic minutes, Nyborg's "fokusområde – situation – handlinger" and Stevns' notat,
# one table row per heading. Which one a municipality starts from: [minutes] in settings.toml.
STYLES = {
    "notat": "Klassisk notat",
    "tre-kolonner": "Fokusområde – situation – handlinger",
    "stevns-notat": "Notat med faste punkter (som Stevns)",
}
PURPOSE = (
    "At styrke dialogen, den fælles forståelse og samarbejdet om udvikling af skolen; at bidrage til at "
    "styrke evalueringskulturen; at skabe de bedste rammer for elevernes faglige udvikling og trivsel."
)
TREND_IMAGE = "figur-trivsel.png"


@dataclass
class Section:
    key: str  # stable within one draft
    source: str  # where the content comes from (SOURCE_LABELS)
    heading: str = ""
    text: str = ""  # plain text; a line starting with "- " is a bullet
    rows: list[list[str]] | None = None  # a table, header row first
    public: bool = True  # the leader's choice; ignored for confidential sources
    level: int = 2
    group: str = ""  # rows of one table (the three-column template): the table's heading
    image: str = ""  # a chart's file name in the images of the export
    caption: str = ""

    @property
    def confidential(self) -> bool:
        return self.source in CONFIDENTIAL_SOURCES

    @property
    def published(self) -> bool:
        return self.public and not self.confidential


def to_json(sections: list[Section]) -> str:
    return json.dumps([asdict(s) for s in sections], ensure_ascii=False)


def from_json(blocks: str | None, legacy_markdown: str | None = None) -> list[Section]:
    """Sections of a saved version. A version saved before sections existed becomes one
    confidential section with its old text (it may hold test results between markers)."""
    if not blocks:
        return (
            [Section("tidligere", "tidligere", "Tidligere gemt referat", legacy_markdown or "")]
            if legacy_markdown
            else []
        )
    names = {f.name for f in fields(Section)}
    return [Section(**{k: v for k, v in item.items() if k in names}) for item in json.loads(blocks)]


# -- the draft -------------------------------------------------------------------------------
def _value(f: KeyFigure) -> list[str]:
    value = format_value(f.value, f.unit) if f.value is not None else (f.reason or "–")
    municipality = format_value(f.municipality.value, f.unit) if f.municipality.value is not None else "–"
    country = format_value(f.country.value, f.unit) if f.country.value is not None else "–"
    return [f.label, value, municipality, country]


def is_test_figure(f: KeyFigure) -> bool:
    return f.key.startswith("test_")


def _figure_sections(figures: list[KeyFigure]) -> list[Section]:
    public = [f for f in figures if not is_test_figure(f)]
    tests = [f for f in figures if is_test_figure(f) and f.value is not None]
    out = [
        Section(
            "nøgletal",
            "nøgletal",
            "Nøgletal",
            rows=[FIGURE_HEADER, *map(_value, public)],
            image=TREND_IMAGE,
            caption="Generel trivsel over årene",
        )
    ]
    if tests:
        out.append(
            Section(
                "nationale-test",
                "nationale test",
                "Nationale test",
                rows=[FIGURE_HEADER, *map(_value, tests)],
                public=False,
            )
        )
    return out


def _summary_and_efforts(
    runner: Runner, scope: Scope, school: str, figures: list[KeyFigure], school_year: str
) -> list[Section]:
    """»Hvad viser data?« (its national-test sentences in a confidential section of their own) and
    the school's effort register."""
    from components import data_summary
    from queries import efforts
    from queries.key_figures import previous_year

    summary = data_summary.summarise(figures, school_year, previous_year(school_year))
    public = summary.sentences(public=True)
    tests = [s for s in summary.sentences() if s.startswith("Nationale test (fortroligt)")]
    out = [
        Section(
            "hvad-viser-data",
            "hvad viser data",
            data_summary.HEADING,
            "\n".join(f"- {line}" for line in public) + "\n" + data_summary.METHOD,
        )
    ]
    if tests:
        out.append(
            Section(
                "hvad-viser-data-test",
                "nationale test",
                f"{data_summary.HEADING} Nationale test",
                "\n".join(f"- {line}" for line in tests),
                public=False,
            )
        )
    register = efforts.load(runner, scope, school)
    if len(register):
        shown = efforts.table(register).select("Indsats", "Start", "Slut", "Sigter mod")
        out.append(
            Section(
                "indsatser",
                "indsatser",
                "Skolens indsatser",
                rows=[shown.columns, *[list(r) for r in shown.iter_rows()]],
            )
        )
    return out


def minutes_draft(
    runner: Runner, scope: Scope, school: dict, talk: dict, style: str = "notat", as_of: date | None = None
) -> list[Section]:
    """A first draft of the minutes from the agenda, the notes and the agreements."""
    where = {"school": school["institution_no"], "talk_id": talk["talk_id"]}
    agenda = runner.run("talk_agenda", scope, **where)
    participants = runner.run("talk_participants", scope, **where)
    agreements = runner.run("talk_agreements", scope, **where)
    figures = key_figures(runner, scope, school["institution_no"], talk["school_year"], as_of=as_of)
    sections = [
        Section(
            "titel",
            "titel",
            f"Referat af skoleudviklingssamtalen, {school['name']}",
            level=1,
            text=f"Dato: {danish_date(talk['talk_date'])} · Sted: {talk['place'] or '–'} · "
            f"Skoleår: {talk['school_year']}",
        )
    ]
    if len(participants):
        sections.append(
            Section(
                "deltagere",
                "deltagere",
                "Deltagere",
                "\n".join(
                    f"- {p['name']} ({ROLES.get(p['role'], p['role'])})" for p in participants.iter_rows(named=True)
                ),
            )
        )
    if style == "stevns-notat":
        return sections[:1] + _note_rows(school, talk, participants, agenda, agreements) + _figure_sections(figures)
    if style == "tre-kolonner":
        actions = "; ".join(a["text"] for a in agreements.iter_rows(named=True)) or "–"
        for item in agenda.iter_rows(named=True):
            test = is_test_item(item)
            if item["kind"] in ("skolens fokus", "kommunens tema") or test:
                sections.append(
                    Section(
                        f"række-{item['item_id']}",
                        "testrække" if test else "række",
                        item["title"],
                        rows=[THREE_COLUMNS, [item["title"], " ".join((item["note"] or "–").split()), actions]],
                        group="Aftaler for det kommende år",
                        public=not test,
                    )
                )
        return (
            sections
            + _figure_sections(figures)
            + _summary_and_efforts(runner, scope, school["institution_no"], figures, talk["school_year"])
        )
    sections += [
        Section(
            "formål",
            "formål",
            "Formål",
            "At skabe en ramme for en tillidsfuld og faglig dialog om skolens "
            "udvikling mellem kommunalbestyrelse, forvaltning og skole.",
        ),
        Section("materiale", "materiale", "Materiale", f"Datablik-nøgletal for {talk['school_year']} (se nedenfor)."),
        *_figure_sections(figures),
        *_summary_and_efforts(runner, scope, school["institution_no"], figures, talk["school_year"]),
    ]
    for item in agenda.filter(pl.col("kind") != "pause").iter_rows(named=True):
        body = item["note"] or "(ingen noter)"
        if item["kind"] == "opfølgning" and item["questions"]:
            body = f"{item['questions']}\n{body}"
        test = is_test_item(item)
        sections.append(
            Section(f"punkt-{item['item_id']}", "testpunkt" if test else "punkt", item["title"], body, public=not test)
        )
    rows = [
        [a["text"], a["owner"], danish_date(a["deadline"]) if a["deadline"] else "–", a["status"]]
        for a in agreements.iter_rows(named=True)
    ]
    sections.append(Section("aftaler", "aftaler", "Aftaler for det kommende år", rows=[AGREEMENT_HEADER, *rows]))
    return sections


def default_style(municipality_code: str | None) -> str:
    """The template a municipality's talks start from (settings.toml [minutes]); "notat" otherwise."""
    configured = settings().get("minutes", {})
    style = configured.get("templates", {}).get(str(municipality_code or ""), configured.get("default", "notat"))
    return style if style in STYLES else "notat"


def _notes_of(agenda: pl.DataFrame, kinds: tuple[str, ...], tests: bool = False) -> str:
    rows = [
        item
        for item in agenda.iter_rows(named=True)
        if (is_test_item(item) if tests else item["kind"] in kinds and not is_test_item(item))
    ]
    return "\n".join(f"- {item['title']}: {' '.join((item['note'] or '–').split())}" for item in rows) or "–"


def _note_rows(
    school: dict, talk: dict, participants: pl.DataFrame, agenda: pl.DataFrame, agreements: pl.DataFrame
) -> list[Section]:
    """Stevns' notat: one row per fixed heading; the national-test row is confidential."""
    people = ", ".join(f"{p['name']} ({ROLES.get(p['role'], p['role'])})" for p in participants.iter_rows(named=True))
    rows = [
        ("Skolens navn", school["name"], True),
        ("Dato og tidspunkt", f"{danish_date(talk['talk_date'])}, {talk['place'] or 'sted ikke angivet'}", True),
        ("Deltagere", people or "–", True),
        ("Formålet med samtalen", PURPOSE, True),
        (
            "Materiale udsendt som grundlag for samtalen",
            "Datablik-datapakken: trivsel, fravær, faglighed og deltagelse. Resultaterne af de nationale test "
            "blev sendt som fortrolige oplysninger.",
            True,
        ),
        ("Evaluering fra sidste samtale", _notes_of(agenda, ("opfølgning", "evaluering")), True),
        ("Temaer valgt af skolen", _notes_of(agenda, ("skolens fokus",)), True),
        ("Temaer valgt af det politiske udvalg", _notes_of(agenda, ("kommunens tema",)), True),
        ("Temaer valgt af forvaltningen", _notes_of(agenda, ("data", "andet")), True),
        ("Drøftelser vedrørende resultater af de nationale test", _notes_of(agenda, (), tests=True), False),
        (
            "Aftaler for det kommende skoleår",
            "\n".join(
                f"- {a['text']} ({a['owner'] or 'ansvarlig ikke angivet'})" for a in agreements.iter_rows(named=True)
            )
            or "–",
            True,
        ),
    ]
    return [
        Section(
            f"notat-{i}",
            "testrække" if not public else "notatrække",
            label,
            rows=[NOTE_COLUMNS, [label, content]],
            group=f"Skoleudviklingssamtale {talk['school_year']}",
            public=public,
        )
        for i, (label, content, public) in enumerate(rows)
    ]


# -- rendering -------------------------------------------------------------------------------
def _mark(section: Section) -> str:
    return " (fortroligt)" if section.confidential else " (kun intern)"


def document(sections: list[Section], public: bool) -> list[Block]:
    """The blocks of the internal or the public version. The public one holds only published
    sections and says what it leaves out; the internal one marks what is not public."""
    chosen = [s for s in sections if s.published] if public else list(sections)
    out: list[Block] = []
    group, table = "", None
    for s in chosen:
        hidden = not public and not s.published
        if s.group and s.rows and len(s.rows) > 1:
            if s.group != group or table is None:
                out.append(Block("heading", s.group, level=2))
                table = Block("table", rows=[list(s.rows[0])])
                out.append(table)
            first, *rest = s.rows[1]
            table.rows.append([first + (_mark(s) if hidden else ""), *rest])
            group = s.group
            continue
        group, table = "", None
        out.append(Block("heading", s.heading + (_mark(s) if hidden else ""), level=min(max(s.level, 1), 3)))
        for line in s.text.splitlines():
            if line.strip().startswith("- "):
                out.append(Block("bullet", line.strip()[2:].strip()))
            elif line.strip():
                out.append(Block("paragraph", line.strip()))
        if s.rows:
            out.append(Block("table", rows=[list(r) for r in s.rows]))
        if s.image:
            out.append(Block("image", s.caption, rows=[[s.image]]))
    if public:  # what is left out, right under the title
        at = 0
        if out and out[0].kind == "heading" and out[0].level == 1:
            at = 1
            while at < len(out) and out[at].kind == "paragraph":
                at += 1
        out.insert(at, Block("paragraph", public_notice()))
    return out


def as_markdown(sections: list[Section], public: bool) -> str:
    return documents.to_markdown(document(sections, public))


# -- the scan of the public text ---------------------------------------------------------------
# Rule (documented in the report and SECURITY.md):
# 1. A national-test figure: a sentence (or a table row) that names a test word — test, testen,
#    testresultat(er), nationale test, overgangstest, læsning/læse…, matematik… — and also holds a
#    number (with or without %, procent, point). Numbers that are not results are ignored first:
#    years and school years (2025, 2025/26), dates (10.12.2025, 10. december), clock times
#    (13:00, kl. 13.00), grades and classes (8. årgang, 7.b, 4.-6. klasse), § references and the
#    threshold itself ("færre end 5 elever").
# 2. A small group: a count below the minimum group size (digits, or én/ét/to/tre/fire) right
#    before a word for pupils (elev, elever, eleverne, pige(r), dreng(e), børn, barn; also "3 af
#    eleverne"), unless it is
#    a threshold ("færre end 5 elever", "under 5 elever", "mindre end 5 elever").
_W = "a-zA-ZæøåÆØÅ"
TEST_WORD = re.compile(
    rf"(?<![{_W}])(?:nationale?\s+test[{_W}]*|[{_W}]*test[{_W}]*|læs[{_W}]*|"
    rf"[{_W}]*matematik[{_W}]*)(?![{_W}])",
    re.IGNORECASE,
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|procent|pct\.?|point)?", re.IGNORECASE)
_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
NOT_A_RESULT = re.compile(
    r"\b(?:19|20)\d{2}(?:\s*/\s*\d{2,4})?\b"  # years, school years
    r"|\b\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{2,4})?"  # dates
    rf"|\b\d{{1,2}}\.\s+(?:{_MONTHS})\b"  # 10. december
    r"|\bkl\.?\s*\d{1,2}(?:[.:]\d{2})?|\b\d{1,2}:\d{2}\b"  # clock times
    r"|\b\d{1,2}\.\s*(?:-\s*\d{1,2}\.\s*)?(?:årgang\w*|klasse\w*|kl\b|[a-zæøå]\b)"  # grades, classes
    r"|§+\s*\d+\s*[a-z]?\b"  # § 55 b
    r"|\b(?:færre|mindre)\s+end\s+\d+\s+elever\b",
    re.IGNORECASE,
)  # the threshold itself
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])|\n|;")
_WORDS = {"én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4}
SMALL_GROUP = re.compile(
    r"(?<![\w,.])(?P<n>\d+|én|ét|to|tre|fire)\s+(?:af\s+(?:de\s+)?)?(?P<who>elev(?:er|erne|en)?|pige(?:r|rne|n)?|drenge?(?:ne|n)?|"
    r"børn(?:ene)?|barn(?:et)?)\b",
    re.IGNORECASE,
)
_THRESHOLD = re.compile(r"(?:færre|mindre)\s+end\s*$|under\s*$|højst\s*$", re.IGNORECASE)


@dataclass
class Hit:
    key: str  # the section
    where: str  # the section as the leader sees it
    excerpt: str
    message: str  # Danish: what is wrong and what to do


def _units(section: Section) -> list[str]:
    units = [section.heading, *_SENTENCE.split(section.text)]
    units += [" | ".join(row) for row in (section.rows or [])[1:]]
    return [u for u in units if u and u.strip()]


def test_figures_in(text: str) -> list[str]:
    """The sentences of `text` that name a test word and hold a number that is not a date,
    year, time, grade or § (rule 1)."""
    found = []
    for unit in _SENTENCE.split(text):
        if unit and TEST_WORD.search(unit) and NUMBER.search(NOT_A_RESULT.sub(" ", unit)):
            found.append(" ".join(unit.split()))
    return found


def small_groups_in(text: str, min_group_size: int) -> list[str]:
    """Counts of pupils under the minimum group size (rule 2)."""
    found = []
    for match in SMALL_GROUP.finditer(text):
        raw = match["n"].lower()
        n = _WORDS.get(raw, None) if not raw.isdigit() else int(raw)
        if n is not None and n < min_group_size and not _THRESHOLD.search(text[: match.start()]):
            found.append(match.group(0))
    return found


def public_hits(sections: list[Section], min_group_size: int | None = None) -> list[Hit]:
    """Every place in the public text that looks like a national-test figure or a small group."""
    minimum = int(min_group_size or settings()["suppression"]["min_group_size"])
    hits = []
    for s in (s for s in sections if s.published):
        where = s.heading or SOURCE_LABELS.get(s.source, s.source)
        for unit in _units(s):
            for excerpt in test_figures_in(unit):
                hits.append(
                    Hit(
                        s.key,
                        where,
                        excerpt,
                        f"»{excerpt}« ligner et resultat fra de nationale test, "
                        "som er fortrolige (folkeskoleloven § 55 b). Skriv det uden tal, eller gør "
                        "afsnittet internt.",
                    )
                )
            for excerpt in small_groups_in(unit, minimum):
                hits.append(
                    Hit(
                        s.key,
                        where,
                        excerpt,
                        f"»{excerpt}« er et antal under {minimum} elever, som ikke "
                        "må offentliggøres. Skriv det uden antal, eller gør afsnittet internt.",
                    )
                )
    return hits


# -- saving, approving and the public export -------------------------------------------------
NOT_APPROVED = (
    "Den offentlige udgave kan først hentes, når en leder har godkendt den nyeste gemte version "
    "af referatet. En ny version skal godkendes igen."
)


def save_version(
    runner: Runner, scope: Scope, username: str, school: str, talk_id: str, base_version: int, sections: list[Section]
) -> int:
    """Save the sections as version base_version + 1 (refused if someone saved in between).
    The new version has no approval: the public export waits for a leader to approve it."""
    runner.write(
        "save_minutes_version",
        scope,
        username,
        [
            {
                "school": school,
                "talk_id": talk_id,
                "base_version": base_version,
                "blocks": to_json(sections),
                "body_internal": as_markdown(sections, public=False),
                "body_public": as_markdown(sections, public=True),
                "username": username,
            }
        ],
    )
    return base_version + 1


def newest(runner: Runner, scope: Scope, school: str, talk_id: str) -> dict | None:
    """The newest saved version (internal row) with its sections and its approval, if any."""
    versions = runner.run("talk_minutes_versions", scope, school=school, talk_id=talk_id)
    internal = versions.filter(~pl.col("public"))
    if internal.is_empty():
        return None
    row = internal.row(0, named=True)
    return row | {"sections": from_json(row["blocks"], row["body_md"])}


def approve(runner: Runner, scope: Scope, username: str, school: str, talk_id: str, version: int) -> None:
    """A leader approves the newest version for publishing; refused while the public text has hits
    or if the version is not the newest. Who and when go in minutes_approval and the audit log."""
    latest = newest(runner, scope, school, talk_id)
    if latest is None or latest["version"] != version:
        raise QueryError("Kun den nyeste gemte version kan godkendes; genindlæs siden.")
    hits = public_hits(latest["sections"])
    if hits:
        raise QueryError(
            f"Den offentlige udgave kan ikke godkendes: {len(hits)} steder ligner fortrolige "
            "testresultater eller små grupper. Ret dem først."
        )
    runner.write(
        "approve_minutes_version",
        scope,
        username,
        [{"school": school, "talk_id": talk_id, "version": version, "username": username}],
    )


def approved_public(runner: Runner, scope: Scope, school: str, talk_id: str) -> tuple[dict, list[Block]]:
    """The public version's blocks, only for the newest version while it is approved."""
    latest = newest(runner, scope, school, talk_id)
    if latest is None or latest["approved_by"] is None:
        raise QueryError(NOT_APPROVED)
    if public_hits(latest["sections"]):  # a stricter rule since the approval
        raise QueryError(NOT_APPROVED)
    return latest, document(latest["sections"], public=True)


# -- the data package ----------------------------------------------------------------------------
def key_figure_table(figures: list[KeyFigure]) -> str:
    """Key figures as a Markdown table (the internal data package: test results included)."""
    header = "| " + " | ".join(FIGURE_HEADER) + " |\n|---|---|---|---|"
    public = [f for f in figures if not is_test_figure(f)]
    confidential = [f for f in figures if is_test_figure(f) and f.value is not None]
    line = lambda f: "| " + " | ".join(_value(f)) + " |"  # noqa: E731
    text = header + "\n" + "\n".join(map(line, public))
    if confidential:
        text += "\n\n**Nationale test (fortroligt):**\n\n" + header + "\n" + "\n".join(map(line, confidential))
    return text


REFLECTION_QUESTIONS = [
    "Hvad får I øje på i data?",
    "Hvad er I stolte af, og hvad vil I gerne blive bedre til?",
    "Hvilke elever lykkes det ikke for, og hvad ved I om hvorfor?",
    "Hvordan er det gået med sidste års aftaler?",
    "Hvad skal samtalen handle om, set fra skolen?",
]


def data_package(runner: Runner, scope: Scope, school: dict, school_year: str, as_of: date | None = None) -> str:
    """The administration's package for the school before the talk (internal only: it holds the
    confidential national-test results)."""
    figures = key_figures(runner, scope, school["institution_no"], school_year, as_of=as_of)
    sources = sorted({f"{f.source} ({f.measured})" for f in figures})
    return (
        "\n".join(
            [
                f"# Datapakke til skoleudviklingssamtalen: {school['name']}, {school_year}",
                "Intern: indeholder fortrolige resultater fra de nationale test (folkeskoleloven § 55 b).",
                "",
                "## Nøgletal",
                key_figure_table(figures),
                f"![Generel trivsel over årene]({TREND_IMAGE})",
                "",
                "## Kilder",
                *[f"- {s}" for s in sources],
                "",
                "## Refleksionsspørgsmål",
                *[f"- {q}" for q in REFLECTION_QUESTIONS],
            ]
        )
        + "\n"
    )
