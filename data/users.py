"""Users: a YAML file outside git with bcrypt-hashed passwords, a role and a scope per user.

The path is $DATABLIK_USERS, else `users_file` under [auth] in .streamlit/secrets.toml (read by
the app), else data/users.yaml beside the store. In demo mode demo users for every role are
written there; their passwords are public by design and listed on the login page.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import bcrypt
import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "users.yaml"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    name: str
    role: str
    school: str | None = None
    grades: tuple[int, ...] | None = None
    municipality: str | None = None


DEMO_USERS = [
    DemoUser("leder", "demo-leder", "Skoleleder, Bakkeskolen", "ledelse", school="900001"),
    DemoUser("leder2", "demo-leder2", "Skoleleder, Ådalens Skole", "ledelse", school="900010"),
    DemoUser("kommune", "demo-kommune", "Konsulent, Demodal Kommune", "kommune", municipality="999"),
    DemoUser("team", "demo-team", "Mellemtrinsteam (4.–6.), Bakkeskolen", "team",
             school="900001", grades=(4, 5, 6)),
    DemoUser("admin", "demo-admin", "Dataansvarlig, Demodal Kommune", "admin"),
]


def users_path(configured: str | None = None) -> Path:
    return Path(os.environ.get("DATABLIK_USERS") or configured or DEFAULT_PATH)


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def load_users(path: Path) -> dict[str, dict]:
    """username -> record; a missing file means no users."""
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return dict(data.get("users") or {})


def write_demo_users(store_file: Path, path: Path | None = None) -> Path:
    """(Re)write the demo users file; only for demo stores."""
    path = path or users_path()
    records = {}
    for u in DEMO_USERS:
        record = {"name": u.name, "password": hash_password(u.password), "role": u.role}
        if u.school:
            record["school"] = u.school
        if u.grades:
            record["grades"] = list(u.grades)
        if u.municipality:
            record["municipality"] = u.municipality
        records[u.username] = record
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        yaml.safe_dump({"demo_store": str(store_file), "users": records}, f, allow_unicode=True)
    os.replace(tmp, path)
    return path
