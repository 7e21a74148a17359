"""The real app in headless Chromium: the login cannot be bypassed by URL, and Overblik renders
for the roles, with screenshots at projector and laptop size (saved under screenshots/)."""
from __future__ import annotations

import pytest

from components.navigation import SCREENS
from tests.browser import browser, full_page_screenshot, log_in, require_chromium, streamlit_server, wait_until_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server_env(tmp_path_factory):
    """A store of its own: the test process must not hold the server's DuckDB file open."""
    require_chromium()
    from data import demo, users
    folder = tmp_path_factory.mktemp("browser")
    demo.build(folder / "demo.duckdb")
    users.write_demo_users(folder / "demo.duckdb", folder / "users.yaml")
    return {"DATABLIK_DB": str(folder / "demo.duckdb"), "DATABLIK_USERS": str(folder / "users.yaml")}


def test_a_fresh_server_shows_only_the_login_for_every_screen_url(server_env):
    screens = [s.url_path for s in SCREENS] + ["ukendt"]
    folders = ["pages/overblik", "views/overblik"]  # script folders served as paths
    with streamlit_server(server_env) as url, browser() as b:
        for path in screens + folders:  # the very first request to the fresh server is a screen's URL
            page = b.new_page()
            page.goto(f"{url}/{path}")
            login = page.locator('input[aria-label="Brugernavn"]')
            if path in screens:
                # A "page not found" notice may cover it, so look for the field, not its label.
                login.wait_for(timeout=30000)
                wait_until_idle(page)
            else:
                page.wait_for_timeout(5000)
            assert page.locator("h1:has-text('Overblik')").count() == 0, path
            assert page.locator(".kf-card").count() == 0, path
            assert page.locator("text=Kilde:").count() == 0, path
            page.close()


ROLES = [("leder", "demo-leder", "ledelse"), ("kommune", "demo-kommune", "kommune"),
         ("team", "demo-team", "team")]


@pytest.mark.parametrize("username, password, role", ROLES, ids=[r[2] for r in ROLES])
def test_every_screen_renders_in_the_browser_for_the_role(server_env, username, password, role):
    from components.navigation import screens_for
    with streamlit_server(server_env) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(url)
        page.locator('input[aria-label="Brugernavn"]').wait_for(timeout=30000)
        wait_until_idle(page)
        full_page_screenshot(page, "login_1920x1080")
        log_in(page, url, username, password)
        assert page.locator(".kf-card").count() == 16
        assert page.locator("text=Demodata — fiktive tal").count() == 1
        for screen in screens_for(role):
            page.set_viewport_size({"width": 1920, "height": 1080})
            page.goto(f"{url}/{screen.url_path}")
            page.locator(f"h1:has-text('{screen.title} ·')").wait_for(timeout=30000)
            wait_until_idle(page)
            page.wait_for_timeout(1500)  # charts draw after the script has finished
            assert page.locator('[data-testid="stException"]').count() == 0, screen.title
            assert page.locator("text=Kilde:").count() > 0, screen.title
            full_page_screenshot(page, f"{screen.url_path}_{role}_1920x1080")
            page.set_viewport_size({"width": 1280, "height": 800})
            full_page_screenshot(page, f"{screen.url_path}_{role}_1280x800")


def test_a_talk_is_prepared_presented_and_noted_in_the_browser(server_env, tmp_path):
    """By hand in Chromium: prepare, present (projector size), type a note, reload, write minutes."""
    import shutil
    copy = tmp_path / "talk.duckdb"
    shutil.copy(server_env["DATABLIK_DB"], copy)
    env = server_env | {"DATABLIK_DB": str(copy)}
    with streamlit_server(env) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "leder", "demo-leder")
        page.goto(f"{url}/samtale")
        page.get_by_role("button", name="Forbered samtalen").click()
        page.get_by_role("button", name="Start præsentation").wait_for(timeout=30000)
        wait_until_idle(page)
        full_page_screenshot(page, "samtale_dagsorden_1920x1080")
        page.get_by_role("button", name="Start præsentation").click()
        page.locator("h1:has-text('Velkomst og præsentation')").wait_for(timeout=30000)
        for _ in range(2):
            page.get_by_role("button", name="Næste ▶").click()
            wait_until_idle(page)
        page.locator("h1:has-text('Indflyvning')").wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        assert page.locator('[data-testid="stSidebar"]').is_hidden()
        sizes = page.evaluate("() => [...document.querySelectorAll('.kf-value, .kf-label, .kf-table')]"
                              ".map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert sizes and min(sizes) >= 20, sizes  # projector: no figure or label under 20 px
        notes = page.get_by_label("Noter til punktet (gemmes mens der skrives)")
        notes.fill("Fraværet i 8. årgang drøftes igen i foråret.")
        page.get_by_role("heading", name="Indflyvning: Hvor vi kommer fra").click()  # leave the field: saves
        page.locator("text=Gemt kl.").wait_for(timeout=30000)
        full_page_screenshot(page, "praesentation_1920x1080")
        page.reload()
        page.locator("text=Vælg en samtale").or_(page.locator("h1")).first.wait_for(timeout=30000)
        page.goto(f"{url}/samtale")
        page.get_by_role("button", name="Start præsentation").click()
        for _ in range(2):
            page.get_by_role("button", name="Næste ▶").click()
            wait_until_idle(page)
        assert page.get_by_label("Noter til punktet (gemmes mens der skrives)").input_value() == \
            "Fraværet i 8. årgang drøftes igen i foråret."
        page.goto(f"{url}/samtale")
        page.get_by_role("tab", name="Referat").click()
        page.get_by_label("Referat (Markdown)").wait_for(timeout=30000)
        wait_until_idle(page)
        assert "Fraværet i 8. årgang drøftes igen i foråret." in page.get_by_label("Referat (Markdown)").input_value()
        full_page_screenshot(page, "samtale_referat_1920x1080")
