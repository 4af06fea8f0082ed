"""Start-up cost of gen's light commands: the median wall time of several runs, and whether the
heavy libraries stay unloaded. Speed goals live here, not in timed unit tests.

    .venv/bin/python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bytecode import compile_gen

ROOT = Path(__file__).resolve().parent.parent
GEN = str(Path(sys.executable).with_name("gen"))
COMMANDS = {
    "gen --help": [GEN, "--help"],
    "gen validate blueprints/webapp.yaml": [GEN, "validate", "blueprints/webapp.yaml"],
    "gen render blueprints/webapp.yaml --check": [GEN, "render", "blueprints/webapp.yaml", "--check"],
    "python -c pass (interpreter alone)": [sys.executable, "-c", "pass"],
}


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    print(f"median of {runs} runs, {sys.platform}, Python {sys.version.split()[0]}; {compile_gen(ROOT)}")
    for name, command in COMMANDS.items():
        print(f"  {median_seconds(command, runs) * 1000:7.0f} ms  {name}")


if __name__ == "__main__":
    main()
