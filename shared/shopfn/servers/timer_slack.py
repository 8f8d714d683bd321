"""Run a command with a coarser timer slack: `python timer_slack.py NANOSECONDS ARGV...`.

Why: Cassandra's shared worker pool keeps an idle worker spinning for up to 10 ms after each
task, parking 10 µs at a time. With Linux's default slack of 50 µs that is some 160 wake-ups
per task, several milliseconds of CPU for a request that needs one. Every thread inherits the
slack set here, and it survives `exec`, so the server's parks wake about once a millisecond.

The file runs as a script by path, not as a module of the package, so the launch imports
nothing but the standard library. Where `prctl` is missing (not Linux) it only execs.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Sequence
from pathlib import Path

PR_SET_TIMERSLACK = 29  # from <linux/prctl.h>


def with_timer_slack(argv: Sequence[str], nanoseconds: int) -> list[str]:
    """The command line that runs `argv` with the given timer slack."""
    return [sys.executable, "-I", str(Path(__file__).resolve()), str(nanoseconds), *argv]


def main(args: Sequence[str]) -> None:
    nanoseconds, command = int(args[0]), list(args[1:])
    # Without prctl (not Linux) the server runs with the default slack.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
