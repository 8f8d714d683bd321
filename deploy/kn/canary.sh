#!/usr/bin/env bash
# Sends PERCENT (default 10) of FUNCTION's traffic to the `candidate` revision, the rest to `stable`.
# Usage: deploy/kn/canary.sh FUNCTION [--percent 10] [-n NAMESPACE] [--dry-run]
set -euo pipefail
# shellcheck source=deploy/kn/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
expect_args 1 "$@"
fn="$FUNCTION"
percent="${OPTS[--percent]:-10}"
[[ "$percent" =~ ^[0-9]+$ ]] && [ "$percent" -ge 1 ] && [ "$percent" -le 99 ] \
  || die "--percent must be 1..99, got $percent"

run "$KN" service update "$fn" --namespace "$NAMESPACE" \
  --traffic "candidate=$percent" --traffic "stable=$((100 - percent))"
