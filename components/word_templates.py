"""The municipality's own Word template (docxtpl): a .docx with its letterhead, styles and
placeholders, into which the minutes or the agenda are rendered. The placeholders are documented
in docs/word-skabeloner.md (PLACEHOLDERS below is the list the check uses).

The template is the municipality's, the values are the users': both are hostile input.
- The template is rendered in Jinja2's sandbox: a placeholder can read the values it is given,
  never Python internals (`{{ ''.__class__ }}` is refused), and only the documented names exist.
- Every value is escaped as XML text (autoescape), so text a user typed can never become Word
  markup (a field, a link, an external picture).
- A file that is not a .docx, too large, or with an unknown placeholder gets a Danish message
  and nothing is rendered."""

from __future__ import annotations

import io
import zipfile

import jinja2
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from components.documents import Block, Meta
from components.formatting import danish_date, number
from queries import talks
from queries.runner import Runner, Scope

MAX_BYTES = 5_000_000
PLACEHOLDERS = {
    "titel": "dokumentets titel",
    "skole": "skolens navn",
    "skoleaar": "skoleåret, fx 2025/26",
    "dato": "samtalens dato, fx 10. december 2026",
    "sted": "samtalens sted",
    "deltagere": "liste; hver deltager har .navn og .rolle",
    "afsnit": "liste; hvert afsnit har .overskrift, .tekst (liste af afsnit), .punkter (liste), "
    ".tabel (rækker, første er overskrifter) og .figur (billede eller tom)",
    "noegletal": "liste; hvert nøgletal har .navn, .skolen, .kommunen og .landet",
    "aftaler": "liste; hver aftale har .aftale, .ansvarlig, .frist og .status",
    "sidste_aars_aftaler": "liste som aftaler: aftalerne fra sidste samtale",
    "dagsorden": "liste; hvert punkt har .tid, .punkt og .spoergsmaal (liste)",
    "figurer": "liste af dokumentets figurer (billeder)",
}


class TemplateError(ValueError):
    """A Danish message for the admin: what is wrong with the template."""


def _environment() -> SandboxedEnvironment:
    """The sandbox, with no globals (range, cycler, lipsum…): only the documented values exist."""
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals.clear()
    return env


def check_size(file_name: str, size: int) -> None:
    """A TemplateError in Danish for a file that is no .docx by its name or is too large, before it is read."""
    if not file_name.lower().endswith(".docx"):
        raise TemplateError(
            f"{file_name} er ikke et Word-dokument (.docx). Gem skabelonen som Word-dokument (.docx) og prøv igen."
        )
    if size > MAX_BYTES:
        raise TemplateError(
            f"Skabelonen fylder {number(size / 1e6, 1)} MB; den må højst fylde {number(MAX_BYTES / 1e6, 0)} MB."
        )


def load(data: bytes) -> DocxTemplate:
    """The template, or a TemplateError in Danish: not a .docx, too large, unknown placeholders."""
    if len(data) > MAX_BYTES:
        raise TemplateError(
            f"Skabelonen fylder {number(len(data) / 1e6, 1)} MB; den må højst fylde {number(MAX_BYTES / 1e6, 0)} MB."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if "word/document.xml" not in package.namelist():
                raise TemplateError("Filen er ikke et Word-dokument (.docx).")
        template = DocxTemplate(io.BytesIO(data))
        names = template.get_undeclared_template_variables(_environment())
    except TemplateError:
        raise
    except zipfile.BadZipFile as error:
        raise TemplateError("Filen er ikke et Word-dokument (.docx).") from error
    except jinja2.TemplateError as error:
        raise TemplateError(f"Skabelonen kan ikke læses: en pladsholder er skrevet forkert ({error}).") from error
    except Exception as error:  # a broken package: python-docx and lxml raise many kinds
        raise TemplateError("Filen er ikke et Word-dokument, der kan åbnes (.docx).") from error
    unknown = sorted(set(names) - set(PLACEHOLDERS))
    if unknown:
        raise TemplateError(
            "Skabelonen bruger pladsholdere, som Datablik ikke kender: "
            + ", ".join(unknown)
            + ". Se listen i docs/word-skabeloner.md."
        )
    return template


SAMPLE = {
    "titel": "Titel",
    "skole": "Skole",
    "skoleaar": "2025/26",
    "dato": "1. januar 2026",
    "sted": "Sted",
    "deltagere": [{"navn": "Navn", "rolle": "Rolle"}],
    "afsnit": [
        {"overskrift": "Overskrift", "tekst": ["Tekst"], "punkter": ["Punkt"], "tabel": [["A"], ["1"]], "figur": ""}
    ],
    "noegletal": [{"navn": "Nøgletal", "skolen": "1", "kommunen": "1", "landet": "1"}],
    "aftaler": [{"aftale": "Aftale", "ansvarlig": "Ansvarlig", "frist": "–", "status": "i gang"}],
    "sidste_aars_aftaler": [],
    "dagsorden": [{"tid": "13.00–13.15", "punkt": "Punkt", "spoergsmaal": ["?"]}],
    "figurer": [],
}


def _fill(template: DocxTemplate, values: dict) -> None:
    try:
        template.render(values, jinja_env=_environment(), autoescape=True)
    except jinja2.exceptions.SecurityError as error:
        raise TemplateError(
            "Skabelonen forsøger at læse noget, en pladsholder ikke må (Jinja2-sandkassen stoppede den)."
        ) from error
    except jinja2.TemplateError as error:
        raise TemplateError(f"Skabelonen kunne ikke udfyldes: {error}.") from error


def check(data: bytes) -> list[str]:
    """The placeholders a template uses, after a trial fill with sample values (raises
    TemplateError, in Danish, for a template that cannot be used)."""
    names = sorted(load(data).get_undeclared_template_variables(_environment()))
    _fill(load(data), SAMPLE)
    return names


# -- the values ------------------------------------------------------------------------------
def _sections(blocks: list[Block], template: DocxTemplate, images: dict[str, bytes]) -> tuple[list[dict], list]:
    sections: list[dict] = []
    figures = []
    current = None
    for block in blocks:
        if block.kind == "heading" and block.level >= 2 or current is None:
            current = {
                "overskrift": block.text if block.kind == "heading" else "",
                "tekst": [],
                "punkter": [],
                "tabel": [],
                "figur": "",
            }
            sections.append(current)
            if block.kind == "heading":
                continue
        if block.kind == "heading":  # the title
            current["overskrift"] = current["overskrift"] or block.text
        elif block.kind == "paragraph":
            current["tekst"].append(block.text)
        elif block.kind == "bullet":
            current["punkter"].append(block.text)
        elif block.kind == "table" and block.rows:
            current["tabel"] = [list(r) for r in block.rows]
        elif block.kind == "image" and block.rows and block.rows[0][0] in images:
            image = InlineImage(template, io.BytesIO(images[block.rows[0][0]]), width=Cm(16))
            current["figur"] = image
            figures.append(image)
    return sections, figures


def _key_figures(blocks: list[Block]) -> list[dict]:
    table = next((b.rows for b in blocks if b.kind == "table" and b.rows and b.rows[0][0] == "Nøgletal"), None)
    if not table:
        return []
    return [
        {
            "navn": r[0],
            "skolen": r[1] if len(r) > 1 else "",
            "kommunen": r[2] if len(r) > 2 else "",
            "landet": r[3] if len(r) > 3 else "",
        }
        for r in table[1:]
    ]


def _agreements(frame) -> list[dict]:
    return [
        {
            "aftale": a["text"],
            "ansvarlig": a["owner"],
            "status": a["status"],
            "frist": danish_date(a["deadline"]) if a["deadline"] else "–",
        }
        for a in frame.iter_rows(named=True)
    ]


def context(
    runner: Runner,
    scope: Scope,
    school: dict,
    talk: dict,
    meta: Meta,
    blocks: list[Block],
    images: dict[str, bytes],
    template: DocxTemplate,
) -> dict:
    where = {"school": school["institution_no"], "talk_id": talk["talk_id"]}
    people = runner.run("talk_participants", scope, **where)
    items = runner.run("talk_agenda", scope, **where)
    previous = talks.previous_talk(runner, scope, school["institution_no"], talk["school_year"])
    last = (
        runner.run("talk_agreements", scope, school=school["institution_no"], talk_id=previous["talk_id"])
        if previous
        else None
    )
    sections, figures = _sections(blocks, template, images)
    return {
        "titel": meta.title,
        "skole": school["name"],
        "skoleaar": talk["school_year"],
        "dato": danish_date(talk["talk_date"]),
        "sted": talk["place"] or "",
        "deltagere": [
            {"navn": p["name"], "rolle": talks.ROLES.get(p["role"], p["role"])} for p in people.iter_rows(named=True)
        ],
        "afsnit": sections,
        "noegletal": _key_figures(blocks),
        "figurer": figures,
        "aftaler": _agreements(runner.run("talk_agreements", scope, **where)),
        "sidste_aars_aftaler": _agreements(last) if last is not None else [],
        "dagsorden": [
            {
                "tid": f"{str(i['starts_at'])[:5]}–{str(i['ends_at'])[:5]}".replace(":", "."),
                "punkt": i["title"],
                "spoergsmaal": [q.removeprefix("- ").strip() for q in (i["questions"] or "").splitlines() if q.strip()],
            }
            for i in items.iter_rows(named=True)
        ],
    }


def render(
    data: bytes,
    runner: Runner,
    scope: Scope,
    school: dict,
    talk: dict,
    meta: Meta,
    blocks: list[Block],
    images: dict[str, bytes],
) -> bytes:
    """The document in the municipality's template, with the school as author and the title set."""
    template = load(data)
    _fill(template, context(runner, scope, school, talk, meta, blocks, images, template))
    core = template.docx.core_properties
    core.author, core.last_modified_by, core.title = school["name"][:255], school["name"][:255], meta.title[:255]
    core.language, core.comments = "da-DK", ""
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
