"""Wall time and peak memory of ``gen render`` at 1 to 1,000 services, next to the floor.

For each size, tests/scale.py's blueprint is rendered with ``--format cloudformation``,
``--format terraform`` and both (``all``), and bench/floor.py (a bare troposphere script that
builds the same CloudFormation resources and writes them with ``to_json()``) runs beside them:
alternating, each a fresh process, the median of ``--runs``. Peak memory is the process's
maximum resident set (``wait4``). Speed goals live here, never in timed unit tests.

    .venv/bin/python bench/render.py [--runs 5] [--sizes 1,10,100,500,1000] [--before CHECKOUT]

``--before`` also measures the gen of another checkout (say ``git archive`` of an older commit
unpacked in a folder), in the same runs, alternating with the rest, on lines of its own: a
before-and-after under the same load. A render that fails (an older gen refusing a size) is
shown as failed.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bytecode import compile_gen
from tests.scale import blueprint_text

KINDS = ("floor", "cloudformation", "terraform", "all")


FAILED = (float("nan"), float("nan"))


def run(command: list[str], gen_root: Path | None) -> tuple[float, float]:
    """``(seconds, peak MiB)`` of one run of ``command`` (NaN if it failed)."""
    env = {**os.environ, "PYTHONPATH": str(gen_root or ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=gen_root or ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        return FAILED
    return seconds, usage.ru_maxrss / 1024


def _cell(kind: str, seconds: float, mib: float, floor: float) -> str:
    if math.isnan(seconds):
        return f"{kind} failed"
    return f"{kind} {seconds:6.2f} s ({seconds / floor:4.1f}x) {mib:4.0f} MiB"


def command(kind: str, blueprint: Path, work: Path) -> list[str]:
    if kind == "floor":
        return [sys.executable, str(ROOT / "bench" / "floor.py"), str(blueprint.stem.split("-")[1]),
                str(work / "floor.json")]
    return [sys.executable, "-m", "generator", "render", str(blueprint), "--out", str(work / kind), "--format", kind]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1,10,100,500,1000")
    parser.add_argument("--before", type=Path, help="another checkout whose gen is measured too")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    roots: dict[str, Path | None] = {"": None, **({"before": args.before.resolve()} if args.before else {})}
    notes = "; ".join(sorted({compile_gen(root or ROOT) for root in roots.values()}))
    print(f"median of {args.runs} runs, alternating; {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
          + (f"; before: gen of {args.before}" if args.before else "") + f"; {notes}; compiled templates "
          "cached from the first run on (generator/render/bytecode_cache.py), as for a user's later renders")
    results: dict[tuple[int, str, str], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in sizes:
            blueprint = work / f"scale-{size}.yaml"
            blueprint.write_text(blueprint_text(size))
            runs = [(name, kind) for name in roots for kind in KINDS if name == "" or kind != "floor"]
            samples: dict[tuple[str, str], list[tuple[float, float]]] = {r: [] for r in runs}
            for _ in range(args.runs):
                for name, kind in runs:
                    samples[name, kind].append(run(command(kind, blueprint, work), roots[name]))
            for name, kind in runs:
                got = samples[name, kind]
                failed = any(math.isnan(s) for s, _ in got)
                results[size, name, kind] = FAILED if failed else (statistics.median(s for s, _ in got),
                                                                   max(m for _, m in got))
            floor, floor_mib = results[size, "", "floor"]
            for name in roots:
                row = "  ".join(_cell(kind, *results[size, name, kind], floor) for kind in KINDS[1:])
                label = f"floor {floor:6.2f} s {floor_mib:5.0f} MiB" if name == "" else f"{'before':>22}"
                print(f"{size:5d} services: {label} | {row}", flush=True)
    if 100 in sizes and 1000 in sizes:
        for name in roots:
            growth = "  ".join(f"{k} {results[1000, name, k][0] / results[100, name, k][0]:4.1f}x"
                               for k in KINDS if name == "" or k != "floor")
            print(f"growth from 100 to 1,000 services{' (before)' if name else ''}: {growth}")


if __name__ == "__main__":
    main()
