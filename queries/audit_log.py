"""Revisionsspor's search of the audit log. The log grows with every login, so it is searched where it
is kept: the operational store filters and limits it (audit_log_entries, portable SQL), and only the
rows found cross into polars; a search by school name first finds the schools of that name in DuckDB
(audit_log_schools_named), and the names of the schools found are joined on after
(audit_log_school_names). Admin only: each query's `-- roles: admin`, checked by the runner."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from queries.runner import Runner, Scope

COLUMNS = ["entry_id", "logged_at", "username", "action", "school_name", "school", "target", "detail"]


def search(
    runner: Runner,
    scope: Scope,
    username: str = "",
    texts: list[str] | None = None,
    school: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> pl.DataFrame:
    """The newest 1.000 entries that match every filter given ('', None or [] matches everything)."""
    school = school or ""
    named = runner.run("audit_log_schools_named", scope, school=school)["institution_no"].to_list() if school else []
    entries = runner.run(
        "audit_log_entries",
        scope,
        username=username or "",
        texts=list(texts or []),
        school=school,
        school_numbers=named,
        date_from=date_from,
        date_before=date_to + timedelta(days=1) if date_to is not None else None,
    )
    entries = entries.with_columns(
        pl.col("entry_id").cast(pl.Int64),
        pl.col("logged_at").cast(pl.Utf8).str.to_datetime(time_unit="us", strict=False),
        *(pl.col(c).cast(pl.Utf8) for c in ("username", "action", "school", "target", "detail")),
    )
    numbers = sorted({s for s in entries["school"].to_list() if s is not None})
    names = runner.run("audit_log_school_names", scope, schools=numbers) if numbers else None
    if names is None or names.is_empty():
        names = pl.DataFrame(schema={"school": pl.Utf8, "school_name": pl.Utf8})
    return entries.join(names, on="school", how="left", maintain_order="left").select(COLUMNS)
