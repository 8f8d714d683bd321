#!/usr/bin/env bash
# Build the four web frontends (frontends/<app>/dist), which the emulator gateway serves.
# Idempotent and quick when nothing changed: npm ci runs only when the lockfile changed,
# an app is rebuilt only when its sources or the shared code are newer than its build.
set -euo pipefail
cd "$(dirname "$0")/../frontends"

APPS=(alpine svelte preact solid)
STAMP=node_modules/.shopfn-lock.sha256

if ! command -v npm >/dev/null; then
  echo "npm is missing: install Node.js 20+ to build the frontends" >&2
  exit 1
fi

lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $STAMP || $(cat "$STAMP") != "$lock_sum" ]]; then
  echo "frontends: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >"$STAMP"
fi

for app in "${APPS[@]}"; do
  built=$app/dist/index.html
  if [[ -f $built ]] && [[ -z $(find "$app" shared package-lock.json -path "$app/dist" -prune -o \
      -path '*/node_modules' -prune -o -type f -newer "$built" -print -quit) ]]; then
    echo "frontends: $app is up to date"
    continue
  fi
  echo "frontends: building $app"
  npm run build --silent -w "$app" >/dev/null
done
