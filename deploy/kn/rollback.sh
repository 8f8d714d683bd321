#!/usr/bin/env bash
# Rolls FUNCTION back: all traffic to `stable`, the candidate loses its tag (its revision stays,
# unrouted, for inspection). `stable` stays pinned until a later candidate is promoted.
# Usage: deploy/kn/rollback.sh FUNCTION [-n NAMESPACE] [--dry-run]
set -euo pipefail
# shellcheck source=deploy/kn/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
expect_args 1 "$@"
fn="$FUNCTION"

run "$KN" service update "$fn" --namespace "$NAMESPACE" --untag candidate --traffic stable=100
