#!/usr/bin/env bash
# Promotes FUNCTION's `candidate` to 100 % and drops both tags, so the Service follows its latest
# revision again (what `kubectl apply` and `helm upgrade` expect).
# Usage: deploy/kn/promote.sh FUNCTION [-n NAMESPACE] [--dry-run]
set -euo pipefail
# shellcheck source=deploy/kn/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
expect_args 1 "$@"
fn="$FUNCTION"

# @latest must be the candidate, or following it would promote a revision nobody tested.
if [ "$DRY_RUN" = 1 ]; then
  echo "# checks first that the candidate is the latest ready revision"
else
  candidate="$(ksvc_field "$fn" '{.status.traffic[?(@.tag=="candidate")].revisionName}')"
  latest="$(ksvc_field "$fn" '{.status.latestReadyRevisionName}')"
  [ -n "$candidate" ] || die "$fn has no revision tagged candidate"
  [ "$candidate" = "$latest" ] || die "candidate $candidate is not the latest ready revision ($latest)"
fi
run "$KN" service update "$fn" --namespace "$NAMESPACE" \
  --untag stable --untag candidate --traffic @latest=100
