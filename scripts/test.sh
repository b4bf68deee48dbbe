#!/usr/bin/env bash
# The test command: type check, lint, unit and mock tests (mocha), and the sample service's Go tests.
# Ends with one line `N passed, N failed` counting every check and test.
set -uo pipefail
cd "$(dirname "$0")/.."
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

npx mocha --reporter spec 2>&1 | tee "$log/mocha.out"
mocha_passed=$(grep -Eo '^ +[0-9]+ passing' "$log/mocha.out" | grep -Eo '[0-9]+' || echo 0)
mocha_failed=$(grep -Eo '^ +[0-9]+ failing' "$log/mocha.out" | grep -Eo '[0-9]+' || echo 0)
if [ "$mocha_passed" = 0 ] && [ "$mocha_failed" = 0 ]; then mocha_failed=1; echo "mocha ran no test"; fi
passed=$((passed + mocha_passed)); failed=$((failed + mocha_failed))

(cd app && go vet ./... && go test -count=1 -v ./...) 2>&1 | tee "$log/go.out"
go_passed=$(grep -c -- '^--- PASS' "$log/go.out" || true)
go_failed=$(grep -c -- '^--- FAIL' "$log/go.out" || true)
if grep -qE '^(FAIL|# )' "$log/go.out" && [ "$go_failed" = 0 ]; then go_failed=1; fi
passed=$((passed + go_passed)); failed=$((failed + go_failed))

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
