#!/usr/bin/env bash
# `npm run stack:prod [-- start|stop|status|build]`: the production-shaped stack without Docker (scripts/prod-stack.ts).
# `start` (the default) first builds the Temporal server once (scripts/prod-stack/build-temporal.sh; a no-op when
# .tools/temporal-server/ holds the pinned version) and the TypeScript to dist/; stop and status run at once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command="${1:-start}"
if [ "$command" = "start" ] || [ "$command" = "build" ]; then
  bash scripts/prod-stack/build-temporal.sh
fi
if [ "$command" = "start" ] || [ ! -f dist/scripts/prod-stack.js ]; then
  npx tsc -p tsconfig.build.json
fi
exec node dist/scripts/prod-stack.js "$@"
