#!/usr/bin/env bash
# Runs every test: typecheck, then all vitest projects (engine, server on SQLite and PostgreSQL,
# browser journeys in headless Chromium). Prints a plain "N passed, N failed" closing line.
#
# Without arguments the browser journeys (web-e2e) run in a second vitest process alongside the
# other projects: they run one file at a time and mostly wait (on the browser, the server, jobs),
# so on their own at the end of the run they left most of the machine idle for minutes. Their
# output is printed when both are done. CLIPMIX_TEST_SERIAL=1 runs everything in one process, as
# does passing any vitest arguments (e.g. a file filter or --project).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output
echo "== typecheck" >&2
npx tsc -p tsconfig.json --noEmit || { echo "typecheck failed" >&2; echo "0 passed, 1 failed"; exit 1; }
echo "== tests" >&2
rm -f test-output/vitest.json test-output/vitest-e2e.json
reports=(test-output/vitest.json)
if [ $# -eq 0 ] && [ -z "${CLIPMIX_TEST_SERIAL:-}" ]; then
  reports+=(test-output/vitest-e2e.json)
  npx vitest run --project web-e2e --reporter=default --reporter=json --outputFile.json=test-output/vitest-e2e.json \
    >test-output/vitest-e2e.log 2>&1 &
  e2e_pid=$!
  trap 'kill "$e2e_pid" 2>/dev/null' INT TERM
  npx vitest run --project '!web-e2e' --reporter=default --reporter=json --outputFile.json=test-output/vitest.json
  status=$?
  wait "$e2e_pid"
  e2e_status=$?
  echo "== browser journeys (web-e2e; ran alongside the other projects)" >&2
  cat test-output/vitest-e2e.log
  [ "$status" -eq 0 ] && status=$e2e_status
else
  npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json "$@"
  status=$?
fi
# One report: the web-e2e run's results are merged into test-output/vitest.json.
node -e '
const fs = require("fs");
const [main, ...others] = process.argv.slice(1);
const read = (file) => { try { return JSON.parse(fs.readFileSync(file, "utf8")); } catch { return null; } };
const reports = [main, ...others].map(read);
let missing = reports.filter((r) => !r).length; // a run that wrote no report counts as a failure
const found = reports.filter(Boolean);
if (found.length > 1) {
  const merged = { ...found[0], testResults: found.flatMap((r) => r.testResults) };
  for (const key of Object.keys(found[0])) {
    if (/^num/.test(key)) merged[key] = found.reduce((n, r) => n + (r[key] || 0), 0);
  }
  merged.startTime = Math.min(...found.map((r) => r.startTime));
  merged.success = found.every((r) => r.success);
  fs.writeFileSync(main, JSON.stringify(merged));
}
const passed = found.reduce((n, r) => n + r.numPassedTests, 0);
const failed = found.reduce((n, r) => n + r.numFailedTests, 0) + missing;
const skipped = found.reduce((n, r) => n + (r.numPendingTests || 0) + (r.numTodoTests || 0), 0);
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "${reports[@]}"
exit $status
