#!/usr/bin/env bash
# Sends PERCENT (default 10) of FUNCTION's traffic to the `candidate` revision, the rest to `stable`.
# Usage: deploy/kn/canary.sh FUNCTION [--percent 10] [-n NAMESPACE] [--dry-run]
set -euo pipefail
# shellcheck source=deploy/kn/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_args "$@"
[ "${#POSITIONAL[@]}" -eq 1 ] || die "usage: canary.sh FUNCTION [--percent 10] [-n NS] [--dry-run]"
fn="${POSITIONAL[0]}"
check_function_name "$fn"
percent="${OPTS[--percent]:-10}"
[[ "$percent" =~ ^[0-9]+$ ]] && [ "$percent" -ge 1 ] && [ "$percent" -le 99 ] \
  || die "--percent must be 1..99, got $percent"

run "$KN" service update "$fn" --namespace "$NAMESPACE" \
  --traffic "candidate=$percent" --traffic "stable=$((100 - percent))"
