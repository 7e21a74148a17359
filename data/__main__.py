"""Command line: python -m data {init,secrets,demo,migrate,schools,figures,users,backup,restore,import,rollback} ...

The data owner runs these on the machine that holds the store; they see every school. A command
that cannot open the store because another process holds it (the running app) stops with one
Danish sentence naming that process and what to do instead, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from datetime import date
from pathlib import Path

import polars as pl

from data import operational_store, store

ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"

# What to do instead when the running app holds the store, per command.
_INSTEAD_OF_APP = {
    "schools": "se skolerne i appen, eller stop appen og kør kommandoen igen",
    "figures": "se tallene i appen, eller stop appen og kør kommandoen igen",
    "migrate": "appen opdaterer selv skemaet, når den åbner databasen; stop appen, hvis du vil køre migrate",
    "rollback": "rul partiet tilbage på Data-skærmen (Importhistorik), eller stop appen og kør kommandoen igen",
    "import": "importér filen på Data-skærmen i appen, eller stop appen og kør kommandoen igen",
    "backup": "tag sikkerhedskopien på Data-skærmen i appen (Tag sikkerhedskopi nu), "
    "eller stop appen og kør kommandoen igen",
    "users": "skolen kan ikke kontrolleres imens; stop appen og kør kommandoen igen",
    "demo": "stop appen, før databasen erstattes med demodata",
}


def _admin_scope():
    from queries.runner import Scope

    return Scope("admin", None)


def cmd_demo(args) -> int:
    from data import demo, users
    from data.demo_population import DemoParams

    if args.scale == "national":
        from data.demo_population import national

        params = national()
    else:
        params = DemoParams(
            schools=args.schools,
            municipalities=args.municipalities,
            pupils_per_school=args.pupils_per_school,
            years=args.years,
            seed=args.seed,
        )
    path = Path(args.path or store.store_path())
    if path.exists():
        held = store.held_by(path)
        if held:
            raise held
        refusal = None if args.replace else _not_a_demo_store(path)
        if refusal:
            print(
                f"Fejl: {refusal}; demo erstatter hele databasen. Tag en sikkerhedskopi (python -m data "
                "backup MAPPE) og kør igen med --replace, eller vælg en anden fil med --path.",
                file=sys.stderr,
            )
            return 2
    print(f"Bygger demodata i {path} ...", file=sys.stderr)
    say = _progress_line()  # each step with its start: where a long build spends its time
    counts = demo.build(
        path,
        params,
        progress=lambda share, text: say(f"{share:4.0%} {text}"),
        replace=args.replace,
    )
    users_file = users.users_path()
    if users_file.exists() and "demo_store" not in (_yaml(users_file) or {}):
        print(
            f"Brugerfilen {users_file} er ikke demoens og er ikke rørt; demobrugerne er ikke skrevet.", file=sys.stderr
        )
    else:
        users.write_demo_users(path)
    print(json.dumps(counts, ensure_ascii=False))
    return 0


def _yaml(path: Path):
    import yaml

    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _not_a_demo_store(path: Path) -> str | None:
    """Why `demo` must not replace this store without --replace, or None."""
    try:
        con = store.connect(path, read_only=True)
    except store.StoreHeld:
        raise
    except store.StoreError:
        return f"{path} kan ikke læses som en Datablik-database"
    try:
        imported = con.execute("SELECT count(*) FROM import_batch WHERE status <> 'rullet tilbage'").fetchone()[0]
        demo = store.is_demo(con)
    finally:
        con.close()
    if imported:
        return f"{path} indeholder importerede data ({imported} importpartier)"
    if not demo:
        return f"{path} er ikke en demodatabase"
    return None


def cmd_init(args) -> int:
    """An empty, migrated store with the reference tables; never over an existing file."""
    from data.reference import load_reference_tables

    path = Path(args.path or store.store_path())
    if path.exists() or Path(f"{path}.wal").exists():
        print(
            f"Fejl: {path} findes allerede; init rører aldrig en eksisterende database (vælg en ny fil med --path).",
            file=sys.stderr,
        )
        return 2
    tmp = path.with_name(path.name + ".creating")
    for leftover in (tmp, Path(f"{tmp}.wal")):
        leftover.unlink(missing_ok=True)
    con = store.connect(tmp)
    try:
        con.execute("BEGIN TRANSACTION")
        load_reference_tables(con)
        store.set_info(con, "created_at", date.today().isoformat())
        store.bump_data_version(con)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        version = store.schema_version(con)
    finally:
        con.close()
    try:
        os.link(tmp, path)  # fails if the file appeared meanwhile: nothing is overwritten
    except FileExistsError:
        print(f"Fejl: {path} findes allerede; init rører aldrig en eksisterende database.", file=sys.stderr)
        return 2
    finally:
        tmp.unlink(missing_ok=True)
    print(f"Tom database oprettet i {path} (skemaversion {version}).")
    print(
        "Næste skridt: python -m data users add NAVN --role admin; python -m data secrets; "
        "derefter import: institutions, school-figures, pupils, resten."
    )
    return 0


def cmd_secrets(args) -> int:
    """.streamlit/secrets.toml with a new random cookie key and the users file; never overwritten."""
    import secrets

    target = Path(args.file) if args.file else SECRETS_FILE
    if target.exists():
        print(
            f"Fejl: {target} findes allerede og er ikke ændret (slet den selv, hvis en ny nøgle skal laves; "
            "alle bliver så logget ud).",
            file=sys.stderr,
        )
        return 2
    users_file = _users_file().resolve()
    store.private_folder(target.parent)
    text = (
        "# Made by python -m data secrets. Never commit this file.\n[auth]\n"
        f'cookie_key = "{secrets.token_urlsafe(48)}"\n'
        f"users_file = {json.dumps(str(users_file), ensure_ascii=False)}\n"
    )
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"Hemmelighederne er skrevet i {target} (brugerfil: {users_file}).")
    return 0


def _users_file() -> Path:
    """The users file the app reads: $DATABLIK_USERS, else users_file in .streamlit/secrets.toml,
    else data/users.yaml."""
    from data import users

    configured = None
    if SECRETS_FILE.exists():
        try:
            configured = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8")).get("auth", {}).get("users_file")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            configured = None
    return users.users_path(configured or None)


def _existing(args) -> Path:
    path = Path(args.path or store.store_path())
    if not path.exists():
        print(
            f"Fejl: der findes ingen database i {path}. Opret en med: python -m data init "
            "(eller en demo: python -m data demo)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return path


def cmd_migrate(args) -> int:
    con = store.connect(_existing(args))
    print(f"Skemaversion {store.schema_version(con)}")
    con.close()
    return 0


def _runner(args):
    from queries.runner import runner_for

    return runner_for(_existing(args), read_only=True)


def cmd_schools(args) -> int:
    frame = _runner(args).run("schools", _admin_scope())
    rows = frame.select(
        "institution_no", "name", "municipality_code", "municipality_name", "school_type", "in_leaps"
    ).to_dicts()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("Ingen skoler endnu; importér institutionsregistret: python -m data import institutions FIL")
    else:
        for r in rows:
            print(f"{r['institution_no']}  {r['name']}  ({r['municipality_name']})")
    return 0


def cmd_figures(args) -> int:
    from queries.key_figures import key_figures

    runner = _runner(args)
    scope = _admin_scope()
    schools = runner.run("schools", scope)["institution_no"].to_list()
    years = runner.run("school_years", scope)["school_year"].to_list()
    if args.school not in schools:
        print(f"Fejl: ukendt institutionsnummer {args.school!r}.", file=sys.stderr)
        return 2
    if args.year not in years:
        print(f"Fejl: skoleåret {args.year!r} findes ikke. Kendte skoleår: {', '.join(years)}", file=sys.stderr)
        return 2
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    figures = key_figures(runner, scope, args.school, args.year, as_of=as_of)
    if args.json:
        print(json.dumps([f.to_json() for f in figures], ensure_ascii=False, indent=2))
    else:
        from components.formatting import format_value

        for f in figures:
            line = f"{f.label:45} {format_value(f.value, f.unit) if f.value is not None else f.reason}"
            if f.basis == "offentliggjort" and f.value is not None:  # say whose figure it is
                line += f"  ({f.significance + ', ' if f.significance else ''}{f.source})"
            print(line)
    return 0


def _password(args) -> str:
    """Read a password without echoing it: from a prompt, or one line on stdin (--password-stdin)."""
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Adgangskode: ")
    if first != getpass.getpass("Gentag adgangskoden: "):
        raise ValueError("De to adgangskoder er ikke ens.")
    return first


def cmd_users(args) -> int:
    from data import users

    path = _users_file()
    try:
        if args.action == "add":
            if args.role in ("ledelse", "team") and args.school:
                _check_school(args)
            grades = [int(g) for g in args.grades.split(",")] if args.grades else None
            users.add_user(
                path,
                args.username,
                args.name or args.username,
                args.role,
                _password(args),
                school=args.school,
                grades=grades,
                municipality=args.municipality,
            )
        elif args.action == "passwd":
            users.set_password(path, args.username, _password(args))
        elif args.action == "disable":
            users.disable_user(path, args.username)
        else:
            for name, record in sorted(users.load_users(path).items()):
                state = " (deaktiveret)" if record.get("disabled") else ""
                print(f"{name}: {record.get('role')}{state}")
            return 0
    except ValueError as problem:
        print(f"Fejl: {problem}", file=sys.stderr)
        return 2
    print(f"OK: {args.action} {args.username} i {path}")
    return 0


def _check_school(args) -> None:
    """A leader's or team's school must be in the store (else they would see nothing)."""
    path = Path(args.path or store.store_path())
    if not path.exists():
        raise ValueError(
            f"der findes ingen database i {path}, så skolen {args.school} kan ikke kontrolleres; "
            "opret den (python -m data init) og importér institutionsregistret først."
        )
    schools = _runner(args).run("schools", _admin_scope())["institution_no"].to_list()
    if args.school not in schools:
        raise ValueError(
            f"skolen {args.school!r} findes ikke i {path.name}; importér institutionsregistret "
            "(python -m data import institutions FIL), eller ret --school."
        )


def cmd_backup(args) -> int:
    from data import backup

    path = _existing(args)
    print(f"Sikkerhedskopi af {path} gemt i {backup.backup(path, Path(args.folder))}")
    print(backup.contents_text())
    return 0


def cmd_restore(args) -> int:
    from data import backup

    target = Path(args.path or store.store_path())
    try:
        backup.restore(Path(args.folder), target)
    except (FileExistsError, FileNotFoundError) as problem:
        print(f"Fejl: {problem}", file=sys.stderr)
        return 2
    print(f"Databasen {target} er genskabt fra {args.folder}")
    return 0


def cmd_import(args) -> int:
    path = Path(args.path or store.store_path())
    if not path.exists():
        print(f"Fejl: der findes ingen database i {path}.", file=sys.stderr)
        return 2
    try:
        retrieved = date.fromisoformat(args.hentet) if args.hentet else None
    except ValueError:
        print(f"Fejl: --hentet skal være en dato som 2026-11-24, ikke {args.hentet!r}.", file=sys.stderr)
        return 2
    if args.erstat and args.source != "pupils":
        print("Fejl: --erstat gælder kun elevregistret (pupils).", file=sys.stderr)
        return 2
    files = [Path(f) for f in args.files]
    for f in files:
        if not f.is_file():
            print(f"Fejl: filen {f} findes ikke.", file=sys.stderr)
            return 2
    try:  # while server processes read the store, the import is a new version they switch to
        with store.writable(path) as con:
            return _import_into(con, args, files, retrieved)
    except store.StoreHeld:
        raise
    except (store.StoreError, operational_store.OperationalStoreError) as problem:  # Danish already
        print(f"Fejl: {problem}", file=sys.stderr)
        return 2


def _import_into(con, args, files: list[Path], retrieved) -> int:
    from data.importers import engine, report

    say = _progress_line()
    prepared = []
    for i, f in enumerate(files, start=1):
        say(f"Læser og kontrollerer {f.name} ({i}/{len(files)}, {f.stat().st_size / 1e6:.1f} MB)")
        prepared.append(
            engine.prepare(con.cursor(), args.source, f.name, f.read_bytes(), retrieved, replacement=args.erstat)
        )
    for p in prepared:
        print(f"{report.summary(p)} [{p.description}]" if p.description else report.summary(p))
        for note in p.notes:
            print(f"  {note}")
        for warning in p.warnings:
            print(f"  Bemærk: {warning}")
    problems = [p.problems for p in prepared if not p.ok]
    if problems:
        everything = pl.concat(problems)
        for row in everything.head(args.max_problems).iter_rows(named=True):
            print("  " + report.problem_line(row), file=sys.stderr)
        if everything.height > args.max_problems:
            print(
                f"  ... og {engine.thousands(everything.height - args.max_problems)} problemer mere",
                "(hele rapporten: --rapport FIL)",
                file=sys.stderr,
            )
        if args.rapport:
            report.table(everything).write_csv(args.rapport, separator=";", include_bom=True)
            print(f"Rapporten er gemt i {args.rapport}", file=sys.stderr)
        print("Importen er afvist; databasen er uændret.", file=sys.stderr)
        return 1
    if args.dry_run:
        print("Prøvekørsel: alt er i orden, intet er skrevet.")
        return 0
    say("Skriver i én transaktion")
    try:
        outcomes = engine.transaction(
            con, lambda cur: engine.write(cur, prepared, args.user, lambda share, text: say(text))
        )
    except engine.ImportRefused as problem:  # the transaction is rolled back
        print(f"Fejl: {problem}", file=sys.stderr)
        return 1
    except Exception as problem:  # the transaction is rolled back; say so in Danish, keep the detail
        print(
            f"Fejl under skrivningen; intet er ændret. Teknisk årsag: {type(problem).__name__}: {problem}",
            file=sys.stderr,
        )
        return 1
    con.execute("CHECKPOINT")
    for o in outcomes:
        print(o.message)
    return 0


def cmd_rollback(args) -> int:
    from data.importers import engine

    with store.writable(_existing(args)) as con:
        try:
            print(engine.transaction(con, lambda cur: engine.rollback_batch(cur, args.batch, args.user)))
        except engine.ImportRefused as problem:
            print(f"Fejl: {problem}", file=sys.stderr)
            return 1
    return 0


def _progress_line():
    """A progress line on stderr with the time since the start."""
    import time

    started = time.perf_counter()
    return lambda text: print(f"[{time.perf_counter() - started:6.1f} s] {text}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    from data import logging_setup

    logging_setup.configure()
    parser = argparse.ArgumentParser(prog="python -m data", description="Datablik: databasen")
    parser.add_argument("--path", help="databasefil (ellers $DATABLIK_DB eller data/datablik.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="byg en syntetisk demokommune")
    demo.add_argument("--schools", type=int, default=12)
    demo.add_argument("--municipalities", type=int, default=1)
    demo.add_argument("--pupils-per-school", type=float, default=1.0, help="gange hver skoles elevtal med dette")
    demo.add_argument("--years", type=int, default=5)
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument(
        "--scale",
        choices=["kommune", "national"],
        default="kommune",
        help="national: 1.100 skoler i 98 kommuner, 550.000 elever om året (ignorerer de andre tal)",
    )
    demo.add_argument(
        "--replace",
        action="store_true",
        help="erstat også en database med importerede data (eller som ikke er en demo)",
    )
    demo.set_defaults(func=cmd_demo)
    sub.add_parser("init", help="opret en tom database (aldrig over en eksisterende)").set_defaults(func=cmd_init)
    secrets_cmd = sub.add_parser("secrets", help="skriv .streamlit/secrets.toml med en ny tilfældig cookienøgle")
    secrets_cmd.add_argument("--file", help="en anden fil end .streamlit/secrets.toml")
    secrets_cmd.set_defaults(func=cmd_secrets)
    sub.add_parser("migrate", help="opdater databasens skema").set_defaults(func=cmd_migrate)
    schools = sub.add_parser("schools", help="list skolerne")
    schools.add_argument("--json", action="store_true")
    schools.set_defaults(func=cmd_schools)
    figures = sub.add_parser("figures", help="nøgletal for en skole og et skoleår")
    figures.add_argument("--school", required=True)
    figures.add_argument("--year", required=True)
    figures.add_argument("--as-of", help="dato for LEAPS-status (ÅÅÅÅ-MM-DD), ellers i dag")
    figures.add_argument("--json", action="store_true")
    figures.set_defaults(func=cmd_figures)
    users = sub.add_parser("users", help="brugere: add, passwd, disable, list")
    users.add_argument("action", choices=["add", "passwd", "disable", "list"])
    users.add_argument("username", nargs="?", default="")
    users.add_argument("--name")
    users.add_argument("--role", choices=["ledelse", "kommune", "team", "admin"])
    users.add_argument("--school")
    users.add_argument("--grades", help="klassetrin for et team, fx 4,5,6")
    users.add_argument("--municipality")
    users.add_argument("--password-stdin", action="store_true", help="læs adgangskoden fra stdin")
    users.set_defaults(func=cmd_users)
    backup_cmd = sub.add_parser("backup", help="sikkerhedskopi (DuckDB EXPORT DATABASE) til en mappe")
    backup_cmd.add_argument("folder")
    backup_cmd.set_defaults(func=cmd_backup)
    restore_cmd = sub.add_parser("restore", help="genskab en database fra en sikkerhedskopi")
    restore_cmd.add_argument("folder")
    restore_cmd.set_defaults(func=cmd_restore)
    from data.importers import SOURCES

    import_cmd = sub.add_parser("import", help="importér filer (CSV eller XLSX) fra en kilde")
    import_cmd.add_argument("source", choices=list(SOURCES), metavar="KILDE", help=", ".join(SOURCES))
    import_cmd.add_argument("files", nargs="+", metavar="FIL")
    import_cmd.add_argument("--dry-run", action="store_true", help="kontrollér kun; skriv intet")
    import_cmd.add_argument("--hentet", help="offentliggjorte tal: dagen de blev hentet (ÅÅÅÅ-MM-DD), ellers i dag")
    import_cmd.add_argument(
        "--erstat",
        action="store_true",
        help="elevregister: erstat registret for filens skoler og skoleår; elever, der ikke står "
        "i filen, fjernes med alle deres data (kan rulles tilbage)",
    )
    import_cmd.add_argument("--user", default="kommandolinje", help="hvem der importerer (til revisionssporet)")
    import_cmd.add_argument("--rapport", help="gem hele fejlrapporten som CSV her")
    import_cmd.add_argument("--max-problems", type=int, default=200, help="vis højst så mange problemer")
    import_cmd.set_defaults(func=cmd_import)
    rollback_cmd = sub.add_parser("rollback", help="rul et importparti tilbage")
    rollback_cmd.add_argument("batch", type=int)
    rollback_cmd.add_argument("--user", default="kommandolinje")
    rollback_cmd.set_defaults(func=cmd_rollback)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except store.StoreHeld as held:
        advice = _INSTEAD_OF_APP.get(args.command) if held.by_app else None
        print(f"Fejl: {held.advise(advice) if advice else held}", file=sys.stderr)
        return 3
    except (store.StoreError, operational_store.OperationalStoreError) as problem:  # Danish already
        print(f"Fejl: {problem}", file=sys.stderr)
        return 2
    except Exception as problem:  # never a traceback for the data owner; DATABLIK_DEBUG=1 shows it
        if os.environ.get("DATABLIK_DEBUG"):
            raise
        detail = " ".join(str(problem).split())[:300]
        print(
            f"Fejl: python -m data {args.command} stoppede uventet ({type(problem).__name__}: {detail}); "
            "kør igen med DATABLIK_DEBUG=1 for detaljer.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
