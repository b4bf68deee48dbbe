#!/usr/bin/env bash
# The test command: type check, lint, unit and mock tests (mocha), and the sample service's Go tests.
# Ends with one line `N passed, N failed` counting every check and test.
# `npm run test:update-snapshots` (this script with --update-snapshots) rewrites the snapshots on purpose.
set -uo pipefail
cd "$(dirname "$0")/.."

# UPDATE_SNAPSHOTS turns every snapshot test into a rewrite that asserts nothing: it is honoured only when asked for
# here, never inherited from the environment (a CI variable or a shell left so would make the suite pass regardless).
if [ "${1:-}" = "--update-snapshots" ]; then
  export UPDATE_SNAPSHOTS=1
  echo "rewriting the snapshots in tests/snapshots/: review them with git diff before committing"
elif [ -n "${UPDATE_SNAPSHOTS+set}" ]; then
  echo "UPDATE_SNAPSHOTS is set in the environment: every snapshot test would rewrite its snapshot and assert nothing."
  echo "Unset it (unset UPDATE_SNAPSHOTS), or rewrite the snapshots on purpose with npm run test:update-snapshots."
  echo "0 passed, 1 failed"
  exit 1
fi
source scripts/go-env.sh

passed=0
failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

step() { # step NAME COMMAND...: a check that counts as one test
  local name=$1; shift
  if "$@" >"$log/$name.out" 2>&1; then
    passed=$((passed + 1)); echo "ok    $name"
  else
    failed=$((failed + 1)); echo "FAIL  $name"; cat "$log/$name.out"
  fi
}

step typecheck npx tsc --noEmit
step eslint npx eslint .
step prettier npx prettier --check .
step build npm run build

# .mocharc.json forbids `.only` and pending tests; the counts below also treat a pending test as a failure.
npx mocha --reporter spec 2>&1 | tee "$log/mocha.out"
mocha_status=${PIPESTATUS[0]}
count() { grep -Eo "^ +[0-9]+ $1" "$log/$2" | grep -Eo '[0-9]+' | tail -n 1 || true; }
mocha_passed=$(count passing mocha.out); mocha_failed=$(count failing mocha.out); mocha_pending=$(count pending mocha.out)
mocha_passed=${mocha_passed:-0}; mocha_failed=$((${mocha_failed:-0} + ${mocha_pending:-0}))
if [ "$mocha_status" != 0 ] && [ "$mocha_failed" = 0 ]; then mocha_failed=1; echo "mocha exited $mocha_status"; fi
if [ "$mocha_passed" = 0 ] && [ "$mocha_failed" = 0 ]; then mocha_failed=1; echo "mocha ran no test"; fi
passed=$((passed + mocha_passed)); failed=$((failed + mocha_failed))

# The Go tests count only if Go ran them: a missing toolchain or a go.mod that asks for a newer Go is a failure.
(cd app && go vet ./... && go test -count=1 -v ./...) 2>&1 | tee "$log/go.out"
go_status=${PIPESTATUS[0]}
go_passed=$(grep -c -- '^--- PASS' "$log/go.out" || true)
go_failed=$(grep -c -- '^--- FAIL' "$log/go.out" || true)
if [ "$go_status" != 0 ] && [ "$go_failed" = 0 ]; then go_failed=1; echo "go exited $go_status"; fi
if [ "$go_passed" = 0 ] && [ "$go_failed" = 0 ]; then go_failed=1; echo "go ran no test"; fi
passed=$((passed + go_passed)); failed=$((failed + go_failed))

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
