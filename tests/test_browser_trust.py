"""In headless Chromium: no page asks any host but the app's, and hostile text stored in every
field is no live element in the Præsentation DOM (the policy behind serve.py: test_browser_csp)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from components import navigation
from tests.browser import browser, log_in, require_chromium, streamlit_server, wait_until_idle
from tests.conftest import copy_demo
from tests.test_user_text import store_hostile_text

pytestmark = pytest.mark.browser

LIVE_PAYLOAD = """() => ({
  iframes: document.querySelectorAll('iframe[srcdoc]').length,
  images: [...document.images].filter(i => i.src.includes('evil')).length,
  forms: document.querySelectorAll('form[action*="evil"], input[type=password]').length,
  styles: [...document.querySelectorAll('style')].filter(s => s.textContent.includes('body{display:none}')).length,
  links: [...document.querySelectorAll('a')].filter(a => a.href.startsWith('javascript:')).length,
  bodyShown: getComputedStyle(document.body).display !== 'none',
})"""


@pytest.fixture(scope="module")
def hostile_env(pristine_demo, tmp_path_factory):
    return build_hostile_env(pristine_demo, tmp_path_factory)


def build_hostile_env(pristine_demo, tmp_path_factory) -> dict[str, str]:
    """A store of its own with every payload typed in, closed again before the server opens it."""
    require_chromium()
    from data import store
    from queries.runner import Runner

    path, users_file = copy_demo(pristine_demo, tmp_path_factory.mktemp("trust"))
    con = store.connect(path)
    try:
        store_hostile_text(Runner(con))
    finally:
        con.close()
    return {"DATABLIK_DB": str(path), "DATABLIK_USERS": str(users_file)}


def _present(page, url: str) -> None:
    page.goto(f"{url}/samtale")
    _wait_attached(page, page.get_by_role("button", name="Start præsentation"))
    wait_until_idle(page)
    page.get_by_role("button", name="Start præsentation").click()
    # attached, not visible: a live <style>body{display:none}</style> hides the whole page
    _wait_attached(page, page.get_by_role("button", name="Næste ▶"))
    _wait_attached(page, page.locator(".present-questions"))
    wait_until_idle(page)


def _wait_attached(page, locator) -> None:
    """Attached, not visible: a live <style>body{display:none}</style> would hide the whole page.
    If it never comes, say what the page shows instead (its headings and messages)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        locator.first.wait_for(state="attached")
    except PlaywrightTimeout:
        shown = page.evaluate(
            "() => [...document.querySelectorAll('h1, h2, [data-testid=stAlert], [data-testid=stException]')]"
            ".map(e => e.innerText.slice(0, 200))"
        )
        raise AssertionError(f"{locator} never came on {page.url}; the page shows {shown}") from None


@pytest.fixture(scope="module")
def app_url(hostile_env):
    with streamlit_server(hostile_env) as url:
        yield url


def test_no_page_requests_anything_from_another_host(app_url):
    url = app_url
    with browser() as b:
        page = b.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        log_in(page, url, "leder", "demo-leder")
        for path in ("trivsel", "samtale"):
            page.goto(f"{url}/{path}")
            title = navigation.screen(path).title
            _wait_attached(page, page.locator(f"h1:has-text('{title} ·')"))  # the screen, not the login
            wait_until_idle(page)
        _present(page, url)
        own = urlparse(url).netloc
        assert len(requested) > 50  # the login, four screens and their assets were recorded
        assert [u for u in requested if urlparse(u).netloc != own and not u.startswith(("data:", "blob:"))] == []


def test_hostile_text_is_no_live_element_in_the_presentation_dom(app_url):
    url = app_url
    with browser() as b:
        page = b.new_page()
        log_in(page, url, "leder", "demo-leder")
        _present(page, url)
        assert page.evaluate(LIVE_PAYLOAD) == {
            "iframes": 0,
            "images": 0,
            "forms": 0,
            "styles": 0,
            "links": 0,
            "bodyShown": True,
        }
        shown = page.locator(".present-questions").inner_text()
        assert '<iframe srcdoc="<script>' in shown and "![x](http://evil.example/i.png)" in shown
        assert "<img src=http://evil.example/x>" in page.locator("h1").first.inner_text()
