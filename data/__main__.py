"""Command line: python -m data {demo,migrate,schools,figures} ...

The data owner runs these on the machine that holds the store; they see every school.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from data import store


def _admin_scope():
    from queries.runner import Scope
    return Scope("admin", None)


def cmd_demo(args) -> int:
    from data import demo, users
    from data.demo_population import DemoParams
    params = DemoParams(schools=args.schools, municipalities=args.municipalities,
                        pupils_per_school=args.pupils_per_school, years=args.years, seed=args.seed)
    path = Path(args.path or store.store_path())
    print(f"Bygger demodata i {path} ...", file=sys.stderr)
    counts = demo.build(path, params, progress=lambda share, text: print(
        f"  {share:4.0%} {text}", file=sys.stderr))
    users.write_demo_users(path)
    print(json.dumps(counts, ensure_ascii=False))
    return 0


def cmd_migrate(args) -> int:
    con = store.connect(Path(args.path or store.store_path()))
    print(f"Skemaversion {store.schema_version(con)}")
    con.close()
    return 0


def _runner(args):
    from queries.runner import runner_for
    path = Path(args.path or store.store_path())
    if not path.exists():
        print(f"Fejl: der findes ingen database i {path}. Kør først: python -m data demo",
              file=sys.stderr)
        raise SystemExit(2)
    return runner_for(path, read_only=True)


def cmd_schools(args) -> int:
    frame = _runner(args).run("schools", _admin_scope())
    rows = frame.select("institution_no", "name", "municipality_code", "municipality_name",
                        "school_type", "in_leaps").to_dicts()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
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
        print(f"Fejl: skoleåret {args.year!r} findes ikke. Kendte skoleår: {', '.join(years)}",
              file=sys.stderr)
        return 2
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    figures = key_figures(runner, scope, args.school, args.year, as_of=as_of)
    if args.json:
        print(json.dumps([f.to_json() for f in figures], ensure_ascii=False, indent=2))
    else:
        from components.formatting import format_value
        for f in figures:
            print(f"{f.label:45} {format_value(f.value, f.unit) if f.value is not None else f.reason}")
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
    path = users.users_path()
    try:
        if args.action == "add":
            grades = [int(g) for g in args.grades.split(",")] if args.grades else None
            users.add_user(path, args.username, args.name or args.username, args.role, _password(args),
                           school=args.school, grades=grades, municipality=args.municipality)
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


def cmd_backup(args) -> int:
    from data import backup
    path = Path(args.path or store.store_path())
    print(f"Sikkerhedskopi af {path} gemt i {backup.backup(path, Path(args.folder))}")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data", description="Datablik: databasen")
    parser.add_argument("--path", help="databasefil (ellers $DATABLIK_DB eller data/datablik.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="byg en syntetisk demokommune")
    demo.add_argument("--schools", type=int, default=12)
    demo.add_argument("--municipalities", type=int, default=1)
    demo.add_argument("--pupils-per-school", type=float, default=1.0,
                      help="gange hver skoles elevtal med dette")
    demo.add_argument("--years", type=int, default=5)
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(func=cmd_demo)
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
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
