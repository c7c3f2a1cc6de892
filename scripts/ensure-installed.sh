#!/usr/bin/env bash
# Makes a fresh clone runnable: npm packages (when node_modules is missing or older than the lock file),
# the pinned Temporal binaries (scripts/install-temporal.sh), and the TypeScript build in dist/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-installed: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
bash scripts/install-temporal.sh
rm -rf dist
npx tsc -p tsconfig.build.json
