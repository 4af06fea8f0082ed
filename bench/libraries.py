"""What the libraries a render loads cost before gen runs any code of its own, beside the floor.

bench/render.py compares ``gen render`` with a bare troposphere script (bench/floor.py). At one
service most of gen's time is importing: this measures a bare interpreter importing exactly the
third-party modules ``gen render`` (both formats) imports, found by running it once with
``python -X importtime``, then the same plus gen's blueprint models (pydantic builds their
validators as they are defined), then the floor and gen itself. Medians of ``--runs``,
alternating, each a fresh process.

    .venv/bin/python bench/libraries.py [--runs 11]
"""

from __future__ import annotations

import argparse
import importlib.util
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

ENVIRONMENT = {**os.environ, "PYTHONPATH": str(ROOT), "PYDANTIC_DISABLE_PLUGINS": "__all__"}


def third_party_modules(blueprint: Path, out: Path) -> list[str]:
    """The modules outside the standard library and gen that ``gen render`` imports, in order."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", "render", str(blueprint), "--out",
                          str(out)], cwd=ROOT, env=ENVIRONMENT, capture_output=True, text=True, check=True)
    names = [line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")]
    return list(dict.fromkeys(name for name in names[1:] if name.split(".")[0] not in sys.stdlib_module_names
                              and name.split(".")[0] not in ("generator", "sitecustomize", "usercustomize")
                              and not name.startswith("_") and _importable(name)))


def _importable(name: str) -> bool:
    """Whether ``name`` exists: importtime also lists imports that were tried and failed."""
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def time_one_run(command: list[str], samples: dict[str, list[float]], name: str) -> None:
    """Run ``command`` once and add its wall time to ``samples[name]``."""
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENVIRONMENT, capture_output=True, check=True)
    samples.setdefault(name, []).append(time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    note = compile_gen(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        blueprint = work / "scale-1.yaml"
        blueprint.write_text(blueprint_text(1))
        modules = third_party_modules(blueprint, work / "probe")
        imports = "; ".join(f"import {m}" for m in modules)
        commands = {
            "interpreter alone": [sys.executable, "-c", "pass"],
            f"the {len(modules)} third-party modules gen render imports": [sys.executable, "-c", imports],
            "those and gen's blueprint models": [sys.executable, "-c", imports + "; import generator.blueprint.model"],
            "floor: bench/floor.py at 1 service": [sys.executable, str(ROOT / "bench" / "floor.py"), "1",
                                                   str(work / "floor.json")],
            "gen render, both formats, 1 service": [sys.executable, "-m", "generator", "render", str(blueprint),
                                                    "--out", str(work / "gen")],
        }
        samples: dict[str, list[float]] = {}
        for _ in range(runs):
            for name, command in commands.items():
                time_one_run(command, samples, name)
    floor = statistics.median(samples["floor: bench/floor.py at 1 service"])
    print(f"median of {runs} runs, alternating; {note}")
    for name in commands:
        seconds = statistics.median(samples[name])
        print(f"  {seconds * 1000:6.0f} ms ({seconds / floor:3.1f}x the floor)  {name}")
    packages = sorted({m.split(".")[0] for m in modules})
    print(f"  third-party packages: {', '.join(packages)}")


if __name__ == "__main__":
    main()
