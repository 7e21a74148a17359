"""A frame's values as the operational store's drivers would bind them, made a column at a time.

Binding rows value by value through Python (`Cursor._params`, sqlite3's date adapters) costs about as
much as the write itself when the demo build or an import writes millions of rows. So a frame is
first turned, in polars, into only texts, numbers and NULLs that both drivers take as they are:
timestamps, dates and times become the ISO text the adapters in data/operational_store.py write,
booleans SQLite's 0/1 (PostgreSQL keeps booleans). A frame with any other kind of column (a list,
a time zone, another time unit) is not converted here, and is written the per-value way.
"""

from __future__ import annotations

import polars as pl

_AS_IS = (pl.String, pl.Null)


def bound(frame: pl.DataFrame, kinds: dict[str, str], postgresql: bool) -> pl.DataFrame | None:
    """`frame` with each value as the driver binds it, or None when some column needs Python's conversion.
    `kinds` are the table's column kinds (`OperationalStore.columns`)."""
    exprs = []
    for name, dtype in frame.schema.items():
        kind = kinds.get(name, "TEXT")
        if postgresql and kind == "INTEGER" and dtype.is_float():
            # a whole float (an import's "8" read as 8.0) as PostgreSQL's INSERT casts it; COPY does not
            if not (frame[name].drop_nulls() % 1 == 0).all():
                return None
            exprs.append(pl.col(name).cast(pl.Int64))
            continue
        expr = _bound(pl.col(name), dtype, kind, postgresql)
        if expr is None:
            return None
        exprs.append(expr.alias(name))
    return frame.select(exprs)


def _bound(c: pl.Expr, dtype: pl.DataType, kind: str, postgresql: bool) -> pl.Expr | None:
    if dtype == pl.Datetime("us") and dtype.time_zone is None:
        return c.dt.strftime("%Y-%m-%d %H:%M:%S.%6f")  # datetime.isoformat(sep=" ", timespec="microseconds")
    if dtype == pl.Date:
        return c.dt.strftime("%Y-%m-%d")
    if dtype == pl.Time:
        # time.isoformat(): the microseconds only when there are any (Python drops the nanoseconds)
        us = (c.cast(pl.Int64) // 1000 * 1000).cast(pl.Time)
        whole = us.dt.nanosecond() == 0
        return pl.when(whole).then(us.dt.strftime("%H:%M:%S")).otherwise(us.dt.strftime("%H:%M:%S%.6f"))
    if dtype == pl.Boolean:
        return c if postgresql else c.cast(pl.Int64)
    if dtype.is_integer():
        return c.cast(pl.Boolean) if postgresql and kind == "BOOLEAN" else c  # bool(v), as `_insert` binds it
    if postgresql and kind == "BOOLEAN":  # a text or a float as a boolean: Python's truth, not PostgreSQL's
        return None
    if dtype.is_float() or isinstance(dtype, _AS_IS):
        return c
    if isinstance(dtype, (pl.Categorical, pl.Enum)):
        return c.cast(pl.String)
    return None
