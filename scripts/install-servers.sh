#!/usr/bin/env bash
# Installs what the embedded servers need on a fresh Debian machine: redis-server from apt and
# FerretDB built once into .shopfn/bin. Idempotent; silent when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
[ -x "$python" ] || python=python3
exec "$python" -m shopfn.servers install "$@"
