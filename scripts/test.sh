#!/usr/bin/env bash
# Runs every test: typecheck, then all vitest projects (engine, server on SQLite and PostgreSQL,
# browser journeys in headless Chromium). Prints a plain "N passed, N failed" closing line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output
echo "== typecheck" >&2
npx tsc -p tsconfig.json --noEmit || { echo "typecheck failed" >&2; echo "0 passed, 1 failed"; exit 1; }
echo "== tests" >&2
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json "$@"
status=$?
node -e '
const fs = require("fs");
try {
  const r = JSON.parse(fs.readFileSync("test-output/vitest.json", "utf8"));
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
} catch { console.log("0 passed, 1 failed"); }
'
exit $status
