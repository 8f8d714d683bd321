#!/usr/bin/env bash
# Rolls FUNCTION back: all traffic to `stable`, the candidate loses its tag (its revision stays,
# unrouted, for inspection). `stable` stays pinned until a later candidate is promoted.
# Usage: deploy/kn/rollback.sh FUNCTION [-n NAMESPACE] [--dry-run]
set -euo pipefail
# shellcheck source=deploy/kn/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_args "$@"
[ "${#POSITIONAL[@]}" -eq 1 ] || die "usage: rollback.sh FUNCTION [-n NS] [--dry-run]"
fn="${POSITIONAL[0]}"
check_function_name "$fn"

run "$KN" service update "$fn" --namespace "$NAMESPACE" --untag candidate --traffic stable=100
