#!/usr/bin/env bash
# Builds the web app into apps/web/dist when any of its sources changed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=apps/web/dist/index.html
if [ ! -f "$out" ] || [ -n "$(find apps/web/src packages/engine/src/captions apps/web/index.html apps/web/vite.config.ts apps/web/public -newer "$out" -print -quit 2>/dev/null)" ]; then
  echo "setup: building the web app" >&2
  (cd apps/web && npx vite build --logLevel warn)
fi

# The CLI bundle bin/clipmix.js runs (it falls back to the sources while any is newer).
cli=apps/server/dist/cli/clipmix.mjs
if [ ! -f "$cli" ] || [ -n "$(find apps/server/src packages/engine/src apps/server/scripts/bundle-cli.mjs -newer "$cli" -print -quit 2>/dev/null)" ]; then
  echo "setup: bundling the CLI" >&2
  node apps/server/scripts/bundle-cli.mjs
fi
