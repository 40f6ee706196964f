"""Run every benchmark in this folder, one after the other, and print their tables.

    .venv/bin/python benchmarks/run.py [--quick] [--only NAME ...]

Each benchmark measures its baseline in the same run (openpyxl's own read, a raw SELECT, a
trivial route of the same app under the same server, plain reportlab/openpyxl code), so the
ratios hold on any machine. --quick passes smaller request counts where a benchmark takes them.
bench_load.py runs two app servers on one PostgreSQL and one Redis: it makes its database on the
server in BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres) and uses
BENCH_REDIS_URL (default redis://127.0.0.1:6379/1); it fails when a reply after a publication
did not carry it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK = {"bench_load.py": ["--requests", "400"], "bench_public.py": ["--requests", "400"],
         "bench_cells.py": ["--cells", "5"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()
    scripts = sorted(p for p in HERE.glob("bench_*.py")
                     if not args.only or any(name in p.name for name in args.only))
    failed = 0
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        start = time.perf_counter()
        extra = QUICK.get(script.name, []) if args.quick else []
        code = subprocess.run([sys.executable, str(script), *extra]).returncode
        print(f"({script.name}: {time.perf_counter() - start:.0f} s, exit {code})", flush=True)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
