#!/usr/bin/env python3
"""Set up and run the app or its tests with nothing but Python 3.11+ installed.

    python3 manage.py run     # virtualenv, requirements, database, demo data, http://127.0.0.1:5000
    python3 manage.py test    # virtualenv, requirements, the whole test suite (pytest arguments pass through)
    python3 manage.py translations   # extract messages, update the zh catalogue, compile it
    python3 manage.py lint    # ruff and the import contracts (.importlinter), as CI runs them

Only the standard library is used here, so this works on a fresh machine.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_venv(requirements: str) -> None:
    """Create the virtualenv and install ``requirements`` when they changed since last time."""
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed (this is %s)." % sys.version.split()[0])
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = [ROOT / "requirements.txt", ROOT / requirements]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / f".installed-{Path(requirements).stem}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing {requirements} ...", flush=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "-r", ROOT / requirements], check=True)
    stamp.write_text(digest)


def flask(*args: str, env: dict | None = None) -> None:
    subprocess.run([PYTHON, "-m", "flask", "--app", "competition", *args], cwd=ROOT, check=True,
                   env=env)


def run(args: list[str]) -> None:
    ensure_venv("requirements.txt")
    size = "seed" if "--seed" in args else "small"
    logins = ROOT / "instance" / "demo-logins.txt"
    if not os.environ.get("DATABASE_URL") and not (ROOT / "instance" / "competition.sqlite").exists():
        logins.unlink(missing_ok=True)  # a new database: earlier demo passwords mean nothing
    print("Creating or upgrading the database ...", flush=True)
    flask("db", "upgrade")
    flask("demo", "--size", size, "--if-empty")
    if logins.exists():
        print("\nLog in at http://127.0.0.1:5000/auth/login with one of these "
              "(from instance/demo-logins.txt):")
        print(logins.read_text(encoding="utf-8"))
    print("Serving on http://127.0.0.1:5000 (Ctrl+C stops).", flush=True)
    flask("run", "--host", "127.0.0.1", "--port", "5000")


def test(args: list[str]) -> int:
    ensure_venv("requirements-dev.txt")
    return subprocess.run([PYTHON, "-m", "pytest", *args], cwd=ROOT).returncode


def lint(args: list[str]) -> int:
    """ruff over the code, then the import contracts; non-zero when either finds something."""
    ensure_venv("requirements-dev.txt")
    ruff = subprocess.run([BIN / "ruff", "check", "competition", "tests", "benchmarks", "manage.py",
                           *args], cwd=ROOT).returncode
    contracts = subprocess.run([BIN / "lint-imports"], cwd=ROOT).returncode
    return ruff or contracts


def translations(args: list[str]) -> int:
    """Extract every message, merge it into the zh catalogue and compile it."""
    ensure_venv("requirements-dev.txt")
    pybabel = [PYTHON, "-m", "babel.messages.frontend"]
    pot = ROOT / "competition" / "translations" / "messages.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    catalogue = ROOT / "competition" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    subprocess.run([*pybabel, "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_",
                    "--no-location", "--sort-output", "-o", pot, "."],
                   cwd=ROOT, check=True)
    step = "update" if catalogue.exists() else "init"
    subprocess.run([*pybabel, step, "-i", pot, "-d", ROOT / "competition" / "translations",
                    "-l", "zh", *(["--no-fuzzy-matching"] if step == "update" else [])],
                   cwd=ROOT, check=True)
    if "--no-compile" not in args:
        subprocess.run([*pybabel, "compile", "-d", ROOT / "competition" / "translations"],
                       cwd=ROOT, check=True)
    return 0


def main() -> int:
    command, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("help", [])
    if command == "run":
        try:
            run(args)
        except KeyboardInterrupt:
            pass
        return 0
    if command == "test":
        return test(args)
    if command == "translations":
        return translations(args)
    if command == "lint":
        return lint(args)
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main())
