#!/usr/bin/env bash
# Prints (on stdout, and nothing else) the path of a `temporal` CLI binary,
# used by the tests to run a Temporal dev server.
#
#   1. $TEMPORAL_CLI_PATH, if set;
#   2. else .tools/bin/temporal, if it was built before;
#   3. else builds it from source with `go install` (Go module proxy only; the
#      GitHub release binaries are not needed). On a machine with a cold Go
#      module/build cache this takes several minutes.
#
# Safe to run concurrently (flock). All progress goes to stderr.
set -euo pipefail

TEMPORAL_CLI_MODULE="github.com/temporalio/cli"
TEMPORAL_CLI_VERSION="v1.5.1"
# Go version required by the module's go.mod (go 1.25.0).
TEMPORAL_CLI_MIN_GO="1.25"

log() { printf '[ensure-temporal-cli] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  [[ -x "$TEMPORAL_CLI_PATH" ]] || die "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file"
  printf '%s\n' "$TEMPORAL_CLI_PATH"
  exit 0
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$repo/.tools/bin"
target="$bin_dir/temporal"

if [[ -x "$target" ]]; then
  printf '%s\n' "$target"
  exit 0
fi

mkdir -p "$repo/.tools/locks" "$bin_dir"
exec 9>"$repo/.tools/locks/temporal-cli.lock"
if ! flock -n 9; then
  log "another process is building the temporal CLI; waiting for it..."
  flock 9
fi

# Someone else may have finished the build while we waited for the lock.
if [[ -x "$target" ]]; then
  printf '%s\n' "$target"
  exit 0
fi

command -v go >/dev/null 2>&1 \
  || die "Go toolchain not found (need go >= $TEMPORAL_CLI_MIN_GO to build the temporal CLI). Install Go, or set TEMPORAL_CLI_PATH to an existing temporal binary."

# If the local Go is older than what the module needs, let Go fetch a newer
# toolchain from the module proxy (golang.org/toolchain) for this build only.
go_version="$(go env GOVERSION)"          # e.g. go1.26.8
go_version="${go_version#go}"
if [[ "$(printf '%s\n%s\n' "$TEMPORAL_CLI_MIN_GO" "$go_version" | sort -V | head -n1)" != "$TEMPORAL_CLI_MIN_GO" ]]; then
  log "local Go is $go_version (< $TEMPORAL_CLI_MIN_GO); allowing Go to download a newer toolchain"
  export GOTOOLCHAIN=auto
fi

# Install into a scratch dir and move into place, so an interrupted build
# never leaves a half-written .tools/bin/temporal behind.
tmp_bin="$(mktemp -d "$bin_dir/.build.XXXXXX")"
trap 'rm -rf "$tmp_bin"' EXIT

log "building temporal CLI $TEMPORAL_CLI_VERSION with go $go_version (several minutes on a cold Go cache)..."
start=$SECONDS
# Same linker flags as the upstream release build (stripped, version stamped).
GOBIN="$tmp_bin" go install \
  -ldflags "-s -w -X $TEMPORAL_CLI_MODULE/temporalcli.Version=${TEMPORAL_CLI_VERSION#v}" \
  "$TEMPORAL_CLI_MODULE/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2 \
  || die "go install $TEMPORAL_CLI_MODULE/cmd/temporal@$TEMPORAL_CLI_VERSION failed"

[[ -x "$tmp_bin/temporal" ]] || die "go install finished but produced no temporal binary"
mv -f "$tmp_bin/temporal" "$target"
log "built $target in $((SECONDS - start))s ($("$target" --version 2>/dev/null || echo 'version unknown'))"

printf '%s\n' "$target"
