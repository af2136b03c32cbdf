#!/usr/bin/env bash
# The project's test entry point (`npm test`). Provisions what the tests need,
# then type-checks, lints and runs vitest. Extra arguments go to `vitest run`,
# e.g. `npm test -- test/infra.test.ts`.
#
# Provisioned (each step can be skipped by setting the variable yourself):
#   TEMPORAL_CLI_PATH          temporal CLI (dev server)     scripts/ensure-temporal-cli.sh
#   TEMPORAL_TEST_SERVER_PATH  Java time-skipping server     scripts/ensure-test-server.sh
#   TEST_DATABASE_ADMIN_URL    PostgreSQL admin URL          scripts/ensure-postgres.sh
#                              (from DATABASE_URL if that is set)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

log() { printf '[test] %s\n' "$*" >&2; }

now_ms() { date +%s%3N; }
step_start=0
step_begin() { step_start=$(now_ms); log "$1..."; }
step_end() { log "$1 done in $(( ($(now_ms) - step_start) )) ms"; }

# `npm install && npm test` and a bare `npm test` should both work.
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  step_begin "npm install (node_modules missing or older than package-lock.json)"
  npm install --no-audit --no-fund >&2
  # npm does not always touch node_modules itself; mark it as up to date.
  touch node_modules
  step_end "npm install"
fi

step_begin "temporal CLI"
TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal-cli.sh)"
export TEMPORAL_CLI_PATH
step_end "temporal CLI ($TEMPORAL_CLI_PATH)"

step_begin "temporal test server"
TEMPORAL_TEST_SERVER_PATH="$(bash scripts/ensure-test-server.sh)"
export TEMPORAL_TEST_SERVER_PATH
step_end "temporal test server ($TEMPORAL_TEST_SERVER_PATH)"

step_begin "postgres"
if [[ -z "${TEST_DATABASE_ADMIN_URL:-}" ]]; then
  TEST_DATABASE_ADMIN_URL="$(bash scripts/ensure-postgres.sh)"
fi
export TEST_DATABASE_ADMIN_URL
step_end "postgres"

step_begin "tsc --noEmit"
npx --no-install tsc --noEmit
step_end "tsc"

if [[ -f eslint.config.js ]]; then
  step_begin "eslint"
  npx --no-install eslint .
  step_end "eslint"
else
  log "eslint.config.js not found: skipping lint"
fi

log "vitest run $*"
exec npx --no-install vitest run "$@"
