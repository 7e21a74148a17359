"""The minutes' exports run nothing, and the public version is safe by construction: hostile text
in every field is inert in every format; the public version of a talk whose every note, agreement
and figure cites national-test results and small groups holds none of it, in every agenda
template, minutes template and format; and it exists only for the newest version while a leader
has approved it."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import docx
import markdown as markdown_lib
import polars as pl
import pypdf
import pytest

from components import documents, minutes
from queries import talks
from queries.runner import QueryError, Runner, Scope
from tests.operational import ops_rows
from tests.test_talk import BAKKE, LEDER, YEAR, login

STYLES = list(minutes.STYLES)  # every built-in template
TEMPLATES = list(talks.templates())
FORMATS = ["html", "md", "docx", "pdf"]
AS_OF = date(2026, 11, 25)

PAYLOADS = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    "<style>body{display:none}</style>",
    "![spor](https://evil.example/t.png)",
    "<svg onload=alert(1)>",
    "**fed** # overskrift | celle",
]
XSS = " ".join(PAYLOADS)


@pytest.fixture
def runner(store_copy):
    from queries.runner import runner_for

    return runner_for(store_copy)


def _talk(runner: Runner, template: str, place: str = "Bakkeskolen") -> dict:
    talks.create_talk(runner, LEDER, "leder", BAKKE, YEAR, date(2026, 12, 10), place, template)
    return runner.run("talks_for_school", LEDER, school=BAKKE).filter(pl.col("school_year") == YEAR).row(0, named=True)


def _agenda(runner: Runner, talk: dict) -> pl.DataFrame:
    return runner.run("talk_agenda", LEDER, school=BAKKE, talk_id=talk["talk_id"])


def _fill(
    runner: Runner,
    talk: dict,
    note,
    agreement: str,
    owner: str,
    title=None,
    questions=None,
    participant: str | None = None,
) -> None:
    """Write the given text into every note, agenda title and question, agreement and participant."""
    items = _agenda(runner, talk)
    for item in items.iter_rows(named=True):
        pos = item["position"]
        runner.write(
            "save_note",
            LEDER,
            "leder",
            [
                {
                    "school": BAKKE,
                    "item_id": item["item_id"],
                    "username": "leder",
                    "body": note(pos),
                    "base_version": item["note_version"],
                }
            ],
        )
        if title:
            runner.write(
                "update_agenda_item",
                LEDER,
                "leder",
                [
                    {
                        "school": BAKKE,
                        "item_id": item["item_id"],
                        "starts_at": str(item["starts_at"])[:5],
                        "ends_at": str(item["ends_at"])[:5],
                        "title": title(pos, item["title"]),
                        "kind": item["kind"],
                        "screen": item["screen"],
                        "questions": questions(pos),
                    }
                ],
            )
    agreements = [
        {
            "school": BAKKE,
            "talk_id": talk["talk_id"],
            "agreement_id": f"{talk['talk_id']}-X{i}",
            "text": f"{agreement} ({i})",
            "owner": owner,
            "deadline": date(2027, 6, 1),
            "status": "ikke startet",
            "carried_from": None,
            "username": "leder",
        }
        for i in range(2)
    ]
    runner.write("upsert_agreement", LEDER, "leder", agreements)
    if participant:
        runner.write(
            "insert_participant",
            LEDER,
            "leder",
            [{"school": BAKKE, "talk_id": talk["talk_id"], "name": participant, "role": "skolebestyrelse"}],
        )


def _render(blocks, fmt: str, school_name: str) -> bytes | str:
    return {
        "html": lambda: documents.to_html(blocks, {}, f"Referat, {school_name}"),
        "md": lambda: documents.to_markdown(blocks),
        "docx": lambda: documents.to_docx(blocks, {}),
        "pdf": lambda: documents.to_pdf(blocks, {}),
    }[fmt]()


def _text(rendered, fmt: str) -> str:
    """The text a reader sees in the file."""
    if fmt == "docx":
        word = docx.Document(io.BytesIO(rendered))
        return "\n".join(
            [p.text for p in word.paragraphs] + [c.text for t in word.tables for row in t.rows for c in row.cells]
        )
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(rendered)).pages)
    if fmt == "md":
        return _Elements.of(markdown_lib.markdown(rendered, extensions=["tables"])).text
    return _Elements.of(rendered).text


def _approved_public(runner: Runner, talk: dict, sections: list[minutes.Section]) -> list[documents.Block]:
    latest = minutes.newest(runner, LEDER, BAKKE, talk["talk_id"])
    version = minutes.save_version(
        runner, LEDER, "leder", BAKKE, talk["talk_id"], latest["version"] if latest else 0, sections
    )
    minutes.approve(runner, LEDER, "leder", BAKKE, talk["talk_id"], version)
    return minutes.approved_public(runner, LEDER, BAKKE, talk["talk_id"])[1]


class _Elements(HTMLParser):
    """Every element and attribute of an HTML document, and its text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.chunks: list[str] = []

    @classmethod
    def of(cls, html: str) -> _Elements:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


SHELL = {"html", "head", "meta", "title", "body"}


def _assert_inert_html(html: str, shell: bool) -> None:
    parsed = _Elements.of(html)
    tags = [t for t, _ in parsed.tags]
    assert set(tags) <= documents.ALLOWED_TAGS | SHELL | ({"style"} if shell else set()), set(tags)
    assert tags.count("style") == (1 if shell else 0)  # only the page's own style
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") or name in ("srcdoc", "href", "style") for name in attrs), (tag, attrs)
        assert all("javascript:" not in (v or "").lower() for v in attrs.values()), (tag, attrs)
        if tag == "img":  # an embedded chart, or in Markdown the chart's own file name
            src = attrs.get("src", "")
            assert src.startswith("data:image/png;base64,") if shell else src == minutes.TREND_IMAGE, attrs
    if shell:
        csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv"))
        assert "default-src 'none'" in csp and "script-src" not in csp


def _assert_inert(rendered, fmt: str) -> None:
    if fmt == "html":
        _assert_inert_html(rendered, shell=True)
    elif fmt == "md":  # as a website would publish the Markdown file
        _assert_inert_html(markdown_lib.markdown(rendered, extensions=["tables"]), shell=False)
    elif fmt == "docx":
        word = docx.Document(io.BytesIO(rendered))
        assert not [r for r in word.part.rels.values() if r.is_external or "hyperlink" in r.reltype]
    else:
        for action in (b"/URI", b"/JavaScript", b"/JS", b"/Launch", b"/SubmitForm", b"/Annots"):
            assert action not in rendered, action


# -- 1. nothing hostile runs -----------------------------------------------------------------------
@pytest.mark.parametrize("style", STYLES)
def test_script_payloads_in_every_field_are_inert_in_every_export(runner, style):
    school = {"institution_no": BAKKE, "name": f"SKOLE {XSS}"}
    talk = _talk(runner, "standard", place=f"STED {XSS}")
    _fill(
        runner,
        talk,
        note=lambda p: f"NOTE{p} {XSS}",
        agreement=f"AFTALE {XSS}",
        owner=f"EJER {XSS}",
        title=lambda p, t: f"PUNKT{p} {XSS}",
        questions=lambda p: f"SPØRGSMÅL{p} {XSS}",
        participant=f"DELTAGER {XSS}",
    )
    sections = minutes.minutes_draft(runner, LEDER, school, talk, style, as_of=AS_OF)
    items = _agenda(runner, talk)
    shown_kinds = {
        "tre-kolonner": ("skolens fokus", "kommunens tema"),
        "stevns-notat": ("opfølgning", "evaluering", "skolens fokus", "kommunens tema", "data", "andet"),
    }
    public_items = [
        r["position"]
        for r in items.iter_rows(named=True)
        if not talks.is_test_item(r) and (r["kind"] != "pause" if style == "notat" else r["kind"] in shown_kinds[style])
    ]
    markers = [
        "SKOLE",
        "STED",
        "AFTALE",
        "DELTAGER",
        *[f"NOTE{p}" for p in public_items],
        *[f"PUNKT{p}" for p in public_items],
    ]
    if style == "notat":
        markers += ["EJER", "SPØRGSMÅL2"]
    if style == "stevns-notat":
        markers += ["EJER"]  # the agreements' table; the follow-up item shows its questions
    for version, blocks in (
        ("intern", minutes.document(sections, public=False)),
        ("offentlig", _approved_public(runner, talk, sections)),
    ):
        for fmt in FORMATS:
            rendered = _render(blocks, fmt, school["name"])
            _assert_inert(rendered, fmt)
            seen = _text(rendered, fmt)
            missing = [m for m in markers if m not in seen]
            assert not missing, (version, fmt, missing)  # every field made it into the file, as text
            assert "<script>" in seen, (version, fmt)  # shown as the text it is


def test_the_school_name_in_the_html_title_is_text():
    html = documents.to_html([documents.Block("heading", "x", level=1)], {}, f"Referat, {XSS}")
    title = html.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and "&lt;script&gt;" in title


def test_the_sanitiser_removes_what_the_template_would_never_write():
    dirty = (
        '<p onclick="a()">x</p><script>a()</script><img src="https://evil.example/t.png">'
        '<a href="javascript:a()">y</a><iframe srcdoc="z"></iframe>'
    )
    clean = documents.sanitise(dirty)
    assert "script" not in clean and "onclick" not in clean and "evil" not in clean and "iframe" not in clean
    assert "javascript" not in clean and "<a" not in clean


# -- 2. nothing confidential leaves ----------------------------------------------------------------
NOTE = "Læsning: 62 % gode læsere i de nationale test, og matematik ligger på 41 procent; 3 elever i 9.b er under."
AGREEMENT = "Testresultatet i matematik løftes fra 38 % til 50 % for de 4 elever i 7.a"
OWNER = "Team med 2 elever"
SECRETS = ["62 %", "41 procent", "3 elever", "38 %", "4 elever", "2 elever", "Læsning: andel", "Matematik: andel"]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_the_public_minutes_hold_no_test_result_or_small_group_in_any_template_or_format(runner, template, style):
    school = {"institution_no": BAKKE, "name": "Bakkeskolen"}
    talk = _talk(runner, template)
    _fill(
        runner,
        talk,
        note=lambda p: NOTE,
        agreement=AGREEMENT,
        owner=OWNER,
        title=lambda p, t: f"{t} (matematik 45 %)",
        questions=lambda p: NOTE,
    )
    sections = minutes.minutes_draft(runner, LEDER, school, talk, style, as_of=AS_OF)
    assert any(s.source == "nationale test" for s in sections)  # the store has test figures for the school
    # The leader tries to publish everything: confidential sections stay internal regardless.
    sections = [replace(s, public=True) for s in sections]
    assert all(not s.published for s in sections if s.confidential)
    assert {s.source for s in sections if s.confidential} >= {
        "nationale test",
        "testpunkt" if style == "notat" else "testrække",
    }
    hits = minutes.public_hits(sections)
    leaking = {
        s.key
        for s in sections
        if s.published and any(x in json.dumps(s.rows or []) + s.heading + s.text for x in SECRETS)
    }
    assert leaking and {h.key for h in hits} >= leaking  # every leaking section is shown to the leader
    assert all("folkeskoleloven § 55 b" in h.message or "under 5 elever" in h.message for h in hits)

    # Saved with the hits, the version cannot be approved, so there is no public export.
    version = minutes.save_version(runner, LEDER, "leder", BAKKE, talk["talk_id"], 0, sections)
    with pytest.raises(QueryError, match="kan ikke godkendes"):
        minutes.approve(runner, LEDER, "leder", BAKKE, talk["talk_id"], version)
    with pytest.raises(QueryError, match="godkendt"):
        minutes.approved_public(runner, LEDER, BAKKE, talk["talk_id"])

    # The leader rewrites the first hit and makes the other sections with hits internal.
    first, *rest = dict.fromkeys(h.key for h in hits)
    fixed = []
    for s in sections:
        if s.key == first:
            s = replace(
                s,
                heading="Fokus",
                text="Vi arbejder videre med læsning og matematik.",
                rows=[s.rows[0], ["Fokus", "Vi arbejder videre.", "Se aftalerne."][: len(s.rows[0])]]
                if s.group
                else s.rows,
            )
            s = s if not minutes.public_hits([s]) else replace(s, public=False)
        fixed.append(replace(s, public=False) if s.key in rest else s)
    assert not minutes.public_hits(fixed)
    public = _approved_public(runner, talk, fixed)
    internal = minutes.document(fixed, public=False)
    # Every paragraph, heading and table row of the public version passes the scan.
    for block in public:
        for unit in [block.text, *[" | ".join(r) for r in (block.rows or [])[1:]]]:
            assert not minutes.test_figures_in(unit) and not minutes.small_groups_in(unit, 5), unit
    for fmt in FORMATS:
        seen = " ".join(_text(_render(public, fmt, school["name"]), fmt).split())
        assert not [x for x in SECRETS if x in seen], (fmt, [x for x in SECRETS if x in seen])
        assert "folkeskoleloven § 55 b" in seen  # it says what it leaves out
        inside = " ".join(_text(_render(internal, fmt, school["name"]), fmt).split())
        assert "62 %" in inside and "Læsning: andel" in inside  # the internal version keeps it all


def test_an_item_that_shows_the_test_screen_stays_confidential_when_its_kind_is_changed(runner):
    talk = _talk(runner, "standard")
    item = _agenda(runner, talk).filter(pl.col("kind") == "test").row(0, named=True)
    runner.write(
        "update_agenda_item",
        LEDER,
        "leder",
        [
            {
                "school": BAKKE,
                "item_id": item["item_id"],
                "starts_at": "15:25",
                "ends_at": "15:40",
                "title": "Data",
                "kind": "andet",
                "screen": item["screen"],
                "questions": None,
            }
        ],
    )
    sections = minutes.minutes_draft(runner, LEDER, {"institution_no": BAKKE, "name": "B"}, talk, as_of=AS_OF)
    section = next(s for s in sections if s.key == f"punkt-{item['item_id']}")
    assert section.confidential and not replace(section, public=True).published


def test_a_saved_confidential_section_marked_public_is_still_left_out():
    saved = json.dumps(
        [
            {"key": "t", "source": "testpunkt", "heading": "Test", "text": "Læsning 62 %", "public": True},
            {"key": "x", "source": "ukendt-felt", "heading": "Andet", "text": "ok", "unknown": 1},
        ]
    )
    sections = minutes.from_json(saved)
    assert "62" not in documents.to_markdown(minutes.document(sections, public=True))
    legacy = minutes.from_json(None, "<!-- fortroligt -->Læsning 62 %<!-- /fortroligt -->")
    assert legacy[0].confidential and "62" not in documents.to_markdown(minutes.document(legacy, public=True))


@pytest.mark.parametrize(
    "text",
    [
        "Læsning: 62 % gode læsere",
        "matematik 41 procent",
        "De nationale test viste 12 point",
        "testresultat på 55",
        "Overgangstesten gav 3,4",
        "3 elever i 9.b",
        "tre elever",
        "én elev har fravær",
        "2 drenge",
        "4 af eleverne",
    ],
)
def test_the_scan_finds_test_figures_and_small_groups(text):
    section = minutes.Section("k", "punkt", "Punkt", text)
    assert minutes.public_hits([section], 5), text


@pytest.mark.parametrize(
    "text",
    [
        "Vi drøfter læsning i 8. årgang i 2026/27",
        "Matematik på mellemtrinnet, 4.-6. klasse, kl. 13.00",
        "Testen holdes 10. december 2026",
        "Nationale test er fortrolige (folkeskoleloven § 55 b)",
        "Grupper med færre end 5 elever vises ikke",
        "12 elever deltog",
        "Fraværet er 7,1 %",
        "en elev kan altid spørge",
    ],
)
def test_the_scan_leaves_dates_years_grades_thresholds_and_other_figures_alone(text):
    section = minutes.Section("k", "punkt", "Punkt", text)
    assert not minutes.public_hits([section], 5), text


# -- 3. only an approved version is published ---------------------------------------------------------
def test_public_export_is_refused_before_approval_and_after_an_edit(runner):
    talk = _talk(runner, "kort")
    sections = [
        minutes.Section("titel", "titel", "Referat", "Dato", level=1),
        minutes.Section("p", "punkt", "Fokus", "Vi arbejder med trivsel."),
    ]
    with pytest.raises(QueryError, match="godkendt"):  # nothing saved yet
        minutes.approved_public(runner, LEDER, BAKKE, talk["talk_id"])
    minutes.save_version(runner, LEDER, "leder", BAKKE, talk["talk_id"], 0, sections)
    with pytest.raises(QueryError, match="godkendt"):  # saved, not approved
        minutes.approved_public(runner, LEDER, BAKKE, talk["talk_id"])
    kommune = Scope("kommune", frozenset([BAKKE]), municipality_code="999")
    for other in (kommune, Scope("ledelse", frozenset(["900002"]))):
        with pytest.raises(QueryError):  # the kommune may not approve, another school's leader may not either
            minutes.approve(runner, other, "andre", BAKKE, talk["talk_id"], 1)
    minutes.approve(runner, LEDER, "leder", BAKKE, talk["talk_id"], 1)
    latest, blocks = minutes.approved_public(runner, LEDER, BAKKE, talk["talk_id"])
    assert latest["version"] == 1 and "Vi arbejder med trivsel." in documents.to_markdown(blocks)

    edited = [sections[0], replace(sections[1], text="Vi arbejder med trivsel og fravær.")]
    minutes.save_version(runner, LEDER, "leder", BAKKE, talk["talk_id"], 1, edited)
    with pytest.raises(QueryError, match="godkendt"):  # the edit withdrew the approval
        minutes.approved_public(runner, LEDER, BAKKE, talk["talk_id"])
    with pytest.raises(QueryError):  # the old version cannot be approved again in its place
        minutes.approve(runner, LEDER, "leder", BAKKE, talk["talk_id"], 1)
    minutes.approve(runner, LEDER, "leder", BAKKE, talk["talk_id"], 2)
    latest, blocks = minutes.approved_public(runner, LEDER, BAKKE, talk["talk_id"])
    assert latest["version"] == 2 and "fravær" in documents.to_markdown(blocks)


def test_the_approval_names_who_and_when_in_the_store_and_the_audit_log(runner):
    talk = _talk(runner, "kort")
    minutes.save_version(
        runner, LEDER, "leder", BAKKE, talk["talk_id"], 0, [minutes.Section("p", "punkt", "Fokus", "Trivsel.")]
    )
    minutes.approve(runner, LEDER, "leder", BAKKE, talk["talk_id"], 1)
    latest = minutes.newest(runner, LEDER, BAKKE, talk["talk_id"])
    assert latest["approved_by"] == "leder" and latest["approved_at"] is not None
    rows = ops_rows(
        runner,
        "SELECT username, target, detail, logged_at FROM audit_log "
        "WHERE action = 'referat godkendt til offentliggørelse'",
    )
    assert len(rows) == 1 and rows[0][0] == "leder" and rows[0][1] == BAKKE
    assert json.loads(rows[0][2])["talk_id"] == talk["talk_id"] and json.loads(rows[0][2])["version"] == 1


def test_the_leader_saves_and_approves_the_public_minutes_in_the_app(store_copy):
    at = login("leder", "demo-leder")
    at.switch_page("views/samtale.py").run()
    next(b for b in at.button if b.label == "Forbered samtalen").click().run()
    at.session_state["samtale_tab"] = "Referat"  # the leader opens the minutes (only the open tab is built)
    at.run()
    assert not at.exception
    confidential = [m.value for m in at.markdown if minutes.CONFIDENTIAL_LABEL in m.value]
    assert confidential  # the test item and the test figures, with no choice
    assert not any(b.label.startswith("Godkend") for b in at.button)  # nothing saved yet
    next(b for b in at.button if b.label == "Gem version").click().run()
    assert not at.exception
    assert any("Version 1 er gemt" in s.value for s in at.success)
    next(b for b in at.button if b.label == "Godkend version 1 til hjemmesiden").click().run()
    assert not at.exception
    assert any("Version 1 er godkendt til hjemmesiden af leder" in s.value for s in at.success)
    assert any("Offentlig, version 1" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Gem version").click().run()  # an edit withdraws it
    assert any("Version 2 er gemt" in s.value for s in at.success)
    assert not any("Offentlig, version" in m.value for m in at.markdown)
    assert any("Godkend version 2" in b.label for b in at.button)


def test_each_municipality_starts_from_its_own_built_in_template(monkeypatch):
    from data import reference

    monkeypatch.setattr(
        minutes,
        "settings",
        lambda: {
            **reference.settings(),
            "minutes": {
                "default": "notat",
                "templates": {"336": "stevns-notat", "450": "tre-kolonner", "999": "ukendt"},
            },
        },
    )
    assert minutes.default_style("336") == "stevns-notat" and minutes.default_style("450") == "tre-kolonner"
    assert minutes.default_style("101") == "notat" and minutes.default_style(None) == "notat"
    assert minutes.default_style("999") == "notat"  # a misspelt template never breaks the screen


def test_the_stevns_notat_has_its_fixed_headings_with_the_national_tests_internal(runner):
    school = {"institution_no": BAKKE, "name": "Bakkeskolen"}
    talk = _talk(runner, "standard")
    _fill(
        runner,
        talk,
        note=lambda p: f"Note {p}",
        agreement="Læsning i fokus",
        owner="Ledelsen",
        title=lambda p, t: t,
        questions=lambda p: "",
        participant="Anne Skoleleder",
    )
    sections = minutes.minutes_draft(runner, LEDER, school, talk, "stevns-notat", as_of=AS_OF)
    rows = [s for s in sections if s.source in ("notatrække", "testrække") and s.group]
    assert [s.heading for s in rows] == [
        "Skolens navn",
        "Dato og tidspunkt",
        "Deltagere",
        "Formålet med samtalen",
        "Materiale udsendt som grundlag for samtalen",
        "Evaluering fra sidste samtale",
        "Temaer valgt af skolen",
        "Temaer valgt af det politiske udvalg",
        "Temaer valgt af forvaltningen",
        "Drøftelser vedrørende resultater af de nationale test",
        "Aftaler for det kommende skoleår",
    ]
    tests_row = next(s for s in rows if "nationale test" in s.heading)
    assert tests_row.confidential and not replace(tests_row, public=True).published
    assert "Anne Skoleleder" in rows[2].rows[1][1] and "Læsning i fokus (0) (Ledelsen)" in rows[-1].rows[1][1]
    public = minutes.document(sections, public=True)
    tables = [b for b in public if b.kind == "table" and b.rows[0] == minutes.NOTE_COLUMNS]
    assert len(tables) == 1 and "Drøftelser vedrørende resultater af de nationale test" not in json.dumps(
        [b.rows for b in public if b.rows], ensure_ascii=False
    )
