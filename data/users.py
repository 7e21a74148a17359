"""Users: a YAML file outside git with bcrypt-hashed passwords, a role and a scope per user.

The path is $DATABLIK_USERS, else `users_file` under [auth] in .streamlit/secrets.toml (read by
the app), else data/users.yaml beside the store. In demo mode demo users for every role are
written there; their passwords are public by design and listed on the login page.
"""

from __future__ import annotations

import copy
import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import bcrypt
import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "users.yaml"
MAX_USERNAME_LENGTH = 64
MAX_PASSWORD_BYTES = 72  # bcrypt's limit: bcrypt 5 refuses longer passwords, older versions cut them


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
    DemoUser("team", "demo-team", "Mellemtrinsteam (4.–6.), Bakkeskolen", "team", school="900001", grades=(4, 5, 6)),
    DemoUser("admin", "demo-admin", "Dataansvarlig, Demodal Kommune", "admin"),
]


def users_path(configured: str | None = None) -> Path:
    return Path(os.environ.get("DATABLIK_USERS") or configured or DEFAULT_PATH)


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def load_users(path: Path) -> dict[str, dict]:
    """username -> record; a missing file means no users. A file others can read (written before
    files were made private) is made readable by its owner only."""
    if not path.exists():
        return {}
    _make_private(path)
    info = path.stat()
    return copy.deepcopy(_parsed(str(path.resolve()), info.st_mtime_ns, info.st_size, info.st_ino))


@functools.lru_cache(maxsize=8)
def _parsed(path: str, mtime_ns: int, size: int, inode: int) -> dict[str, dict]:
    """The file parsed once per version of it (every page load reads the users; parsing the YAML on
    each was a tenth of the server's Python time under load). A change, even by another process
    (python -m data users ...), changes the key."""
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
    _write_private(path, {"demo_store": str(store_file), "users": records})
    return path


def save_users(path: Path, records: dict[str, dict]) -> None:
    """Write the users file atomically, keeping anything else it holds."""
    data = {}
    if path.exists():
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
    data["users"] = records
    _write_private(path, data)


def _write_private(path: Path, data: dict) -> None:
    """Write the file atomically, readable and writable by its owner only (it holds password hashes);
    folders created for it are the owner's only too."""
    missing = []
    folder = path.parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when a stale .tmp with another mode was there
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, allow_unicode=True)
    os.replace(tmp, path)


def _make_private(path: Path) -> None:
    try:
        info = path.stat()
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            path.chmod(stat.S_IMODE(info.st_mode) & 0o700)
    except OSError:
        pass


ROLES = ("ledelse", "kommune", "team", "admin")
MIN_PASSWORD_LENGTH = 10


def add_user(
    path: Path,
    username: str,
    name: str,
    role: str,
    password: str,
    school: str | None = None,
    grades: list[int] | None = None,
    municipality: str | None = None,
) -> None:
    records = load_users(path)
    if not username or len(username) > MAX_USERNAME_LENGTH or username != username.strip():
        raise ValueError(
            f"Brugernavnet skal have 1 til {MAX_USERNAME_LENGTH} tegn og ingen mellemrum først eller sidst."
        )
    if username in records:
        raise ValueError(f"Brugeren {username!r} findes allerede.")
    if role not in ROLES:
        raise ValueError(f"Ukendt rolle {role!r}; vælg en af {', '.join(ROLES)}.")
    if role in ("ledelse", "team") and not school:
        raise ValueError("En bruger med rollen ledelse eller team skal have en skole (--school).")
    if role == "team" and not grades:
        raise ValueError("Et team skal have klassetrin (--grades 4,5,6).")
    if role == "kommune" and not municipality:
        raise ValueError("En kommunebruger skal have en kommunekode (--municipality).")
    _check_password(password)
    record = {"name": name, "role": role, "password": hash_password(password)}
    record |= {k: v for k, v in (("school", school), ("grades", grades), ("municipality", municipality)) if v}
    records[username] = record
    save_users(path, records)


def set_password(path: Path, username: str, password: str) -> None:
    records = load_users(path)
    if username not in records:
        raise ValueError(f"Ukendt bruger {username!r}.")
    _check_password(password)
    records[username]["password"] = hash_password(password)
    save_users(path, records)


def disable_user(path: Path, username: str) -> None:
    records = load_users(path)
    if username not in records:
        raise ValueError(f"Ukendt bruger {username!r}.")
    records[username]["disabled"] = True
    save_users(path, records)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn.")
    if len(password.encode("utf-8", "surrogatepass")) > MAX_PASSWORD_BYTES or "\x00" in password:
        raise ValueError(
            f"Adgangskoden må højst fylde {MAX_PASSWORD_BYTES} byte (æ, ø og å tæller som 2) "
            "og ikke indeholde nul-tegn."
        )
