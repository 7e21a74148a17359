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


@pytest.mark.parametrize("username, password", [("leder", "demo-leder"), ("kommune", "demo-kommune")])
def test_overblik_renders_in_the_browser_without_errors(server_env, username, password):
    with streamlit_server(server_env) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(url)
        page.get_by_label("Brugernavn").wait_for(timeout=30000)
        wait_until_idle(page)
        full_page_screenshot(page, "login_1920x1080")
        log_in(page, url, username, password)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContainer"]').count() == 0
        assert page.locator(".kf-card").count() == 16
        assert page.locator("text=Demodata — fiktive tal").count() == 1
        full_page_screenshot(page, f"overblik_{username}_1920x1080")
        page.set_viewport_size({"width": 1280, "height": 800})
        full_page_screenshot(page, f"overblik_{username}_1280x800")
