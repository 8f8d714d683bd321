"""`make bench`: every benchmark in one run, one table at the end.

`python -m benchmarks NAME ...` runs only the named benchmarks (module or function names).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from pathlib import Path

from benchmarks.harness import Row, context, print_table
from shopfn.emulator.serve import apply_env


def main(argv: list[str]) -> int:
    only = set(argv)
    rows: list[Row] = []
    failed = []
    package = Path(__file__).parent
    with context() as ctx:
        for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda m: m.name):
            # A benchmark module declares BENCHMARKS; others (the locustfile) are not imported.
            if "\nBENCHMARKS = " not in (package / f"{info.name}.py").read_text():
                continue
            module = importlib.import_module(f"benchmarks.{info.name}")
            for bench in getattr(module, "BENCHMARKS", ()):
                if only and bench.__name__ not in only and info.name not in only:
                    continue
                print(f"running {info.name}.{bench.__name__} …", flush=True)
                try:
                    rows.extend(bench(ctx))
                except Exception:
                    traceback.print_exc()
                    failed.append(f"{info.name}.{bench.__name__}")
                finally:
                    # Some benchmarks start a platform of their own: point back at ours.
                    apply_env(ctx.env)
    print_table(rows)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
