#!/usr/bin/env bash
# Prints the newest CPython 3.11+ that pyenv has; falls back to python3 on PATH if it is new enough.
set -euo pipefail
root="${PYENV_ROOT:-$HOME/.pyenv}"
if command -v pyenv >/dev/null 2>&1; then root="$(pyenv root)"; fi
best=""
if [ -d "$root/versions" ]; then
  best=$(ls -1 "$root/versions" | grep -E '^3\.(1[1-9]|[2-9][0-9])\.[0-9]+$' | sort -V | tail -n 1 || true)
fi
if [ -n "$best" ] && [ -x "$root/versions/$best/bin/python3" ]; then
  echo "$root/versions/$best/bin/python3"; exit 0
fi
if python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  command -v python3; exit 0
fi
echo "no Python 3.11 or later found (install one with pyenv)" >&2
exit 1
