"""Run every check the project promises, in order: format, lint, types, tests.

`python scripts/check.py` is the README's test command and what CI runs. Extra arguments go
to pytest (e.g. `python scripts/check.py -k parse`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

STEPS = [
    ("format", [PY, "-m", "ruff", "format", "--check", "src", "tests", "benchmarks", "scripts"]),
    ("lint", [PY, "-m", "ruff", "check", "src", "tests", "benchmarks", "scripts"]),
    ("types", [PY, "-m", "mypy"]),
]


def main() -> int:
    for name, cmd in STEPS:
        print(f"== {name}: {' '.join(cmd[2:])}", flush=True)
        if subprocess.run(cmd, cwd=ROOT).returncode != 0:
            print(f"== {name} failed", flush=True)
            return 1
    print("== tests: pytest", flush=True)
    result = subprocess.run([PY, "-m", "pytest", *sys.argv[1:]], cwd=ROOT)
    if result.returncode == 5:
        print("== pytest collected no tests", flush=True)
        return 1
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
