#!/usr/bin/env bash
# `npm run bench`: every benchmark script in turn, each printing its own figures (and, where the product has a goal,
# the goal beside the figure): the supervisors' lists through HTTP (bench-stuck), officers' actions and registrations
# against bare Temporal (bench-actions), the events inbox (bench-events), the ledger import (bench-import), the read
# model's rebuild (bench-rebuild), the live feed (bench-live), the workbench in Chromium (bench-web) and a year of
# timers (bench-idle-year). Sizes are each script's defaults unless its BENCH_* settings say otherwise.
# `BENCH_SHORT=1 npm run bench`: the short form CI runs after the tests, so the scripts stay alive: small sizes
# (1,000 projects for the lists), figures that mean little. A script that fails (a crash, or its own check of the
# data it wrote) is named at the end and makes the exit code 1; a figure that misses its goal does not.
# `BENCH_ONLY="stuck rebuild"` runs only those (an unknown name is refused with the list, exit 2).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
names=(stuck actions events import rebuild live web idle-year)
for only in ${BENCH_ONLY:-}; do
  if [[ " ${names[*]} " != *" ${only} "* ]]; then
    echo "BENCH_ONLY: no benchmark script named ${only}; the names are: ${names[*]}"
    exit 2
  fi
done
bash scripts/ensure-installed.sh || exit 1

failed=()
run() {
  local name=$1
  shift
  if [ -n "${BENCH_ONLY:-}" ] && [[ " ${BENCH_ONLY} " != *" ${name} "* ]]; then return; fi
  echo "=== bench:${name}"
  local started
  started=$(date +%s)
  env "$@" node "dist/scripts/bench-${name}.js"
  local code=$?
  echo "=== bench:${name} exit ${code} in $(( $(date +%s) - started )) s"
  echo
  [ "$code" -eq 0 ] || failed+=("$name")
}

if [ -n "${BENCH_SHORT:-}" ]; then
  # Small sizes unless a BENCH_* setting of the caller says otherwise.
  run stuck BENCH_PROJECTS="${BENCH_PROJECTS:-1000}" BENCH_N="${BENCH_N:-20}"
  run actions BENCH_N="${BENCH_N:-20}" BENCH_REGISTRATIONS="${BENCH_REGISTRATIONS:-48}"
  run events BENCH_PROJECTS="${BENCH_PROJECTS:-10}"
  run import BENCH_ROWS="${BENCH_ROWS:-50}"
  run rebuild BENCH_PROJECTS="${BENCH_PROJECTS:-200}"
  run live BENCH_N="${BENCH_N:-10}" BENCH_LISTENERS="${BENCH_LISTENERS:-5}"
  run web BENCH_N="${BENCH_N:-1}"
  run idle-year
else
  for name in "${names[@]}"; do run "$name"; done
fi

if [ "${#failed[@]}" -gt 0 ]; then
  echo "benchmark scripts that failed: ${failed[*]}"
  exit 1
fi
echo "every benchmark script ran to its end"
