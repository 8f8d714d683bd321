"""`python -m shopfn.servers install|start [NAME...]`: install, or run until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys

from shopfn.servers import SERVER_NAMES, EmbeddedServers, ServerError
from shopfn.servers.install import project_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shopfn.servers")
    parser.add_argument("command", choices=["install", "start"])
    parser.add_argument("names", nargs="*", help=f"default: all of {', '.join(SERVER_NAMES)}")
    args = parser.parse_args(argv)
    servers = EmbeddedServers(project_dir() / ".shopfn" / "data", args.names or None)
    try:
        if args.command == "install":
            servers.install()
            return 0
        # Blocked before the servers' threads start, so the signals reach only sigwait.
        stop_signals = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
        for var, url in servers.start().items():
            print(f"export {var}={url}", flush=True)
        signal.sigwait(stop_signals)
    except ServerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
