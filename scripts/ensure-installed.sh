#!/usr/bin/env bash
# Makes a fresh clone runnable: npm packages (when node_modules is missing or older than the lock file),
# the pinned Temporal binaries (scripts/install-temporal.sh), the TypeScript build in dist/, and the web
# workbench in apps/web/dist when it is missing or older than its sources.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-installed: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
bash scripts/install-temporal.sh
# Built beside dist/ and swapped in at the end: a stack already running from dist/ (another terminal's npm start) keeps
# finding its files when it restarts a process, and a failed build leaves the last good one in place.
rm -rf dist.next dist.old
npx tsc -p tsconfig.build.json --outDir dist.next
if [ -d dist ]; then mv dist dist.old; fi
mv dist.next dist
rm -rf dist.old
if [ ! -f apps/web/dist/index.html ] || [ -n "$(find apps/web/src apps/web/index.html apps/web/vite.config.ts package-lock.json -newer apps/web/dist/index.html -print -quit)" ]; then
  echo "ensure-installed: building the web workbench (vite build apps/web)" >&2
  npx vite build apps/web --logLevel warn
fi
