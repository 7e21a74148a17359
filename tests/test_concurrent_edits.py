"""Edits made at the same time by many sessions: each saves or gets a Danish refusal, none changes the
store's data version (which would make every two concurrent edits conflict on one row), and every
read after an edit sees it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import duckdb

from queries.runner import QueryError, Runner, Scope

KOMMUNE = Scope("kommune", frozenset(f"9{i:05d}" for i in range(1, 13)), municipality_code="999")


def note_row(school: str, n: int) -> dict:
    return {
        "school": school,
        "item_id": f"T-{school}-2023-1",
        "body": f"note {n}",
        "base_version": 0,
        "username": "kommune",
    }


def test_sixteen_concurrent_edits_of_different_schools_all_save(store_copy):
    runner = Runner(duckdb.connect(str(store_copy)))
    schools = [f"9{i:05d}" for i in range(1, 12)]
    targets = [
        {"school": s, "indicator": "inklusion", "target": 90.0 + n, "username": "kommune"}
        for n, s in enumerate(schools)
    ]

    def save(n: int) -> str:
        try:
            if n < len(schools):
                runner.write("save_note", KOMMUNE, "kommune", [note_row(schools[n], n)])
            else:
                runner.write("set_participation_target", Scope("admin", None), "admin", [targets[n - len(schools)]])
        except QueryError as refusal:
            return str(refusal)
        return "gemt"

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(save, range(16)))
    assert results == ["gemt"] * 16


def test_an_edit_leaves_the_data_version_and_is_seen_by_the_next_read(store_copy):
    runner = Runner(duckdb.connect(str(store_copy)))
    before = runner.data_version()
    agenda = runner.run("talk_agenda", KOMMUNE, school="900001", talk_id="T-900001-2023")
    assert agenda.filter(agenda["item_id"] == "T-900001-2023-1")["note"].to_list() != ["ny note"]
    runner.write(
        "save_note", KOMMUNE, "kommune", [note_row("900001", 0) | {"body": "ny note", "base_version": _version(agenda)}]
    )
    assert runner.data_version() == before
    agenda = runner.run("talk_agenda", KOMMUNE, school="900001", talk_id="T-900001-2023")
    assert agenda.filter(agenda["item_id"] == "T-900001-2023-1")["note"].to_list() == ["ny note"]


def _version(agenda) -> int:
    return int(agenda.filter(agenda["item_id"] == "T-900001-2023-1")["note_version"].fill_null(0)[0])
