"""Samtale & referat: prepare, present and write up a talk end to end; exports that open; the
public version without confidential figures; last year's agreements carried; notes that survive."""

from __future__ import annotations

import io
from datetime import date
from html.parser import HTMLParser

import docx
import polars as pl
import pypdf
import pytest

from components import documents, minutes
from queries import talks
from queries.runner import QueryError, Runner, Scope
from tests.test_app_pages import login

BAKKE, YEAR = "900001", "2025/26"
LEDER = Scope("ledelse", frozenset([BAKKE]))
SCHOOL = {"institution_no": BAKKE, "name": "Bakkeskolen"}


@pytest.fixture
def runner(store_copy):
    from queries.runner import runner_for

    return runner_for(store_copy)


def _prepared(runner: Runner) -> dict:
    talks.create_talk(runner, LEDER, "leder", BAKKE, YEAR, date(2026, 12, 10), "Bakkeskolen", "standard")
    return runner.run("talks_for_school", LEDER, school=BAKKE).filter(pl.col("school_year") == YEAR).row(0, named=True)


@pytest.mark.both_ops_backends
def test_last_years_agreements_appear_in_this_years_agenda_with_their_status(runner):
    previous = runner.run("talks_for_school", LEDER, school=BAKKE).filter(pl.col("school_year") == "2024/25")
    last = runner.run("talk_agreements", LEDER, school=BAKKE, talk_id=previous["talk_id"][0])
    talk = _prepared(runner)
    agenda = runner.run("talk_agenda", LEDER, school=BAKKE, talk_id=talk["talk_id"])
    follow_up = agenda.filter(pl.col("kind") == "opfølgning")["questions"][0]
    for agreement in last.iter_rows(named=True):
        assert f"{agreement['text']} ({agreement['owner']}): {agreement['status']}" in follow_up
    carried = runner.run("talk_agreements", LEDER, school=BAKKE, talk_id=talk["talk_id"])
    open_before = last.filter(pl.col("status").is_in(talks.OPEN_STATUSES))
    assert sorted(carried["carried_from"].to_list()) == sorted(open_before["agreement_id"].to_list())


def test_the_checklist_names_the_formal_requirements(runner):
    talk = _prepared(runner)
    agenda = runner.run("talk_agenda", LEDER, school=BAKKE, talk_id=talk["talk_id"])
    people = runner.run("talk_participants", LEDER, school=BAKKE, talk_id=talk["talk_id"])
    agreements = runner.run("talk_agreements", LEDER, school=BAKKE, talk_id=talk["talk_id"])
    result = {r: met for r, met, _ in talks.checklist(agenda, people, agreements, has_previous=True)}
    assert result["Resultaterne fra de obligatoriske test indgår"]
    assert result["Opfølgning på tidligere samtaler"]
    assert not result["Skolebestyrelsens forældrerepræsentant er inviteret"]  # nobody added yet
    runner.write(
        "insert_participant",
        LEDER,
        "leder",
        [{"school": BAKKE, "talk_id": talk["talk_id"], "name": "Forælder", "role": "skolebestyrelse"}],
    )
    people = runner.run("talk_participants", LEDER, school=BAKKE, talk_id=talk["talk_id"])
    assert dict((r, m) for r, m, _ in talks.checklist(agenda, people, agreements, True))[
        "Skolebestyrelsens forældrerepræsentant er inviteret"
    ]


@pytest.mark.both_ops_backends
def test_a_note_saved_on_a_stale_version_is_refused(runner):
    talk = _prepared(runner)
    item = runner.run("talk_agenda", LEDER, school=BAKKE, talk_id=talk["talk_id"]).row(2, named=True)
    note = {"school": BAKKE, "item_id": item["item_id"], "username": "leder"}
    runner.write("save_note", LEDER, "leder", [note | {"body": "Første", "base_version": 0}])
    with pytest.raises(QueryError):
        runner.write("save_note", LEDER, "kommune", [note | {"body": "Anden", "base_version": 0}])
    saved = runner.run("talk_agenda", LEDER, school=BAKKE, talk_id=talk["talk_id"]).row(2, named=True)
    assert saved["note"] == "Første"


@pytest.mark.both_ops_backends
def test_two_people_saving_the_minutes_at_once_do_not_overwrite_each_other(runner):
    talk = _prepared(runner)
    version = {"school": BAKKE, "talk_id": talk["talk_id"], "base_version": 0, "username": "leder"}
    runner.write(
        "save_minutes_version", LEDER, "leder", [version | {"body_internal": "A", "body_public": "A", "blocks": "[]"}]
    )
    with pytest.raises(QueryError):
        runner.write(
            "save_minutes_version",
            LEDER,
            "kommune",
            [version | {"body_internal": "B", "body_public": "B", "blocks": "[]"}],
        )
    versions = runner.run("talk_minutes_versions", LEDER, school=BAKKE, talk_id=talk["talk_id"])
    assert versions.filter(~pl.col("public"))["body_md"].to_list() == ["A"]


class _Strict(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.images = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images += 1
        elif tag not in ("meta", "br", "hr"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # <img ... />
        if tag == "img":
            self.images += 1

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"


def _exports(runner, public: bool):
    talk = _prepared(runner)
    sections = minutes.minutes_draft(runner, LEDER, SCHOOL, talk, "notat", as_of=date(2026, 11, 25))
    text = minutes.document(sections, public=public)
    from components.talk_sections import trend_image

    images = {"figur-trivsel.png": trend_image(runner, LEDER, BAKKE, ["2024/25", YEAR])}
    word = docx.Document(io.BytesIO(documents.to_docx(text, images)))
    word_text = "\n".join(
        [p.text for p in word.paragraphs] + [c.text for t in word.tables for row in t.rows for c in row.cells]
    )
    pdf = pypdf.PdfReader(io.BytesIO(documents.to_pdf(text, images)))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    pdf_images = len({image.data for page in pdf.pages for image in page.images})  # pages share resources
    html = documents.to_html(text, images, "Referat")
    parser = _Strict()
    parser.feed(html)
    assert parser.stack == []  # every element closed
    return text, word, word_text, pdf_text, pdf_images, html, parser.images


def test_the_exports_open_and_keep_danish_letters_and_the_chart(runner):
    text, word, word_text, pdf_text, pdf_images, html, html_images = _exports(runner, public=False)
    for content in (word_text, pdf_text, html):
        assert "Referat af skoleudviklingssamtalen" in content
        assert "Læsning: andel gode" in content  # the internal version holds the test results
        assert all(letter in content for letter in "æøå")
    assert len(word.inline_shapes) == 1 and pdf_images == 1 and html_images == 1


def test_the_public_minutes_leave_out_the_national_test_results_in_every_format(runner):
    text, _, word_text, pdf_text, _, html, _ = _exports(runner, public=True)
    for content in (documents.to_markdown(text), word_text, pdf_text, html):
        assert "Læsning" not in content and "Matematik: andel" not in content, content[:200]
        assert "fortroligt" not in content.replace("fortrolige", "")
        assert "folkeskoleloven § 55 b" in content.replace("\n", " ")


@pytest.mark.both_ops_backends
def test_a_talk_is_prepared_presented_and_written_up_in_the_app(store_copy):
    at = login("leder", "demo-leder")
    at.switch_page("views/samtale.py").run()
    next(b for b in at.button if b.label == "Forbered samtalen").click().run()
    assert not at.exception
    assert any(
        df.value.astype(str).apply(lambda c: c.str.contains("Sidste års aftaler og deres status")).any().any()
        for df in at.dataframe
    )
    next(b for b in at.button if b.label == "Start præsentation").click().run()
    assert not at.exception
    assert at.title[0].value == "Velkomst og præsentation"
    at.switch_page("views/praesentation.py")  # AppTest reruns the page it was sent to, a browser follows
    next(b for b in at.button if b.label == "Næste ▶").click().run()
    next(b for b in at.button if b.label == "Næste ▶").click().run()
    assert at.title[0].value == "Indflyvning: Hvor vi kommer fra"
    note = next(t for t in at.text_area if t.label.startswith("Noter til punktet"))
    note.input("Fraværet i 8. årgang skal drøftes igen.").run()
    assert "Gemt kl." in " ".join(c.value for c in at.caption)

    # A reload is a new session: the note is still there.
    again = login("leder", "demo-leder")
    again.switch_page("views/samtale.py").run()
    next(b for b in again.button if b.label == "Start præsentation").click().run()
    again.switch_page("views/praesentation.py")
    next(b for b in again.button if b.label == "Næste ▶").click().run()
    next(b for b in again.button if b.label == "Næste ▶").click().run()
    note = next(t for t in again.text_area if t.label.startswith("Noter til punktet"))
    assert note.value == "Fraværet i 8. årgang skal drøftes igen."

    # The minutes draft picks the note up (in the section of its item) and a version is saved.
    again.switch_page("views/samtale.py")
    again.session_state["samtale_tab"] = "Referat"  # only the open tab is built
    again.run()
    assert any(t.value == "Fraværet i 8. årgang skal drøftes igen." for t in again.text_area if t.label == "Tekst")
    next(b for b in again.button if b.label == "Gem version").click().run()
    assert any("Version 1 er gemt" in s.value for s in again.success)


def test_presentation_mode_never_shows_pupil_level_screens():
    import inspect

    from components.presentation import figures_for

    source = inspect.getsource(figures_for)
    assert "aargang" not in source and "year_group" not in source


@pytest.mark.both_ops_backends
def test_an_agenda_item_can_be_changed_but_not_another_schools(runner):
    talk = _prepared(runner)
    item = runner.run("talk_agenda", LEDER, school=BAKKE, talk_id=talk["talk_id"]).row(0, named=True)
    change = {
        "school": BAKKE,
        "item_id": item["item_id"],
        "starts_at": "12:30",
        "ends_at": "12:45",
        "title": "Velkomst og kaffe",
        "kind": "velkomst",
        "screen": None,
        "questions": None,
    }
    runner.write("update_agenda_item", LEDER, "leder", [change])
    again = runner.run("talk_agenda", LEDER, school=BAKKE, talk_id=talk["talk_id"]).row(0, named=True)
    assert (again["title"], str(again["starts_at"])[:5]) == ("Velkomst og kaffe", "12:30")
    other = Scope("ledelse", frozenset(["900002"]))
    with pytest.raises(QueryError):  # the item belongs to Bakkeskolen: no row matches
        runner.write("update_agenda_item", other, "leder", [change | {"school": "900002"}])


def test_each_minutes_section_of_an_item_that_shows_a_screen_has_its_figures_beside_it(store_copy):
    at = login("leder", "demo-leder")
    at.switch_page("views/samtale.py").run()
    next(b for b in at.button if b.label == "Forbered samtalen").click().run()
    assert not at.exception
    agenda = [r for df in at.dataframe for r in df.value.astype(str).to_dict("records")]
    at.session_state["samtale_tab"] = "Referat"  # only the open tab is built
    at.run()
    from tests.test_chart_cache import open_tables

    open_tables(at)  # the figures are built when their expander is opened
    beside = [e for e in at.expander if e.label == "Tallene til punktet"]
    assert beside and len(beside) <= len(agenda)
    shown = " ".join(m.value for e in beside for m in e.markdown)
    assert "Trivsel" in shown or "Fravær" in shown  # the key-figure cards of the item's screen


def _samtale_with_a_talk(tab: str | None = None):
    at = login("leder", "demo-leder")
    at.switch_page("views/samtale.py").run()
    next(b for b in at.button if b.label == "Forbered samtalen").click().run()
    if tab is not None:
        at.session_state["samtale_tab"] = tab  # the user opens the tab
        at.run()
    assert not at.exception
    return at


def test_a_closed_samtale_tab_is_not_built_but_the_agenda_checklist_still_is(store_copy, monkeypatch):
    from components import presentation

    drawn: list[str] = []
    original = presentation.figures_for
    monkeypatch.setattr(presentation, "figures_for", lambda *a, **k: drawn.append(a[-1]) or original(*a, **k))
    at = _samtale_with_a_talk()
    labels = {b.label for b in at.button}
    assert "Gem dagsorden" in labels  # the open tab, Dagsorden
    assert not labels & {"Gem aftaler", "Gem version"}  # Aftaler and Referat are closed: not built
    assert not [t for t in at.text_area if t.label == "Tekst"] and not drawn
    assert "Vis datapakkens tal her" not in {t.label for t in at.toggle}  # Datapakke closed
    checks = " ".join(m.value for m in at.markdown)
    assert "opfyldt" in checks or "mangler" in checks  # the checklist, from the queries of both tabs
    at.session_state["samtale_tab"] = "Aftaler"
    at.run()
    labels = {b.label for b in at.button}
    assert "Gem aftaler" in labels and not labels & {"Gem dagsorden", "Gem version"}


def test_the_minutes_figures_are_built_only_when_their_expander_is_opened(store_copy, monkeypatch):
    from components import presentation
    from tests.test_chart_cache import open_tables

    drawn: list[str] = []
    original = presentation.figures_for
    monkeypatch.setattr(presentation, "figures_for", lambda *a, **k: drawn.append(a[-1]) or original(*a, **k))
    at = _samtale_with_a_talk("Referat")
    assert [t for t in at.text_area if t.label == "Tekst"]  # the editor is built
    assert [e for e in at.expander if e.label == "Tallene til punktet"] and not drawn
    assert "Tallene til punktet" in open_tables(at) and drawn


def test_minutes_typed_and_not_saved_survive_a_switch_to_aftaler_and_back(store_copy):
    at = _samtale_with_a_talk("Referat")
    typed = "Skolen vil arbejde videre med fraværet i 8. årgang."
    next(t for t in at.text_area if t.label == "Tekst").input(typed).run()
    at.session_state["samtale_tab"] = "Aftaler"
    at.run()
    assert not [t for t in at.text_area if t.label == "Tekst"]  # the editor is not built now
    at.session_state["samtale_tab"] = "Referat"
    at.run()
    assert not at.exception and not [w for w in at.warning if "Session State" in w.value]
    assert next(t for t in at.text_area if t.label == "Tekst").value == typed
