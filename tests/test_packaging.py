"""The project installs as a package (`pip install .`): every query, migration, reference table,
import mapping and the login-cookie component travel with it, and `datablik` is the command line."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_the_wheel_holds_every_data_file_and_the_datablik_command(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("datablik-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        str(p.relative_to(ROOT))
        for folder in ("components", "data", "queries", "views")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".py", ".sql", ".csv", ".toml", ".html", ".js")
    }
    assert wanted and not sorted(wanted - names)
    assert {"app.py", "serve.py"} <= names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "datablik = data.__main__:main" in zipfile.ZipFile(wheel).read(entry).decode()
    assert Path(ROOT / "data" / "__main__.py").read_text(encoding="utf-8").count("def main(") == 1
