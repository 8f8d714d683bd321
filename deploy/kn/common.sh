# Shared by the kn rollout scripts: argument parsing and the dry-run switch. Sourced, not run.
# Every script acts on ONE function (a Knative Service) and uses two traffic tags:
#   stable     the revision that served all traffic before the rollout
#   candidate  the new revision under test

KN="${KN:-kn}"
KUBECTL="${KUBECTL:-kubectl}"
NAMESPACE="${SHOPFN_NAMESPACE:-shopfn}"
DRY_RUN=0
POSITIONAL=()

die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 2
}

# Parses the options every script takes; the rest stays in POSITIONAL, extra options in OPTS.
declare -A OPTS=()
parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dry-run) DRY_RUN=1 ;;
      -n | --namespace)
        [ $# -ge 2 ] || die "$1 needs a value"
        NAMESPACE="$2"
        shift
        ;;
      --*=*) OPTS["${1%%=*}"]="${1#*=}" ;;
      --*)
        [ $# -ge 2 ] || die "$1 needs a value"
        OPTS["$1"]="$2"
        shift
        ;;
      *) POSITIONAL+=("$1") ;;
    esac
    shift
  done
}

# Prints the command (shell-quoted) in a dry run, runs it otherwise.
run() {
  if [ "$DRY_RUN" = 1 ]; then
    local quoted
    printf -v quoted '%q ' "$@"
    printf '%s\n' "${quoted% }"
  else
    "$@"
  fi
}

# The value of a jsonpath on the function's Knative Service (live runs only).
ksvc_field() {
  "$KUBECTL" get ksvc "$1" --namespace "$NAMESPACE" -o "jsonpath=$2"
}

check_function_name() {
  [[ "$1" =~ ^[a-z][a-z0-9]*(-[a-z0-9]+)+$ ]] || die "not a function name: $1"
}

# Parses "$@" and checks there are exactly COUNT positional arguments, the first a function
# name (set as FUNCTION); the usage line comes from the script's own "# Usage:" comment.
# Usage in a script: expect_args COUNT "$@"
expect_args() {
  local count="$1"
  shift
  parse_args "$@"
  if [ "${#POSITIONAL[@]}" -ne "$count" ]; then
    die "usage: $(sed -n 's/^# Usage: //p' "$0")"
  fi
  FUNCTION="${POSITIONAL[0]}"
  check_function_name "$FUNCTION"
}
