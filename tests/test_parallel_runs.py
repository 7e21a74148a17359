"""The test command's own set-up (pyproject.toml, tests/conftest.py): on two workers, a test file's
tests all run on one worker (its module fixtures — a store, a server, a Chromium — are made once),
and a file with browser tests is the first its worker runs. Proved on a small suite run the same way."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

from tests.conftest import ROOT

FILE = """
import os
import pytest
{mark}
@pytest.mark.parametrize("n", range(4))
def test_records_its_worker(n):
    with open(os.environ["RUN_LOG"], "a") as log:
        log.write(os.environ.get("PYTEST_XDIST_WORKER", "none") + " {name}\\n")
"""


def test_a_files_tests_stay_on_one_worker_and_a_browser_file_is_run_first(tmp_path):
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "-n 2" in options["addopts"]
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text("from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n")
    names = ["a", "b", "c", "d", "z_browser"]  # collected last, handed out first
    for name in names:
        mark = "pytestmark = pytest.mark.browser" if "browser" in name else ""
        (suite / f"test_{name}.py").write_text(FILE.format(mark=mark, name=name))
    log = tmp_path / "run.log"
    ini = tmp_path / "pytest.ini"
    ini.write_text(f"[pytest]\naddopts = {options['addopts']}\nmarkers = browser\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ini), "-p", "no:cacheprovider", "-q", str(suite)],
        cwd=tmp_path,
        env={**os.environ, "RUN_LOG": str(log), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    runs = [line.split() for line in log.read_text().splitlines()]
    assert len(runs) == 4 * len(names)
    workers = {name: {w for w, n in runs if n == name} for name in names}
    assert all(len(w) == 1 for w in workers.values()), workers  # one worker per file
    assert len({w for w, _ in runs}) == 2  # and both workers ran tests
    (browser_worker,) = workers["z_browser"]
    assert [n for w, n in runs if w == browser_worker][0] == "z_browser"
