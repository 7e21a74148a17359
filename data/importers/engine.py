"""One import, start to end: read, map headers, check every cell, check against the store, and
only then write, in one transaction, as a recorded batch. Nothing is written while any problem
remains, a file already imported changes nothing, and a corrected file for the same school and
year replaces the old rows in the same transaction."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as copy_with
from datetime import date, datetime

import duckdb
import polars as pl

from data import audit, store, summaries
from data.importers import fields as mapping
from data.importers.parsing import MISSING, MISSING_ANYWHERE, cpr_mask, is_cpr_text, other_digits, parse
from data.importers.reading import LINE, FileRefused, RawTable, check_type, read_table

_log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
PROBLEM_COLUMNS = {"file": pl.String, "line": pl.Int64, "column": pl.String, "value": pl.String, "message": pl.String}
CPR_MESSAGE = (
    "ligner et CPR-nummer. Datablik gemmer aldrig CPR-numre: erstat dem med en pseudonym elevnøgle "
    "(den samme nøgle for eleven i alle filer og år), før filen importeres. Hele filen er afvist."
)


class ImportRefused(Exception):
    """The import was stopped; `problems` lists why (file, line, column, value, message)."""

    def __init__(self, message: str, problems: pl.DataFrame | None = None):
        super().__init__(message)
        self.problems = problems if problems is not None else pl.DataFrame(schema=PROBLEM_COLUMNS)


@dataclass
class Prepared:
    """A file read and checked, ready to write (when it has no problems)."""

    source: str
    file_name: str
    sha256: str
    layout: str  # the mapping used (a source may know several table layouts)
    frame: pl.DataFrame  # typed columns named after the store's fields, plus LINE
    problems: pl.DataFrame
    description: str = ""
    notes: list[str] = field(default_factory=list)
    previous: dict | None = None  # the active batch that already holds this very file
    retrieved_on: date | None = None
    imported_by: str = ""
    replacement: bool = False  # pupils: an explicit replacement that may remove pupils and their data
    counts: tuple[int, int, int] | None = None  # (rows, good rows, problems) of a summary() copy
    warnings: list[str] = field(default_factory=list)  # what the import removes or moves besides its rows

    @property
    def ok(self) -> bool:
        return self.problems.is_empty()

    @property
    def rows(self) -> int:
        return self.counts[0] if self.counts else self.frame.height

    @property
    def good_rows(self) -> int:
        if self.counts:
            return self.counts[1]
        bad = self.problems["line"].drop_nulls().unique().len()
        return max(self.rows - bad, 0) if self.problems.filter(pl.col("line").is_null()).is_empty() else 0

    @property
    def problem_count(self) -> int:
        return self.counts[2] if self.counts else self.problems.height

    def summary(self, preview_rows: int, kept_problems: int) -> Prepared:
        """A small copy to keep between reruns: the first rows and problems and the counts, not the data."""
        return copy_with(
            self,
            frame=self.frame.head(preview_rows),
            problems=self.problems.head(kept_problems),
            counts=(self.rows, self.good_rows, self.problem_count),
        )


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def problems_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=PROBLEM_COLUMNS) if rows else pl.DataFrame(schema=PROBLEM_COLUMNS)


def cell_problems(
    file_name: str, frame: pl.DataFrame, mask: pl.Expr, column: str, header: str, message: str, show_value: bool = True
) -> pl.DataFrame:
    """One problem per row where `mask` holds, naming line, column and value."""
    bad = frame.filter(mask)
    if bad.is_empty():
        return problems_frame([])
    value = pl.col(column).cast(pl.String) if show_value and column in bad.columns else pl.lit(None, pl.String)
    return bad.select(
        pl.lit(file_name).alias("file"),
        pl.col(LINE).alias("line"),
        pl.lit(header).alias("column"),
        value.alias("value"),
        pl.lit(message).alias("message"),
    )


def refused(source: str, file_name: str, data_sha: str, message: str) -> Prepared:
    """A file refused before it is read (too large): one problem, nothing else."""
    return Prepared(
        source,
        file_name,
        data_sha,
        "",
        pl.DataFrame(),
        problems_frame([{"file": file_name, "line": None, "column": None, "value": None, "message": message}]),
    )


def prepare(
    cur: duckdb.DuckDBPyConnection,
    source: str,
    file_name: str,
    data: bytes,
    retrieved_on: date | None = None,
    replacement: bool = False,
) -> Prepared:
    """Read and check one file; a file with problems is logged as refused (the count, not its values)."""
    prepared = _prepare(cur, source, file_name, data, retrieved_on, replacement)
    if not prepared.ok:
        # Only the count: a problem row may quote the file's values (a CPR number among them).
        _log.warning("import refused: %r (%s): %d problem(s)", file_name, source, len(prepared.problems))
    return prepared


def _prepare(
    cur: duckdb.DuckDBPyConnection,
    source: str,
    file_name: str,
    data: bytes,
    retrieved_on: date | None,
    replacement: bool,
) -> Prepared:
    from data.importers import SOURCES

    module = SOURCES[source]
    sha = hashlib.sha256(data).hexdigest()
    if getattr(module, "PUBLISHED", False) and retrieved_on is None:
        retrieved_on = date.today()  # published figures always carry the day they were taken
    try:
        # A source whose files are not one table (the team's test sheets) reads them itself.
        check_type(file_name)  # a PDF or Word file is no table: said so, not read as one
        raw = module.read(file_name, data) if hasattr(module, "read") else read_table(file_name, data)
    except (FileRefused, UnicodeDecodeError) as problem:
        return Prepared(
            source,
            file_name,
            sha,
            "",
            pl.DataFrame(),
            problems_frame([{"file": file_name, "line": None, "column": None, "value": None, "message": str(problem)}]),
        )
    layout = module.layout(raw)
    prepared = Prepared(
        source,
        file_name,
        sha,
        layout,
        pl.DataFrame(),
        problems_frame([]),
        raw.description,
        raw.notes,
        retrieved_on=retrieved_on,
        replacement=replacement,
    )
    prepared.previous = _active_batch(cur, _batch_source(source, layout), sha)
    if prepared.previous is not None:  # the very same file is in the store: nothing to check or write
        return prepared
    columns = [c for c in raw.frame.columns if c != LINE]
    if any(is_cpr_text(c) for c in columns):  # e.g. a file without a header row: never echo the heading
        prepared.problems = problems_frame(
            [
                {
                    "file": file_name,
                    "line": None,
                    "column": None,
                    "value": None,
                    "message": "en kolonneoverskrift " + CPR_MESSAGE,
                }
            ]
        )
        prepared.frame = raw.frame.select(LINE)
        return prepared
    matched, unknown, missing = mapping.match_headers(columns, layout)
    extra = module.dynamic_columns(cur, unknown) if hasattr(module, "dynamic_columns") else {}
    unknown = [c for c in unknown if c not in extra]
    matched.update(extra)
    found = []
    for column in unknown:
        found.append(
            {
                "file": file_name,
                "line": raw.frame[LINE].min() - 1 if raw.frame.height else None,
                "column": column,
                "value": None,
                "message": "ukendt kolonne. Datablik gætter ikke: omdøb den til en af de kendte overskrifter "
                f"(se docs/import/{source}.md), eller fjern den.",
            }
        )
    for f in missing:
        found.append(
            {
                "file": file_name,
                "line": None,
                "column": f.headers[0],
                "value": None,
                "message": f"kolonnen mangler ({f.description.lower() or f.name}). Kendte stavemåder: "
                + ", ".join(f.headers),
            }
        )
    if raw.frame.is_empty():
        found.append(
            {
                "file": file_name,
                "line": None,
                "column": None,
                "value": None,
                "message": "filen har kun overskrifter og ingen rækker med data.",
            }
        )
    parts = [problems_frame(found)]
    text_columns = [c for c, f in matched.items() if f.type != "pnumber"] + unknown
    p_numbers = [c for c, f in matched.items() if f.type == "pnumber"]
    normalise = raw.frame.select(other_digits(text_columns + p_numbers).any()).item()
    cpr = cpr_mask(text_columns, p_numbers, normalise)
    if raw.frame.select(cpr.any()).item():
        for column in text_columns + p_numbers:
            mask = (
                cpr_mask([column], normalise=normalise) if column in text_columns else cpr_mask([], [column], normalise)
            )
            parts.append(
                cell_problems(file_name, raw.frame, mask, column, column, "værdien " + CPR_MESSAGE, show_value=False)
            )
        prepared.problems = pl.concat(parts)
        prepared.frame = raw.frame.select(LINE)  # the cells themselves are not kept
        return prepared
    typed, cell = _typed(raw, matched)
    parts.append(cell)
    prepared.frame = typed
    if not missing and not typed.is_empty():
        # Rows whose cells are all valid are checked for duplicates and against the store too,
        # so one run of the report lists every problem.
        clean = typed.filter(~pl.col(LINE).is_in(cell["line"].implode()))
        if not clean.is_empty():
            parts.append(_duplicates(file_name, clean, module.KEY, matched))
            # Store checks name the store's field; the report names the file's own header.
            headers = {f.name: c for c, f in matched.items()}
            parts.append(module.check(cur, clean, file_name).with_columns(pl.col("column").replace(headers)))
        if hasattr(module, "changes"):  # what the import would remove or move besides its own rows
            changed, notes = module.changes(cur, typed, file_name, replacement)
            parts.append(changed)
            prepared.warnings = notes
    prepared.problems = pl.concat(parts).sort("line", nulls_last=False, maintain_order=True)
    if prepared.ok and hasattr(module, "prepare_frame"):  # rows the store keeps, derived once the file is clean
        prepared.frame = module.prepare_frame(cur, prepared.frame)
    return prepared


def _typed(raw: RawTable, matched: dict[str, mapping.Field]) -> tuple[pl.DataFrame, pl.DataFrame]:
    # A suppression mark is an empty cell in every column: a null where the column is optional, the
    # "skal udfyldes" error where it is required.
    raw = RawTable(
        raw.file_name,
        raw.frame.with_columns(
            pl.when(pl.col(c).is_in(MISSING_ANYWHERE)).then(None).otherwise(pl.col(c)).alias(c)
            for c, f in matched.items()
            if f.type not in ("ignore", "pnumber")
        ),
        raw.danish_numbers,
        raw.description,
        raw.notes,
    )
    exprs, checks = [pl.col(LINE)], []
    for column, f in matched.items():
        if f.type in ("ignore", "pnumber"):
            continue
        expr, message = parse(column, f.type, raw.danish_numbers)
        exprs.append(expr.alias(f.name))
        if message:
            checks.append((column, f, message))
    typed = raw.frame.select(exprs)
    problems = []
    for column, f, message in checks:
        bad = raw.frame[column].is_not_null() & typed[f.name].is_null()
        if f.type.startswith("figure"):
            bad = bad & ~raw.frame[column].is_in(MISSING)
        problems.append(cell_problems(raw.file_name, raw.frame, bad, column, column, message))
    for column, f in matched.items():
        if f.required:
            problems.append(
                cell_problems(
                    raw.file_name,
                    raw.frame,
                    pl.col(column).is_null(),
                    column,
                    column,
                    "skal udfyldes (cellen er tom eller skjult)",
                )
            )
    return typed, (pl.concat(problems) if problems else problems_frame([]))


def _duplicates(file_name: str, frame: pl.DataFrame, key: tuple[str, ...], matched: dict) -> pl.DataFrame:
    key = tuple(k for k in key if k in frame.columns)
    if not key:
        return problems_frame([])
    first = pl.col(LINE).min().over(key)
    dup = frame.with_columns(first.alias("_first")).filter(pl.col(LINE) != pl.col("_first"))
    headers = {f.name: c for c, f in matched.items()}
    return dup.select(
        pl.lit(file_name).alias("file"),
        pl.col(LINE).alias("line"),
        pl.lit(", ".join(headers.get(k, k) for k in key)).alias("column"),
        pl.concat_str([pl.col(k).cast(pl.String) for k in key], separator=" · ").alias("value"),
        pl.format("rækken findes to gange i filen (samme som linje {})", pl.col("_first")).alias("message"),
    )


def _batch_source(source: str, layout: str) -> str:
    return source if layout in ("", source.replace("-", "_")) else f"{source}/{layout}"


def _active_batch(cur, source: str, sha: str) -> dict | None:
    try:
        row = cur.execute(
            "SELECT batch_id, imported_at, imported_by FROM import_batch"
            " WHERE source = ? AND file_sha256 = ? AND status = 'aktiv'",
            [source, sha],
        ).fetchall()
    except duckdb.CatalogException:
        return None
    return {"batch_id": row[0][0], "imported_at": row[0][1], "imported_by": row[0][2]} if row else None


@dataclass
class Outcome:
    file_name: str
    batch_id: int | None
    rows: int
    message: str


def write(
    cur: duckdb.DuckDBPyConnection, prepared: list[Prepared], username: str, progress: Progress | None = None
) -> list[Outcome]:
    """Write checked files inside the caller's transaction. Refuses if any file has a problem."""
    from data.importers import SOURCES, common

    say = progress or (lambda share, text: None)
    if any(not p.ok for p in prepared):
        raise ImportRefused("Der er fejl i filerne; intet er importeret.", pl.concat([p.problems for p in prepared]))
    outcomes = []
    for i, p in enumerate(prepared):
        if p.previous is not None:
            when = p.previous["imported_at"]
            outcomes.append(
                Outcome(
                    p.file_name,
                    p.previous["batch_id"],
                    0,
                    f"{p.file_name} er allerede importeret (parti {p.previous['batch_id']}, "
                    f"{when:%d.%m.%Y kl. %H.%M} af {p.previous['imported_by']}); intet er ændret.",
                )
            )
            _log.info(
                "import: %r (%s) by %r already imported as batch %s; nothing changed",
                p.file_name,
                p.source,
                username,
                p.previous["batch_id"],
            )
            continue
        module = SOURCES[p.source]
        p.imported_by = username
        say(0.5 + 0.5 * i / len(prepared), f"Skriver {p.file_name} ({thousands(p.rows)} rækker)")
        batch_id = cur.execute("SELECT nextval('import_batch_seq')").fetchall()[0][0]
        source = _batch_source(p.source, p.layout)
        cur.execute(
            "INSERT INTO import_batch (batch_id, source, file_name, file_sha256, row_count, imported_by,"
            " imported_at, retrieved_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [batch_id, source, p.file_name, p.sha256, p.rows, username, datetime.now(), p.retrieved_on],
        )
        scope = module.scope(p.frame, p.layout) if hasattr(module, "scope") else common.scope(p.frame)
        _ensure_school_years(cur, [y for y in scope["school_year"].unique().to_list() if y])
        cur.register("import_scope", scope.to_arrow())
        # What replace deletes is archived under this batch, so a rollback restores it.
        cur.register(
            "import_current", pl.DataFrame({"batch_id": [batch_id], "replacement": [p.replacement]}).to_arrow()
        )
        said = module.replace(cur, p.frame, p.layout)
        module.insert(cur, p.frame, batch_id, p)
        if set(module.TABLES) & set(summaries.SOURCES):  # the result summaries of the file's schools and years
            summaries.mark(cur, scope)
        cur.execute(
            "INSERT INTO import_batch_scope (batch_id, institution_no, school_year, part, row_count)"
            " SELECT ?, institution_no, school_year, part, rows FROM import_scope",
            [batch_id],
        )
        cur.execute(
            """
            UPDATE import_batch_scope SET replaced_by = $batch
            WHERE batch_id IN (SELECT batch_id FROM import_batch WHERE source = $source AND status = 'aktiv')
              AND batch_id <> $batch AND replaced_by IS NULL
              AND (institution_no, school_year, part) IN
                  (SELECT institution_no, school_year, part FROM import_scope)""",
            {"batch": batch_id, "source": source},
        )
        cur.execute(
            """
            UPDATE import_batch SET status = 'erstattet'
            WHERE status = 'aktiv' AND batch_id <> $batch AND source = $source
              AND NOT EXISTS (SELECT 1 FROM import_batch_scope s
                              WHERE s.batch_id = import_batch.batch_id AND s.replaced_by IS NULL)""",
            {"batch": batch_id, "source": source},
        )
        cur.unregister("import_scope")
        cur.unregister("import_current")
        audit.record(
            cur,
            username,
            "import",
            source,
            json.dumps({"fil": p.file_name, "parti": batch_id, "rækker": p.rows}, ensure_ascii=False),
        )
        said = f"; {said}" if isinstance(said, str) and said else ""
        _log.info("import: %r (%s) by %r: %d rows as batch %d", p.file_name, source, username, p.rows, batch_id)
        outcomes.append(
            Outcome(
                p.file_name,
                batch_id,
                p.rows,
                f"{p.file_name}: {thousands(p.rows)} rækker importeret som parti {batch_id}{said}.",
            )
        )
    summaries.refresh_marked(cur)
    if any(o.rows for o in outcomes):
        store.bump_data_version(cur)
    return outcomes


def _ensure_school_years(cur, years: list[str]) -> None:
    for year in years:
        start = int(year[:4])
        cur.execute(
            "INSERT INTO school_year VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [year, date(start, 8, 1), date(start + 1, 7, 31)],
        )


def rollback_batch(cur: duckdb.DuckDBPyConnection, batch_id: int, username: str) -> str:
    """Remove the rows a batch brought and put back what it replaced (inside the caller's transaction):
    the rows it deleted come back from the archive, and the batches it replaced are active again."""
    from data.importers import SOURCES, common

    rows = cur.execute("SELECT source, status, file_name FROM import_batch WHERE batch_id = ?", [batch_id]).fetchall()
    if not rows:
        raise ImportRefused(f"Parti {batch_id} findes ikke.")
    source, status, file_name = rows[0]
    if status == "rullet tilbage":
        raise ImportRefused(f"Parti {batch_id} ({file_name}) er allerede rullet tilbage.")
    newer = [
        r[0]
        for r in cur.execute(
            "SELECT DISTINCT replaced_by FROM import_batch_scope WHERE batch_id = ?"
            " AND replaced_by IS NOT NULL ORDER BY 1",
            [batch_id],
        ).fetchall()
    ]
    if newer:
        raise ImportRefused(
            f"Parti {batch_id} ({file_name}) er erstattet af parti {', '.join(map(str, newer))} "
            "(helt eller delvist). Rul det nyere parti tilbage først."
        )
    module = SOURCES[source.split("/")[0]]
    if set(module.TABLES) & set(summaries.SOURCES):
        summaries.mark(
            cur,
            cur.sql(
                "SELECT institution_no, school_year FROM import_batch_scope WHERE batch_id = ?", params=[batch_id]
            ).pl(),
        )
    removed = (
        module.remove_batch(cur, batch_id)
        if hasattr(module, "remove_batch")
        else common.remove_rows(cur, module.TABLES, batch_id)
    )
    restored = common.restore(cur, batch_id)
    if hasattr(module, "after_restore"):
        module.after_restore(cur, batch_id, restored)
    again = [
        r[0]
        for r in cur.execute(
            "SELECT DISTINCT batch_id FROM import_batch_scope WHERE replaced_by = ?", [batch_id]
        ).fetchall()
    ]
    cur.execute("UPDATE import_batch_scope SET replaced_by = NULL WHERE replaced_by = ?", [batch_id])
    if again:
        cur.execute(
            "UPDATE import_batch SET status = 'aktiv' WHERE status = 'erstattet' AND list_contains(?, batch_id)",
            [again],
        )
    summaries.refresh_marked(cur)
    cur.execute(
        "UPDATE import_batch SET status = 'rullet tilbage', changed_by = ?, changed_at = now() WHERE batch_id = ?",
        [username, batch_id],
    )
    back = sum(restored.values())
    audit.record(
        cur,
        username,
        "rul import tilbage",
        source,
        json.dumps({"parti": batch_id, "fil": file_name, "fjernet": removed, "lagt tilbage": back}, ensure_ascii=False),
    )
    store.bump_data_version(cur)
    _log.info(
        "import rolled back: batch %d (%r) by %r: %d rows removed, %d restored",
        batch_id,
        file_name,
        username,
        removed,
        back,
    )
    message = f"Parti {batch_id} ({file_name}) er rullet tilbage: {thousands(removed)} rækker fjernet"
    return message + (f", {thousands(back)} rækker, som partiet erstattede, er lagt tilbage." if back else ".")


def transaction(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], object]):
    """Run `work(cursor)` as one transaction: all of it is written, or none of it."""
    cur = con.cursor()
    committed = False
    try:
        cur.execute("BEGIN TRANSACTION")
        result = work(cur)
        audit.commit(cur)  # with its audit entries, in the operational store
        committed = True
        return result
    except BaseException:
        audit.discard(cur)
        if not committed:
            try:
                cur.execute("ROLLBACK")
            except duckdb.Error:  # a failed COMMIT has already ended the transaction
                pass
        raise
    finally:
        cur.close()


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """(rows, sum of row hashes) per table: equal before and after means the content is unchanged."""
    tables = [
        r[0]
        for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1").fetchall()
    ]
    return {
        t: tuple(con.execute(f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{t}" t').fetchall()[0]) for t in tables
    }
