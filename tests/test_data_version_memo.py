"""The runner reads the store's data version once per Streamlit run (a screen run makes 20-40 queries,
each keyed on it), and again after any write of this process, so a write is never hidden."""

from __future__ import annotations

from queries import runner as runner_module


def test_a_run_reads_the_data_version_once_and_again_after_a_write(store_copy, monkeypatch):
    from data import store

    run = [object()]
    monkeypatch.setattr(runner_module, "_current_run", lambda: run[0])
    runner = runner_module.runner_for(store_copy)
    con = runner._connection()
    first = runner.data_version()
    # Changed behind the runner's back (no process writes that way): the run keeps the version it read.
    store.set_info(con, "data_version", "changed-elsewhere")
    assert runner.data_version() == first
    run[0] = object()  # the next run reads it again
    assert runner.data_version() == "changed-elsewhere"
    # A write of this process (an import, a rollback, an edit) is seen at once, in the same run.
    written = store.bump_data_version(con)
    assert runner.data_version() == written


def test_outside_a_run_every_call_reads_the_store(store_copy):
    from data import store

    runner = runner_module.runner_for(store_copy)
    runner.data_version()
    store.set_info(runner._connection(), "data_version", "changed-elsewhere")
    assert runner.data_version() == "changed-elsewhere"
