"""Behind serve.py (st.App with components/http_headers.py) in headless Chromium: every response
carries a Content-Security-Policy the app itself never trips, that blocks what escaping would
have let through were user text ever HTML again; the login and XSRF cookies are SameSite=Strict.
Its own module, so the plain app.py server of test_browser_trust is stopped first."""
from __future__ import annotations

import pytest

from tests.browser import browser, log_in, streamlit_server
from tests.test_browser_trust import _present, build_hostile_env
from tests.test_user_text import HOSTILE

pytestmark = pytest.mark.browser

VIOLATIONS = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
              "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


@pytest.fixture(scope="module")
def hostile_env(tmp_path_factory):
    return build_hostile_env(tmp_path_factory)


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
        assert cookies["_streamlit_xsrf"]["sameSite"] == "Strict"
        # Were user text ever HTML again: the payloads, inserted as live markup, are blocked.
        page.evaluate("""html => { const d = document.createElement('div'); d.innerHTML = html;
                                   document.body.appendChild(d); }""", HOSTILE.replace(
            "parent.document.title=document.cookie", "parent.window.__ran = 1"))
        page.wait_for_function("""() => { const f = document.querySelector('iframe[srcdoc]');
            return window.__csp.some(v => v.startsWith('img-src') && v.includes('evil.example'))
                && f && f.contentDocument && f.contentDocument.readyState === 'complete'; }""", timeout=10000)
        assert page.evaluate("window.__ran") is None  # the script in the iframe did not run
