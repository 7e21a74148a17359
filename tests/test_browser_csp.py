"""Behind serve.py (st.App with components/http_headers.py) in headless Chromium: every response
carries a Content-Security-Policy the app itself never trips, that blocks what escaping would
have let through were user text ever HTML again; the login and XSRF cookies are SameSite=Strict,
and the login cookie is HttpOnly: no script in the page can read it."""

from __future__ import annotations

import pytest

from tests.browser import COOKIE_PATH, browser, log_in, streamlit_server, wait_until_idle
from tests.test_browser_trust import _present, build_hostile_env
from tests.test_user_text import HOSTILE

pytestmark = pytest.mark.browser

VIOLATIONS = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', "
    "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@pytest.fixture(scope="module")
def hostile_env(pristine_demo, tmp_path_factory):
    return build_hostile_env(pristine_demo, tmp_path_factory)


def test_behind_serve_py_the_policy_blocks_injected_markup_and_the_cookie_is_strict(hostile_env):
    with streamlit_server(hostile_env, "serve.py") as url, browser() as b:
        context = b.new_context()
        context.add_init_script(VIOLATIONS)
        page = context.new_page()
        documents = []
        page.on("response", lambda r: documents.append(r) if r.request.resource_type == "document" else None)
        log_in(page, url, "leder", "demo-leder")
        policy = documents[0].headers["content-security-policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert documents[0].headers["x-content-type-options"] == "nosniff"
        _present(page, url)
        assert page.evaluate("window.__csp") == []  # the app itself needs nothing the policy forbids
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["datablik_login"]["sameSite"] == "Strict"
        assert cookies["datablik_login"]["httpOnly"] is True
        assert "datablik_login" not in page.evaluate("document.cookie")  # what an injected script would send
        assert cookies["_streamlit_xsrf"]["sameSite"] == "Strict"
        # Were user text ever HTML again: the payloads, inserted as live markup, are blocked.
        page.evaluate(
            """html => { const d = document.createElement('div'); d.innerHTML = html;
                                   document.body.appendChild(d); }""",
            HOSTILE.replace("parent.document.title=document.cookie", "parent.window.__ran = 1"),
        )
        page.wait_for_function(
            """() => { const f = document.querySelector('iframe[srcdoc]');
            return window.__csp.some(v => v.startsWith('img-src') && v.includes('evil.example'))
                && f && f.contentDocument && f.contentDocument.readyState === 'complete'; }"""
        )
        assert page.evaluate("window.__ran") is None  # the script in the iframe did not run


def test_the_page_is_not_idle_while_the_login_cookie_handover_is_under_way(hostile_env):
    """The cookie's component posts its value (which asks for one more run) only once the server has
    answered its request, after the login's run has finished: a test that read or clicked in between
    raced that run. Held here until the page has done everything else, then let through."""
    with streamlit_server(hostile_env, reuse=True) as url, browser() as b:
        context = b.new_context()
        page = context.new_page()
        held = []
        page.route(f"**{COOKIE_PATH}", lambda route: held.append(route))
        page.goto(url)
        page.get_by_label("Brugernavn").first.wait_for()
        wait_until_idle(page)
        page.get_by_label("Brugernavn").fill("leder")
        page.get_by_label("Adgangskode").fill("demo-leder")
        with page.expect_request(lambda r: r.url.endswith(COOKIE_PATH)):
            page.get_by_role("button", name="Log ind").click()
        page.wait_for_function(
            "() => window.__datablik.finished >= window.__datablik.asked && document.querySelector("
            "'[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'"
        )
        assert len(held) == 1
        with pytest.raises(AssertionError, match="'handovers': 1"):  # the run is over, the handover is not
            wait_until_idle(page, timeout_ms=2000)
        held[0].continue_()
        wait_until_idle(page)
        assert page.locator("h1:has-text('Overblik ·')").count() == 1
        assert [c for c in context.cookies() if c["name"] == "datablik_login"]


def test_the_httponly_login_cookie_survives_a_reload_and_is_gone_after_logout(hostile_env):
    with streamlit_server(hostile_env) as url, browser() as b:
        context = b.new_context()
        page = context.new_page()
        log_in(page, url, "leder", "demo-leder")
        page.reload()
        page.wait_for_selector("h1:has-text('Overblik')")  # the cookie logged in again
        wait_until_idle(page)
        assert "datablik_login" not in page.evaluate("document.cookie")
        with page.expect_response(lambda r: r.url.endswith(COOKIE_PATH)) as cleared:
            page.get_by_role("button", name="Log ud").click()
        assert cleared.value.status == 204
        page.get_by_label("Brugernavn").first.wait_for()
        assert [c for c in context.cookies() if c["name"] == "datablik_login"] == []  # the server cleared it
