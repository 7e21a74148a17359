"""The real app in headless Chromium: the login cannot be bypassed by URL; every screen renders for
every role with its key content, no exception or error box and no English UI word or internal id
(tests/language_scan.py), and once per screen (as the admin, who sees every screen and the
municipality's parts of it) no axe-core WCAG 2.1 A/AA violation with every expander and tab read;
the projector type size, a filter, an Excel download and the talk flow; screenshots at projector
and laptop size under screenshots/ (ignored by git)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from components.navigation import SCREENS
from tests.browser import (
    COOKIE_PATH,
    ROOT,
    browser,
    click_and_wait,
    full_page_screenshot,
    log_in,
    open_screen,
    prepare_talk,
    require_chromium,
    streamlit_server,
    wait_until_idle,
)
from tests.conftest import copy_demo
from tests.language_scan import FIXED_NAMES, READ, hits_in, read_as_it_opens, read_screen
from tests.operational import copy_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server_env(pristine_demo, tmp_path_factory):
    """A store of its own: the test process must not hold the server's DuckDB file open."""
    require_chromium()
    store, users_file = copy_demo(pristine_demo, tmp_path_factory.mktemp("browser"))
    copy_store(store, store.with_name("pristine.duckdb"))  # copied for tests that write
    return {"DATABLIK_DB": str(store), "DATABLIK_USERS": str(users_file)}


def on_a_copy(server_env: dict, tmp_path) -> dict:
    """The server's environment with a private copy of its store, for a test that writes; copied
    from the store as built, since a reused server may be writing to its own."""
    copy = tmp_path / "store.duckdb"
    copy_store(Path(server_env["DATABLIK_DB"]).with_name("pristine.duckdb"), copy)
    return server_env | {"DATABLIK_DB": str(copy)}


def test_a_fresh_server_shows_only_the_login_for_every_screen_url(server_env):
    screens = [s.url_path for s in SCREENS] + ["ukendt"]
    folders = ["pages/overblik", "views/overblik"]  # script folders served as paths
    with streamlit_server(server_env) as url, browser() as b:
        context = b.new_context()  # one context: the app's scripts come from its cache after the first page
        for path in screens + folders:  # the very first request to the fresh server is a screen's URL
            page = context.new_page()
            page.goto(f"{url}/{path}")
            login = page.locator('input[aria-label="Brugernavn"]')
            if path in screens:
                # A "page not found" notice may cover it, so look for the field, not its label.
                login.first.wait_for()
                wait_until_idle(page)
            else:  # served without the app's scripts, so nothing runs: wait until nothing more loads
                page.wait_for_load_state("networkidle")
            assert page.locator("h1:has-text('Overblik')").count() == 0, path
            assert page.locator(".kf-card").count() == 0, path
            assert page.locator("text=Kilde:").count() == 0, path
            page.close()


ROLES = [
    ("leder", "demo-leder", "ledelse"),
    ("kommune", "demo-kommune", "kommune"),
    ("team", "demo-team", "team"),
    ("admin", "demo-admin", "admin"),
]
# One thing per screen that shows it has its content: a key figure, a table or the main action.
KEY_CONTENT = {
    "overblik": ".kf-value",
    "trivsel": ".kf-value",
    "fravaer": ".kf-value",
    "faglighed": "text=Kilde:",
    "deltagelse": ".kf-value",
    "leaps": "text=Status i forhold til programmets regler",
    "aargang": "text=Klasserne i",
    "samtale": "text=Forbered samtalen",
    "praesentation": "text=Vælg en samtale",
    "saeson": "text=Aftaler pr. skole",
    "kommune": "text=Alle skoler",
    "succeskriterier": "text=milepæle er nået",
    "revision": "text=Loggen kan ikke ændres",
    "data": "text=Friskhed pr. kilde og skole",
}
# axe-core as the PyPI package axe-playwright-python ships it (requirements-dev.txt): no npm needed.
AXE = (
    Path(importlib.util.find_spec("axe_playwright_python").origin).with_name("axe.min.js")
    if importlib.util.find_spec("axe_playwright_python")
    else ROOT / "tests" / "axe-core-missing"
)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core against WCAG 2.1 A/AA. Without its engine the check fails: it never passes unseen."""
    if not AXE.exists():
        pytest.fail("axe-core mangler: pip install -r requirements-dev.txt (pakken axe-playwright-python).")
    # Evaluated through the DevTools protocol, not as a <script> tag: the app's Content-Security-Policy
    # (serve.py) rightly refuses an inline script the page did not bring.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))",
        WCAG,
    )


def test_the_accessibility_check_fails_rather_than_passes_without_axe_core(monkeypatch):
    import tests.test_browser as module

    monkeypatch.setattr(module, "AXE", ROOT / "tests" / "axe-core-missing")
    with pytest.raises(pytest.fail.Exception, match="axe-core mangler"):
        module.axe_violations(page=None)


# The role whose tour runs axe-core and opens every expander and tab of each screen: the admin sees
# all 14 screens, and the parts a municipality sees (school choice, the talk's approval); the screens
# are the same components for every role, so repeating both per role (~85 % of a tour's Chromium
# time) found nothing the admin's tour does not. The other roles are scanned as each screen opens.
FULL_CHECK_ROLE = "admin"


def test_the_role_that_runs_axe_and_opens_every_part_sees_every_screen():
    from components.navigation import screens_for

    assert [s.url_path for s in screens_for(FULL_CHECK_ROLE)] == [s.url_path for s in SCREENS]


@pytest.mark.parametrize("username, password, role", ROLES, ids=[r[2] for r in ROLES])
def test_every_screen_renders_in_the_browser_for_the_role(server_env, username, password, role):
    from components.navigation import screens_for

    with streamlit_server(server_env, reuse=True) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(url)
        page.get_by_label("Brugernavn").first.wait_for()
        wait_until_idle(page)
        if role == FULL_CHECK_ROLE:
            assert axe_violations(page) == []
        full_page_screenshot(page, "login_1920x1080")
        language = {"login": hits_in(page.evaluate(READ, FIXED_NAMES))}
        log_in(page, url, username, password)
        assert page.locator("text=Demodata — fiktive tal").count() == 1
        assert page.locator('[data-testid="stMainMenu"]').count() == 0  # its menu is English
        for position, screen in enumerate(screens_for(role)):
            page.set_viewport_size({"width": 1920, "height": 1080})
            link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{screen.url_path}"]')
            if position and link.is_visible():  # as a user goes: the sidebar's link
                link.click()
            elif position:  # the presentation hides the sidebar: the screen's address
                page.goto(f"{url}/{screen.url_path}")
            page.locator(f"h1:has-text('{screen.title} ·')").first.wait_for()
            wait_until_idle(page)  # and the charts have drawn
            assert page.locator("text=Page not found").count() == 0, screen.title
            assert page.locator('[data-testid="stException"]').count() == 0, screen.title
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0, screen.title
            assert page.locator(KEY_CONTENT[screen.url_path]).count() > 0, screen.title
            if role == FULL_CHECK_ROLE:
                assert axe_violations(page) == [], screen.title
                texts = read_screen(page)  # with its expanders open and each of its tabs shown
            else:  # the role's own figures and words, as the screen opens
                texts = read_as_it_opens(page)
            assert len(" ".join(texts)) > 200, screen.title  # the scan read the screen
            language[screen.url_path] = hits_in(texts)
            full_page_screenshot(page, f"{screen.url_path}_{role}_1920x1080")
            if role == "ledelse":  # the laptop size once per screen is enough to look at
                page.set_viewport_size({"width": 1280, "height": 800})
                full_page_screenshot(page, f"{screen.url_path}_{role}_1280x800")
    # Danish everywhere: no English UI word, no internal id (tests/language_scan.py), listed for every screen at once.
    found = {screen: sorted(set(hits)) for screen, hits in language.items() if hits}
    assert found == {}, "\n".join(f"{screen}: {hit}" for screen, hits in found.items() for hit in hits)


def test_overblik_is_readable_from_the_back_and_its_figures_follow_the_filter(server_env):
    with streamlit_server(server_env, reuse=True) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "leder", "demo-leder")
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('.kf-value, .kf-label, .kf-table')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        cards = page.locator(".kf-card").count()  # read once the page is complete: 17 with LEAPS
        assert cards >= 16 and len(sizes) == cards * 3 and min(sizes) >= 20, sizes  # projector: >= 20 px
        first = page.locator(".kf-value").first.inner_text()
        page.get_by_label("Skoleår").click()
        page.get_by_role("option", name="2022/23").click()
        page.locator("h1:has-text('2022/23')").first.wait_for()
        wait_until_idle(page)
        assert page.locator(".kf-value").first.inner_text() != first


def test_the_kommune_table_downloads_as_an_excel_file_that_opens(server_env, tmp_path):
    import openpyxl

    with streamlit_server(server_env, reuse=True) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "kommune", "demo-kommune")
        page.goto(f"{url}/kommune")
        page.get_by_role("button", name="Hent som Excel").first.wait_for()
        wait_until_idle(page)
        runs = "() => window.__datablik.asked - window.__datablik.component"
        asked = page.evaluate(runs)
        with page.expect_download() as download:
            page.get_by_role("button", name="Hent som Excel").click()
        path = tmp_path / "skoler.xlsx"
        download.value.save_as(path)
        wait_until_idle(page)
        # No rerun: a rerun gives the file a new id, and a browser that asks for the old one under load
        # gets nothing (seen once: no download in 120 s). The export is in the audit log all the same.
        # Runs a component's value asks for (each counted in `component`) are not the click's: under load
        # they can come after the page first looked idle (seen once: 3 of them).
        assert page.evaluate(runs) == asked
        from tests.operational import ops_rows

        exports = ops_rows(
            server_env["DATABLIK_DB"],  # its operational store (the server holds the DuckDB file)
            "SELECT target FROM audit_log WHERE username = 'kommune' AND action = 'eksport'",
        )
        assert (download.value.suggested_filename,) in exports, exports
        sheet = openpyxl.load_workbook(path).active
        header = [c.value for c in sheet[4]]
        assert header[0] == "Skole" and "Generel trivsel" in header
        names = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
        assert "Bakkeskolen" in names and names[-2:] == ["Kommunen", "Landet"]


def test_a_talk_is_prepared_presented_and_noted_in_the_browser(server_env, tmp_path):
    """By hand in Chromium: prepare, present (projector size), type a note, reload, write minutes."""
    with streamlit_server(on_a_copy(server_env, tmp_path)) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "leder", "demo-leder")
        prepare_talk(page, url)
        full_page_screenshot(page, "samtale_dagsorden_1920x1080")
        page.get_by_role("button", name="Start præsentation").click()
        page.locator("h1:has-text('Velkomst og præsentation')").first.wait_for()
        wait_until_idle(page)
        for _ in range(2):
            click_and_wait(page, page.get_by_role("button", name="Næste ▶"))
        page.locator("h1:has-text('Indflyvning')").first.wait_for()
        wait_until_idle(page)
        page.locator('[data-testid="stSidebar"]').wait_for(state="hidden")
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('.kf-value, .kf-label, .kf-table')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert sizes and min(sizes) >= 20, sizes  # projector: no figure or label under 20 px
        notes = page.get_by_label("Noter til punktet (gemmes mens der skrives)")
        notes.fill("Fraværet i 8. årgang drøftes igen i foråret.")
        page.get_by_role("heading", name="Indflyvning: Hvor vi kommer fra").click()  # leave the field: saves
        page.locator("text=Gemt kl.").first.wait_for()
        full_page_screenshot(page, "praesentation_1920x1080")
        page.reload()  # the item is in the URL: the same item, with its note
        page.locator("h1:has-text('Indflyvning')").first.wait_for()
        wait_until_idle(page)
        assert (
            page.get_by_label("Noter til punktet (gemmes mens der skrives)").input_value()
            == "Fraværet i 8. årgang drøftes igen i foråret."
        )
        page.goto(f"{url}/samtale")
        page.get_by_role("button", name="Start præsentation").first.wait_for()
        wait_until_idle(page)  # a click during the first run can be lost in its rerun
        page.get_by_role("button", name="Start præsentation").click()
        page.locator("h1:has-text('Velkomst og præsentation')").first.wait_for()
        wait_until_idle(page)
        for _ in range(2):
            click_and_wait(page, page.get_by_role("button", name="Næste ▶"))
        page.locator("h1:has-text('Indflyvning')").first.wait_for()
        wait_until_idle(page)
        assert (
            page.get_by_label("Noter til punktet (gemmes mens der skrives)").input_value()
            == "Fraværet i 8. årgang drøftes igen i foråret."
        )
        open_screen(page, f"{url}/samtale", page.get_by_role("tab", name="Referat"))
        page.get_by_role("tab", name="Referat").click()
        page.get_by_role("button", name="Gem version").first.wait_for()
        wait_until_idle(page)
        texts = page.evaluate("() => [...document.querySelectorAll('textarea')].map(t => t.value)")
        assert "Fraværet i 8. årgang drøftes igen i foråret." in texts
        full_page_screenshot(page, "samtale_referat_1920x1080")


def test_talk_minutes_typed_in_the_browser_survive_a_switch_to_aftaler_and_back(server_env, tmp_path):
    """The leader types minutes during the meeting, opens Aftaler (only the open tab is built) and
    comes back: the text typed and not saved is still there."""
    typed = "Skolen arbejder videre med fraværet i 8. årgang."
    with streamlit_server(on_a_copy(server_env, tmp_path)) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "leder", "demo-leder")
        prepare_talk(page, url)
        assert page.get_by_role("button", name="Gem version").count() == 0  # Referat closed: not built
        page.get_by_role("tab", name="Referat").click()
        page.get_by_role("button", name="Gem version").first.wait_for()
        wait_until_idle(page)
        page.get_by_label("Tekst").first.fill(typed)
        page.get_by_role("tab", name="Aftaler").click()
        page.get_by_role("button", name="Gem aftaler").first.wait_for()
        wait_until_idle(page)
        assert page.get_by_role("button", name="Gem version").count() == 0
        page.get_by_role("tab", name="Referat").click()
        page.get_by_role("button", name="Gem version").first.wait_for()
        wait_until_idle(page)
        assert page.get_by_label("Tekst").first.input_value() == typed
        full_page_screenshot(page, "samtale_referat_efter_skift_1920x1080")


def test_a_cookie_is_refused_after_logout_in_any_browser_and_when_forged_or_malformed(server_env):
    import time

    import jwt

    def opens_overblik(cookies) -> bool:
        context = b.new_context(viewport={"width": 1280, "height": 800})
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(url)
        page.locator("h1").first.wait_for()
        wait_until_idle(page)
        seen = page.locator("h1:has-text('Overblik ·')").count() == 1
        context.close()
        return seen

    with streamlit_server(server_env, reuse=True) as url, browser() as b:
        context = b.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        log_in(page, url, "leder", "demo-leder")
        captured = [c for c in context.cookies() if c["name"] == "datablik_login"]
        assert captured
        assert opens_overblik(captured)  # the cookie is a login while its session is open
        second = b.new_context(viewport={"width": 1280, "height": 800})  # another browser, same cookie
        second.add_cookies(captured)
        other = second.new_page()
        other.goto(url)
        other.wait_for_selector("h1:has-text('Overblik ·')")
        wait_until_idle(other)
        page.get_by_role("button", name="Log ud").click()
        page.get_by_label("Brugernavn").first.wait_for()  # the old run's field may linger
        wait_until_idle(page)
        assert not opens_overblik(captured)  # replayed after logout: refused
        # Its next rerun (a click, unless the cookie component has already asked for one) ends it.
        nav = other.locator('[data-testid="stSidebarNavLink"]', has_text="Trivsel")
        nav.or_(other.get_by_label("Brugernavn")).first.wait_for()
        if other.get_by_label("Brugernavn").count() == 0:
            nav.click()
        other.get_by_label("Brugernavn").first.wait_for()
        # The message itself is the state to wait on: the ended session's cookie component may post a
        # value the frontend does not rerun for (seen under two workers), so "idle" can never come.
        other.locator("text=din session er afsluttet eller udløbet").first.wait_for()
        assert other.locator("text=din session er afsluttet eller udløbet").count() == 1
        second.close()
        forged = jwt.encode({"username": "leder", "exp_date": time.time() + 3600}, "some_key", algorithm="HS256")
        assert not opens_overblik([{"name": "datablik_login", "value": forged, "url": url}])
        for malformed in (
            "e30.e30.e30",
            jwt.encode({"username": "leder", "exp_date": time.time() + 3600}, None, algorithm="none"),
        ):
            context = b.new_context()
            context.add_cookies([{"name": "datablik_login", "value": malformed, "url": url}])
            bad = context.new_page()
            bad.goto(url)
            bad.get_by_label("Brugernavn").first.wait_for()
            wait_until_idle(bad)
            assert bad.locator("text=Din login-cookie kunne ikke bruges").count() == 1
            assert bad.locator('[data-testid="stException"]').count() == 0
            context.close()


def test_the_data_owner_uploads_checks_and_imports_a_file_in_the_browser(server_env, tmp_path):
    """A broken file shows its report and no import button; a good one previews, imports and appears
    in the history, with a progress bar and a success message."""
    from tests.import_examples import FOLDER

    with streamlit_server(on_a_copy(server_env, tmp_path)) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "admin", "demo-admin")
        # A file handed to the uploader of the first run's page can be lost with it: wait for the run.
        open_screen(page, f"{url}/data", page.locator("text=Friskhed pr. kilde og skole"))
        upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        upload.set_input_files(str(FOLDER / "fejl" / "uden-for-skala.csv"))
        page.locator("text=Intet er importeret").first.wait_for()
        wait_until_idle(page)
        assert page.get_by_role("button", name="Hent fejlrapporten (CSV)").count() == 1
        assert page.get_by_role("button", name="Importér 10 rækker").count() == 0
        full_page_screenshot(page, "data_fejlrapport_1920x1080")
        # a new page session: the uploader starts empty
        open_screen(page, f"{url}/data", page.locator("text=Friskhed pr. kilde og skole"))
        # the example replaces a demo school-year's register
        click_and_wait(page, page.get_by_text("Erstat elevregistret"))
        upload.set_input_files(str(FOLDER / "pupils.xlsx"))
        page.get_by_role("button", name="Importér 10 rækker").first.wait_for()
        wait_until_idle(page)
        assert page.locator("text=10 rækker, alle i orden").count() == 1
        full_page_screenshot(page, "data_forhaandsvisning_1920x1080")
        page.get_by_role("button", name="Importér 10 rækker").click()
        page.locator("text=importeret som parti 1").first.wait_for()
        wait_until_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        full_page_screenshot(page, "data_importeret_1920x1080")


def _english_or_codes(said: str) -> list[str]:
    """hits_in, less the test's own temporary folder, which the Data screen names as the backup folder."""
    return hits_in([re.sub(r"\S*pytest-of-\S*", " ", said)])


def _uploader_texts(page) -> str:
    """What the page says, including the file list under an uploader (where Streamlit's browser code
    writes its own refusals, "… files are not allowed." and "File must be … or smaller.")."""
    return "\n".join(page.evaluate(READ, FIXED_NAMES))


def test_every_upload_refusal_in_the_browser_is_danish_and_changes_nothing(server_env, tmp_path):
    """A wrong type on the Data screen and on the Word template, and a template over its 5 MB limit
    (refused by the upload gate before Streamlit stores it), each get a Danish message in the page and
    no English one in the uploader; nothing is imported and no template is used."""
    with streamlit_server(on_a_copy(server_env, tmp_path)) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "admin", "demo-admin")
        open_screen(page, f"{url}/data", page.locator("text=Friskhed pr. kilde og skole"))
        upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        upload.set_input_files(files=[{"name": "elever.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n"}])
        page.locator("text=ikke filtypen .pdf").first.wait_for()
        wait_until_idle(page)
        said = _uploader_texts(page)
        assert "Intet er importeret" in said and not _english_or_codes(said), _english_or_codes(said)
        assert page.get_by_role("button", name="Importér").count() == 0
        assert (
            page.locator('[data-testid="stFileUploaderFileErrorMessage"], .stFileUploaderFileErrorMessage').count() == 0
        )
        assert page.locator("text=Der er ikke importeret nogen filer endnu.").count() == 1  # nothing changed
        full_page_screenshot(page, "data_forkert_filtype_1920x1080")
        # The logout hands over a ticket that clears the cookie: wait for the server's answer, or the
        # next page may still send the old cookie and the handover's run race the next login.
        with page.expect_response(lambda r: r.url.endswith(COOKIE_PATH)):
            page.get_by_role("button", name="Log ud").click()
        page.get_by_label("Brugernavn").first.wait_for()
        wait_until_idle(page)

        log_in(page, url, "leder", "demo-leder")
        prepare_talk(page, url)
        click_and_wait(page, page.get_by_role("tab", name="Referat"))  # only the open tab is built
        page.get_by_text("Kommunens egen Word-skabelon").first.click()
        wait_until_idle(page)
        template = page.locator('.st-key-municipal_template [data-testid="stFileUploaderDropzoneInput"]')
        hint = page.evaluate(
            """() => getComputedStyle(document.querySelector('.st-key-municipal_template '
              + '[data-testid="stFileUploaderDropzoneInstructions"] > div'), '::after').content"""
        )
        assert "højst 5 MB" in hint, hint
        for name, data, danish in (
            ("skabelon.pdf", b"%PDF-1.7\n", "skabelon.pdf er ikke et Word-dokument (.docx)"),
            ("skabelon.docx", b"PK" + b"\0" * 6_000_000, "Skabelonen fylder 6,0 MB; den må højst fylde 5 MB."),
        ):
            template.set_input_files(files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
            page.locator(f"text={danish}").first.wait_for()
            wait_until_idle(page)
            said = _uploader_texts(page)
            assert not _english_or_codes(said), _english_or_codes(said)
            assert "status code" not in said and "AxiosError" not in said and "Error:" not in said
            assert page.locator('[data-testid="stFileChip"][aria-invalid="true"]').count() == 0
            assert page.locator('[class*="st-key-template_"]').count() == 0  # no document from the template
            full_page_screenshot(page, f"samtale_skabelon_{name.replace('.', '_')}_1920x1080")
            page.locator('.st-key-municipal_template [data-testid="stFileChipDeleteBtn"] button').first.click()
            wait_until_idle(page)
