"""A new server process warms itself (components/warmup.py): the operational tables the screens join
are read once, before the first user, and a store that is not there yet is left alone."""

from __future__ import annotations

import gc
from datetime import date

from components import warmup
from queries.runner import Scope, runner_for


def test_after_the_warmup_the_first_screen_reads_no_whole_operational_table(store_copy):
    warmup._warm()
    runner = runner_for(store_copy)
    before = runner.ops.whole_rows_read
    leaps = runner.run(
        "leaps_courses_done_vs_required",
        Scope("admin", None),
        school="900001",
        years=["2024/25", "2025/26"],
        as_of=date(2025, 12, 1),
    )
    assert runner.ops.whole_rows_read == before
    assert leaps.height > 0  # the demo school's courses were there to be read


def test_the_warmup_of_a_store_that_is_not_there_yet_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABLIK_DB", str(tmp_path / "datablik.duckdb"))
    warmup._warm()
    assert list(tmp_path.iterdir()) == []


def test_a_warm_server_has_frozen_what_it_loaded_so_a_full_collection_skips_it(tmp_path, monkeypatch):
    # A full collection walked ~190.000 objects (Streamlit, Altair, polars, the screens' modules) in
    # 100-190 ms with every session's thread stopped; frozen, it walks only what sessions made since.
    monkeypatch.setenv("DATABLIK_DB", str(tmp_path / "datablik.duckdb"))  # nothing to warm: frozen all the same
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        warmup._warm_quietly()
        frozen = gc.get_freeze_count()
        assert frozen > 50_000  # this process has Streamlit, polars and the screens' modules loaded
        assert len(gc.get_objects(generation=2)) < frozen / 10
    finally:
        gc.unfreeze()  # the rest of the test session collects as before


def _after_warm_up_imports(before: str) -> str:
    import subprocess
    import sys

    from tests.conftest import ROOT

    probe = (
        f"import sys\n{before}\n"
        "from components import warmup\n"
        "warmup._import_screens()\n"
        "wanted = warmup.screen_modules() + ['docx', 'components.documents', 'streamlit.emojis']\n"
        "print([m for m in wanted if m not in sys.modules], 'streamlit_authenticator' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_the_warmup_imports_what_the_screens_import_so_the_first_login_does_not():
    # as a server that has shown its login page: the login page imported streamlit-authenticator
    assert _after_warm_up_imports("import components.login_view") == "[] True"
    assert {"components.data_summary", "components.wellbeing_sections", "queries.key_figures"} <= set(
        warmup.screen_modules()
    )


def test_the_warmup_leaves_a_library_that_declares_components_on_import_to_a_script_run():
    # Streamlit registers a component only when it is declared in a script run: imported by the
    # warm-up, streamlit-authenticator's cookie manager was served from nowhere and the login page hung.
    missing, authenticator = _after_warm_up_imports("").rsplit(" ", 1)
    assert authenticator == "False"
    assert "'components.auth'" in missing and "docx" not in missing and "streamlit.emojis" not in missing
