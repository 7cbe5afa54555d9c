#!/usr/bin/env python3
"""One-command set-up for careline, using only the Python standard library.

    python3 scripts/dev.py demo   [careline demo options]   install, seed, serve
    python3 scripts/dev.py test   [pytest options]          install, run every test
    python3 scripts/dev.py check                            ruff + mypy

Both install into ./.venv (created if missing) and leave .venv/bin/careline.
On Debian without the python3-venv package (no ensurepip), the venv is made
without pip and pip is fetched from PyPI as a wheel and run from that file.
Re-installation is skipped while pyproject.toml is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def say(msg: str) -> None:
    print(f"[careline] {msg}", flush=True)


def run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def _has_ensurepip() -> bool:
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        return False
    return True


def _fetch_pip_wheel(dest: Path) -> Path:
    """Download pip's wheel from PyPI (its JSON API) for venvs made without ensurepip."""
    index = "https://pypi.org/pypi/pip/json"
    with urllib.request.urlopen(index, timeout=60) as resp:
        meta = json.load(resp)
    wheel = next(u for u in meta["urls"] if u["filename"].endswith(".whl"))
    path = dest / wheel["filename"]
    with urllib.request.urlopen(urllib.parse.urljoin(index, wheel["url"]), timeout=120) as resp:
        data = resp.read()
    if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
        raise SystemExit("pip wheel failed its checksum; try again")
    path.write_bytes(data)
    return path


def ensure_venv() -> None:
    if PY.exists():
        return
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs on any python3
        raise SystemExit(f"careline needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    say(f"creating {VENV}")
    if _has_ensurepip() and not os.environ.get("CARELINE_BOOTSTRAP_NO_ENSUREPIP"):
        venv.EnvBuilder(with_pip=True).create(VENV)
        return
    say("this Python has no ensurepip: bootstrapping pip from PyPI")
    venv.EnvBuilder(with_pip=False).create(VENV)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = _fetch_pip_wheel(Path(tmp))
        run(PY, f"{wheel}/pip", "install", "--quiet", str(wheel))


def ensure_installed(extras: str) -> None:
    ensure_venv()
    stamp = VENV / ".careline-install"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == want and (BIN / "careline").exists():
        return
    say(f"installing careline{extras} into {VENV} (first run takes a minute)")
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".{extras}")
    stamp.write_text(want)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        ensure_installed("")
        os.chdir(ROOT)
        os.execv(BIN / "careline", [str(BIN / "careline"), "demo", *rest])
    if command == "test":
        ensure_installed("[dev]")
        # The whole suite runs on two processes unless told otherwise.
        args = rest or ["-n", str(min(2, os.cpu_count() or 1))]
        return subprocess.run([str(BIN / "pytest"), *args], cwd=ROOT).returncode
    if command == "check":
        ensure_installed("[dev]")
        lint = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=ROOT).returncode
        fmt = subprocess.run([str(BIN / "ruff"), "format", "--check", "."], cwd=ROOT).returncode
        types = subprocess.run([str(BIN / "mypy")], cwd=ROOT).returncode
        return lint or fmt or types
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
