"""Run every benchmark in this folder, one after another.

    .venv/bin/python bench/run.py [NAME ...]

Each benchmark measures careline against a baseline taken in the same run on
the same machine and prints the ratio: absolute numbers on shared machines are
noise, ratios are what to compare between commits. Nothing here is a test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    # A leading underscore marks a helper another benchmark starts (not a benchmark).
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_")
    )
    if argv:
        scripts = [p for p in scripts if p.stem in argv]
    failed = 0
    for script in scripts:
        print(f"\n== {script.stem} ==", flush=True)
        failed |= subprocess.run([sys.executable, str(script)], check=False).returncode
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
