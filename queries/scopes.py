"""Turning a user record into the Scope the runner applies."""

from __future__ import annotations

from queries.runner import Runner, Scope

_RESOLVER = Scope("admin", None)  # resolving a scope reads the school register only


def scope_for_user(record: dict, runner: Runner) -> Scope:
    role = record.get("role")
    if role == "admin":
        return Scope("admin", None)
    if role == "kommune":
        code = str(record.get("municipality", ""))
        schools = runner.run("schools_in_municipality", _RESOLVER, municipality=code)
        return Scope("kommune", frozenset(schools["institution_no"].to_list()), municipality_code=code)
    if role in ("ledelse", "team"):
        school = str(record.get("school", ""))
        grades = frozenset(int(g) for g in record.get("grades", [])) if role == "team" else None
        if role == "team" and not grades:
            raise ValueError("a team user needs grades")
        return Scope(role, frozenset([school]), grades=grades)
    raise ValueError(f"unknown role {role!r}")
