"""One-time setup before functions serve: versioned SQL migrations, then each domain's setup.

Migrations are `NNNN_what.sql` files in `shared/shopfn/migrations/` (the commons' tables) and in
`functions/<domain>/migrations/`; each is applied once, in order, recorded in
`shopfn_migrations`. A domain may also have `functions/<domain>/_setup.py` with an idempotent
`setup()` (indexes, a search index, the first admin). The emulator runs this at start; on a
cluster it runs as a Job (`python -m shopfn.bootstrap`).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from shopfn import logs
from shopfn.config import settings

log = logs.get_logger("shopfn.bootstrap")
_LOCK_KEY = 0x5F0F1  # advisory lock: two starting processes must not migrate at once
ROOT = Path(__file__).resolve().parents[2]


def _migration_dirs() -> Iterator[tuple[str, Path]]:
    yield "shopfn", Path(__file__).resolve().parent / "migrations"
    for folder in sorted((ROOT / "functions").glob("*/migrations")):
        yield folder.parent.name, folder


def migrate() -> list[str]:
    """Apply every pending migration; return the ones applied."""
    from shopfn.stores import pg_conn

    applied: list[str] = []
    with pg_conn() as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        cur.execute(
            "CREATE TABLE IF NOT EXISTS shopfn_migrations ("
            " domain text NOT NULL, version text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (domain, version))"
        )
        cur.execute("SELECT domain, version FROM shopfn_migrations")
        done = {(d, v) for d, v in cur.fetchall()}
        for domain, folder in _migration_dirs():
            for sql_file in sorted(folder.glob("[0-9]*.sql")):
                if (domain, sql_file.stem) in done:
                    continue
                cur.execute(sql_file.read_text())
                cur.execute(
                    "INSERT INTO shopfn_migrations (domain, version) VALUES (%s, %s)",
                    (domain, sql_file.stem),
                )
                applied.append(f"{domain}/{sql_file.name}")
    return applied


def domain_setups() -> Iterator[tuple[str, Callable[[], None]]]:
    for path in sorted((ROOT / "functions").glob("*/_setup.py")):
        module = importlib.import_module(f"functions.{path.parent.name}._setup")
        yield path.parent.name, module.setup


def run(log_line: Callable[[str], None] | None = None) -> None:
    """Migrate (when PostgreSQL is configured), then run every domain's setup."""
    say = log_line or (lambda msg: log.info(msg))
    if settings().postgres_url:
        for name in migrate():
            say(f"migrated {name}")
    for domain, setup in domain_setups():
        setup()
        say(f"set up {domain}")


def main() -> int:
    logs.configure(settings().log_level)
    run()
    logging.getLogger(__name__).info("bootstrap done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
