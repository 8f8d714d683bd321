#!/usr/bin/env bash
# Deploys IMAGE as a new revision of FUNCTION, tagged `candidate`, with no traffic yet.
# The revision serving now is pinned under the tag `stable` first (unless it already is), so
# the image update does not move traffic.
# Usage: deploy/kn/deploy.sh FUNCTION IMAGE [--revision SUFFIX] [-n NAMESPACE] [--dry-run]
set -euo pipefail
# shellcheck source=deploy/kn/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
expect_args 2 "$@"
fn="$FUNCTION"
image="${POSITIONAL[1]}"

pinned=""
if [ "$DRY_RUN" = 1 ]; then
  echo "# when no revision carries the tag stable yet:"
else
  pinned="$(ksvc_field "$fn" '{.spec.traffic[?(@.tag=="stable")].tag}')"
fi
if [ -z "$pinned" ]; then
  run "$KN" service update "$fn" --namespace "$NAMESPACE" --tag @latest=stable --traffic stable=100
fi

revision=()
if [ -n "${OPTS[--revision]:-}" ]; then
  revision=(--revision-name "$fn-${OPTS[--revision]}")
fi
# With a template change in the same command, @latest names the revision this update creates.
run "$KN" service update "$fn" --namespace "$NAMESPACE" --image "$image" "${revision[@]}" \
  --tag @latest=candidate --traffic stable=100
