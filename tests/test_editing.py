"""Edited tables: a key column the browser sends back is never trusted."""

from __future__ import annotations

import polars as pl

from components.editing import as_pandas, trusted_keys


def test_a_hidden_key_changed_in_the_browser_is_replaced_by_the_servers_key():
    original = as_pandas(
        pl.DataFrame(
            {"agreement_id": ["T-900001-2023-A1", "T-900001-2023-A2"], "text": ["Læseindsats", "Trivselsplan"]}
        )
    )
    edited = original.copy()
    edited.loc[0, "agreement_id"] = "T-900002-2023-A1"  # another school's agreement
    edited.loc[0, "text"] = "Overskrevet"
    edited.loc[2] = ["T-900002-2023-A2", "Ny aftale"]  # an added row naming another school's key
    rows = trusted_keys(original, edited, ("agreement_id",)).to_dict("records")
    assert rows == [
        {"agreement_id": "T-900001-2023-A1", "text": "Overskrevet"},
        {"agreement_id": "T-900001-2023-A2", "text": "Trivselsplan"},
        {"agreement_id": None, "text": "Ny aftale"},
    ]


def test_a_deleted_row_leaves_the_others_with_their_own_keys():
    original = as_pandas(pl.DataFrame({"course_id": ["a", "b", "c"], "title": ["x", "y", "z"]}))
    edited = original.drop(index=1)
    edited.loc[0, "course_id"] = "c"
    assert trusted_keys(original, edited, ("course_id",))["course_id"].to_list() == ["a", "c"]
