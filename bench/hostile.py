"""Time and peak memory of ``gen validate`` on hostile inputs (issue 10's reproducers): a billion
laughs, 100,000 ``x-`` keys, a file near the size limit, /dev/zero and a FIFO. Each runs in its
own process; memory is the process's peak resident size.

    .venv/bin/python bench/hostile.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import resource, sys
from generator.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
print(f"RESULT {code} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""


def billion_laughs(levels: int) -> str:
    lines = ['x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnopqrstuvwxyz"
    for previous, name in zip(names, names[1:levels]):
        lines.append(f"x-{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "version: 1\n" + "\n".join(lines) + f"\nname: *{names[levels - 1]}\n"


def inputs(folder: Path) -> dict[str, Path]:
    webapp = (ROOT / "blueprints" / "webapp.yaml").read_text()
    made = {
        "billion laughs, 7 levels (306 bytes, 4.8 million values)": billion_laughs(7),
        "billion laughs, 26 levels (9**26 values)": billion_laughs(26),
        "webapp + 100,000 x- keys (1.5 MB)": webapp + "".join(f"x-{i}: {i}\n" for i in range(100_000)),
        "1.6 MB of tags (past 100,000 values)": "tags:\n" + "".join(f"  k{i}: v{i}\n" for i in range(100_000)),
    }
    paths = {}
    for index, (name, text) in enumerate(made.items()):
        paths[name] = folder / f"{index}.yaml"
        paths[name].write_text(text)
    paths["/dev/zero"] = Path("/dev/zero")
    fifo = folder / "fifo.yaml"
    os.mkfifo(fifo)
    paths["a FIFO"] = fifo
    return paths


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        for name, path in inputs(Path(scratch)).items():
            started = time.perf_counter()
            result = subprocess.run([sys.executable, "-c", CHILD, "validate", str(path)], cwd=ROOT, capture_output=True,
                                    text=True, timeout=600, check=False)
            seconds = time.perf_counter() - started
            _, code, peak_kib = result.stderr.strip().splitlines()[-1].split()
            print(f"{seconds:7.2f} s {int(peak_kib) / 1024:7.1f} MiB  exit {code:>2}  {name}")


if __name__ == "__main__":
    main()
