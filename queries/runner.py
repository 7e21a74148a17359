"""The one way to read the store: named .sql files run with bound parameters, the caller's scope
and small-group suppression applied here, so that no screen can forget either.

A query file starts with a header of `-- key: value` lines:

    -- Well-being indicators for a school and its municipality, per school year.
    -- level: aggregate          aggregate | pupil | reference
    -- scope: school             school: $school must be in the caller's scope; none: no check
    -- keys: level, school_year  columns that identify a row (kept when a row is suppressed)
    -- n: n                      the pupil count behind each row (required for aggregate)
    -- partition: level, school_year   optional: rows sharing these columns are the groups of one
                                       breakdown whose total is shown elsewhere
    -- roles: ledelse, team      optional: only these roles may run the query
    -- owner: owner_of_agreement for a write: the `-- level: owner` query that finds the school (and
                                 year group) of the row the write would change, from the row's key
    -- guard: guard_school_event_dates   for a write of operational tables: the `-- level: guard`
                                 query of the analytical store (DuckDB) it must pass first: the
                                 write is refused unless the guard finds a row (its parameters
                                 are the write's: a pupil's school and year group it checks)
    -- store: operational        a read in portable SQL that runs in the operational store (writes
                                 of operational tables always do); see data/operational_store.py.
                                 A list parameter there is bound value by value: `ANY($xs: cond)`,
                                 `IN ($xs)`, `COUNT($xs)` (`_expand_lists`)
    -- pupils: school            a read that joins the team's pupil tables (operational store) only
                                 with pupils registered at $school: DuckDB is handed the rows of the
                                 pupils ever registered at the school (any year), not the whole tables

Rules the runner enforces:
- `$school` must be one of the caller's schools, `$grade`/`$grades` within a team's grades.
- Rows carrying `institution_no` outside the caller's schools, or `grade` outside a team's
  grades, are dropped.
- `pupil` queries are refused for the `kommune` role (aggregates only).
- In `aggregate` queries a row whose n is below the minimum group size keeps its keys, every
  other value is emptied, and its `suppressed` column is true.
- Within a `partition`, when exactly one group is suppressed, the next smallest group is
  suppressed too, so the hidden group cannot be worked out from the total by subtraction.
- A write changes only rows of the caller's scope: its `owner` query looks the existing row up by its
  key inside the transaction, and the row's school must be the `$school` the caller may write (and
  its year group one of a team's grades). The audit log names that school.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from data import audit, operational_store, store
from data.reference import settings

_log = logging.getLogger(__name__)

SQL_DIR = Path(__file__).resolve().parent
_SCHOOL_PUPILS = "SELECT DISTINCT student_key FROM student WHERE institution_no = ?"
PUPIL_WORK_TABLES = frozenset(operational_store.PUPIL_WORK_TABLES)
_HEADER = re.compile(r"^--\s*(level|scope|keys|n|partition|roles|owner|guard|store|pupils):\s*(.+?)\s*$", re.MULTILINE)
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
LEVELS = {"aggregate", "pupil", "reference", "write", "owner", "guard"}
ROLES = {"ledelse", "kommune", "team", "admin"}
QUERY_TIMEOUT_SECONDS = 10.0
CACHE_ENTRIES = 512
LONG_TEXTS = {"body", "body_internal", "body_public", "blocks"}  # notes and minutes: [limits] minutes_chars
WRITE_ATTEMPTS = 3  # a write that loses a conflict with a concurrent one is run again from the start


# Parameters the runner binds from settings.toml, so a threshold has one home and no caller passes
# it: `$high_above_pct` in a query is [absence] high_absence_above_pct, `$high_above` is [wellbeing]
# high_wellbeing_above, `$low_social` is [participation] low_social_wellbeing_at_or_below.
# `$now` is the server's clock in seconds since 1970 and `$stamp` the local time as ISO text (the
# operational store keeps times so).
# The summaries (migrations 20, 22) count pupils per band, so a share above a threshold is exact only on
# the bands' grid: whole percents of absence, half points of well-being. A threshold off the grid
# is refused, never rounded silently.
def _on_grid(section: str, key: str, step: float, unit: str) -> float:
    value = float(settings()[section][key])
    if not math.isfinite(value) or value % step:
        raise QueryError(f"Indstillingen {key} i [{section}] skal være et helt antal {unit}; den er {value:g}.")
    return value


SETTING_PARAMS = {
    "high_above_pct": lambda: _on_grid("absence", "high_absence_above_pct", 1.0, "procent"),
    "high_above": lambda: _on_grid("wellbeing", "high_wellbeing_above", 0.5, "halve point"),
    "low_social": lambda: _on_grid("participation", "low_social_wellbeing_at_or_below", 0.5, "halve point"),
    "now": time.time,
    "stamp": operational_store.now_text,
    "token": lambda: uuid.uuid4().hex[:10],  # a new row's id where the store has no sequence (portable)
}
_TABLE_REFERENCE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)


def small_group(unit: str = "elever") -> str:
    """How a suppressed figure reads, from the configured minimum group size ([suppression])."""
    return f"færre end {settings()['suppression']['min_group_size']} {unit}"


COMPLEMENT = "skjult, så en lille gruppe ikke kan regnes ud"


class QueryError(Exception):
    """A request the runner refuses; the message is Danish and safe to show."""


class ScopeError(QueryError):
    pass


@dataclass(frozen=True)
class Scope:
    """What a logged-in user may see. `schools` None means every school (admin only)."""

    role: str
    schools: frozenset[str] | None
    grades: frozenset[int] | None = None
    municipality_code: str | None = None

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.schools is None and self.role != "admin":
            raise ValueError("only admin may see every school")

    def allows_school(self, institution_no: Any) -> bool:
        return self.schools is None or (isinstance(institution_no, str) and institution_no in self.schools)


@dataclass(frozen=True)
class QuerySpec:
    name: str
    sql: str
    level: str
    scope: str
    keys: tuple[str, ...]
    n: str | None
    params: frozenset[str]
    partition: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset(ROLES)
    owner: str | None = None
    guard: str | None = None
    operational: frozenset[str] = frozenset()  # the operational-store tables it reads or writes
    operational_only: bool = False  # every table it names is operational: it runs there (SQLite or PostgreSQL)
    school_pupils: bool = False  # `-- pupils: school`: its pupil tables read for $school's pupils only

    @property
    def joins_stores(self) -> bool:
        return bool(self.operational) and not self.operational_only


@cache
def load_query(name: str) -> QuerySpec:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise QueryError(f"Ukendt forespørgsel: {name!r}")
    path = SQL_DIR / f"{name}.sql"
    if not path.exists():
        raise QueryError(f"Ukendt forespørgsel: {name!r}")
    sql = path.read_text(encoding="utf-8")
    header = dict(_HEADER.findall(sql))
    level = header.get("level")
    if level not in LEVELS:
        raise ValueError(f"{path.name}: header '-- level:' must be one of {sorted(LEVELS)}")
    n = header.get("n")
    if level == "aggregate" and not n:
        raise ValueError(f"{path.name}: an aggregate query must name its pupil count ('-- n:')")
    keys, partition, roles = (_names(header.get(k, "")) for k in ("keys", "partition", "roles"))
    if set(partition) - set(keys):
        raise ValueError(f"{path.name}: partition columns must be keys")
    if set(roles) - ROLES:
        raise ValueError(f"{path.name}: unknown role in '-- roles:'")
    body = _strip_comments(sql)
    owner = header.get("owner")
    if owner and level != "write":
        raise ValueError(f"{path.name}: only a write names an owner query")
    guard = header.get("guard")
    if guard and level != "write":
        raise ValueError(f"{path.name}: only a write names a guard query")
    named = {t.lower() for t in _TABLE_REFERENCE.findall(body)} - {"set"}  # ON CONFLICT ... DO UPDATE SET
    operational = frozenset(named & operational_store.TABLES)
    # Writes (and their owner lookups) of operational tables run in the operational store, in its
    # portable SQL; so does a read marked `-- store: operational`. Any other read of them runs in
    # DuckDB, with the operational tables it names read from the operational store.
    if level in ("write", "owner") and operational and not named <= operational_store.TABLES:
        raise ValueError(f"{path.name}: a write cannot mix operational and analytical tables")
    only = bool(operational) and (level in ("write", "owner") or header.get("store") == "operational")
    params = frozenset(_PARAM.findall(body))
    school_pupils = header.get("pupils") == "school"
    if header.get("pupils") not in (None, "school"):
        raise ValueError(f"{path.name}: '-- pupils:' can only be 'school'")
    if school_pupils and ("school" not in params or only or not operational & set(PUPIL_WORK_TABLES)):
        raise ValueError(f"{path.name}: '-- pupils: school' needs $school and a joined read of the pupil tables")
    if guard:  # the guard's parameters are the write's too (a pupil's school and year group it checks)
        params |= load_query(guard).params
    return QuerySpec(
        name,
        sql,
        level,
        header.get("scope", "none"),
        keys,
        n,
        params,
        partition,
        frozenset(roles or ROLES),
        owner,
        guard,
        operational,
        only,
        school_pupils,
    )


def _names(text: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in text.split(",") if k.strip())


def query_names() -> list[str]:
    return sorted(p.stem for p in SQL_DIR.glob("*.sql"))


class Runner:
    """Runs named queries for one store. Thread-safe: one connection, a cursor per query.

    The store is two: the DuckDB file (`con`, the analytical tables) and its operational store
    (data/operational_store.py: login sessions, failed logins, the audit log), which every server
    process shares and which takes writes even when the DuckDB file is open read-only."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        min_group_size: int | None = None,
        read_only: bool = False,
        path: Path | None = None,
    ):
        self._con = con
        self.read_only = read_only
        self._path = Path(path) if path else store.database_file(con)
        self._ops: operational_store.OperationalStore | None = None
        # A read-only runner follows the store's name to each new version the command line writes.
        self._identity = store.identity(self._path) if read_only else None
        self._retired: list[duckdb.DuckDBPyConnection] = []
        self._reopen_lock = threading.Lock()
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple, pl.DataFrame] = OrderedDict()
        self._edits = 0  # user edits made through this runner; see `_edit_tables`
        self.school_pupil_frames = True  # False: every joined read takes the whole pupil tables (tests compare)
        self._version_memo = threading.local()  # per session thread: see `data_version`
        self.min_group_size = int(min_group_size or settings()["suppression"]["min_group_size"])

    # -- public -------------------------------------------------------------------------
    def run(self, name: str, scope: Scope, **params: Any) -> pl.DataFrame:
        spec = load_query(name)
        if spec.level in ("write", "owner", "guard"):
            raise QueryError(f"{name} er ikke en forespørgsel, der kan læses.")
        bound = self._bind(spec, scope, params)
        versions = self._ops_versions() if spec.operational else {}
        key = (
            name,
            tuple(sorted((k, _freeze(v)) for k, v in bound.items())),
            scope,
            self.data_version(),
            self._edits if _reads_edit_tables(name) else 0,
            tuple(versions.get(t, 0) for t in sorted(spec.operational)),  # only the tables it reads
            self.min_group_size,
        )
        # A `scope: none` query without $scope_schools reads the same rows for every caller, and when its
        # result has no school or grade column `_finish` does not depend on the scope either: such a result
        # (the class clustering of the whole country) is kept once for every scope, not once per school.
        # Who may run it is still checked per call (`_bind`, above).
        shared = key[:2] + (None,) + key[3:] if spec.scope == "none" and "scope_schools" not in spec.params else None
        with self._lock:
            for found in (shared, key):
                if found is not None and found in self._cache:
                    self._cache.move_to_end(found)
                    return self._cache[found]
        # One chunk per column: sessions that share a cached frame never rechunk it concurrently.
        frame = self._finish(spec, scope, self._execute(spec, bound, versions)).rechunk()
        if shared is not None and not {"institution_no", "grade"} & set(frame.columns):
            key = shared
        with self._lock:
            self._cache[key] = frame
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return frame

    def fresh(self, name: str, scope: Scope, **params: Any) -> pl.DataFrame:
        """`run` without the cache: a login check reads the sessions as they are now."""
        spec = load_query(name)
        if spec.level in ("write", "owner", "guard"):
            raise QueryError(f"{name} er ikke en forespørgsel, der kan læses.")
        return self._finish(spec, scope, self._execute(spec, self._bind(spec, scope, params)))

    def _connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection; for a read-only runner, to the version the store's name points at now
        (one stat per query). The replaced connection is closed two versions later, when no query can
        still be running on it."""
        if self._identity is not None:
            now = store.identity(self._path)
            if now is not None and now != self._identity:
                with self._reopen_lock:
                    if store.identity(self._path) != self._identity:
                        con, self._identity = store.open_version(self._path)
                        self._retired.append(self._con)
                        self._con = con
                        while len(self._retired) > 2:
                            self._retired.pop(0).close()
                        _log.info("opened a new version of %s", self._path)
        return self._con

    @property
    def ops(self) -> operational_store.OperationalStore:
        """The operational store beside this runner's DuckDB file."""
        if self._ops is None:
            self._ops = operational_store.for_store(store.live_path(self._path))
        return self._ops

    def _ops_versions(self) -> dict[str, int]:
        """Every operational table's version (one read, so another process's commit is seen at once)."""
        try:
            return self.ops.versions()
        except operational_store.OperationalStoreError as exc:
            raise QueryError(str(exc)) from exc
        except operational_store.DatabaseError as exc:
            _log.warning("operational store version failed: %s", exc)
            raise QueryError("Driftsdatabasen svarer ikke; prøv igen om lidt.") from exc

    def may_write(self, name: str, scope: Scope) -> bool:
        """Whether the role may run this write at all (screens use it to show or hide editors)."""
        return scope.role in load_query(name).roles

    def write(self, name: str, scope: Scope, username: str, rows: list[dict[str, Any]]) -> int:
        """Run a `write` query once per row; see `write_many`."""
        return self.write_many(scope, username, [(name, rows)])

    def write_many(self, scope: Scope, username: str, batches: list[tuple[str, list[dict[str, Any]]]]) -> int:
        """Run `write` queries, each once per row, all in one transaction (all or nothing), with an
        audit-log entry per row (naming the school whose row changed). Each row passes the same scope checks as a
        read; an INSERT or UPDATE that changes no row is refused. Returns the number of rows written.
        Writes of operational tables only run in the operational store, also when the DuckDB file is
        open read-only. A refusal is logged (user, role, queries, reason) and raised."""
        try:
            return self._write_many(scope, username, batches)
        except QueryError as refusal:
            _log.warning(
                "write refused: user %r (%s), %s: %s",
                username,
                scope.role,
                ", ".join(name for name, _ in batches),
                refusal,
            )
            raise

    def _write_many(self, scope: Scope, username: str, batches: list[tuple[str, list[dict[str, Any]]]]) -> int:
        work = []
        operational = []
        for name, rows in batches:
            spec = load_query(name)
            if spec.level != "write":
                raise QueryError(f"{name} er ikke en ændring.")
            statements = [s.strip() for s in _strip_comments(spec.sql).split(";") if s.strip()]
            for row in rows:
                _check_lengths(row)
            work += [(name, statements, self._bind(spec, scope, row)) for row in rows]
            operational.append(spec.operational_only)
        if work and all(operational):
            self._write_operational(scope, username, work)
            return len(work)
        if any(operational):
            raise ValueError("one write_many cannot mix operational and analytical tables")
        if self.read_only:
            raise QueryError("Databasen er åbnet skrivebeskyttet; ændringer kan ikke gemmes lige nu.")
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self._write_once(scope, username, work)
                break
            except duckdb.TransactionException as exc:  # another session's edit of the same row won
                if attempt == WRITE_ATTEMPTS - 1:
                    raise QueryError(
                        "Ændringen kunne ikke gemmes, fordi en anden gemte samtidig; intet er ændret. Prøv igen."
                    ) from exc
        with self._lock:
            self._edits += 1
        return len(work)

    def _write_once(self, scope: Scope, username: str, work: list[tuple[str, list[str], dict[str, Any]]]) -> None:
        cur = self._connection().cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            for name, statements, bound in work:
                target = self._check_owner(cur, load_query(name), scope, bound)
                for statement in statements:
                    result = cur.execute(statement, _used(statement, bound)).fetchone()
                    changes = statement.split(None, 1)[0].upper() in ("INSERT", "UPDATE")
                    if changes and (not result or result[0] < 1):  # an UPDATE or guarded INSERT that matched nothing
                        raise QueryError("Rækken findes ikke, eller du har ikke adgang til den; intet er ændret.")
                audit.record(cur, username, name, target, _audit_detail(bound), school=target or None)
            audit.commit(cur, self.ops)  # the audit entries are written in the same moment
        except duckdb.TransactionException:
            _rollback(cur)
            raise
        except duckdb.Error as exc:
            _rollback(cur)
            if store.is_corruption(exc):
                _log.error("damaged store block while writing: %s", exc)
                raise QueryError(store.corrupt_message() + " Intet er ændret.") from exc
            raise QueryError("Ændringen kunne ikke gemmes; intet er ændret.") from exc
        except QueryError:
            _rollback(cur)
            raise
        except operational_store.OperationalStoreError as exc:
            _rollback(cur)
            raise QueryError(str(exc)) from exc
        finally:
            audit.discard(cur)
            cur.close()

    def _write_operational(
        self, scope: Scope, username: str, work: list[tuple[str, list[str], dict[str, Any]]]
    ) -> None:
        """The same write in the operational store (SQLite or PostgreSQL): one transaction, its audit
        entries inside it. A write's guard runs first, in DuckDB (see `_check_guard`)."""
        for name, _, bound in work:
            self._check_guard(load_query(name), bound)
        try:
            with self.ops.transaction() as cur:
                for name, statements, bound in work:
                    target = self._check_owner(cur, load_query(name), scope, bound)
                    for statement in statements:
                        cur.execute(statement, _used(statement, bound))
                        changes = statement.split(None, 1)[0].upper() in ("INSERT", "UPDATE")
                        if changes and cur.rowcount < 1:
                            raise QueryError("Rækken findes ikke, eller du har ikke adgang til den; intet er ændret.")
                    audit.record(cur, username, name, target, _audit_detail(bound), school=target or None)
        except operational_store.OperationalStoreError as exc:
            raise QueryError(str(exc)) from exc
        except operational_store.DatabaseError as exc:  # never shown raw
            _log.warning("operational write %s failed: %s", [w[0] for w in work], exc)
            raise QueryError("Ændringen kunne ikke gemmes; intet er ændret.") from exc

    def import_cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for an importer's checks (reads only); the caller closes it."""
        return self._connection().cursor()

    def transaction(self, work):
        """Run `work(cursor)` as one transaction (an import or a rollback, which audit and bump the data
        version themselves). Refused on a read-only store."""
        from data.importers.engine import transaction

        if self.read_only:
            raise QueryError("Databasen er åbnet skrivebeskyttet; der kan ikke importeres lige nu.")
        return transaction(self._connection(), work)

    def audit(
        self, username: str, action: str, target: str, detail: str | None = None, school: str | None = None
    ) -> None:
        """Record something that changes no data (an export, a view of pupil-level or other schools'
        figures) in the audit log (the operational store, so also when the DuckDB file is read-only)."""
        try:
            with self.ops.transaction() as cur:
                audit.record(cur, username, action, target, detail, school)
        except (operational_store.OperationalStoreError, *operational_store.DatabaseError) as exc:
            raise QueryError("Handlingen kunne ikke skrives i revisionssporet; prøv igen.") from exc

    def data_version(self) -> str:
        """The store's data version. Reading it is a query (1-2 ms, every `run` needs it, and a screen
        run makes 20-40): within one Streamlit run it is read once, so a run shows one version, and
        again after any write of this process (`store.bumps`) or on a new version of the file."""
        con = self._connection()
        token = (_current_run(), store.bumps(), con)
        memo = getattr(self._version_memo, "value", None)
        if token[0] is not None and memo is not None:
            (run, bumps, connection), version = memo
            if run is token[0] and bumps == token[1] and connection is con:
                return version
        cur = con.cursor()
        try:
            row = cur.execute("SELECT value FROM store_info WHERE key = 'data_version'").fetchone()
        finally:
            cur.close()
        version = row[0] if row else ""
        self._version_memo.value = (token, version)
        return version

    def is_demo(self) -> bool:
        cur = self._connection().cursor()
        try:
            return store.is_demo(cur)
        finally:
            cur.close()

    # -- internals ----------------------------------------------------------------------
    def _check_owner(self, cur: duckdb.DuckDBPyConnection, spec: QuerySpec, scope: Scope, bound: dict[str, Any]) -> str:
        """The school of the row a write changes, found by the row's key: it must be the `$school`
        the caller was allowed to name (and a team's year group). Returns the school for the audit."""
        school = str(bound.get("school", ""))
        if not spec.owner:
            return school
        owner = load_query(spec.owner)
        sql = _strip_comments(owner.sql)
        rows = cur.execute(sql, _used(sql, bound)).fetchall()
        columns = [d[0] for d in cur.description]
        for row in rows:
            found = dict(zip(columns, row, strict=True))
            if found["institution_no"] != school or not scope.allows_school(found["institution_no"]):
                raise ScopeError("Rækken hører til en anden skole; intet er ændret.")
            if (
                scope.grades is not None
                and found.get("year_group") is not None
                and found["year_group"] not in scope.grades
            ):
                raise ScopeError("Rækken hører til en anden årgang; intet er ændret.")
        return school

    def _check_guard(self, spec: QuerySpec, bound: dict[str, Any]) -> None:
        """What an operational write needs of the analytical store (a date inside the school year, a
        known competence area) is checked there before the write, which then changes only its own
        store. The analytical store changes only by a new version, so the check stays true."""
        if not spec.guard:
            return
        sql = _strip_comments(load_query(spec.guard).sql)
        cur = self._connection().cursor()
        try:
            found = cur.execute(sql, _used(sql, bound)).fetchall()
        except duckdb.Error as exc:  # a value DuckDB cannot compare (never shown raw)
            _log.warning("guard %s failed: %s", spec.guard, exc)
            raise QueryError("Ugyldig værdi; intet er ændret.") from exc
        finally:
            cur.close()
        if not found:
            raise QueryError("Rækken findes ikke, eller du har ikke adgang til den; intet er ændret.")

    def _bind(self, spec: QuerySpec, scope: Scope, params: dict[str, Any]) -> dict[str, Any]:
        unknown = set(params) - (spec.params - {"scope_schools"}) - set(SETTING_PARAMS)
        if unknown:
            raise QueryError(f"Ukendte parametre til {spec.name}: {', '.join(sorted(unknown))}")
        bound = dict(params)
        for name in set(SETTING_PARAMS):  # a threshold of settings.toml, never the caller's value
            bound.pop(name, None)
            if name in spec.params:
                bound[name] = SETTING_PARAMS[name]()
        if "scope_schools" in spec.params:
            bound["scope_schools"] = sorted(scope.schools) if scope.schools is not None else None
        missing = spec.params - set(bound)
        if missing:
            raise QueryError(f"Manglende parametre til {spec.name}: {', '.join(sorted(missing))}")
        if scope.role not in spec.roles:
            raise ScopeError("Din rolle har ikke adgang til disse tal.")
        if spec.level == "pupil" and scope.role == "kommune":
            raise ScopeError("Kommunen ser kun samlede tal, ikke enkelte elever.")
        if spec.scope == "school" or "school" in bound:
            if not scope.allows_school(bound.get("school")):
                raise ScopeError("Du har ikke adgang til den skole.")
        if "municipality" in bound and scope.role == "kommune" and bound["municipality"] != scope.municipality_code:
            raise ScopeError("Du har ikke adgang til den kommune.")
        for name in ("grade", "grades", "year_group"):
            if name in bound and scope.grades is not None:
                wanted = bound[name] if isinstance(bound[name], (list, tuple)) else [bound[name]]
                if not wanted or any(g not in scope.grades for g in wanted):
                    raise ScopeError("Du har ikke adgang til den årgang.")
        return bound

    def _execute(self, spec: QuerySpec, params: dict[str, Any], versions: dict[str, int] | None = None) -> pl.DataFrame:
        """The query's rows; `versions` are the operational tables' versions its cache key was made
        with (read now when None): a frame read after them is kept under them, so a commit between the
        two is seen by the next read, never hidden."""
        if spec.operational_only:
            sql, expanded = _expand_lists(_strip_comments(spec.sql), params)
            try:
                return self.ops.read(sql, _used(sql, expanded))
            except operational_store.OperationalStoreError as exc:
                raise QueryError(str(exc)) from exc
            except operational_store.DatabaseError as exc:
                _log.warning("operational read %s failed: %s", spec.name, exc)
                raise QueryError("Ugyldig værdi i forespørgslen.") from exc
        con = self._connection()
        cur = con.cursor()
        timer = threading.Timer(QUERY_TIMEOUT_SECONDS, cur.interrupt)
        timer.start()
        try:
            # The operational tables a query joins with the analytical ones: read from the
            # operational store now and seen by DuckDB under their own names.
            if versions is None and spec.operational:
                versions = self._ops_versions()
            for table in sorted(spec.operational):  # converted once per commit of that table there (`frame`)
                version = versions.get(table, 0)
                if spec.school_pupils and self.school_pupil_frames and table in PUPIL_WORK_TABLES:
                    # keyed on the analytical version too: it says who the school's pupils are
                    pupils = (params["school"], self.data_version(), id(con))
                    frame = self.ops.pupil_frame(table, version, pupils, lambda: _school_pupils(con, params["school"]))
                else:
                    frame = self.ops.frame(table, version)
                cur.register(table, frame)
            return cur.sql(spec.sql, params=params).pl()
        except duckdb.InterruptException as exc:
            raise QueryError("Forespørgslen tog for lang tid og blev stoppet.") from exc
        except operational_store.OperationalStoreError as exc:  # PostgreSQL cannot be reached
            raise QueryError(str(exc)) from exc
        except duckdb.Error as exc:  # never shown raw; DuckDB's words go to the server log
            if store.is_corruption(exc):
                _log.error("damaged store block while reading: %s", exc)
                raise QueryError(store.corrupt_message()) from exc
            raise QueryError("Ugyldig værdi i forespørgslen.") from exc
        finally:
            timer.cancel()
            cur.close()

    def _finish(self, spec: QuerySpec, scope: Scope, frame: pl.DataFrame) -> pl.DataFrame:
        if "institution_no" in frame.columns and scope.schools is not None:
            # A row without a school is an aggregate over the caller's scope (e.g. the municipality).
            frame = frame.filter(
                pl.col("institution_no").is_null() | pl.col("institution_no").is_in(sorted(scope.schools))
            )
        if "grade" in frame.columns and scope.grades is not None:
            frame = frame.filter(pl.col("grade").is_null() | pl.col("grade").is_in(sorted(scope.grades)))
        if spec.level != "aggregate":
            return frame
        values = [c for c in frame.columns if c not in spec.keys]
        frame = frame.with_columns((pl.col(spec.n).fill_null(0) < self.min_group_size).alias("suppressed"))
        primary = frame["suppressed"]
        if spec.partition and len(frame):
            frame = _suppress_complement(frame, list(spec.partition), spec.n)
        frame = frame.with_columns(
            pl.when(pl.Series(primary))
            .then(pl.lit(small_group()))
            .when(pl.col("suppressed"))
            .then(pl.lit(COMPLEMENT))
            .otherwise(None)
            .alias("suppressed_reason")
        )
        values = [c for c in values if c != "suppressed_reason"]
        return frame.with_columns(
            [pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(c)).alias(c) for c in values]
        )


def _school_pupils(con: duckdb.DuckDBPyConnection, school: Any) -> list[str]:
    """The keys of every pupil ever registered at the school: the rows of the team's pupil tables a
    `-- pupils: school` query can join (any school year: an assessment from the year before the pupil
    moved here is the pupil's too)."""
    cur = con.cursor()
    try:
        return [r[0] for r in cur.execute(_SCHOOL_PUPILS, [school]).fetchall()]
    finally:
        cur.close()


def _suppress_complement(frame: pl.DataFrame, partition: list[str], n: str) -> pl.DataFrame:
    """Where one group of a breakdown is hidden, hide the smallest other group as well."""
    lone = pl.col("suppressed").sum().over(partition) == 1
    rank = pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(n)).rank("ordinal").over(partition)
    return frame.with_columns((pl.col("suppressed") | (lone & (rank == 1))).fill_null(False).alias("suppressed"))


def _check_lengths(row: dict[str, Any]) -> None:
    """Every text a user saves is bounded before anything is written (minutes are the long ones)."""
    limits = settings()["limits"]
    for key, value in row.items():
        limit = limits["minutes_chars"] if key in LONG_TEXTS else limits["text_chars"]
        if isinstance(value, str) and len(value) > limit:
            raise QueryError(f"Teksten er for lang: højst {limit:,} tegn; intet er gemt.".replace(",", "."))


def _used(sql: str, bound: dict[str, Any]) -> dict[str, Any]:
    """The parameters one statement names (DuckDB refuses any it does not use)."""
    names = set(_PARAM.findall(sql))
    return {k: v for k, v in bound.items() if k in names}


_ANY = re.compile(r"\bANY\(\$([a-z_][a-z0-9_]*):")
_IN_LIST = re.compile(r"\bIN\s*\(\$([a-z_][a-z0-9_]*)\)")
_COUNT = re.compile(r"\bCOUNT\(\$([a-z_][a-z0-9_]*)\)")


def _expand_lists(sql: str, bound: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A list parameter of a read in the operational store (which has no lists), expanded into bound
    parameters `$name_0`, `$name_1`, … (values are never written into the SQL):
    `ANY($xs: condition naming $xs)` is the condition for each value, OR-ed (false when the list is
    empty); `IN ($xs)` is `IN ($xs_0, …)` (`IN (NULL)`: nothing, when empty); `COUNT($xs)` is the
    number of values."""
    out = {k: v for k, v in bound.items() if not isinstance(v, (list, tuple))}

    def values(name: str) -> list[Any]:
        value = bound.get(name)
        if value is not None and not isinstance(value, (list, tuple)):
            raise QueryError(f"${name} skal være en liste.")
        return list(value) if value is not None else []

    def bind(name: str) -> list[str]:
        marks = []
        for i, value in enumerate(values(name)):
            out[f"{name}_{i}"] = value
            marks.append(f"{name}_{i}")
        return marks

    while match := _ANY.search(sql):
        name, depth, end = match.group(1), 1, match.end()
        while depth:  # the condition runs to the parenthesis that closes ANY(
            if end >= len(sql):
                raise ValueError(f"ANY(${name}: … has no closing parenthesis")
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            end += 1
        condition = sql[match.end() : end - 1]
        named = re.compile(r"\$" + name + r"\b")
        parts = ["(" + named.sub("$" + mark, condition) + ")" for mark in bind(name)]
        sql = sql[: match.start()] + "(" + (" OR ".join(parts) or "1 = 0") + ")" + sql[end:]

    def in_list(match: re.Match) -> str:
        return "IN (" + (", ".join(f"${m}" for m in bind(match.group(1))) or "NULL") + ")"

    def count(match: re.Match) -> str:
        out[f"{match.group(1)}_count"] = len(values(match.group(1)))
        return f"${match.group(1)}_count"

    return _COUNT.sub(count, _IN_LIST.sub(in_list, sql)), out


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:  # a failed COMMIT has already ended the transaction
        pass


@cache
def _edit_tables() -> frozenset[str]:
    """The tables user edits write. Edits do not bump the store's data version (that one row would
    make every two concurrent edits conflict, and figures do not change); instead a read of these
    tables is cached under the runner's own count of edits, which sees every edit because all of
    them go through the process's one runner (`runner_for`). The operational tables are not among them:
    a read of those is cached under their versions (`OperationalStore.versions`), which see every
    process's commits."""
    tables = set()
    for name in query_names():
        spec = load_query(name)
        if spec.level == "write":
            tables |= set(re.findall(r"(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)", spec.sql, re.IGNORECASE))
    return frozenset(t.lower() for t in tables) - {"set"} - operational_store.TABLES  # "ON CONFLICT ... DO UPDATE SET"


@cache
def _reads_edit_tables(name: str) -> bool:
    return any(re.search(rf"\b{table}\b", load_query(name).sql) for table in _edit_tables())


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


NOT_AUDITED = frozenset({"scope_schools", "now", "stamp", "token"})  # bound by the runner, not the user


def _audit_detail(bound: dict[str, Any]) -> str:
    """The row's parameters; a note's or the minutes' text only by its length (the log is no second
    copy of confidential passages)."""
    return json.dumps(
        {k: (f"{len(v or '')} tegn" if k in LONG_TEXTS else v) for k, v in bound.items() if k not in NOT_AUDITED},
        ensure_ascii=False,
        default=str,
    )


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _current_run() -> object | None:
    """An object that is the current Streamlit script run's own (its cursors, a new dict each run and
    each fragment run), or None outside a run (the command line, the tests' direct calls)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.cursors


_runners: dict[str, Runner] = {}
_runners_lock = threading.Lock()


def runner_for(path: Path | None = None, read_only: bool = False) -> Runner:
    """The process's one runner (and connection) per store file."""
    path = Path(path or store.store_path()).resolve()
    with _runners_lock:
        if str(path) not in _runners:
            _runners[str(path)] = Runner(store.connect(path, read_only=read_only), read_only=read_only, path=path)
        return _runners[str(path)]
