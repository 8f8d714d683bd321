"""The `shopfn` command: `shopfn dev`, `shopfn setup`."""

from __future__ import annotations

import argparse
from pathlib import Path

from shopfn import logs
from shopfn.config import settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _dev(args: argparse.Namespace) -> int:
    from shopfn.emulator.serve import run_dev

    logs.configure(settings().log_level if not args.verbose else "DEBUG")
    return run_dev(
        root=Path(args.data).resolve(),
        port=args.port,
        isolate=args.isolate,
        idle_timeout=args.idle_timeout,
        kafka=args.kafka,
    )


def _setup(args: argparse.Namespace) -> int:
    from shopfn import bootstrap

    return bootstrap.main()


def _seed(args: argparse.Namespace) -> int:
    from functions.catalog.seed import main as seed_main

    return int(seed_main(args.count, with_search=not args.no_search))


def _reindex(args: argparse.Namespace) -> int:
    from functions.search.reindex import reindex

    reindex()
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="shopfn", description="shopfn developer commands")
    sub = top.add_subparsers(dest="command", required=True)
    dev = sub.add_parser("dev", help="run the whole platform locally (the emulator)")
    dev.add_argument("--port", type=int, default=8080, help="gateway port (default 8080)")
    dev.add_argument(
        "--isolate",
        action="store_true",
        help="each function in its own functions-framework process, scaled from/to zero",
    )
    dev.add_argument(
        "--idle-timeout", type=float, default=60.0, help="isolated mode: seconds idle before stop"
    )
    dev.add_argument(
        "--kafka", action="store_true", help="the broker keeps events in Kafka (else in memory)"
    )
    dev.add_argument("--data", default=str(PROJECT_ROOT / ".shopfn"), help="data directory")
    dev.add_argument("--verbose", action="store_true", help="debug logs")
    dev.set_defaults(run=_dev)
    setup = sub.add_parser("setup", help="apply migrations and each domain's setup")
    setup.set_defaults(run=_setup)
    seed = sub.add_parser("seed", help="load the demo catalog (idempotent)")
    seed.add_argument("--count", type=int, default=20_000, help="products (default 20000)")
    seed.add_argument("--no-search", action="store_true", help="skip the search index")
    seed.set_defaults(run=_seed)
    reindex = sub.add_parser("reindex", help="rebuild the search index from MongoDB")
    reindex.set_defaults(run=_reindex)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
