#!/usr/bin/env bash
# The whole suite, as CI runs it (npm test builds first):
#   1. schematic specs (SchematicTestRunner) on workspaces made by the real Angular CLI 20, 21, 22;
#   2. integration: ng new + ng add of the packed tarball + ng build + ng test (Angular 22 and 20);
#   3. end to end: a real OpenID provider and the built app in Debian's chromium.
# `npm test -- unit` runs only the first (seconds); `npm test -- unit integration` the first two.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" NG_CLI_ANALYTICS=false
suites=("${@:-unit integration e2e}")
suites=(${suites[*]})
passed=0 failed=0 status=0

count_jasmine() { # adds "N specs, M failures" of a jasmine log to the totals
  local line specs failures
  line=$(grep -E '^[0-9]+ specs?, [0-9]+ failures?' "$1" | tail -1)
  specs=$(sed -E 's/^([0-9]+) specs?.*/\1/' <<<"$line"); failures=$(sed -E 's/.*, ([0-9]+) failures?.*/\1/' <<<"$line")
  if [ -z "$line" ]; then failed=$((failed + 1)); return; fi
  passed=$((passed + specs - failures)); failed=$((failed + failures))
}

for suite in "${suites[@]}"; do
  log=$(mktemp)
  case "$suite" in
    unit)
      bash scripts/make-fixtures.sh || status=1
      jasmine --config=test/jasmine.json 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" = 0 ] || status=1
      count_jasmine "$log" ;;
    integration)
      jasmine --config=test/integration/jasmine.json 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" = 0 ] || status=1
      count_jasmine "$log" ;;
    e2e)
      node e2e/run.ts 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" = 0 ] || status=1
      line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
      if [ -n "$line" ]; then
        passed=$((passed + ${line%% passed*})); f=${line#*, }; failed=$((failed + ${f%% failed}))
      else failed=$((failed + 1)); fi ;;
    *) echo "unknown suite: $suite (unit, integration, e2e)"; status=1 ;;
  esac
  rm -f "$log"
done
echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && exit "$status" || exit 1
